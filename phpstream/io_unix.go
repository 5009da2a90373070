//go:build unix

package phpstream

import (
	"syscall"

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
	initialised bool
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
	o.rd.fn = func(fd uintptr) {
		for {
			o.rd.n, o.rd.err = unix.Read(int(fd), o.rd.buf)
			if o.rd.err != unix.EINTR {
				return
			}
		}
	}
	o.wr.fn = func(fd uintptr) {
		for {
			o.wr.n, o.wr.err = unix.Write(int(fd), o.wr.buf)
			if o.wr.err != unix.EINTR {
				return
			}
		}
	}
	o.pk.fn = func(fd uintptr) {
		o.pk.n, _, o.pk.err = unix.Recvfrom(int(fd), o.pk.buf, unix.MSG_PEEK|unix.MSG_DONTWAIT)
	}
	o.pk.buf = make([]byte, 1)
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
	return o.run(&o.rd, p)
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
// with a zero timeout): a one-byte MSG_PEEK|MSG_DONTWAIT; 0 bytes (an orderly
// shutdown) or an error other than EAGAIN/EMSGSIZE means dead.
func (s *Stream) alive() bool {
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
