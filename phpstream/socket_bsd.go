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
