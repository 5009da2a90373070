//go:build unix && !linux

package phpstream

import (
	"net/netip"
	"syscall"

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

func peekRaw(fd uintptr, b []byte) (int, error) {
	for {
		n, _, err := unix.Recvfrom(int(fd), b, unix.MSG_PEEK|unix.MSG_DONTWAIT)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// blockingRecv is false: recvWait is not used here.
const blockingRecv = false

func recvBlocking(fd uintptr, b []byte) (int, error) { return 0, syscall.EOPNOTSUPP }

func pollRaw(fds []unix.PollFd, ms int) (int, error) { return unix.Poll(fds, ms) }
