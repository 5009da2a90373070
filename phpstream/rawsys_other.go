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
