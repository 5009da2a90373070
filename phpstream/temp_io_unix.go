//go:build unix

package phpstream

import (
	"os"
	"runtime"
	"syscall"
)

// The spilled php://temp file is read and written with read(2) and
// write(2) on its descriptor: a regular file never waits on the poller, and
// os.File's locking and bookkeeping around each call cost a tenth of an
// 8 KiB write, which a loop of fwrite and fread on php://temp pays
// (tools/perf/tempbulk).

// fileWriteAll is os.File.Write: all of p, retrying on EINTR.
func fileWriteAll(f *os.File, fd int, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := syscall.Write(fd, p[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			runtime.KeepAlive(f)
			return n, &os.PathError{Op: "write", Path: f.Name(), Err: err}
		}
		n += m
	}
	runtime.KeepAlive(f)
	return n, nil
}

// fileReadFull reads until p is full or the end of the file (eof).
func fileReadFull(f *os.File, fd int, p []byte) (n int, eof bool, err error) {
	for n < len(p) {
		m, err := syscall.Read(fd, p[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			runtime.KeepAlive(f)
			return n, true, &os.PathError{Op: "read", Path: f.Name(), Err: err}
		}
		if m == 0 {
			runtime.KeepAlive(f)
			return n, true, nil
		}
		n += m
	}
	runtime.KeepAlive(f)
	return n, false, nil
}

// fileDescriptor is f's descriptor for fileWriteAll and fileReadFull.
func fileDescriptor(f *os.File) int { return int(f.Fd()) }
