package compat

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/phpsock/phpsock/internal/phpvalue"
	"github.com/phpsock/phpsock/phpstream"
)

// PHP's functions on files and URLs as a whole (ext/standard/file.c and
// filestat.c), over the wrappers phpstream opens.

func init() {
	for name, f := range map[string]func(*call) (Value, error){
		"file_get_contents": fileGetContents, "file_put_contents": filePutContents, "file": fileFn,
		"readfile": readfile, "fpassthru": fpassthru, "copy": copyFn, "stream_copy_to_stream": streamCopyToStream,
		"ftruncate": ftruncate, "unlink": unlink, "rename": rename, "mkdir": mkdir, "rmdir": rmdir,
		"file_exists": fileExists, "is_file": isFile, "is_dir": isDir, "filesize": filesize,
		"stream_get_wrappers": streamGetWrappers,
	} {
		functions[name] = f
	}
}

// PHP's flags of file() and file_put_contents(), as the int64 they are parsed to.
const (
	fileUseIncludePath   = int64(FILE_USE_INCLUDE_PATH)
	fileIgnoreNewLines   = int64(FILE_IGNORE_NEW_LINES)
	fileSkipEmptyLines   = int64(FILE_SKIP_EMPTY_LINES)
	fileAppend           = int64(FILE_APPEND)
	fileNoDefaultContext = int64(FILE_NO_DEFAULT_CONTEXT)
	lockEx               = int64(LOCK_EX)
)

// optContext parses an optional ?resource $context argument at i.
func (c *call) optContext(i int) error {
	if c.has(i) {
		r, err := c.context(i, param{name: "context"})
		c.openCtx = r
		return err
	}
	return nil
}

// urlArgs parses the ($filename, $use_include_path = false, ?$context =
// null) that file_get_contents and readfile start with.
func (c *call) urlArgs() (string, error) {
	filename, err := c.path(0, "filename")
	if err != nil {
		return "", err
	}
	if c.has(1) {
		if _, _, err := c.boolean(1, param{name: "use_include_path"}); err != nil {
			return "", err
		}
	}
	return filename, c.optContext(2)
}

// file_get_contents(string $filename, bool $use_include_path = false,
// ?resource $context = null, int $offset = 0, ?int $length = null): string|false
func fileGetContents(c *call) (Value, error) {
	if err := c.arity(1, 5); err != nil {
		return nil, err
	}
	filename, err := c.urlArgs()
	if err != nil {
		return nil, err
	}
	var offset int64
	if c.has(3) {
		if offset, _, err = c.integer(3, param{name: "offset"}); err != nil {
			return nil, err
		}
	}
	maxlen, haveLen := int64(-1), false
	if c.has(4) {
		if maxlen, haveLen, err = c.integer(4, param{name: "length", nullable: true}); err != nil {
			return nil, err
		}
		if !haveLen {
			maxlen = -1
		} else if maxlen < 0 {
			return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #5 ($length) must be greater than or equal to 0"}
		}
	}
	s, v, err := c.openURL(filename, "rb")
	if s == nil {
		return v, err
	}
	defer s.Close()
	if s.UserData() == nil && s.Meta().StreamType == "STDIO" {
		// PHP reads a plain file unbuffered, in one read where it can.
		s.SetReadBuffering(false)
	}
	if offset != 0 {
		whence := 0
		if offset < 0 {
			whence = 2
		}
		if !c.seek(s, offset, whence) { // a socket warns first (recorded: http/fn-offset)
			c.rt.warn(c.fn, EWarning, fmt.Sprintf("Failed to seek to position %d in the stream", offset))
			return false, nil
		}
	}
	out := s.GetContents(int(min(maxlen, 1<<31)))
	return string(out), nil
}

// file_put_contents(string $filename, mixed $data, int $flags = 0,
// ?resource $context = null): int|false
func filePutContents(c *call) (Value, error) {
	if err := c.arity(2, 4); err != nil {
		return nil, err
	}
	filename, err := c.path(0, "filename")
	if err != nil {
		return nil, err
	}
	data := c.arg(1)
	var src *Resource
	if r, ok := data.(*Resource); ok {
		if err := c.validStream(r); err != nil {
			return nil, err
		}
		src = r
	}
	var flags int64
	if c.has(2) {
		if flags, _, err = c.integer(2, param{name: "flags"}); err != nil {
			return nil, err
		}
	}
	if err := c.optContext(3); err != nil {
		return nil, err
	}
	mode := "wb"
	switch {
	case flags&fileAppend != 0:
		mode = "ab"
	case flags&lockEx != 0:
		// PHP looks for "://" anywhere (data: is let through, then has no
		// lock: recorded file/put-contents-lock-ex-wrappers).
		if strings.Contains(filename, "://") && !hasFilePrefix(filename) {
			c.rt.warn(c.fn, EWarning, "Exclusive locks may only be set for regular files")
			return false, nil
		}
		mode = "cb"
	}
	s, v, err := c.openURL(filename, mode)
	if s == nil {
		return v, err
	}
	defer s.Close()
	if flags&lockEx != 0 && s.Flock(phpstream.LockExclusive) != nil {
		c.rt.warn(c.fn, EWarning, "Exclusive locks are not supported for this stream")
		return false, nil
	}
	if mode == "cb" {
		s.Truncate(0)
	}
	numbytes := int64(0)
	write := func(b string) bool {
		n, err := s.Fwrite([]byte(b))
		return err == nil && n == len(b)
	}
	switch t := data.(type) {
	case *Resource:
		n, err := s.CopyFrom(src.stream, -1)
		if err != nil {
			return false, nil
		}
		numbytes = n
	case nil, bool, int64, float64, string:
		str := c.toString(t)
		if str != "" {
			n, err := s.Fwrite([]byte(str))
			switch {
			case err != nil && n == 0:
				numbytes = -1
			case n != len(str):
				c.rt.warn(c.fn, EWarning, fmt.Sprintf("Only %d of %d bytes written, possibly out of free disk space", n, len(str)))
				numbytes = -1
			default:
				numbytes = int64(n)
			}
		}
	case *Array:
		for i := 0; i < t.Len(); i++ {
			_, e := t.At(i)
			str := c.toString(Deref(e))
			if str == "" {
				continue
			}
			numbytes += int64(len(str))
			if !write(str) {
				c.rt.warn(c.fn, EWarning, fmt.Sprintf("Failed to write %d bytes to %s", len(str), filename))
				numbytes = -1
				break
			}
		}
	default:
		numbytes = -1
	}
	if numbytes < 0 {
		return false, nil
	}
	return numbytes, nil
}

// toString is PHP's conversion of a value to string where a function
// converts it itself (zval_get_string): an array is "Array" with PHP's
// warning (recorded: file/put-contents-array-elements,
// resource/is-local-scalars), a resource "Resource id #N".
func (c *call) toString(v Value) string {
	switch t := v.(type) {
	case *Array:
		c.rt.emit(Diagnostic{Level: EWarning, Message: "Array to string conversion"})
		return "Array"
	case *Resource:
		return "Resource id #" + itoa(t.ID())
	}
	return phpvalue.String(v)
}

func hasFilePrefix(s string) bool { return len(s) >= 7 && strings.EqualFold(s[:7], "file://") }

// file(string $filename, int $flags = 0, ?resource $context = null): array|false
func fileFn(c *call) (Value, error) {
	if err := c.arity(1, 3); err != nil {
		return nil, err
	}
	filename, err := c.path(0, "filename")
	if err != nil {
		return nil, err
	}
	var flags int64
	if c.has(1) {
		if flags, _, err = c.integer(1, param{name: "flags"}); err != nil {
			return nil, err
		}
	}
	// Every parameter is parsed before the flags are checked (recorded:
	// args/odd-values-file).
	if err := c.optContext(2); err != nil {
		return nil, err
	}
	if flags < 0 || flags > fileUseIncludePath|fileIgnoreNewLines|fileSkipEmptyLines|fileNoDefaultContext {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($flags) must be a valid flag value"}
	}
	s, v, err := c.openURL(filename, "rb")
	if s == nil {
		return v, err
	}
	defer s.Close()
	data := s.GetContents(-1)
	return splitLines(data, flags&fileIgnoreNewLines == 0, flags&fileSkipEmptyLines != 0), nil
}

// splitLines is file()'s split of data into lines: with their "\n" kept,
// or without it (and without a "\r" before it) and, then only, blank lines
// skipped; a last line without "\n" is kept as it is.
func splitLines(data []byte, keepNewLines, skipEmpty bool) *Array {
	out := NewArray()
	s := 0
	for p := 0; p < len(data); p++ {
		if data[p] != '\n' {
			continue
		}
		switch {
		case keepNewLines:
			out.Append(string(data[s : p+1]))
		default:
			end := p
			if p > 0 && data[p-1] == '\r' {
				end--
			}
			if !(skipEmpty && end <= s) {
				out.Append(string(data[s:max(end, s)]))
			}
		}
		s = p + 1
	}
	if s < len(data) {
		out.Append(string(data[s:]))
	}
	return out
}

// readfile(string $filename, bool $use_include_path = false, ?resource
// $context = null): int|false — the bytes go to the runtime's output
// (SetOutput).
func readfile(c *call) (Value, error) {
	if err := c.arity(1, 3); err != nil {
		return nil, err
	}
	filename, err := c.urlArgs()
	if err != nil {
		return nil, err
	}
	s, v, err := c.openURL(filename, "rb")
	if s == nil {
		return v, err
	}
	defer s.Close()
	n := s.Passthru(c.rt.output())
	return n, nil
}

// fpassthru(resource $stream): int
func fpassthru(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	return r.stream.Passthru(c.rt.output()), nil
}

// fromToArgs parses the ($from, $to, ?$context = null) of copy and rename.
func (c *call) fromToArgs() (from, to string, err error) {
	if from, err = c.path(0, "from"); err != nil {
		return "", "", err
	}
	if to, err = c.path(1, "to"); err != nil {
		return "", "", err
	}
	return from, to, c.optContext(2)
}

// copy(string $from, string $to, ?resource $context = null): bool
func copyFn(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	from, to, err := c.fromToArgs()
	if err != nil {
		return nil, err
	}
	// copy() looks the source's wrapper up for its open_basedir check
	// before php_copy_file_ctx looks it up again to stat and to open it:
	// an unknown scheme warns three times (recorded: file/copy-unknown-wrapper).
	c.rt.wrapperTable().Locate(from, c.diagnostics(), false)
	// php_copy_file_ctx: a source or target that can be stat'ed must not
	// be a directory (the same file is not copied onto itself); one that
	// cannot is copied anyway.
	if st, err := c.urlStat(from, 0); err == nil {
		if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
			c.rt.warn(c.fn, EWarning, "The first argument to copy() function cannot be a directory")
			return false, nil
		}
		if dt, err := c.urlStat(to, STREAM_URL_STAT_QUIET); err == nil {
			if dt.Mode&syscall.S_IFMT == syscall.S_IFDIR {
				c.rt.warn(c.fn, EWarning, "The second argument to copy() function cannot be a directory")
				return false, nil
			}
			if st.Ino != 0 && dt.Ino != 0 && st.Ino == dt.Ino && st.Dev == dt.Dev {
				return false, nil
			}
		}
	}
	src, v, err := c.openURL(from, "rb")
	if src == nil {
		return v, err
	}
	dst, v, err := c.openURL(to, "wb")
	if dst == nil {
		src.Close()
		return v, err
	}
	_, cerr := dst.CopyFrom(src, -1)
	// php_copy_file_ctx closes the source first, then the target
	// (recorded: userwrapper/log-file-functions).
	src.Close()
	dst.Close()
	return cerr == nil, nil
}

// stream_copy_to_stream(resource $from, resource $to, ?int $length = null,
// int $offset = 0): int|false
func streamCopyToStream(c *call) (Value, error) {
	if err := c.arity(2, 4); err != nil {
		return nil, err
	}
	src, err := c.stream(0, param{name: "from"})
	if err != nil {
		return nil, err
	}
	dst, err := c.stream(1, param{name: "to"})
	if err != nil {
		return nil, err
	}
	maxlen := int64(-1)
	if c.has(2) {
		n, set, err := c.integer(2, param{name: "length", nullable: true})
		if err != nil {
			return nil, err
		}
		if set {
			maxlen = n
		}
	}
	var offset int64
	if c.has(3) {
		if offset, _, err = c.integer(3, param{name: "offset"}); err != nil {
			return nil, err
		}
	}
	if offset > 0 {
		if !c.seek(src.stream, offset, 0) { // recorded: file/truncate-socket
			c.rt.warn(c.fn, EWarning, fmt.Sprintf("Failed to seek to position %d in the stream", offset))
			return false, nil
		}
	}
	n, err := dst.stream.CopyFrom(src.stream, maxlen)
	c.rt.raiseQueued(c.fn, src) // before this call's own warnings
	c.rt.raiseQueued(c.fn, dst)
	if err != nil {
		return false, nil
	}
	return n, nil
}

// ftruncate(resource $stream, int $size): bool
func ftruncate(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	if _, ok := c.arg(0).(*Resource); !ok {
		return nil, c.typeError(1, param{name: "stream"}, "resource", c.arg(0))
	}
	size, _, err := c.integer(1, param{name: "size"})
	if err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($size) must be greater than or equal to 0"}
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	switch err := r.stream.Truncate(size); {
	case errors.Is(err, phpstream.ErrNoTruncate):
		c.rt.warn(c.fn, EWarning, "Can't truncate this stream!")
		return false, nil
	case err != nil:
		return false, nil
	}
	return true, nil
}

// unlink(string $filename, ?resource $context = null): bool
func unlink(c *call) (Value, error) {
	path, err := c.pathOpArgs("filename")
	if err != nil {
		return nil, err
	}
	return phpstream.Unlink(path, c.wrapperOptions(path, false)) == nil, nil
}

// rmdir(string $directory, ?resource $context = null): bool
func rmdir(c *call) (Value, error) {
	path, err := c.pathOpArgs("directory")
	if err != nil {
		return nil, err
	}
	return phpstream.Rmdir(path, c.wrapperOptions(path, false)) == nil, nil
}

// pathOpArgs parses the (path, ?$context = null) of unlink and rmdir.
func (c *call) pathOpArgs(name string) (string, error) {
	if err := c.arity(1, 2); err != nil {
		return "", err
	}
	path, err := c.path(0, name)
	if err != nil {
		return "", err
	}
	return path, c.optContext(1)
}

// rename(string $from, string $to, ?resource $context = null): bool
func rename(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	from, to, err := c.fromToArgs()
	if err != nil {
		return nil, err
	}
	return phpstream.Rename(from, to, c.wrapperOptions(from, false)) == nil, nil
}

// mkdir(string $directory, int $permissions = 0777, bool $recursive =
// false, ?resource $context = null): bool
func mkdir(c *call) (Value, error) {
	if err := c.arity(1, 4); err != nil {
		return nil, err
	}
	path, err := c.path(0, "directory")
	if err != nil {
		return nil, err
	}
	perm := int64(0o777)
	if c.has(1) {
		if perm, _, err = c.integer(1, param{name: "permissions"}); err != nil {
			return nil, err
		}
	}
	recursive := false
	if c.has(2) {
		if recursive, _, err = c.boolean(2, param{name: "recursive"}); err != nil {
			return nil, err
		}
	}
	if err := c.optContext(3); err != nil {
		return nil, err
	}
	return phpstream.Mkdir(path, uint32(perm), recursive, c.wrapperOptions(path, false)) == nil, nil
}

// stream_get_wrappers(): array
func streamGetWrappers(c *call) (Value, error) {
	if err := c.arity(0, 0); err != nil {
		return nil, err
	}
	return NewList(stringsToValues(c.rt.wrapperTable().Names())...), nil
}

func stringsToValues(ss []string) []Value {
	out := make([]Value, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
