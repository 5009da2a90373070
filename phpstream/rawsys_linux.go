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

// readRaw and writeRaw are recv(2) and send(2) with MSG_DONTWAIT,
// as PHP reads and writes (the socket calls skip the file layer read(2)
// and write(2) go through). They never wait, so they too skip the
// scheduler's syscall bookkeeping (a loopback send runs the receiver's TCP
// processing and can take long enough for a handoff that costs more than
// the call).
func readRaw(fd uintptr, b []byte) (int, error) {
	return rwRaw(unix.SYS_RECVFROM, fd, b, unix.MSG_DONTWAIT)
}

func writeRaw(fd uintptr, b []byte) (int, error) {
	return rwRaw(unix.SYS_SENDTO, fd, b, unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL)
}

// peekRaw is recv(2) with MSG_PEEK.
func peekRaw(fd uintptr, b []byte) (int, error) {
	return rwRaw(unix.SYS_RECVFROM, fd, b, unix.MSG_PEEK|unix.MSG_DONTWAIT)
}

// blockingRecv says that recvBlocking exists: recv(2) on a descriptor in
// blocking mode, which waits up to its SO_RCVTIMEO. A signal ends the wait
// with EINTR (with a timeout set, the kernel does not restart it), which
// is returned rather than retried, so the caller can count the time.
const blockingRecv = true

func recvBlocking(fd uintptr, b []byte) (int, error) {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	r, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, fd, uintptr(p), uintptr(len(b)), 0, 0, 0)
	if e != 0 {
		return 0, syscall.Errno(e)
	}
	return int(r), nil
}

func rwRaw(trap, fd uintptr, b []byte, flags uintptr) (int, error) {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	for {
		r, _, e := unix.RawSyscall6(trap, fd, uintptr(p), uintptr(len(b)), flags, 0, 0)
		switch e {
		case 0:
			return int(r), nil
		case unix.EINTR:
			continue
		}
		return 0, syscall.Errno(e)
	}
}
