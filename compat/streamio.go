package compat

import (
	"errors"
	"fmt"
	"time"
	"unsafe"

	"github.com/phpsock/phpsock/internal/streamhook"
	"github.com/phpsock/phpsock/phpstream"
)

// PHP's functions on open streams. Each checks its arguments as PHP 8.2
// does, then calls the Stream method that implements PHP's semantics.

// sockStream fetches argument i as an open stream resource.
func (c *call) sockStream(i int) (*Resource, error) {
	return c.stream(i, param{name: "stream"})
}

// fwrite(resource $stream, string $data, ?int $length = null): int|false
func fwrite(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	if _, ok := c.arg(0).(*Resource); !ok {
		return nil, c.typeError(1, param{name: "stream"}, "resource", c.arg(0))
	}
	data, _, err := c.str(1, param{name: "data"})
	if err != nil {
		return nil, err
	}
	if c.has(2) {
		n, set, err := c.integer(2, param{name: "length", nullable: true})
		if err != nil {
			return nil, err
		}
		if set {
			if n <= 0 {
				data = ""
			} else if n < int64(len(data)) {
				data = data[:n]
			}
		}
	}
	// PHP returns 0 for nothing to write before it looks at the stream.
	if data == "" {
		return int64(0), nil
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	if r.stream == nil {
		return int64(0), nil
	}
	// Stream.Fwrite neither keeps nor changes p (io.Writer's contract), so
	// the string's bytes go down without a copy.
	n, err := r.stream.Fwrite(unsafe.Slice(unsafe.StringData(data), len(data)))
	if err != nil {
		// A socket's failure carries PHP's notice; a stream that refuses
		// the write (ErrNotWritable) has none.
		var oe *phpstream.OpError
		if errors.As(err, &oe) {
			c.rt.warn(c.fn, ENotice, oe.Text)
		}
		if n == 0 {
			return false, nil
		}
	}
	return int64(n), nil
}

// fread(resource $stream, int $length): string|false
func fread(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	n, _, err := c.integer(1, param{name: "length"})
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($length) must be greater than 0"}
	}
	if n > 1<<31 {
		n = 1 << 31
	}
	b, ok := r.stream.Fread(int(n))
	if !ok {
		return false, nil
	}
	return ownedString(b), nil
}

// fgets(resource $stream, ?int $length = null): string|false
func fgets(c *call) (Value, error) {
	if err := c.arity(1, 2); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	maxlen := int64(0)
	if c.has(1) {
		n, set, err := c.integer(1, param{name: "length", nullable: true})
		if err != nil {
			return nil, err
		}
		if set {
			if n <= 0 {
				return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($length) must be greater than 0"}
			}
			maxlen = min(n, 1<<31)
		}
	}
	line, ok := r.stream.FgetsString(int(maxlen))
	if !ok {
		return false, nil
	}
	return line, nil
}

// fgetc(resource $stream): string|false
func fgetc(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	b, ok := r.stream.Fgetc()
	if !ok {
		return false, nil
	}
	return string([]byte{b}), nil
}

// feof(resource $stream): bool
func feof(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	return r.stream.Feof(), nil
}

// fflush(resource $stream): bool — sockets have nothing to flush.
func fflush(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	if r.stream == nil {
		return true, nil
	}
	return r.stream.Fflush(), nil
}

// stream_get_line(resource $stream, int $length, string $ending = ""): string|false
func streamGetLine(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	n, _, err := c.integer(1, param{name: "length"})
	if err != nil {
		return nil, err
	}
	ending := ""
	if c.has(2) {
		if ending, _, err = c.str(2, param{name: "ending"}); err != nil {
			return nil, err
		}
	}
	if n < 0 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($length) must be greater than or equal to 0"}
	}
	line, ok := r.stream.GetLine(int(min(n, 1<<31)), []byte(ending))
	if !ok {
		return false, nil
	}
	return string(line), nil
}

// stream_get_contents(resource $stream, ?int $length = null, int $offset = -1): string|false
func streamGetContents(c *call) (Value, error) {
	if err := c.arity(1, 3); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	maxlen := int64(-1)
	if c.has(1) {
		n, set, err := c.integer(1, param{name: "length", nullable: true})
		if err != nil {
			return nil, err
		}
		if set {
			maxlen = n
		}
	}
	offset := int64(-1)
	if c.has(2) {
		if offset, _, err = c.integer(2, param{name: "offset"}); err != nil {
			return nil, err
		}
	}
	if maxlen < -1 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($length) must be greater than or equal to -1"}
	}
	if offset >= 0 {
		pos := r.stream.Position()
		ok := true
		if offset > pos {
			// SEEK_CUR, so that streams that cannot seek emulate it.
			ok = c.seek(r.stream, offset-pos, 1)
		} else if offset < pos {
			ok = c.seek(r.stream, offset, 0)
		}
		if !ok {
			c.rt.warn(c.fn, EWarning, fmt.Sprintf("Failed to seek to position %d in the stream", offset))
			return false, nil
		}
	}
	if maxlen > 1<<31 {
		maxlen = 1 << 31
	}
	return string(r.stream.GetContents(int(maxlen))), nil
}

// seek is php_stream_seek with PHP's warning for a stream that cannot.
func (c *call) seek(s *phpstream.Stream, offset int64, whence int) bool {
	ok, unsupported := streamhook.Of(s).SeekPHP(offset, whence)
	if unsupported {
		c.rt.warn(c.fn, EWarning, "Stream does not support seeking")
	}
	return ok
}

// fseek(resource $stream, int $offset, int $whence = SEEK_SET): int
func fseek(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	off, _, err := c.integer(1, param{name: "offset"})
	if err != nil {
		return nil, err
	}
	whence := int64(0)
	if c.has(2) {
		if whence, _, err = c.integer(2, param{name: "whence"}); err != nil {
			return nil, err
		}
	}
	if !c.seek(r.stream, off, int(whence)) {
		return int64(-1), nil
	}
	return int64(0), nil
}

// rewind(resource $stream): bool
func rewind(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	return c.seek(r.stream, 0, 0), nil
}

// ftell(resource $stream): int|false
func ftell(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	// A failed seek leaves PHP's position at -1 (recorded: memory/seek-memory).
	if pos := r.stream.Position(); pos != -1 {
		return pos, nil
	}
	return false, nil
}

// stream_set_timeout(resource $stream, int $seconds, int $microseconds = 0): bool
func streamSetTimeout(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	sec, _, err := c.integer(1, param{name: "seconds"})
	if err != nil {
		return nil, err
	}
	var usec int64
	if c.has(2) {
		if usec, _, err = c.integer(2, param{name: "microseconds"}); err != nil {
			return nil, err
		}
	}
	if res, user := r.stream.SetUserOption(phpstream.OptionReadTimeout, int(sec), usec, false); user {
		return res == phpstream.OptionOK, nil
	}
	if !r.stream.IsSocket() {
		return false, nil // only sockets take PHP_STREAM_OPTION_READ_TIMEOUT
	}
	sec += usec / 1000000
	usec %= 1000000
	// PHP stores the pair; poll() waits forever for a negative total.
	total := time.Duration(sec)*time.Second + time.Duration(usec)*time.Microsecond
	if sec < 0 || total < 0 {
		total = -1
	}
	r.stream.SetTimeout(total)
	return true, nil
}

// stream_set_blocking(resource $stream, bool $enable): bool
func streamSetBlocking(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	on, _, err := c.boolean(1, param{name: "enable"})
	if err != nil {
		return nil, err
	}
	value := 0
	if on {
		value = 1
	}
	if res, user := r.stream.SetUserOption(phpstream.OptionBlocking, value, 0, true); user {
		return res != phpstream.OptionErr, nil
	}
	r.stream.SetBlocking(on)
	return true, nil
}

// stream_set_chunk_size(resource $stream, int $size): int
func streamSetChunkSize(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	n, _, err := c.integer(1, param{name: "size"})
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($size) must be greater than 0"}
	}
	if n > 1<<31-1 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($size) must be less than or equal to 2147483647"}
	}
	return int64(r.stream.SetChunkSize(int(n))), nil
}

// stream_set_read_buffer(resource $stream, int $size): int
func streamSetReadBuffer(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	n, _, err := c.integer(1, param{name: "size"})
	if err != nil {
		return nil, err
	}
	if res, user := r.stream.SetUserOption(phpstream.OptionReadBuffer, bufferMode(n), bufferSize(n), false); user {
		return bufferResult(res), nil
	}
	r.stream.SetReadBuffering(n != 0)
	return int64(0), nil
}

// stream_set_write_buffer(resource $stream, int $size): int — socket
// streams have no write buffer to set: PHP returns -1 (EOF).
func streamSetWriteBuffer(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	n, _, err := c.integer(1, param{name: "size"})
	if err != nil {
		return nil, err
	}
	if res, user := r.stream.SetUserOption(phpstream.OptionWriteBuffer, bufferMode(n), bufferSize(n), false); user {
		return bufferResult(res), nil
	}
	return int64(-1), nil
}

// stream_socket_shutdown(resource $stream, int $mode): bool
func streamSocketShutdown(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	how, _, err := c.integer(1, param{name: "mode"})
	if err != nil {
		return nil, err
	}
	if how < 0 || how > 2 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($mode) must be one of STREAM_SHUT_RD, STREAM_SHUT_WR, or STREAM_SHUT_RDWR"}
	}
	return r.stream.Shutdown(int(how)) == nil, nil
}

// stream_is_local(resource|string $stream): bool — a socket stream is not local.
func streamIsLocal(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	switch v := c.arg(0).(type) {
	case *Resource:
		r, err := c.sockStream(0)
		if err != nil {
			return nil, err
		}
		if r.stream == nil || r.stream.IsSocket() {
			return false, nil // a socket has no wrapper: not local
		}
		if u, ok := r.stream.Ops().(*userOps); ok {
			return !u.w.isURL, nil // asks the stream nothing (recorded: userwrapper/is-local)
		}
		return c.urlIsLocal(r.stream.Meta().URI), nil // its wrapper's is_url
	case *Array:
		// try_convert_to_string: PHP's warning, then the string "Array".
		return c.urlIsLocal(c.toString(v)), nil
	case *Object:
		return nil, &Error{Class: "Error", Message: "Object of class " + v.Class + " could not be converted to string"}
	default:
		// The parameter is a zval converted with try_convert_to_string, not
		// a typed string: null and false are "" without a deprecation
		// (recorded: resource/false-everywhere, resource/null-everywhere).
		u, _, err := c.str(0, param{name: "stream", nullable: true})
		if err != nil {
			return nil, err
		}
		return c.urlIsLocal(u), nil
	}
}

// urlIsLocal is stream_is_local for a path (phpstream.IsLocalURL).
func (c *call) urlIsLocal(u string) bool {
	if w, ok := c.userWrapperOf(u); ok {
		return !w.isURL // the flags it was registered with
	}
	return phpstream.IsLocalURL(u, c.diagnostics())
}

// stream_isatty(resource $stream): bool — PHP casts the stream to a
// descriptor twice, warning each time about bytes in its read buffer.
func streamIsatty(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	if n := r.stream.Meta().UnreadBytes; n > 0 {
		msg := fmt.Sprintf("%d bytes of buffered data lost during stream conversion!", n)
		c.rt.warn(c.fn, EWarning, msg)
		c.rt.warn(c.fn, EWarning, msg)
	}
	return false, nil
}

// stream_supports_lock(resource $stream): bool
func streamSupportsLock(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	return r.Stream().SupportsLock(), nil
}

// ownedString returns b, which nothing else refers to or will change (a
// result of Stream.Fread), as a string without copying it. A slice using
// less than half its array is copied instead, so that a short read into a
// large buffer does not keep the whole buffer alive.
func ownedString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(b) > 2*len(b) {
		return string(b)
	}
	return unsafe.String(&b[0], len(b))
}
