//go:build unix

package phpstream

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// NewPair is stream_socket_pair: socketpair(2) with PHP's (int) domain,
// type and protocol, giving two connected "generic_socket" streams. They
// are blocking in PHP's sense, with no PHP timeout set (the caller sets
// default_socket_timeout, as PHP does). The error is the socketpair errno.
func NewPair(p *Profile, domain, typ, protocol int32) ([2]*Stream, error) {
	if p == nil {
		p = DefaultProfile
	}
	syscall.ForkLock.RLock()
	fds, err := unix.Socketpair(int(domain), int(typ), int(protocol))
	if err == nil {
		unix.CloseOnExec(fds[0])
		unix.CloseOnExec(fds[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return [2]*Stream{}, toErrnoAny(err)
	}
	var out [2]*Stream
	for i, fd := range fds {
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(fds[0])
			unix.Close(fds[1])
			return [2]*Stream{}, toErrnoAny(err)
		}
		s := newStream(p, kindGeneric, "")
		s.attach(newSocketFD(fd))
		out[i] = s
	}
	return out, nil
}
