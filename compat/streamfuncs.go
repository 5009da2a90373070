package compat

import (
	"errors"
	"fmt"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

// stream_get_transports(): array
func streamGetTransports(c *call) (Value, error) {
	if err := c.arity(0, 0); err != nil {
		return nil, err
	}
	out := NewArray()
	for _, t := range c.rt.profile.Transports {
		out.Append(t)
	}
	return out, nil
}

// get_resource_type(resource $resource): string
func getResourceType(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, ok := c.arg(0).(*Resource)
	if !ok {
		return nil, c.typeError(1, param{name: "resource"}, "resource", c.arg(0))
	}
	return r.Type(), nil
}

// is_resource(mixed $value): bool — false for closed resources.
func isResource(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, ok := c.arg(0).(*Resource)
	return ok && !r.closed, nil
}

// fclose(resource $stream): bool
func fclose(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.stream(0, param{name: "stream"})
	if err != nil {
		return nil, err
	}
	if r.persistent {
		c.rt.mu.Lock()
		if c.rt.persistent[r.key] == r {
			delete(c.rt.persistent, r.key)
		}
		c.rt.mu.Unlock()
	}
	r.close()
	return true, nil
}

// fwrite(resource $stream, string $data, ?int $length = null): int|false
func fwrite(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	r, err := c.stream(0, param{name: "stream"})
	if err != nil {
		return nil, err
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
				return int64(0), nil
			}
			if n < int64(len(data)) {
				data = data[:n]
			}
		}
	}
	if data == "" {
		return int64(0), nil
	}
	n, err := r.stream.Fwrite([]byte(data))
	if err != nil {
		var oe *phpstream.OpError
		if errors.As(err, &oe) {
			c.rt.warn(c.fn, ENotice, fmt.Sprintf("Send of %d bytes failed with errno=%d %s", len(data), int(oe.Errno), oe.Text))
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
	r, err := c.stream(0, param{name: "stream"})
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
	if n > 1<<30 {
		n = 1 << 30
	}
	b, err := r.stream.Fread(int(n))
	if err != nil {
		if errors.Is(err, phpstream.ErrNotConnected) {
			return false, nil
		}
		return false, nil
	}
	return string(b), nil
}

// stream_get_meta_data(resource $stream): array
func streamGetMetaData(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.stream(0, param{name: "stream"})
	if err != nil {
		return nil, err
	}
	m := r.stream.Meta()
	out := NewArray()
	out.Set("timed_out", m.TimedOut)
	out.Set("blocked", m.Blocked)
	out.Set("eof", m.EOF)
	out.Set("stream_type", m.StreamType)
	out.Set("mode", m.Mode)
	out.Set("unread_bytes", int64(m.UnreadBytes))
	out.Set("seekable", m.Seekable)
	return out, nil
}

// stream_set_timeout(resource $stream, int $seconds, int $microseconds = 0): bool
func streamSetTimeout(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	r, err := c.stream(0, param{name: "stream"})
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
	sec += usec / 1000000
	usec %= 1000000
	if sec < 0 || usec < 0 {
		r.stream.SetTimeout(-1)
	} else {
		r.stream.SetTimeout(time.Duration(sec)*time.Second + time.Duration(usec)*time.Microsecond)
	}
	return true, nil
}

// stream_socket_get_name(resource $socket, bool $remote): string|false
func streamSocketGetName(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	r, err := c.stream(0, param{name: "socket"})
	if err != nil {
		return nil, err
	}
	remote, _, err := c.boolean(1, param{name: "remote"})
	if err != nil {
		return nil, err
	}
	if name, ok := r.stream.SocketName(remote); ok {
		return name, nil
	}
	return false, nil
}
