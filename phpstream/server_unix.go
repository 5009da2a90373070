//go:build unix

package phpstream

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	"github.com/phpsock/phpsock/internal/phpvalue"
	"golang.org/x/sys/unix"
)

// bindUnix is php_tcp_sockop_bind for unix and udg: a socket, the path
// truncated as PHP truncates it (with its notice), bind. A failed bind has
// no error text in PHP.
func (lc *ListenConfig) bindUnix(s *Stream, path string) error {
	sotype := sockStr
	what := ""
	if s.kind == kindUDG {
		sotype, what = sockDgr, "datagram"
	}
	sock, err := newSocket(afUnix, sotype)
	if err != nil {
		e := toErrno(err)
		return &OpError{Op: "listen", Address: s.address, Errno: e, Text: fmt.Sprintf("Failed to create unix%s socket %s", what, errnoText(e))}
	}
	if len(path) >= maxUnixPath {
		lc.Diagnostics.emit(ENotice, fmt.Sprintf("socket path exceeded the maximum allowed length of %d bytes and was truncated", maxUnixPath-1))
		path = path[:maxUnixPath-1]
	}
	if err := bindUnixRaw(sock.fd, path); err != nil {
		sock.close()
		return &OpError{Op: "listen", Address: s.address, Errno: toErrno(err)}
	}
	s.attach(newSocketFD(sock.fd))
	return nil
}

// bindUnixRaw binds to a path of exactly len(path) bytes, as PHP passes it
// (no terminator; a leading NUL is the abstract namespace).
func bindUnixRaw(fd int, path string) error {
	var sa unix.RawSockaddrUnix
	sa.Family = unix.AF_UNIX
	setSunLen(&sa)
	n := min(len(path), len(sa.Path))
	for i := 0; i < n; i++ {
		sa.Path[i] = int8(path[i])
	}
	addrlen := uintptr(unsafe.Offsetof(sa.Path)) + uintptr(n)
	_, _, e := unix.Syscall(unix.SYS_BIND, uintptr(fd), uintptr(unsafe.Pointer(&sa)), addrlen)
	if e != 0 {
		return e
	}
	return nil
}

// bindInet is php_network_bind_socket_to_local_addr: resolve, then for
// each address a socket with SO_REUSEADDR and the context's options,
// bound; the first success wins, else the last bind's error.
func (lc *ListenConfig) bindInet(ctx context.Context, s *Stream, rest string) error {
	hp, err := ParseHostPort(rest)
	if err != nil {
		return &OpError{Op: "listen", Address: s.address, Text: err.Error()}
	}
	addrs, rerr := resolve(ctx, lc.Resolver, hp.Host)
	if rerr != nil {
		text := rerr.text()
		lc.Diagnostics.emit(EWarning, text)
		return &OpError{Op: "listen", Address: s.address, Text: text}
	}
	sotype := sockStr
	if s.kind == kindUDP {
		sotype = sockDgr
	}
	v6only, haveV6only := false, false
	if v, ok := lc.Context.Option("socket", "ipv6_v6only"); ok && v != nil {
		v6only, haveV6only = phpvalue.Bool(v), true
	}
	var last syscall.Errno
	for _, a := range addrs {
		family := afInet
		if a.Is6() {
			family = afInet6
		}
		sock, err := newSocket(family, sotype)
		if err != nil {
			last = toErrno(err)
			continue
		}
		sock.setBool(solSock, unix.SO_REUSEADDR, true)
		if a.Is6() && haveV6only {
			sock.setBool(unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, v6only)
		}
		if lc.Context.optionTrue("socket", "so_reuseport") {
			sock.setBool(solSock, unix.SO_REUSEPORT, true)
		}
		if s.kind == kindUDP && lc.Context.optionTrue("socket", "so_broadcast") {
			sock.setBool(solSock, soBcast, true)
		}
		if err := unix.Bind(sock.fd, inetSockaddr(a, hp.Port)); err != nil {
			last = toErrno(err)
			sock.close()
			continue
		}
		s.attach(newSocketFD(sock.fd))
		return nil
	}
	return &OpError{Op: "listen", Address: s.address, Errno: last, Text: errnoText(last)}
}

// listen is listen(2) on the bound socket.
func (s *Stream) listen(backlog int) error {
	var lerr error
	if err := s.sock.control(func(fd uintptr) { lerr = unix.Listen(int(fd), backlog) }); err != nil {
		return err
	}
	return lerr
}

// acceptRaw is php_network_accept_incoming: a poll for readability
// within timeout (negative: forever; zero: one poll), then one accept, the
// peer's name, and the new stream. Like PHP it polls first, so a socket
// that is not listening times out unless it is readable.
func (s *Stream) acceptRaw(ctx context.Context, timeout time.Duration, si *serverInfo) (*Stream, string, error) {
	ms := int64(-1)
	if timeout >= 0 {
		ms = timeout.Milliseconds()
	}
	if s.sock == nil {
		// poll(2) ignores a descriptor of -1: the wait just expires.
		if ms < 0 {
			<-ctx.Done()
			return nil, "", &OpError{Op: "accept", Address: s.address, Errno: unix.ECANCELED, Text: ctx.Err().Error(), Err: ctx.Err()}
		}
		t := time.NewTimer(time.Duration(ms) * time.Millisecond)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		return nil, "", s.acceptError(unix.ETIMEDOUT)
	}
	readable := false
	pollNow := func(fd uintptr) bool {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN | unix.POLLERR | unix.POLLHUP}}
		for {
			n, err := unix.Poll(fds, 0)
			if err != unix.EINTR {
				readable = err == nil && n > 0
				return readable
			}
		}
	}
	if err := s.sock.control(func(fd uintptr) { pollNow(fd) }); err != nil {
		return nil, "", s.acceptError(err)
	}
	if !readable {
		if ms == 0 {
			return nil, "", s.acceptError(unix.ETIMEDOUT)
		}
		c, err := s.conn()
		if err != nil {
			return nil, "", s.acceptError(err)
		}
		rc, err := c.SyscallConn()
		if err != nil {
			return nil, "", s.acceptError(err)
		}
		if ms > 0 {
			c.SetReadDeadline(time.Now().Add(time.Duration(ms) * time.Millisecond))
		}
		stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Unix(1, 0)) })
		err = rc.Read(pollNow)
		stop()
		c.SetReadDeadline(time.Time{})
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, "", &OpError{Op: "accept", Address: s.address, Errno: unix.ECANCELED, Text: ctx.Err().Error(), Err: ctx.Err()}
		case err != nil && os.IsTimeout(err):
			return nil, "", s.acceptError(unix.ETIMEDOUT)
		case err != nil:
			return nil, "", s.acceptError(err)
		}
	}
	var nfd int
	var sa unix.Sockaddr
	var aerr error
	if err := s.sock.control(func(fd uintptr) {
		for {
			nfd, sa, aerr = acceptNonblock(int(fd))
			if aerr != unix.EINTR {
				return
			}
		}
	}); err != nil {
		return nil, "", s.acceptError(err)
	}
	if aerr != nil {
		return nil, "", s.acceptError(aerr)
	}
	c := newStream(s.profile, s.kind, s.address)
	s.mu.Lock()
	c.timeout, c.blocking = s.timeout, s.blocking
	s.mu.Unlock()
	if s.kind == kindTCP && si.ctx.optionTrue("socket", "tcp_nodelay") {
		unix.SetsockoptInt(nfd, ipprTCP, tcpNoDly, 1)
	}
	c.attach(newSocketFD(nfd))
	return c, peerText(sa), nil
}

// acceptError is the failure of an accept with PHP's strerror text. Its
// cause is net.ErrClosed once the server is closed, os.ErrDeadlineExceeded
// when PHP's wait expired (ETIMEDOUT), else the errno.
func (s *Stream) acceptError(err error) error {
	e := toErrno(err)
	cause := causeOf(err)
	switch {
	case s.closed.Load():
		cause = net.ErrClosed
	case e == unix.ETIMEDOUT:
		cause = os.ErrDeadlineExceeded
	}
	return &OpError{Op: "accept", Net: s.transport(), Address: s.address, Errno: e, Text: errnoText(e), Err: cause}
}

// peerText formats an accepted peer's address as PHP's
// php_network_populate_name_from_sockaddr does.
func peerText(sa unix.Sockaddr) string {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrFrom4(a.Addr).String() + ":" + strconv.Itoa(a.Port)
	case *unix.SockaddrInet6:
		return "[" + netip.AddrFrom16(a.Addr).String() + "]:" + strconv.Itoa(a.Port)
	case *unix.SockaddrUnix:
		return a.Name
	}
	return ""
}

// listenerEOF is feof on a server stream (PHP 8.2.6+, GH-10406): a
// listening socket is polled first, so it is at EOF only once a poll
// reports it readable and the peek then fails; other server streams take
// Feof's path.
func (s *Stream) listenerEOF() bool {
	if !s.Listening() {
		return s.Feof()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.eof {
		return true
	}
	if s.sock == nil {
		s.eof = true
		return true
	}
	readable := false
	s.sock.control(func(fd uintptr) {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN | unix.POLLPRI}}
		n, err := unix.Poll(fds, 0)
		readable = err == nil && n > 0
	})
	if readable && !s.peekAlive() {
		s.eof = true
	}
	return s.eof
}

// listenerReadTimedOut is the first half of a PHP read on a listening
// socket: PHP waits for readability up to the stream's timeout as for any
// blocking socket, and a listening socket becomes readable only with a
// pending connection. It reports true, with timed_out set, when the wait
// expired (the read then fails); false when the stream is not a listening
// one, is non-blocking, or became readable (the read goes on as usual).
func (s *Stream) listenerReadTimedOut() bool {
	if !s.Listening() || s.sock == nil {
		return false
	}
	s.mu.Lock()
	timeout, blocking := s.timeout, s.blocking
	s.mu.Unlock()
	if !blocking {
		return false
	}
	readable := false
	pollNow := func(fd uintptr) bool {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN | unix.POLLPRI}}
		n, err := unix.Poll(fds, 0)
		readable = err == nil && n > 0
		return readable || (err != nil && err != unix.EINTR)
	}
	if s.sock.control(func(fd uintptr) { pollNow(fd) }) != nil {
		return false
	}
	if !readable && timeout != 0 {
		c, err := s.conn()
		if err != nil {
			return false
		}
		rc, err := c.SyscallConn()
		if err != nil {
			return false
		}
		if timeout > 0 {
			c.SetReadDeadline(time.Now().Add(timeout))
		}
		rc.Read(pollNow)
		c.SetReadDeadline(time.Time{})
	}
	if readable {
		return false
	}
	s.mu.Lock()
	s.timedOut = true
	s.mu.Unlock()
	return true
}
