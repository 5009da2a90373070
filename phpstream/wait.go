package phpstream

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// pollReader reads a socket as soon as it is readable, parked on the
// runtime poller: RawConn.Read with a callback that reads as every read
// does (readNow: the read-ahead first, then recv with MSG_DONTWAIT). The
// waiting goroutine ties up no thread and wakes only for the socket, its
// deadline or its Close. The callback is bound once, so a wait allocates
// nothing.
//
// The callback, not a wait followed by a read, does the reading because
// RawConn.Read forgets a readiness event that arrived before it started:
// only a read inside it tells whether the socket was readable all along.
type pollReader struct {
	s   *Stream
	rc  syscall.RawConn
	try func(fd uintptr) bool
	p   []byte // the current read's buffer
	n   int    // and what readNow returned for it
	err error
}

// read waits on c (the stream's socket on the poller) until it is
// readable, then reads once into p: (0, io.EOF) at EOF, the read's errno
// on failure. ok is false when the wait ended without a read, with c's
// error (os.ErrDeadlineExceeded, closed). One pollReader serves one read
// at a time.
func (w *pollReader) read(c sysConn, p []byte) (n int, err error, ok bool) {
	if w.rc == nil {
		rc, err := c.SyscallConn()
		if err != nil {
			return 0, err, false
		}
		w.rc = rc
		w.try = func(uintptr) bool {
			w.n, w.err = w.s.readNow(c, w.p)
			return w.n > 0 || w.err != syscall.EAGAIN
		}
	}
	w.p = p
	werr := w.rc.Read(w.try)
	n, err = w.n, w.err
	w.p, w.n, w.err = nil, 0, nil
	switch {
	case werr != nil:
		return 0, werr, false
	case n > 0:
		return n, nil, true
	case err == nil:
		return 0, io.EOF, true
	}
	return 0, err, true
}

// parkRead is a PHP read's wait in a program with other goroutines: on
// the runtime poller (the descriptor goes there for good) until deadline
// (zero: none), then one read. user is the net.Conn read deadline, which
// the socket gets back afterwards. A timeout is errTimedOut, a Close
// during the wait net.ErrClosed. s.mu is held.
func (s *Stream) parkRead(p []byte, deadline, user time.Time) (int, error) {
	c, err := s.sock.sys()
	if err != nil {
		return 0, net.ErrClosed
	}
	if !deadline.Equal(user) {
		c.SetReadDeadline(deadline)
		// The net.Conn deadline as it is now: one set during the wait
		// (another goroutine cancelling) is not undone.
		defer func() { c.SetReadDeadline(s.userDeadline(false)) }()
	}
	if s.waiter == nil {
		s.waiter = &pollReader{s: s}
	}
	n, err, ok := s.waiter.read(c, p)
	switch {
	case ok && err == net.ErrClosed:
		return 0, err
	case ok:
		return n, err
	case errors.Is(err, os.ErrDeadlineExceeded):
		return 0, errTimedOut
	case s.closed.Load() || errors.Is(err, os.ErrClosed) || errors.Is(err, net.ErrClosed):
		return 0, net.ErrClosed
	}
	return 0, toErrnoAny(err)
}

// closeHooks are the functions afterClose registered, run once the
// stream is closed.
type closeHooks struct {
	mu    sync.Mutex
	done  bool // they have run: later ones run at once
	hooks []*func()
}

// afterClose arranges for f to be called once the stream is closed: by
// the goroutine that calls Close, after the descriptor is closed, or at
// once by this goroutine if that has happened already. stop unregisters f
// and reports whether it did so before f was called. f must not block: it
// is meant to wake a wait on the stream that the runtime poller cannot end
// by itself (compat's stream_select waits on several descriptors at once).
func (s *Stream) afterClose(f func()) (stop func() bool) {
	h := &s.onClose
	h.mu.Lock()
	if h.done {
		h.mu.Unlock()
		f()
		return func() bool { return false }
	}
	p := &f
	h.hooks = append(h.hooks, p)
	h.mu.Unlock()
	return func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		for i, q := range h.hooks {
			if q == p {
				h.hooks = append(h.hooks[:i], h.hooks[i+1:]...)
				return true
			}
		}
		return false
	}
}

// runCloseHooks runs the afterClose functions; Close calls it once the
// descriptor is closed.
func (s *Stream) runCloseHooks() {
	h := &s.onClose
	h.mu.Lock()
	h.done = true
	hooks := h.hooks
	h.hooks = nil
	h.mu.Unlock()
	for _, f := range hooks {
		(*f)()
	}
}
