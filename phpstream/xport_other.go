//go:build !unix

package phpstream

import (
	"net/netip"
	"syscall"
)

// RecvFrom is stream_socket_recvfrom's transport operation; this platform
// does not have it.
func (s *Stream) RecvFrom(p []byte, flags int, wantAddr bool) (n int, addr string, err error) {
	defer func() { err = s.xportError("read", err) }()
	return 0, "", syscall.EOPNOTSUPP
}

// SendTo is stream_socket_sendto's transport operation; this platform does
// not have it.
func (s *Stream) SendTo(p []byte, flags int, to *netip.AddrPort) (_ int, err error) {
	defer func() { err = s.xportError("write", err) }()
	return 0, syscall.EOPNOTSUPP
}
