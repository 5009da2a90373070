package compat

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"

	"github.com/phpsock/phpsock/errno"
	"github.com/phpsock/phpsock/phpstream"
)

// stream_socket_recvfrom, stream_socket_sendto and stream_socket_pair:
// the transport operations that bypass PHP's read buffer.

func init() {
	functions["stream_socket_recvfrom"] = streamSocketRecvfrom
	functions["stream_socket_sendto"] = streamSocketSendto
	functions["stream_socket_pair"] = streamSocketPair
}

// maxRecv bounds the buffer of one stream_socket_recvfrom: PHP allocates
// $length bytes; one recv never returns more than a socket holds.
const maxRecv = 16 << 20

// xportStream is Z_PARAM_RESOURCE's type check of argument i; the stream
// itself is fetched (validStream) after all parameters are parsed.
func (c *call) xportResource(i int) (*Resource, error) {
	r, ok := c.arg(i).(*Resource)
	if !ok {
		return nil, c.typeError(i+1, param{name: "socket"}, "resource", c.arg(i))
	}
	return r, nil
}

// validStream is php_stream_from_zval.
func (c *call) validStream(r *Resource) error {
	if r.closed.Load() || r.kind != kindStream {
		return &Error{Class: "TypeError", Message: c.fn + "(): supplied resource is not a valid stream resource"}
	}
	return nil
}

// stream_socket_recvfrom(resource $socket, int $length, int $flags = 0,
// string &$address = null): string|false
func streamSocketRecvfrom(c *call) (Value, error) {
	if err := c.arity(2, 4); err != nil {
		return nil, err
	}
	r, err := c.xportResource(0)
	if err != nil {
		return nil, err
	}
	length, _, err := c.integer(1, param{name: "length"})
	if err != nil {
		return nil, err
	}
	var flags int64
	if c.has(2) {
		if flags, _, err = c.integer(2, param{name: "flags"}); err != nil {
			return nil, err
		}
	}
	if err := c.validStream(r); err != nil {
		return nil, err
	}
	addrRef := c.ref(3)
	// PHP empties the address before it looks at the length.
	setRef(addrRef, nil)
	if length <= 0 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($length) must be greater than 0"}
	}
	if r.stream == nil {
		return false, nil
	}
	buf := make([]byte, min(length, maxRecv))
	n, addr, rerr := r.stream.RecvFrom(buf, int(int32(flags)), addrRef != nil)
	if rerr != nil {
		return false, nil
	}
	if addrRef != nil {
		setRef(addrRef, addr)
	}
	return string(buf[:n]), nil
}

// stream_socket_sendto(resource $socket, string $data, int $flags = 0,
// string $address = ""): int|false
func streamSocketSendto(c *call) (Value, error) {
	if err := c.arity(2, 4); err != nil {
		return nil, err
	}
	r, err := c.xportResource(0)
	if err != nil {
		return nil, err
	}
	data, _, err := c.str(1, param{name: "data"})
	if err != nil {
		return nil, err
	}
	var flags int64
	if c.has(2) {
		if flags, _, err = c.integer(2, param{name: "flags"}); err != nil {
			return nil, err
		}
	}
	var target string
	if c.has(3) {
		if target, _, err = c.str(3, param{name: "address"}); err != nil {
			return nil, err
		}
	}
	if err := c.validStream(r); err != nil {
		return nil, err
	}
	var to *netip.AddrPort
	if target != "" {
		c.rt.mu.Lock()
		res := c.rt.dialHooks.Resolver
		c.rt.mu.Unlock()
		ap, ok := phpstream.ParseNetworkAddress(background, res, target, func(msg string) {
			c.rt.warn(c.fn, EWarning, msg)
		})
		if !ok {
			c.rt.warn(c.fn, EWarning, fmt.Sprintf("Failed to parse `%s' into a valid network address", cString(target)))
			return false, nil
		}
		to = &ap
	}
	if r.stream == nil || !r.stream.IsSocket() {
		return int64(-1), nil // no transport to send with: PHP's -1, silently
	}
	n, serr := r.stream.SendTo([]byte(data), int(int32(flags)), to)
	if serr != nil {
		text := errno.Message(syscall.EIO)
		var oe *phpstream.OpError
		if errors.As(serr, &oe) {
			text = oe.Text
		}
		c.rt.warn(c.fn, EWarning, text+"\n")
		return int64(-1), nil
	}
	return int64(n), nil
}

// stream_socket_pair(int $domain, int $type, int $protocol): array|false
func streamSocketPair(c *call) (Value, error) {
	if err := c.arity(3, 3); err != nil {
		return nil, err
	}
	var v [3]int64
	for i, name := range []string{"domain", "type", "protocol"} {
		n, _, err := c.integer(i, param{name: name})
		if err != nil {
			return nil, err
		}
		v[i] = n
	}
	pair, err := phpstream.NewPair(c.rt.profile, int32(v[0]), int32(v[1]), int32(v[2]))
	if err != nil {
		e, ok := err.(syscall.Errno)
		if !ok {
			e = syscall.EIO
		}
		c.rt.warn(c.fn, EWarning, fmt.Sprintf("Failed to create sockets: [%d]: %s", int(e), errno.Message(e)))
		return false, nil
	}
	out := NewArray()
	for _, s := range pair {
		c.rt.initStream(s)
		out.Append(newStreamResource(s, false, ""))
	}
	return out, nil
}
