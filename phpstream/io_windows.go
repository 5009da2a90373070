//go:build windows

package phpstream

import (
	"errors"
	"io"
	"os"
	"syscall"
	"time"
)

// On Windows a "now" read is a read with an immediate deadline.

func (s *Stream) readNow(c sysConn, p []byte) (int, error) {
	c.SetReadDeadline(time.Now().Add(time.Millisecond))
	defer c.SetReadDeadline(time.Time{})
	n, err := c.Read(p)
	switch {
	case n > 0:
		return n, nil
	case err == io.EOF:
		return 0, nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		return 0, syscall.EAGAIN
	}
	return 0, err
}

func (s *Stream) writeNow(c sysConn, p []byte) (int, error) {
	c.SetWriteDeadline(time.Now().Add(time.Millisecond))
	defer c.SetWriteDeadline(time.Time{})
	n, err := c.Write(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return n, syscall.EAGAIN
	}
	return n, err
}

func (s *Stream) alive() bool { return s.sock != nil && !s.eof }

// Shutdown is stream_socket_shutdown. A failure is an *OpError with Op
// "shutdown".
func (s *Stream) Shutdown(how int) error {
	c, ok := s.netConn()
	if !ok {
		return s.opError("shutdown", ErrNotConnected)
	}
	type closeReader interface{ CloseRead() error }
	type closeWriter interface{ CloseWrite() error }
	if how != 1 {
		if r, ok := c.(closeReader); ok {
			r.CloseRead()
		}
	}
	if how != 0 {
		if w, ok := c.(closeWriter); ok {
			return s.opError("shutdown", w.CloseWrite())
		}
	}
	return nil
}

// rawOps has nothing to hold on Windows.
type rawOps struct{}

func (k *socket) leaveBlocking() error { return nil }

// ioConn is what PHP's reads and writes use: the socket's net.Conn.
func (s *Stream) ioConn() (sysConn, error) { return s.conn() }

// pollRead is not used on Windows: reads wait on the runtime poller.
func (s *Stream) pollRead(c sysConn, p []byte, timeout time.Duration, user time.Time) (int, error, bool) {
	return 0, nil, false
}
