package phpstream_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/phpsock/phpsock/phpstream"
)

// OpenDir is PHP's opendir: a glob:// listing gives the matches' names
// in glob's order; a directory stream's metadata is stream_get_meta_data's.
func ExampleOpenDir() {
	dir, err := os.MkdirTemp("", "phpsock-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"b.txt", "a.txt", "c.log"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
	}
	s, err := phpstream.OpenDir("glob://*.txt", phpstream.OpenOptions{Dir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	names, _ := s.Entries()
	fmt.Println(names)
	m := s.Meta()
	fmt.Println(m.WrapperType, m.StreamType, m.Seekable)

	_, err = phpstream.OpenDir(filepath.Join(dir, "missing"), phpstream.OpenOptions{})
	fmt.Println(err)
	// Output:
	// [a.txt b.txt]
	// glob glob true
	// Failed to open directory: No such file or directory
}
