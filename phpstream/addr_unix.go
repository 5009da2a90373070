//go:build unix

package phpstream

import (
	"net"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"
)

// sockAddr reads the local or peer address of the socket.
func (s *Stream) sockAddr(peer bool) net.Addr {
	if s.sock == nil {
		return nil
	}
	sa, err := s.sockaddr(peer)
	if err != nil {
		return nil
	}
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		if s.kind == kindUDP {
			return &net.UDPAddr{IP: net.IP(a.Addr[:]).To16(), Port: a.Port}
		}
		return &net.TCPAddr{IP: net.IP(a.Addr[:]).To16(), Port: a.Port}
	case *unix.SockaddrInet6:
		ip := make(net.IP, 16)
		copy(ip, a.Addr[:])
		if s.kind == kindUDP {
			return &net.UDPAddr{IP: ip, Port: a.Port}
		}
		return &net.TCPAddr{IP: ip, Port: a.Port}
	case *unix.SockaddrUnix:
		network := "unix"
		if s.kind == kindUDG {
			network = "unixgram"
		}
		return &net.UnixAddr{Name: a.Name, Net: network}
	}
	return nil
}

// SocketName is stream_socket_get_name's result: "ip:port" for IPv4,
// "[ip]:port" for IPv6 (IPv4-mapped addresses included), the path for unix
// sockets. ok is false where PHP returns false: no socket, a failed
// getsockname/getpeername, or an empty or abstract unix name.
func (s *Stream) SocketName(peer bool) (name string, ok bool) {
	if s.sock == nil {
		return "", false
	}
	sa, err := s.sockaddr(peer)
	if err != nil {
		return "", false
	}
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port)).String(), true
	case *unix.SockaddrInet6:
		return "[" + netip.AddrFrom16(a.Addr).String() + "]:" + strconv.Itoa(a.Port), true
	case *unix.SockaddrUnix:
		if a.Name == "" || a.Name[0] == 0 || a.Name[0] == '@' {
			return "", false
		}
		return a.Name, true
	}
	return "", false
}

// Alive is PHP's liveness check of a stream being reused (persistent
// streams): bytes in PHP's buffer, or a zero-timeout one-byte MSG_PEEK
// that finds neither an orderly shutdown nor an error.
func (s *Stream) Alive() bool {
	if s.sock == nil || s.closed.Load() {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wpos > s.rpos || s.alive()
}

// sockaddr reads the local or peer address with getsockname/getpeername.
func (s *Stream) sockaddr(peer bool) (sa unix.Sockaddr, err error) {
	cerr := s.sock.control(func(fd uintptr) {
		if peer {
			sa, err = unix.Getpeername(int(fd))
		} else {
			sa, err = unix.Getsockname(int(fd))
		}
	})
	if cerr != nil {
		return nil, cerr
	}
	return sa, err
}
