package phpstream

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/phpsock/phpsock/errno"
)

// fileBacking is PHP's plain files stream (php_stream_stdio_ops on a
// descriptor): reads and writes are the descriptor's, a failing one raises
// PHP's notice ("Read of N bytes failed with errno=9 Bad file
// descriptor"), a seek is lseek's (past the end allowed; a failed one
// leaves the position), stat is fstat's.
type fileBacking struct {
	f *os.File
	// noSeek marks a pipe or character device (php://stdin and the like):
	// PHP_STREAM_FLAG_NO_SEEK.
	noSeek bool
}

func (b *fileBacking) unseekable() bool { return b.noSeek }

// noticeError is a failure PHP reports with a notice (or, marked so, a
// warning) and -1; it goes to the diagnostics of the call that met it.
type noticeError struct {
	msg     string
	err     syscall.Errno
	warning bool // raised as a warning, not a notice
}

func (e *noticeError) Error() string { return e.msg }
func (e *noticeError) Unwrap() error { return e.err }

func ioNotice(op string, count int, err error) error {
	var e syscall.Errno
	if !errors.As(err, &e) {
		e = syscall.EIO
	}
	return &noticeError{msg: fmt.Sprintf("%s of %d bytes failed with errno=%d %s", op, count, int(e), errno.Message(e)), err: e}
}

func (b *fileBacking) read(p []byte) (int, bool, error) {
	n, err := b.f.Read(p)
	switch {
	case n > 0:
		return n, false, nil
	case err == nil || err == io.EOF:
		return 0, true, nil
	}
	// PHP sets eof on every failure but EBADF (recorded: file/writeonly-read).
	nerr := ioNotice("Read", len(p), err)
	return 0, !errors.Is(err, syscall.EBADF), nerr
}

func (b *fileBacking) write(p []byte) (int, error) {
	n, err := b.f.Write(p)
	if err != nil && n == 0 {
		return 0, ioNotice("Write", len(p), err)
	}
	return n, nil
}

func (b *fileBacking) seek(offset int64, whence int) (int64, bool) {
	pos, err := b.f.Seek(offset, whence)
	if err != nil {
		cur, _ := b.f.Seek(0, io.SeekCurrent)
		return cur, false
	}
	return pos, true
}

// selectable is the file's descriptor, which stream_select polls (a
// regular file is always ready; recorded: select/plain-file).
func (b *fileBacking) selectable() (syscall.RawConn, error) { return b.f.SyscallConn() }

func (b *fileBacking) stat() (StatInfo, error) {
	rc, err := b.f.SyscallConn()
	if err != nil {
		return StatInfo{}, err
	}
	var st StatInfo
	var serr error
	if err := rc.Control(func(fd uintptr) { st, serr = fstatFD(fd) }); err != nil {
		return StatInfo{}, err
	}
	return st, serr
}

// truncate is ftruncate(2) (PHP_STREAM_TRUNCATE_SET_SIZE).
func (b *fileBacking) truncate(size int64) error { return b.f.Truncate(size) }

func (b *fileBacking) close() error       { return b.f.Close() }
func (b *fileBacking) streamType() string { return "STDIO" }
func (b *fileBacking) reportsStatus() bool {
	return true
}

// fopenFlags is php_stream_parse_fopen_modes: the open(2) flags of a PHP
// mode ("r", "w+", "xb", "c+e"...); ok is false for a mode PHP refuses.
func fopenFlags(mode string) (flags int, ok bool) {
	if mode == "" {
		return 0, false
	}
	switch mode[0] {
	case 'r':
		flags = 0
	case 'w':
		flags = os.O_TRUNC | os.O_CREATE
	case 'a':
		flags = os.O_CREATE | os.O_APPEND
	case 'x':
		flags = os.O_CREATE | os.O_EXCL
	case 'c':
		flags = os.O_CREATE
	default:
		return 0, false
	}
	switch {
	case containsByte(mode, '+'):
		flags |= os.O_RDWR
	case flags != 0:
		flags |= os.O_WRONLY
	default:
		flags |= os.O_RDONLY
	}
	if containsByte(mode, 'n') {
		flags |= syscall.O_NONBLOCK
	}
	return flags, true
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// openPlainFile is the plain files wrapper's open (php_stream_fopen_rel):
// path relative to dir, PHP's mode, permissions 0666 less the umask. The
// stream is buffered, as PHP's plain files are; uri is the name as given.
func openPlainFile(uri, path, dir, mode string) (*Stream, error) {
	flags, ok := fopenFlags(mode)
	if !ok {
		return nil, &OpenError{Msg: "`" + mode + "' is not a valid mode for fopen"}
	}
	f, err := os.OpenFile(resolvePath(dir, path), flags|syscall.O_CLOEXEC, 0o666)
	if err != nil {
		return nil, err
	}
	s := newBackedStream(&fileBacking{f: f}, origin{wrapperType: "plainfile", uri: uri, mode: mode})
	s.unbuffered = false
	if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
		s.position = pos // 0, or the end for "a": PHP reads the descriptor's offset
	}
	return s, nil
}

// resolvePath is path as PHP opens it from the working directory dir
// ("" is the process's).
func resolvePath(dir, path string) string {
	if dir == "" || path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}
