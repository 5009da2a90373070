//go:build unix

package phpstream

import (
	"context"
	"net/netip"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawSocket is a socket descriptor before it becomes a Stream.
type rawSocket struct{ fd int }

func (s rawSocket) close() { unix.Close(s.fd) }

func (s rawSocket) setBool(level, opt int, on bool) error {
	v := 0
	if on {
		v = 1
	}
	return unix.SetsockoptInt(s.fd, level, opt, v)
}

// bindInet binds to a local IP address and port.
func (s rawSocket) bindInet(a netip.Addr, port uint16) error {
	return unix.Bind(s.fd, inetSockaddr(a, port))
}

func inetSockaddr(a netip.Addr, port uint16) unix.Sockaddr {
	if a.Is4() {
		return &unix.SockaddrInet4{Port: int(port), Addr: a.As4()}
	}
	sa := &unix.SockaddrInet6{Port: int(port), Addr: a.As16()}
	if z := a.Zone(); z != "" {
		if ifi, err := interfaceIndex(z); err == nil {
			sa.ZoneId = uint32(ifi)
		}
	}
	return sa
}

// connectStart starts a non-blocking connect. It returns nil when the
// connect completed at once, syscall.EINPROGRESS when it is under way.
func (s rawSocket) connectStart(sa unix.Sockaddr) error {
	for {
		err := unix.Connect(s.fd, sa)
		if err != unix.EINTR {
			return err
		}
	}
}

// connectUnixStart connects to a unix socket path of exactly n bytes, as
// PHP passes it: no terminating NUL, a leading NUL selecting the abstract
// namespace, '@' not special (unlike x/sys's SockaddrUnix).
func (s rawSocket) connectUnixStart(path string) error {
	var sa unix.RawSockaddrUnix
	sa.Family = unix.AF_UNIX
	setSunLen(&sa)
	for i := 0; i < len(path) && i < len(sa.Path); i++ {
		sa.Path[i] = int8(path[i])
	}
	n := len(path)
	if n > len(sa.Path) {
		n = len(sa.Path)
	}
	addrlen := uintptr(unsafe.Offsetof(sa.Path)) + uintptr(n)
	for {
		_, _, e := unix.Syscall(unix.SYS_CONNECT, uintptr(s.fd), uintptr(unsafe.Pointer(&sa)), addrlen)
		if e != unix.EINTR {
			if e == 0 {
				return nil
			}
			return e
		}
	}
}

// writableNow is a zero-timeout poll for writability (PHP's
// php_pollfd_for with POLLOUT|POLLPRI).
func (s rawSocket) writableNow() bool {
	fds := []unix.PollFd{{Fd: int32(s.fd), Events: unix.POLLOUT | unix.POLLPRI}}
	for {
		n, err := unix.Poll(fds, 0)
		if err == unix.EINTR {
			continue
		}
		return err == nil && n > 0
	}
}

// waitWritable waits on the runtime poller up to ms milliseconds
// (negative: forever) for f to become writable, without tying up a thread.
func waitWritable(ctx context.Context, f *os.File, ms int64) (bool, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return false, err
	}
	if ms >= 0 {
		f.SetWriteDeadline(time.Now().Add(time.Duration(ms) * time.Millisecond))
	}
	cancelled := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		f.SetWriteDeadline(time.Unix(1, 0))
		close(cancelled)
	})
	// The callback polls: a connect that finished before the wait began
	// may have signalled the poller already, and RawConn.Write forgets that.
	err = rc.Write(func(fd uintptr) bool { return rawSocket{int(fd)}.writableNow() })
	if !stop() {
		<-cancelled // the callback ran or is running: let it finish first
	}
	f.SetWriteDeadline(time.Time{})
	return err == nil, err
}

// soError reads and clears the socket's pending error.
func (s rawSocket) soError() syscall.Errno {
	v, err := unix.GetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return err.(syscall.Errno)
	}
	return syscall.Errno(v)
}

// file hands the descriptor to the runtime poller. After this the socket
// belongs to the returned file.
func (s rawSocket) file(name string) *os.File {
	return os.NewFile(uintptr(s.fd), name)
}

// rawControl adapts a bare descriptor to syscall.RawConn for Dialer.Control.
type rawControl struct{ fd int }

func (c rawControl) Control(f func(fd uintptr)) error { f(uintptr(c.fd)); return nil }
func (c rawControl) Read(func(fd uintptr) bool) error {
	return syscall.EINVAL
}
func (c rawControl) Write(func(fd uintptr) bool) error {
	return syscall.EINVAL
}

const (
	afInet   = unix.AF_INET
	afInet6  = unix.AF_INET6
	afUnix   = unix.AF_UNIX
	sockStr  = unix.SOCK_STREAM
	sockDgr  = unix.SOCK_DGRAM
	solSock  = unix.SOL_SOCKET
	soBcast  = unix.SO_BROADCAST
	ipprTCP  = unix.IPPROTO_TCP
	tcpNoDly = unix.TCP_NODELAY
)
