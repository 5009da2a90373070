//go:build unix

package phpstream

import (
	"io"
	"net"
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// rawOp is one kind of immediate socket call (read, write, peek) with its
// arguments and results in fields and its function bound once, so that a
// call allocates nothing. Reads and peeks of a socket are serialised by
// the stream (PHP's read lock, or crypto/tls's own), writes likewise.
type rawOp struct {
	buf []byte
	n   int
	err error
	fn  func(fd uintptr)
}

// rawOps are a socket's immediate calls.
type rawOps struct {
	rc          syscall.RawConn
	rd, wr, pk  rawOp
	poll        pollOp
	initialised bool
}

// pollOp is poll(2) on the socket, bound once like rawOp.
type pollOp struct {
	fds   [1]unix.PollFd
	ms    int
	alone bool // no other goroutine exists: wait without releasing the P
	n     int
	err   error
	fn    func(fd uintptr)
}

func (o *rawOps) init(c sysConn) error {
	if o.initialised {
		return nil
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	o.rc = rc
	o.rd.fn = func(fd uintptr) { o.rd.n, o.rd.err = readRaw(fd, o.rd.buf) }
	o.wr.fn = func(fd uintptr) { o.wr.n, o.wr.err = writeRaw(fd, o.wr.buf) }
	o.pk.fn = func(fd uintptr) {
		o.pk.n, _, o.pk.err = unix.Recvfrom(int(fd), o.pk.buf, unix.MSG_PEEK|unix.MSG_DONTWAIT)
	}
	o.pk.buf = make([]byte, 1)
	o.poll.fn = func(fd uintptr) {
		o.poll.fds[0] = unix.PollFd{Fd: int32(fd), Events: unix.POLLIN | unix.POLLPRI}
		if o.poll.alone {
			o.poll.n, o.poll.err = pollRaw(o.poll.fds[:], o.poll.ms)
		} else {
			o.poll.n, o.poll.err = unix.Poll(o.poll.fds[:], o.poll.ms)
		}
	}
	o.initialised = true
	return nil
}

func (o *rawOps) run(op *rawOp, p []byte) (int, error) {
	op.buf = p
	cerr := o.rc.Control(op.fn)
	n, err := op.n, op.err
	op.buf, op.err = nil, nil
	if cerr != nil {
		return 0, cerr
	}
	if n < 0 {
		n = 0
	}
	return n, errnoOf(err)
}

// readNow reads once without waiting, outside the poller's deadline
// checks (PHP reads at once what is there even with a zero timeout).
// It returns (0, nil) at EOF and syscall.EAGAIN when there is no data.
func (s *Stream) readNow(c sysConn, p []byte) (int, error) {
	o := &s.sock.ops
	if err := o.init(c); err != nil {
		return 0, err
	}
	if s.hasAhead.Load() {
		n, err := s.takeAhead(p, true)
		if err != nil || n == len(p) {
			return n, err
		}
		if n > 0 {
			// One PHP read would have taken what arrived since, too.
			m, err := o.run(&o.rd, p[n:])
			if m > 0 {
				return n + m, nil
			}
			if err != nil && err != syscall.EAGAIN {
				s.keepAheadError(err)
			}
			return n, nil
		}
	}
	if s.aheadBuf != nil && len(p) < aheadSize {
		s.aheadMu.Lock()
		if len(s.ahead) > 0 || s.aheadErr != nil {
			// Another reader (a net.Conn Read under TLS) filled it meanwhile.
			s.aheadMu.Unlock()
			return s.readNow(c, p)
		}
		defer s.aheadMu.Unlock()
		m, err := o.run(&o.rd, s.aheadBuf)
		k := copy(p, s.aheadBuf[:m])
		s.setAhead(s.aheadBuf[k:m])
		return k, err
	}
	n, err := o.run(&o.rd, p)
	if n == len(p) && n < aheadSize && s.kind == kindTCP {
		s.aheadBuf = make([]byte, aheadSize) // bytes are streaming in
	}
	return n, err
}

// writeNow writes once without waiting; syscall.EAGAIN when the socket is full.
func (s *Stream) writeNow(c sysConn, p []byte) (int, error) {
	o := &s.sock.wops
	if err := o.init(c); err != nil {
		return 0, err
	}
	return o.run(&o.wr, p)
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
	if s.aheadBuf == nil {
		s.aheadBuf = make([]byte, aheadSize)
	}
	c, err := s.conn()
	if err != nil {
		return false
	}
	o := &s.sock.ops
	if err := o.init(c); err != nil {
		return false
	}
	n, err := o.run(&o.rd, s.aheadBuf)
	switch {
	case n > 0:
		s.setAhead(s.aheadBuf[:n])
		return true
	case err == syscall.EAGAIN:
		return true
	}
	return false // EOF (n == 0, no error) or an error
}

// peekAlive is PHP's check itself: a one-byte MSG_PEEK|MSG_DONTWAIT; 0 bytes
// (an orderly shutdown) or an error other than EAGAIN/EMSGSIZE means dead.
func (s *Stream) peekAlive() bool {
	if s.sock == nil {
		return false
	}
	var n int
	var err error
	if s.sock.ready.Load() {
		o := &s.sock.ops
		if err = o.init(s.sock.conn); err != nil {
			return false
		}
		o.pk.buf = o.pk.buf[:1]
		cerr := o.rc.Control(o.pk.fn)
		n, err = o.pk.n, o.pk.err
		if cerr != nil {
			return false
		}
	} else {
		cerr := s.sock.control(func(fd uintptr) {
			var b [1]byte
			n, _, err = unix.Recvfrom(int(fd), b[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
		})
		if cerr != nil {
			return false
		}
	}
	switch {
	case err == unix.EAGAIN || err == unix.EMSGSIZE:
		return true
	case err != nil:
		return false
	}
	return n != 0
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

// pollSlice bounds one poll(2) wait, so that a Close from another
// goroutine is noticed within it.
const pollSlice = 50 * time.Millisecond

// pollRead waits for data as PHP does, with poll(2) on the descriptor
// (in slices, until deadline; zero: no deadline), then reads once. It
// returns ok false when it cannot be used (the caller falls back to the
// runtime poller).
func (s *Stream) pollRead(c sysConn, p []byte, deadline time.Time) (int, error, bool) {
	o := &s.sock.ops
	if err := o.init(c); err != nil {
		return 0, nil, false
	}
	for {
		wait := pollSlice
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return 0, errTimedOut, true
			}
			wait = min(wait, left)
		}
		o.poll.ms = int((wait + time.Millisecond - 1) / time.Millisecond)
		// A program with one goroutine, as a ported PHP script is, waits
		// as PHP does: in the kernel, with nothing for the scheduler to do.
		// Otherwise the P is released for the others during the wait.
		o.poll.alone = runtime.NumGoroutine() == 1
		if cerr := o.rc.Control(o.poll.fn); cerr != nil {
			return 0, net.ErrClosed, true
		}
		if s.closed.Load() {
			return 0, net.ErrClosed, true
		}
		if o.poll.err != nil && o.poll.err != unix.EINTR {
			return 0, o.poll.err, true
		}
		if o.poll.n == 0 {
			continue
		}
		n, err := s.readNow(c, p)
		switch {
		case n > 0:
			return n, nil, true
		case err == nil:
			return 0, io.EOF, true
		case err == syscall.EAGAIN:
			continue
		}
		return 0, err, true
	}
}
