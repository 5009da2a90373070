package phpstream

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
)

// This file is the php:// streams that are not memory: php://input (the
// request body, empty for the CLI), php://output (PHP's output, written
// to OpenOptions.Output), and php://stdin, php://stdout, php://stderr and
// php://fd/N, each a duplicate of the process's descriptor, as PHP's CLI
// opens them (php_stream_url_wrap_php).

// openPHPStdio opens the php:// name in path (without "php://"); ok is
// false for a name this file does not have.
func openPHPStdio(url, path, mode string, o OpenOptions) (s *Stream, err error, ok bool) {
	switch {
	case strings.EqualFold(path, "input"):
		// The CLI has no request body: php://input is always empty, read
		// only, and reports mode "rb" whatever was asked (recorded:
		// memory/php-input).
		return newBackedStream(&inputBacking{}, origin{wrapperType: "PHP", uri: url, mode: "rb"}), nil, true
	case strings.EqualFold(path, "output"):
		return newBackedStream(&outputBacking{w: o.Output}, origin{wrapperType: "PHP", uri: url, mode: "wb"}), nil, true
	case strings.EqualFold(path, "stdin"):
		s, err := openDupFD(url, mode, 0)
		return s, err, true
	case strings.EqualFold(path, "stdout"):
		s, err := openDupFD(url, mode, 1)
		return s, err, true
	case strings.EqualFold(path, "stderr"):
		s, err := openDupFD(url, mode, 2)
		return s, err, true
	case hasPrefixFold(path, "fd/"):
		// strtol's reading, and nothing after it (recorded: memory/php-fd-forms).
		n, rest, digits := strtolEnd(path[3:])
		if !digits || rest != "" {
			return nil, &OpenError{Msg: "php://fd/ stream must be specified in the form php://fd/<orig fd>"}, true
		}
		if limit := descriptorLimit(); n < 0 || n >= limit {
			return nil, &OpenError{Msg: "The file descriptors must be non-negative numbers smaller than " + strconv.FormatInt(limit, 10)}, true
		}
		s, err := openDupFD(url, mode, int(n))
		return s, err, true
	}
	return nil, nil, false
}

// openDupFD is a stream over a duplicate of the process's descriptor fd,
// as PHP's CLI makes one: STDIO, the mode as given, not seekable (and at
// position -1) on a pipe or character device.
func openDupFD(url, mode string, fd int) (*Stream, error) {
	f, errno := dupFD(fd)
	if f == nil {
		return nil, &OpenError{Msg: "Error duping file descriptor " + strconv.Itoa(fd) + "; possibly it doesn't exist: [" + strconv.Itoa(int(errno)) + "]: " + errnoText(errno)}
	}
	b := &fileBacking{f: f, noSeek: !seekableFile(f)}
	s := newBackedStream(b, origin{wrapperType: "PHP", uri: url, mode: mode})
	s.unbuffered = false
	if b.noSeek {
		s.position = -1
	} else if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
		s.position = pos
	}
	return s, nil
}

// seekableFile is PHP's detect_is_seekable: anything but a pipe or a
// character device.
func seekableFile(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&(os.ModeNamedPipe|os.ModeCharDevice) == 0
}

// errWriteFails and errNoStat are the -1 of a backing without a write or
// a stat operation.
var (
	errWriteFails = errors.New("phpstream: the stream has no write")
	errNoStat     = errors.New("phpstream: the stream has no fstat")
)

// inputBacking is php://input without a request body: reads end at once,
// writes fail, seeks are those of an empty memory stream.
type inputBacking struct{ body memoryBacking }

func (b *inputBacking) read(p []byte) (int, bool, error) { return 0, true, nil }
func (b *inputBacking) write(p []byte) (int, error)      { return 0, errWriteFails }
func (b *inputBacking) seek(offset int64, whence int) (int64, bool) {
	return b.body.seek(offset, whence)
}
func (b *inputBacking) stat() (StatInfo, error) { return StatInfo{}, errNoStat }
func (b *inputBacking) close() error            { return nil }
func (b *inputBacking) flush() bool             { return false }
func (b *inputBacking) streamType() string      { return "Input" }
func (b *inputBacking) reportsStatus() bool     { return true }

// outputBacking is php://output: writes go to PHP's output (w; nil
// discards), reads fail and end the stream, and it cannot seek.
type outputBacking struct{ w io.Writer }

func (b *outputBacking) read(p []byte) (int, bool, error) { return 0, true, errNotReadable }
func (b *outputBacking) write(p []byte) (int, error) {
	if b.w != nil {
		b.w.Write(p) // PHP's output layer reports no failure to the stream
	}
	return len(p), nil
}
func (b *outputBacking) seek(offset int64, whence int) (int64, bool) { return -1, false }
func (b *outputBacking) stat() (StatInfo, error)                     { return StatInfo{}, errNoStat }
func (b *outputBacking) close() error                                { return nil }
func (b *outputBacking) streamType() string                          { return "Output" }
func (b *outputBacking) reportsStatus() bool                         { return true }
func (b *outputBacking) unseekable() bool                            { return true }
