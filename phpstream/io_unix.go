//go:build unix

package phpstream

import (
	"io"
	"net"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// rawOps is the state of a socket's raw calls. The descriptor starts
// non-blocking; a program with one goroutine switches it to blocking mode
// the first time it waits for data (recvWait), so that one recv(2) both
// waits and reads, and it goes back to non-blocking when the runtime
// poller takes it (sys). Immediate calls pass MSG_DONTWAIT, so they never
// wait in either mode.
type rawOps struct {
	fds      [1]unix.PollFd // pollIn's argument, kept to allocate nothing
	blocking atomic.Bool    // the descriptor is in blocking mode (changed under k.mu)
	rcvtimeo time.Duration  // SO_RCVTIMEO as last set (recvWait's alone)
}

// rawCall is one immediate call (recv, send or a peek) on the socket's
// descriptor, made without the file layer. It returns (0, nil) at EOF,
// syscall.EAGAIN when the call would wait and net.ErrClosed once the
// socket is closing.
func (k *socket) rawCall(call func(fd uintptr, b []byte) (int, error), p []byte) (int, error) {
	fd, ok := k.acquire()
	if !ok {
		return 0, net.ErrClosed
	}
	n, err := call(uintptr(fd), p)
	k.release()
	if n < 0 {
		n = 0
	}
	if err == unix.EWOULDBLOCK {
		err = syscall.EAGAIN
	}
	return n, err
}

// recvNow and sendNow are recv(2) and send(2) without waiting.
func (k *socket) recvNow(p []byte) (int, error) { return k.rawCall(readRaw, p) }
func (k *socket) sendNow(p []byte) (int, error) { return k.rawCall(writeRaw, p) }

// pollIn is poll(2) for readability, up to ms milliseconds, keeping the
// P: only a program with one goroutine waits this way (pollRead), and it
// has nobody to hand the P to.
func (k *socket) pollIn(ms int) (int, error) {
	fd, ok := k.acquire()
	if !ok {
		return 0, net.ErrClosed
	}
	o := &k.ops
	o.fds[0] = unix.PollFd{Fd: int32(fd), Events: unix.POLLIN | unix.POLLPRI}
	n, err := pollRaw(o.fds[:], ms)
	k.release()
	return n, err
}

// canRecvWait reports whether recvWait may be used: the platform has it
// and the descriptor is not the runtime poller's.
func (k *socket) canRecvWait() bool { return blockingRecv && !k.ready.Load() }

// recvWait is recv(2) waiting up to d for data, in one system call: the
// descriptor in blocking mode with SO_RCVTIMEO d. It is only used while
// the program has one goroutine, which keeps the P (there is no one to
// hand it to) and leaves nobody to close the socket meanwhile. It returns
// syscall.EAGAIN when d passed without data and EINTR when a signal ended
// the wait; ok is false when the descriptor cannot be put in blocking mode
// (the runtime poller has it).
func (k *socket) recvWait(p []byte, d time.Duration) (n int, err error, ok bool) {
	o := &k.ops
	if !o.blocking.Load() {
		k.mu.Lock()
		if k.conn == nil && !k.closed && setBlocking(k.fd, true) == nil {
			o.blocking.Store(true)
		}
		k.mu.Unlock()
		if !o.blocking.Load() {
			return 0, nil, false
		}
	}
	fd, live := k.acquire()
	if !live {
		return 0, net.ErrClosed, true
	}
	if o.rcvtimeo != d {
		tv := unix.NsecToTimeval(d.Nanoseconds())
		if err = unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			k.release()
			return 0, err, true
		}
		o.rcvtimeo = d
	}
	n, err = recvBlocking(uintptr(fd), p)
	k.release()
	if n < 0 {
		n = 0
	}
	if err == unix.EWOULDBLOCK {
		err = syscall.EAGAIN
	}
	return n, err, true
}

// leaveBlocking puts the descriptor back in non-blocking mode, without a
// receive timeout, before the runtime poller takes it (for good: recvWait
// is not used once it has); k.mu is held.
func (k *socket) leaveBlocking() error {
	if !k.ops.blocking.Load() {
		return nil
	}
	if err := setBlocking(k.fd, false); err != nil {
		return err
	}
	k.ops.blocking.Store(false)
	var none unix.Timeval
	unix.SetsockoptTimeval(k.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &none)
	return nil
}

func setBlocking(fd int, on bool) error { return unix.SetNonblock(fd, !on) }

// ioConn is what PHP's reads and writes need before they start: on unix
// nothing, as they use the descriptor itself (the runtime poller is
// taken only by a wait that needs it), so only a closed stream fails.
func (s *Stream) ioConn() (sysConn, error) {
	if s.closed.Load() {
		return nil, net.ErrClosed
	}
	return nil, nil
}

// readNow reads once without waiting, outside the poller's deadline
// checks (PHP reads at once what is there even with a zero timeout).
// It returns (0, nil) at EOF and syscall.EAGAIN when there is no data.
func (s *Stream) readNow(c sysConn, p []byte) (int, error) {
	n, err, _ := s.readSome(p, 0)
	return n, err
}

// readSome is readNow, or with wait > 0 a recvWait of up to wait when the
// stream holds no read-ahead (ok false: recvWait could not be used,
// nothing was read).
func (s *Stream) readSome(p []byte, wait time.Duration) (int, error, bool) {
	k := s.sock
	if s.hasAhead.Load() {
		n, err := s.takeAhead(p, true)
		if err != nil || n == len(p) {
			return n, err, true
		}
		if n > 0 {
			// One PHP read would have taken what arrived since, too.
			m, err := k.recvNow(p[n:])
			if m > 0 {
				return n + m, nil, true
			}
			if err != nil && err != syscall.EAGAIN {
				s.keepAheadError(err)
			}
			return n, nil, true
		}
	}
	if s.aheadOn.Load() && len(p) < aheadSize {
		s.aheadMu.Lock()
		if len(s.ahead) > 0 || s.aheadErr != nil {
			// Another reader (a net.Conn Read under TLS) filled it meanwhile.
			s.aheadMu.Unlock()
			return s.readSome(p, wait)
		}
		defer s.aheadMu.Unlock()
		buf := aheadBufs.Get().(*[aheadSize]byte)
		m, err, ok := s.recv(buf[:], wait)
		n := copy(p, buf[:m])
		s.keepAhead(buf, n, m)
		return n, err, ok
	}
	n, err, ok := s.recv(p, wait)
	if n == len(p) && n < aheadSize && s.kind == kindTCP {
		s.aheadOn.Store(true) // bytes are streaming in
	}
	return n, err, ok
}

// recv is recvNow (wait 0) or recvWait.
func (s *Stream) recv(p []byte, wait time.Duration) (int, error, bool) {
	if wait > 0 {
		return s.sock.recvWait(p, wait)
	}
	n, err := s.sock.recvNow(p)
	return n, err, true
}

// writeNow writes once without waiting; syscall.EAGAIN when the socket is full.
func (s *Stream) writeNow(c sysConn, p []byte) (int, error) {
	return s.sock.sendNow(p)
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
// with a zero timeout). PHP peeks at one byte; on a plain TCP stream
// phpsock reads up to 64 KiB instead, kept as read-ahead (readahead.go),
// which tells the same and saves the next read its system call.
func (s *Stream) alive() bool {
	if s.kind == kindTCP && s.tls == nil && s.sock != nil {
		return s.readAheadAlive()
	}
	return s.peekAlive()
}

// readAheadAlive is alive by reading: bytes mean alive (and are kept),
// EOF or an error other than EAGAIN mean dead, no data means alive.
func (s *Stream) readAheadAlive() bool {
	if s.hasAhead.Load() {
		s.aheadMu.Lock()
		n, err := len(s.ahead), s.aheadErr
		if n == 0 && err != nil {
			s.aheadErr = nil
			s.hasAhead.Store(false)
		}
		s.aheadMu.Unlock()
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	s.aheadMu.Lock()
	defer s.aheadMu.Unlock()
	if len(s.ahead) > 0 {
		return true
	}
	if s.closed.Load() {
		return false
	}
	s.aheadOn.Store(true)
	buf := aheadBufs.Get().(*[aheadSize]byte)
	n, err := s.sock.recvNow(buf[:])
	s.keepAhead(buf, 0, max(n, 0))
	return n > 0 || err == syscall.EAGAIN // else EOF (n == 0, no error) or an error
}

// peekAlive is PHP's check itself: a one-byte MSG_PEEK|MSG_DONTWAIT; 0 bytes
// (an orderly shutdown) or an error other than EAGAIN/EMSGSIZE means dead.
func (s *Stream) peekAlive() bool {
	if s.sock == nil {
		return false
	}
	var b [1]byte
	n, err := s.sock.rawCall(peekRaw, b[:])
	switch {
	case err == unix.EAGAIN || err == unix.EMSGSIZE:
		return true
	case err != nil:
		return false
	}
	return n != 0
}

// Shutdown is stream_socket_shutdown: shutdown(2) with SHUT_RD (0),
// SHUT_WR (1) or SHUT_RDWR (2). A failure is an *OpError with Op
// "shutdown".
func (s *Stream) Shutdown(how int) error {
	if s.sock == nil {
		return s.opError("shutdown", ErrNotConnected)
	}
	var serr error
	err := s.sock.control(func(fd uintptr) { serr = unix.Shutdown(int(fd), how) })
	if err != nil {
		return s.opError("shutdown", err)
	}
	return s.opError("shutdown", serr)
}

// pollSlice bounds one wait of a program with one goroutine, so that a
// goroutine started meanwhile is noticed (the rest of the wait is then
// parkRead's) and a Close it makes waits at most this long.
const pollSlice = 50 * time.Millisecond

// pollRead waits for data as PHP does, for up to timeout (negative: no
// limit) and until user (zero: none), then reads once. ok is always true
// here (Windows waits on the runtime poller instead).
//
// How it waits depends on the program (see "Waiting" in the package
// documentation). With other goroutines it parks on the runtime poller
// (parkRead). A program with one goroutine, as a ported PHP script is,
// waits in the kernel without releasing its P (there is nothing else to
// run), in slices of pollSlice: each whole slice is one recv(2) that waits
// (recvWait) instead of PHP's poll(2) and recv(2), unless the runtime
// poller has the descriptor; the end of a wait (under a slice and
// recvTimeoSlack left) is a poll(2), whose timer is exact where
// SO_RCVTIMEO's counts in scheduler ticks.
func (s *Stream) pollRead(c sysConn, p []byte, timeout time.Duration, user time.Time) (int, error, bool) {
	deadline := user
	left := time.Duration(-1) // time to the deadline; negative: none
	if timeout >= 0 || !user.IsZero() {
		now := time.Now()
		if timeout >= 0 && (deadline.IsZero() || now.Add(timeout).Before(deadline)) {
			deadline = now.Add(timeout)
		}
		left = max(deadline.Sub(now), 0)
	}
	for {
		if left == 0 {
			return 0, errTimedOut, true
		}
		if runtime.NumGoroutine() != 1 {
			n, err := s.parkRead(p, deadline, user)
			return n, err, true
		}
		wait := pollSlice
		if left > 0 {
			wait = min(wait, left)
		}
		if (left < 0 || left >= pollSlice+recvTimeoSlack) && s.sock.canRecvWait() {
			n, err, ok := s.readSome(p, wait)
			if ok {
				switch {
				case s.closed.Load() || err == net.ErrClosed:
					return 0, net.ErrClosed, true
				case n > 0:
					return n, nil, true
				case err == nil:
					return 0, io.EOF, true
				case err != syscall.EAGAIN && err != unix.EINTR:
					return 0, err, true
				}
				left = remaining(deadline)
				continue
			}
		}
		ms := int((wait + time.Millisecond - 1) / time.Millisecond)
		ready, err := s.sock.pollIn(ms)
		if err == net.ErrClosed || s.closed.Load() {
			return 0, net.ErrClosed, true
		}
		if err != nil && err != unix.EINTR {
			return 0, err, true
		}
		if ready > 0 {
			n, err := s.readNow(c, p)
			switch {
			case n > 0:
				return n, nil, true
			case err == nil:
				return 0, io.EOF, true
			case err != syscall.EAGAIN:
				return 0, err, true
			}
		}
		left = remaining(deadline)
	}
}

// recvTimeoSlack is how much later than asked an SO_RCVTIMEO wait may end:
// the kernel counts it in scheduler ticks (at most 10 ms at HZ=100) and
// rounds up. A wait that has less than a slice and this left ends in a
// poll(2), whose timer is exact, so a timeout does not end late.
const recvTimeoSlack = 10 * time.Millisecond

// remaining is the time left to deadline: negative for no deadline (zero),
// and 0 once it has passed.
func remaining(deadline time.Time) time.Duration {
	if deadline.IsZero() {
		return -1
	}
	return max(time.Until(deadline), 0)
}
