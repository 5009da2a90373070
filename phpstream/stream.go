package phpstream

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// ChunkSize is PHP's default socket chunk size (PHP_SOCK_CHUNK_SIZE): the
// most one underlying read asks for.
const ChunkSize = 8192

// ErrNotConnected is returned by I/O on a stream that never connected
// (stream_socket_client without STREAM_CLIENT_CONNECT).
var ErrNotConnected = errors.New("phpstream: stream is not connected")

// A Stream is a PHP socket stream. It is a net.Conn: Read, Write, Close and
// the deadline methods are safe for concurrent use, and Close unblocks a
// pending Read or Write. Read first drains PHP's read buffer (bytes the
// PHP-semantics methods have read ahead), so the two APIs can be mixed.
type Stream struct {
	sock    *socket // nil: never connected
	kind    transportKind
	profile *Profile
	address string // the transport address as given

	closed atomic.Bool

	mu       sync.Mutex // guards everything below
	buf      []byte     // PHP's read buffer; buf[rpos:] is unread
	rpos     int
	timeout  time.Duration // PHP read/write timeout; negative: none
	timedOut bool
	eof      bool
	blocking bool
	chunk    int
}

func newStream(p *Profile, kind transportKind, address string) *Stream {
	return &Stream{profile: p, kind: kind, address: address, blocking: true, chunk: ChunkSize, timeout: -1}
}

func (s *Stream) attach(k *socket) { s.sock = k }

// Address is the transport address the stream was opened with.
func (s *Stream) Address() string { return s.address }

// Connected reports whether the stream has a socket.
func (s *Stream) Connected() bool { return s.sock != nil }

// conn returns the poller-backed socket for I/O.
func (s *Stream) conn() (sysConn, error) {
	if s.sock == nil {
		return nil, ErrNotConnected
	}
	return s.sock.sys()
}

// Read reads from PHP's buffer if it holds bytes, otherwise from the socket.
func (s *Stream) Read(p []byte) (int, error) {
	if s.closed.Load() {
		return 0, net.ErrClosed
	}
	s.mu.Lock()
	if n := len(s.buf) - s.rpos; n > 0 {
		n = copy(p, s.buf[s.rpos:])
		s.rpos += n
		s.mu.Unlock()
		return n, nil
	}
	s.mu.Unlock()
	c, err := s.conn()
	if err != nil {
		return 0, err
	}
	return c.Read(p)
}

// Write writes p to the socket.
func (s *Stream) Write(p []byte) (int, error) {
	if s.closed.Load() {
		return 0, net.ErrClosed
	}
	c, err := s.conn()
	if err != nil {
		return 0, err
	}
	return c.Write(p)
}

// Close closes the stream. Pending Reads and Writes return.
func (s *Stream) Close() error {
	if s.closed.Swap(true) {
		return net.ErrClosed
	}
	if s.sock == nil {
		return nil
	}
	return s.sock.close()
}

// Closed reports whether Close was called.
func (s *Stream) Closed() bool { return s.closed.Load() }

// LocalAddr returns the local address (getsockname), nil if unknown.
func (s *Stream) LocalAddr() net.Addr { return s.sockAddr(false) }

// RemoteAddr returns the peer address (getpeername), nil if unknown.
func (s *Stream) RemoteAddr() net.Addr { return s.sockAddr(true) }

// SetDeadline sets the read and write deadlines, as net.Conn does.
func (s *Stream) SetDeadline(t time.Time) error {
	c, err := s.conn()
	if err != nil {
		return err
	}
	return c.SetDeadline(t)
}

// SetReadDeadline sets the read deadline, as net.Conn does.
func (s *Stream) SetReadDeadline(t time.Time) error {
	c, err := s.conn()
	if err != nil {
		return err
	}
	return c.SetReadDeadline(t)
}

// SetWriteDeadline sets the write deadline, as net.Conn does.
func (s *Stream) SetWriteDeadline(t time.Time) error {
	c, err := s.conn()
	if err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// SyscallConn returns the raw connection, as net.TCPConn does.
func (s *Stream) SyscallConn() (syscall.RawConn, error) {
	c, err := s.conn()
	if err != nil {
		return nil, err
	}
	return c.SyscallConn()
}

// Meta is stream_get_meta_data's view of a stream.
type Meta struct {
	TimedOut    bool
	Blocked     bool
	EOF         bool
	StreamType  string
	Mode        string
	UnreadBytes int
	Seekable    bool
}

// Meta returns the stream's metadata as stream_get_meta_data reports it.
func (s *Stream) Meta() Meta {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Meta{
		TimedOut:    s.timedOut,
		Blocked:     s.blocking,
		EOF:         s.eof,
		StreamType:  s.kind.streamType(s.profile),
		Mode:        "r+",
		UnreadBytes: len(s.buf) - s.rpos,
	}
}

// SetTimeout sets PHP's read/write timeout (stream_set_timeout); negative
// means none. It clears the timed_out flag.
func (s *Stream) SetTimeout(d time.Duration) {
	s.mu.Lock()
	s.timeout = d
	s.timedOut = false
	s.mu.Unlock()
}

// Fwrite writes all of p as PHP's fwrite does on a blocking socket stream,
// returning the count written. A failure with nothing written returns an
// error whose *OpError carries errno and text.
func (s *Stream) Fwrite(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if s.sock == nil {
		return 0, nil
	}
	c, err := s.conn()
	if err != nil {
		return 0, errnoError("write", s.address, syscall.EBADF)
	}
	s.mu.Lock()
	timeout := s.timeout
	s.mu.Unlock()
	if timeout >= 0 {
		c.SetWriteDeadline(time.Now().Add(timeout))
		defer c.SetWriteDeadline(time.Time{})
	}
	n, err := c.Write(p)
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			s.mu.Lock()
			s.timedOut = true
			s.mu.Unlock()
			return n, errnoError("write", s.address, syscall.EAGAIN)
		}
		return n, errnoError("write", s.address, toErrnoAny(err))
	}
	return n, nil
}

// Fread reads up to n bytes with at most one underlying read, as PHP's
// fread on a socket stream. At EOF it returns an empty slice and sets eof.
func (s *Stream) Fread(n int) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if avail := len(s.buf) - s.rpos; avail > 0 {
		if n > avail {
			n = avail
		}
		out := append([]byte(nil), s.buf[s.rpos:s.rpos+n]...)
		s.rpos += n
		return out, nil
	}
	c, err := s.conn()
	if err != nil {
		return nil, err
	}
	if s.timeout >= 0 {
		c.SetReadDeadline(time.Now().Add(s.timeout))
		defer c.SetReadDeadline(time.Time{})
	}
	s.timedOut = false
	size := s.chunk
	if n > size {
		size = n
	}
	if cap(s.buf) < size {
		s.buf = make([]byte, size)
	}
	s.buf = s.buf[:size]
	m, err := c.Read(s.buf)
	s.buf, s.rpos = s.buf[:m], 0
	if m > 0 {
		if n > m {
			n = m
		}
		out := append([]byte(nil), s.buf[:n]...)
		s.rpos = n
		return out, nil
	}
	switch {
	case err == io.EOF:
		s.eof = true
		return []byte{}, nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		s.timedOut = true
		return nil, errnoError("read", s.address, syscall.ETIMEDOUT)
	case err != nil:
		s.eof = true
		return nil, errnoError("read", s.address, toErrnoAny(err))
	}
	return []byte{}, nil
}

func toErrnoAny(err error) syscall.Errno {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return syscall.EIO
}
