package phpstream

import (
	"fmt"
	"os"
	"testing"
)

// TestPHPFDOpensThatDescriptor: php://fd/N reads N as strtol does (blanks
// and a sign before the digits), and the stream is a duplicate of that
// very descriptor.
func TestPHPFDOpensThatDescriptor(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, form := range []string{"%d", " %d", "+%d", "\t+%d"} {
		url := "php://fd/" + fmt.Sprintf(form, int(w.Fd()))
		s, err := OpenURL(url, "w", OpenOptions{})
		if err != nil {
			t.Fatalf("%q: %v", url, err)
		}
		if m := s.Meta(); m.Seekable || m.StreamType != "STDIO" || m.URI != url {
			t.Errorf("%q: meta %+v; want a STDIO stream, not seekable (a pipe)", url, m)
		}
		if n, err := s.Fwrite([]byte("x")); n != 1 || err != nil {
			t.Fatalf("%q: fwrite = %d, %v", url, n, err)
		}
		s.Close()
		var b [1]byte
		if n, _ := r.Read(b[:]); n != 1 || b[0] != 'x' {
			t.Fatalf("%q: the pipe got %q", url, b[:n])
		}
	}
	if _, err := w.Write([]byte("!")); err != nil {
		t.Fatalf("closing the stream closed the process's descriptor: %v", err)
	}
}
