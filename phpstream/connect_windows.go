//go:build windows

package phpstream

import (
	"context"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"
)

// On Windows the connect goes through net.Dialer, one address at a time,
// keeping PHP's sequential order, shared deadline and error reporting.
// Texts come from the system (errno's fallback), not from glibc.

func (d *Dialer) attempt(ctx context.Context, s *Stream, a netip.Addr, port uint16, b bindSpec, deadline time.Time, ms int64) (*connectFailure, bool) {
	network := controlNetwork(s.kind, a)
	nd := net.Dialer{KeepAlive: -1, Deadline: deadline}
	if ms == 0 {
		nd.Deadline = time.Now().Add(time.Millisecond)
	}
	if local, ok := d.localAddr(b, a); ok {
		ap := netip.AddrPortFrom(local, b.port)
		if s.kind == kindUDP {
			nd.LocalAddr = net.UDPAddrFromAddrPort(ap)
		} else {
			nd.LocalAddr = net.TCPAddrFromAddrPort(ap)
		}
	}
	nd.Control = func(network, address string, c syscall.RawConn) error {
		if s.kind == kindTCP && d.Context.optionTrue("socket", "tcp_nodelay") {
			c.Control(func(fd uintptr) {
				syscall.SetsockoptInt(syscall.Handle(fd), syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
			})
		}
		if d.Control != nil {
			return d.Control(network, address, c)
		}
		return nil
	}
	c, err := nd.DialContext(ctx, network, netip.AddrPortFrom(a, port).String())
	if err != nil {
		return failureOf(err), true
	}
	s.attach(newSocketConn(c.(sysConn), -1))
	return nil, true
}

func failureOf(err error) *connectFailure {
	var e syscall.Errno
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return &connectFailure{errno: syscall.Errno(10060), text: errnoText(syscall.Errno(10060)), err: os.ErrDeadlineExceeded}
	}
	if asErrno(err, &e) {
		return &connectFailure{errno: e, text: errnoText(e), err: e}
	}
	return &connectFailure{text: err.Error(), err: err}
}

func asErrno(err error, e *syscall.Errno) bool {
	for err != nil {
		if x, ok := err.(syscall.Errno); ok {
			*e = x
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

func (d *Dialer) dialUnix(ctx context.Context, s *Stream, path string) error {
	network := "unix"
	if s.kind == kindUDG {
		network = "unixgram"
	}
	var nd net.Dialer
	if ms := d.timeoutMillis(); ms >= 0 {
		nd.Timeout = time.Duration(ms)*time.Millisecond + time.Millisecond
	}
	c, err := nd.DialContext(ctx, network, path)
	if err != nil {
		cf := failureOf(err)
		return &OpError{Op: "connect", Address: s.address, Errno: cf.errno, Text: cf.text, Err: cf.err}
	}
	s.attach(newSocketConn(c.(sysConn), -1))
	return nil
}

// SocketName is stream_socket_get_name's result (see the unix version).
func (s *Stream) SocketName(peer bool) (string, bool) {
	c, ok := s.netConn()
	if !ok {
		return "", false
	}
	a := c.LocalAddr()
	if peer {
		a = c.RemoteAddr()
	}
	switch t := a.(type) {
	case *net.TCPAddr:
		return formatAddrPort(t.AddrPort()), true
	case *net.UDPAddr:
		return formatAddrPort(t.AddrPort()), true
	case *net.UnixAddr:
		if t.Name == "" {
			return "", false
		}
		return t.Name, true
	}
	return "", false
}

func formatAddrPort(ap netip.AddrPort) string {
	if ap.Addr().Is4() {
		return ap.String()
	}
	return "[" + ap.Addr().String() + "]:" + itoa(int(ap.Port()))
}

func itoa(n int) string { return fmtInt(n) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Alive is PHP's liveness check; on Windows a zero-deadline read peek is
// not available, so a stream counts as alive until a read saw EOF.
func (s *Stream) Alive() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sock != nil && !s.closed.Load() && (s.wpos > s.rpos || s.alive())
}

func (s *Stream) sockAddr(peer bool) net.Addr {
	c, ok := s.netConn()
	if !ok {
		return nil
	}
	if peer {
		return c.RemoteAddr()
	}
	return c.LocalAddr()
}

func (s *Stream) netConn() (net.Conn, bool) {
	if s.sock == nil {
		return nil, false
	}
	c, ok := s.sock.conn.(net.Conn)
	return c, ok
}
