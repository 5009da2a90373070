//go:build linux

package phpstream

import "golang.org/x/sys/unix"

// newSocket creates a non-blocking, close-on-exec socket in one system call.
func newSocket(family, sotype int) (rawSocket, error) {
	fd, err := unix.Socket(family, sotype|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return rawSocket{-1}, err
	}
	return rawSocket{fd}, nil
}

func setSunLen(*unix.RawSockaddrUnix) {}

// acceptNonblock accepts a connection as a non-blocking, close-on-exec socket.
func acceptNonblock(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}
