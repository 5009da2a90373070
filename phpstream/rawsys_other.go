//go:build unix && !linux

package phpstream

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

func connectInetRaw(fd int, a netip.Addr, port uint16) error {
	return rawSocket{fd}.connectStart(inetSockaddr(a, port))
}

func closeRaw(fd int) error { return unix.Close(fd) }

func readRaw(fd uintptr, b []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), b)
		if err != unix.EINTR {
			return n, err
		}
	}
}

func writeRaw(fd uintptr, b []byte) (int, error) {
	for {
		n, err := unix.Write(int(fd), b)
		if err != unix.EINTR {
			return n, err
		}
	}
}

func pollRaw(fds []unix.PollFd, ms int) (int, error) { return unix.Poll(fds, ms) }
