package compat_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/phpsock/phpsock/compat"
)

// A directory listing as PHP writes it, relative to the runtime's
// working directory:
//
//	mkdir('logs'); touch('logs/b.log'); touch('logs/a.log');
//	print_r(scandir('logs', SCANDIR_SORT_DESCENDING));
//	$d = opendir('glob://logs/*.log');
//	while (($name = readdir($d)) !== false) { echo "$name\n"; }
//	closedir($d);
//	opendir('logs/missing');
func ExampleRuntime_Scandir() {
	dir, err := os.MkdirTemp("", "phpsock-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	rt := compat.NewRuntime()
	rt.SetDir(dir)
	rt.SetDiagnostics(func(d compat.Diagnostic) { fmt.Println("Warning:", d.String()) })
	os.Mkdir(filepath.Join(dir, "logs"), 0o755)
	os.WriteFile(filepath.Join(dir, "logs", "b.log"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "logs", "a.log"), nil, 0o644)

	names, _, _ := rt.Scandir("logs", compat.SCANDIR_SORT_DESCENDING, nil)
	fmt.Println(names)

	d, _ := rt.Opendir("glob://logs/*.log", nil)
	for {
		name, ok, _ := rt.Readdir(d)
		if !ok {
			break
		}
		fmt.Println(name)
	}
	rt.Closedir(d)

	d, _ = rt.Opendir("logs/missing", nil)
	fmt.Println(d == nil)
	// Output:
	// [b.log a.log .. .]
	// a.log
	// b.log
	// Warning: opendir(logs/missing): Failed to open directory: No such file or directory
	// true
}
