//go:build !unix

package phpstream

import "syscall"

// NewPair is stream_socket_pair; this platform has no socketpair(2).
func NewPair(p *Profile, domain, typ, protocol int32) ([2]*Stream, error) {
	return [2]*Stream{}, syscall.EAFNOSUPPORT
}
