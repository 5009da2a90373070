//go:build unix && !linux

package phpstream

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// newSocket creates a non-blocking, close-on-exec socket.
func newSocket(family, sotype int) (rawSocket, error) {
	syscall.ForkLock.RLock()
	fd, err := unix.Socket(family, sotype, 0)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return rawSocket{-1}, err
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return rawSocket{-1}, err
	}
	return rawSocket{fd}, nil
}

func setSunLen(sa *unix.RawSockaddrUnix) { sa.Len = uint8(len(sa.Path)) }

// acceptNonblock accepts a connection as a non-blocking, close-on-exec socket.
func acceptNonblock(fd int) (int, unix.Sockaddr, error) {
	syscall.ForkLock.RLock()
	nfd, sa, err := unix.Accept(fd)
	if err == nil {
		unix.CloseOnExec(nfd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, nil, err
	}
	if err := unix.SetNonblock(nfd, true); err != nil {
		unix.Close(nfd)
		return -1, nil, err
	}
	return nfd, sa, nil
}
