package phpstream

import (
	"bytes"
	"errors"
	"sync"
	"syscall"
)

// This file is PHP's directory streams (php_stream_opendir and the "dir"
// ops of main/streams/plain_wrapper.c, userspace.c, ftp_fopen_wrapper.c
// and glob_wrapper.c). A directory handle is a Stream, as in PHP: opendir
// returns a stream resource (get_resource_type says "stream"), the stream
// functions accept it, and they behave on it as PHP's generic layer makes
// them behave on "dir" ops, because the handle goes through that same
// layer (phpio.go) over a dirBacking:
//
//   - readdir is a read of exactly one php_stream_dirent (DirentSize
//     bytes: the name, NUL-terminated; PHP leaves the bytes after the NUL
//     uninitialised, phpsock zeroes them): fread of that length returns
//     such a record, a read of any other length fails (fread and fgets return
//     false, stream_get_contents ""), and each entry read adds DirentSize
//     to ftell (recorded: dir/plain-stream-functions);
//   - the handle is unbuffered, never reaches eof (feof stays false after
//     the last entry), has no stat, no write and no truncate;
//   - any seek is rewinddir: it succeeds, rewinds the listing and leaves
//     ftell alone (recorded: dir/plain-stream-functions); a listing that
//     cannot rewind (ftp://) is not seekable and every seek warns "Stream
//     does not support seeking" (recorded: dir/ftp-rewind).
//
// Where the entries come from is a DirOps: the kernel's getdents order
// for plain directories (dir_unix.go, dir_other.go), a user wrapper's
// dir_* methods (compat implements DirOps for those), an FTP NLST listing
// (ftpdir.go) or a glob(3) match (glob.go). A separate directory type
// would have needed a second copy of the stream functions' rules on it;
// the backing keeps one.

// DirentSize is sizeof(php_stream_dirent) on Linux (MAXPATHLEN): the size
// of one readdir record, and the most of an entry's name PHP keeps is one
// byte less.
const DirentSize = 4096

// dirStreamLabel is the stream_type of a plain directory's stream.
const dirStreamLabel = "dir"

// DirOps is where a directory stream's entries come from, each method
// being an entry of PHP's "dir" php_stream_ops. Every method receives the
// DiagnosticFunc its warnings go to: the stream's. A DirOps that can
// start again also implements DirRewinder.
type DirOps interface {
	// Readdir returns the next entry; ok false is the end of the listing
	// (or a failure: PHP does not tell them apart).
	Readdir(diag DiagnosticFunc) (name string, ok bool)
	// Close releases the listing (closedir).
	Close(diag DiagnosticFunc)
}

// DirRewinder is a DirOps with PHP's rewind op: rewinddir and every seek
// start the listing again. Without it (ftp://) a seek fails and the
// stream is not seekable.
type DirRewinder interface {
	// Rewind starts the listing again.
	Rewind(diag DiagnosticFunc)
}

// DirInfo is what stream_get_meta_data shows of a directory stream.
type DirInfo struct {
	// WrapperType is the wrapper's label ("plainfile", "user-space").
	WrapperType string
	// StreamType is the ops' label: "dir" for plain directories,
	// "user-space-dir", "ftpdir", "glob".
	StreamType string
	// URI is the uri entry; "" leaves it out.
	URI string
	// Data is a user wrapper's wrapper_data (the object); nil: none.
	Data any
}

// errNoDirOpener is a wrapper that cannot open directories (php://,
// data:, http://, compress.zlib://): PHP's "Failed to open directory: not
// implemented" (recorded: dir/not-implemented-wrappers).
var errNoDirOpener = errors.New("not implemented")

// DirOpenError is a failed opendir as PHP reports it: Msg follows "Failed
// to open directory: " in the warning of the opening function.
type DirOpenError struct {
	// Msg is the reason, as PHP words it ("No such file or directory",
	// "not implemented", the wrapper's logged errors).
	Msg string
	// Errno is the C library's errno as PHP's opendir left it, which
	// scandir's second warning shows: a plain directory's opendir(3)
	// failure, EINPROGRESS once ftp:// started a connect (PHP's connects
	// are non-blocking), 0 otherwise; PHP shows whatever an earlier
	// failure left there when nothing of the open set it (recorded:
	// dir/plain-missing, dir/ftp-missing, dir/scandir-errno).
	Errno syscall.Errno
}

func (e *DirOpenError) Error() string { return "Failed to open directory: " + e.Msg }

// ErrEmptyDirPath is opendir of "": PHP fails without a warning
// (php_stream_opendir refuses an empty path first; recorded:
// dir/opendir-empty).
var ErrEmptyDirPath = errors.New("phpstream: empty directory path")

// NewDirStream returns a directory stream over ops, shown as info says;
// diag is the stream's DiagnosticFunc.
func NewDirStream(ops DirOps, info DirInfo, diag DiagnosticFunc) *Stream {
	s := newStream(DefaultProfile, kindBacked, info.URI)
	s.back = &dirBacking{ops: ops, s: s, label: info.StreamType}
	s.isDir = true
	s.origin = origin{wrapperType: info.WrapperType, uri: info.URI, mode: "r"}
	s.userData = info.Data
	s.unbuffered = true
	s.SetDiagnostics(diag)
	return s
}

// OpenDir is PHP's php_stream_opendir with REPORT_ERRORS for the built-in
// wrappers: plain directories (paths and file://), ftp://, ftps:// and
// glob://. A failure is a *DirOpenError (the warning's text; the lookup's
// own warnings went to o.Diagnostics), ErrEmptyDirPath, or ErrUserWrapper
// for a wrapper registered at run time, which the caller opens (with
// NewDirStream).
func OpenDir(url string, o OpenOptions) (*Stream, error) {
	if url == "" {
		return nil, ErrEmptyDirPath
	}
	l, ok := o.Registry.Locate(url, o.Diagnostics, true)
	if !ok {
		return nil, &DirOpenError{Msg: "no suitable wrapper could be found"}
	}
	if l.User != nil {
		return nil, ErrUserWrapper
	}
	info := DirInfo{WrapperType: wrapperLabel(l), StreamType: dirStreamLabel}
	var (
		ops DirOps
		err error
	)
	switch l.Wrapper {
	case "":
		ops, err = openPlainDir(resolvePath(o.Dir, l.Path))
		if err != nil {
			return nil, &DirOpenError{Msg: errnoTextOf(err), Errno: toErrnoAny(err)}
		}
	case "ftp", "ftps":
		ops, err = openFTPDir(url, o)
		info.StreamType = "ftpdir"
	case "glob":
		ops, info, err = openGlobDir(l.Path, o)
	default:
		err = errNoDirOpener
	}
	if err != nil {
		var de *DirOpenError
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, &DirOpenError{Msg: err.Error()}
	}
	return NewDirStream(ops, info, o.Diagnostics), nil
}

// dirBacking is a directory stream's backing (the "dir" ops under PHP's
// generic layer). Its methods run with s.mu held.
type dirBacking struct {
	ops   DirOps
	s     *Stream
	label string
}

var errDirRead = errors.New("phpstream: a directory stream reads whole entries only")

// read is the dir ops' read: one entry as a php_stream_dirent, into a
// buffer of exactly DirentSize bytes; any other size is PHP's -1. The
// end of the listing is a read of nothing without eof.
func (b *dirBacking) read(p []byte) (int, bool, error) {
	if len(p) != DirentSize {
		return 0, false, errDirRead
	}
	name, ok := b.ops.Readdir(b.s.diagnostics())
	if !ok {
		return 0, false, nil
	}
	n := copy(p[:DirentSize-1], name)
	clear(p[n:])
	return DirentSize, false, nil
}

// errNoWriteOp is _php_stream_write meeting ops without a write: PHP's
// notice (recorded: dir/plain-stream-functions, and data: URLs).
var errNoWriteOp = &noticeError{msg: "Stream is not writable"}

func (b *dirBacking) write([]byte) (int, error) { return 0, errNoWriteOp }

// seek is every seek of a directory: a rewind that succeeds and leaves
// the position where it was; without a rewind op, a failure.
func (b *dirBacking) seek(int64, int) (int64, bool) {
	r, ok := b.ops.(DirRewinder)
	if ok {
		r.Rewind(b.s.diagnostics())
	}
	return b.s.position, ok
}

// unseekable is the metadata's seekable false of a listing without a
// rewind op.
func (b *dirBacking) unseekable() bool {
	_, ok := b.ops.(DirRewinder)
	return !ok
}

func (b *dirBacking) stat() (StatInfo, error) { return StatInfo{}, errDirRead }

func (b *dirBacking) close() error {
	b.ops.Close(b.s.diagnostics())
	return nil
}

func (b *dirBacking) streamType() string  { return b.label }
func (b *dirBacking) reportsStatus() bool { return true }

// IsDir reports whether the stream is a directory stream (PHP's
// PHP_STREAM_FLAG_IS_DIR): what readdir, rewinddir and closedir accept.
// It takes no lock, so fclose's check does not wait behind another
// goroutine's read.
func (s *Stream) IsDir() bool { return s.isDir }

// Readdir is PHP's readdir on a directory stream (php_stream_readdir): a
// read of one entry through the stream, so ftell counts it; the name is
// the record's bytes up to its NUL. ok is false at the end of the
// listing, and on a stream that is not a directory.
func (s *Stream) Readdir() (name string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dir := s.back.(*dirBacking); !dir {
		return "", false
	}
	rec := direntPool.Get().(*[DirentSize]byte)
	defer direntPool.Put(rec)
	n, ok := s.read(rec[:])
	if !ok || n != DirentSize {
		return "", false
	}
	if i := bytes.IndexByte(rec[:], 0); i >= 0 {
		return string(rec[:i]), true
	}
	return string(rec[:]), true
}

// direntPool holds the records Readdir reads into.
var direntPool = sync.Pool{New: func() any { return new([DirentSize]byte) }}

// Entries is what scandir reads from an open directory stream: every
// remaining entry, in the stream's order. complete is false when the
// listing went on past MaxDirEntries: PHP reads until its memory_limit
// ends the script (a fatal error), and an FTP server or a user wrapper
// can list without end.
func (s *Stream) Entries() (names []string, complete bool) {
	for len(names) < MaxDirEntries {
		name, ok := s.Readdir()
		if !ok {
			return names, true
		}
		names = append(names, name)
	}
	return names, false
}

// MaxDirEntries bounds the entries Entries (scandir) collects: about what
// PHP's default memory_limit of 128 MiB holds as an array of short names.
const MaxDirEntries = 1 << 20
