//go:build unix

package phpstream

import (
	"net/netip"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// RecvFrom is stream_socket_recvfrom's transport operation (xp_socket.c's
// STREAM_XPORT_OP_RECV): one recv straight from the socket, bypassing and
// leaving alone PHP's read buffer, with MSG_OOB and MSG_PEEK taken from
// flags (FlagOOB, FlagPeek; other bits are ignored). PHP's socket is in
// blocking mode on a blocking stream, so the recv waits without PHP's
// timeout (only a net.Conn read deadline ends the wait); a non-blocking
// stream gets EAGAIN. With wantAddr, addr is PHP's text of the sender's
// address: "ip:port", "[ipv6]:port", a unix path, or "" when the kernel
// reports none (TCP, an unnamed unix peer). err is an *OpError with PHP's
// errno where PHP's recv returns -1 (the function then returns false);
// n == 0 is EOF or an empty datagram.
func (s *Stream) RecvFrom(p []byte, flags int, wantAddr bool) (n int, addr string, err error) {
	defer func() { err = s.xportError("read", err) }()
	if s.sock == nil {
		return 0, "", syscall.EBADF
	}
	c, err := s.conn()
	if err != nil {
		return 0, "", syscall.EBADF
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, "", syscall.EBADF
	}
	s.mu.Lock()
	blocking := s.blocking
	s.mu.Unlock()
	sysFlags := 0
	if flags&FlagOOB != 0 {
		sysFlags |= unix.MSG_OOB
	}
	if flags&FlagPeek != 0 {
		sysFlags |= unix.MSG_PEEK
	}
	if flags&FlagOOB == 0 && s.hasAhead.Load() {
		// Bytes feof read ahead are still in the socket for PHP.
		k, err := s.takeAhead(p, flags&FlagPeek == 0)
		if err != nil {
			return 0, "", toErrnoAny(err)
		}
		if k > 0 {
			if k < len(p) { // one recv would have taken what arrived since, too
				cerr := rc.Control(func(fd uintptr) {
					if m, _, err := unix.Recvfrom(int(fd), p[k:], sysFlags|unix.MSG_DONTWAIT); m > 0 {
						k += m
					} else if err != nil && err != unix.EAGAIN && flags&FlagPeek == 0 {
						s.keepAheadError(errnoOf(err))
					}
				})
				if cerr != nil {
					return 0, "", toErrnoAny(cerr)
				}
			}
			return k, "", nil // TCP: the kernel reports no sender address
		}
	}
	var from unix.Sockaddr
	var rerr error
	recv := func(fd uintptr) bool {
		for {
			n, from, rerr = unix.Recvfrom(int(fd), p, sysFlags)
			if rerr != unix.EINTR {
				break
			}
		}
		return !(blocking && (rerr == unix.EAGAIN || rerr == unix.EWOULDBLOCK))
	}
	var cerr error
	if blocking {
		cerr = rc.Read(recv)
	} else {
		cerr = rc.Control(func(fd uintptr) { recv(fd) })
	}
	if cerr != nil {
		return 0, "", toErrnoAny(cerr)
	}
	if rerr != nil {
		return 0, "", toErrnoAny(errnoOf(rerr))
	}
	if n < 0 {
		n = 0
	}
	if wantAddr {
		addr = sockaddrText(from)
	}
	return n, addr, nil
}

// sockaddrText is php_network_populate_name_from_sockaddr's text.
func sockaddrText(sa unix.Sockaddr) string {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrFrom4(a.Addr).String() + ":" + strconv.Itoa(a.Port)
	case *unix.SockaddrInet6:
		return "[" + netip.AddrFrom16(a.Addr).String() + "]:" + strconv.Itoa(a.Port)
	case *unix.SockaddrUnix:
		// x/sys spells an abstract name's leading NUL as '@' and an
		// unnamed peer as "@"; PHP gives the raw bytes.
		if len(a.Name) > 0 && a.Name[0] == '@' {
			return "\x00" + a.Name[1:]
		}
		return a.Name
	}
	return ""
}

// SendTo is stream_socket_sendto's transport operation (xp_socket.c's
// STREAM_XPORT_OP_SEND): send(2), or sendto(2) when to is not nil,
// straight to the socket with MSG_OOB when flags has FlagOOB. A blocking
// stream waits for room without PHP's timeout, as PHP's blocking socket
// does; a non-blocking one fails with EAGAIN. err is an *OpError with
// PHP's errno and its text where PHP gets -1 (it then warns with the text
// and a newline, and the function returns -1).
func (s *Stream) SendTo(p []byte, flags int, to *netip.AddrPort) (_ int, err error) {
	defer func() { err = s.xportError("write", err) }()
	if s.sock == nil {
		return 0, syscall.EBADF
	}
	c, err := s.conn()
	if err != nil {
		return 0, syscall.EBADF
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, syscall.EBADF
	}
	s.mu.Lock()
	blocking := s.blocking
	s.mu.Unlock()
	sysFlags := 0
	if flags&FlagOOB != 0 {
		sysFlags |= unix.MSG_OOB
	}
	var sa unix.Sockaddr
	if to != nil {
		a := to.Addr()
		if a.Is4() {
			sa = &unix.SockaddrInet4{Port: int(to.Port()), Addr: a.As4()}
		} else {
			sa = &unix.SockaddrInet6{Port: int(to.Port()), Addr: a.As16()}
		}
	}
	var n int
	var serr error
	send := func(fd uintptr) bool {
		for {
			if sa != nil {
				serr = unix.Sendto(int(fd), p, sysFlags, sa)
				n = len(p)
			} else {
				n, serr = unix.SendmsgN(int(fd), p, nil, nil, sysFlags)
			}
			if serr != unix.EINTR {
				break
			}
		}
		return !(blocking && (serr == unix.EAGAIN || serr == unix.EWOULDBLOCK))
	}
	var cerr error
	if blocking {
		cerr = s.sendWait(rc, send)
	} else {
		cerr = rc.Control(func(fd uintptr) { send(fd) })
	}
	if cerr != nil {
		return 0, toErrnoAny(cerr)
	}
	if serr != nil {
		return 0, toErrnoAny(errnoOf(serr))
	}
	return n, nil
}

// sendWait runs send on the poller, serialised with PHP's writes.
func (s *Stream) sendWait(rc syscall.RawConn, send func(uintptr) bool) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return rc.Write(send)
}
