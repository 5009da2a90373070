//go:build unix

package phpstream

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// readNow reads once without waiting, outside the poller's deadline
// checks (PHP reads at once what is there even with a zero timeout).
// It returns (0, nil) at EOF and syscall.EAGAIN when there is no data.
func readNow(c sysConn, p []byte) (n int, err error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	cerr := rc.Control(func(fd uintptr) {
		for {
			n, err = unix.Read(int(fd), p)
			if err != unix.EINTR {
				break
			}
		}
	})
	if cerr != nil {
		return 0, cerr
	}
	if n < 0 {
		n = 0
	}
	return n, errnoOf(err)
}

// writeNow writes once without waiting; syscall.EAGAIN when the socket is full.
func writeNow(c sysConn, p []byte) (n int, err error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	cerr := rc.Control(func(fd uintptr) {
		for {
			n, err = unix.Write(int(fd), p)
			if err != unix.EINTR {
				break
			}
		}
	})
	if cerr != nil {
		return 0, cerr
	}
	if n < 0 {
		n = 0
	}
	return n, errnoOf(err)
}

func errnoOf(err error) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(syscall.Errno); ok {
		if e == unix.EWOULDBLOCK {
			return syscall.EAGAIN
		}
		return e
	}
	return err
}

// alive is PHP's zero-timeout liveness check (PHP_STREAM_OPTION_CHECK_LIVENESS
// with a zero timeout): a one-byte MSG_PEEK|MSG_DONTWAIT; 0 bytes (an orderly
// shutdown) or an error other than EAGAIN/EMSGSIZE means dead.
func (s *Stream) alive() bool {
	if s.sock == nil {
		return false
	}
	alive := true
	err := s.sock.control(func(fd uintptr) {
		var b [1]byte
		n, _, err := unix.Recvfrom(int(fd), b[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
		switch {
		case err == unix.EAGAIN || err == unix.EMSGSIZE:
		case err != nil:
			alive = false
		case n == 0:
			alive = false
		}
	})
	return alive && err == nil
}

// Shutdown is stream_socket_shutdown: shutdown(2) with SHUT_RD (0),
// SHUT_WR (1) or SHUT_RDWR (2).
func (s *Stream) Shutdown(how int) error {
	if s.sock == nil {
		return ErrNotConnected
	}
	var serr error
	err := s.sock.control(func(fd uintptr) { serr = unix.Shutdown(int(fd), how) })
	if err != nil {
		return err
	}
	return serr
}
