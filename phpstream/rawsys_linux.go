//go:build linux

package phpstream

import (
	"encoding/binary"
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The calls below never block (the socket is non-blocking), so they are
// made without telling the scheduler: a loopback connect spends tens of
// microseconds in the kernel, long enough for the runtime to hand the P to
// another thread otherwise, and that handoff costs more than the call.

// connectInetRaw is connect(2) to a:port on a non-blocking socket.
func connectInetRaw(fd int, a netip.Addr, port uint16) error {
	var ptr unsafe.Pointer
	var n uintptr
	if a.Is4() {
		var sa unix.RawSockaddrInet4
		sa.Family = unix.AF_INET
		binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:], port)
		sa.Addr = a.As4()
		ptr, n = unsafe.Pointer(&sa), unsafe.Sizeof(sa)
		return rawConnect(fd, ptr, n)
	}
	var sa unix.RawSockaddrInet6
	sa.Family = unix.AF_INET6
	binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:], port)
	sa.Addr = a.As16()
	if z := a.Zone(); z != "" {
		if ifi, err := interfaceIndex(z); err == nil {
			sa.Scope_id = uint32(ifi)
		}
	}
	ptr, n = unsafe.Pointer(&sa), unsafe.Sizeof(sa)
	return rawConnect(fd, ptr, n)
}

func rawConnect(fd int, sa unsafe.Pointer, n uintptr) error {
	for {
		_, _, e := unix.RawSyscall(unix.SYS_CONNECT, uintptr(fd), uintptr(sa), n)
		switch e {
		case 0:
			return nil
		case unix.EINTR:
			continue
		}
		return syscall.Errno(e)
	}
}

// closeRaw is close(2) of a socket no goroutine is waiting on.
func closeRaw(fd int) error {
	_, _, e := unix.RawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0)
	if e != 0 {
		return syscall.Errno(e)
	}
	return nil
}
