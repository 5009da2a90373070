//go:build unix

package phpstream

import (
	"bytes"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// plainDir is a plain directory's listing as PHP's opendir(3) gives it:
// getdents' records in the kernel's order, "." and ".." included (Go's
// own directory reading leaves those out).
type plainDir struct {
	f    *os.File // closes the descriptor if the stream is dropped unclosed
	fd   int      // f's descriptor, -1 once closed
	buf  []byte
	pos  int // the next record in buf[:n]
	n    int
	done bool
}

// openPlainDir is opendir(3): open(2) with O_DIRECTORY, whose errno is
// PHP's warning (recorded: dir/plain-missing, dir/plain-not-a-dir).
func openPlainDir(path string) (DirOps, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		return nil, err
	}
	return &plainDir{f: f, fd: int(f.Fd())}, nil
}

var (
	direntReclen = unsafe.Offsetof(unix.Dirent{}.Reclen)
	direntName   = unsafe.Offsetof(unix.Dirent{}.Name)
)

func (d *plainDir) Readdir(DiagnosticFunc) (string, bool) {
	for {
		if d.fd < 0 || d.done {
			return "", false
		}
		if d.pos >= d.n {
			if d.buf == nil {
				d.buf = make([]byte, 8192)
			}
			n, err := unix.ReadDirent(d.fd, d.buf)
			if err == syscall.EINTR {
				continue
			}
			if err != nil || n <= 0 {
				d.done = true
				return "", false
			}
			d.pos, d.n = 0, n
		}
		rec := d.buf[d.pos:d.n]
		if uintptr(len(rec)) < direntName {
			d.pos = d.n
			continue
		}
		reclen := int(*(*uint16)(unsafe.Pointer(&rec[direntReclen])))
		if uintptr(reclen) <= direntName || reclen > len(rec) {
			d.pos = d.n
			continue
		}
		d.pos += reclen
		name := rec[direntName:reclen]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		return string(name), true
	}
}

// Rewind is rewinddir(3): back to the start of the directory.
func (d *plainDir) Rewind(DiagnosticFunc) {
	if d.fd < 0 {
		return
	}
	unix.Seek(d.fd, 0, 0)
	d.pos, d.n, d.done = 0, 0, false
}

func (d *plainDir) Close(DiagnosticFunc) {
	if d.fd >= 0 {
		d.f.Close()
		d.fd = -1
	}
}
