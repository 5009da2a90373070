package phpstream

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"strings"
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
	server  bool   // opened by Listen (server.go); set before the stream is handed out
	isDir   bool   // a directory stream (NewDirStream); set before the stream is handed out

	closed  atomic.Bool
	onClose closeHooks // afterClose's functions
	// adopted is set when another wrapper's open returned the stream as
	// its own (an http redirect to ftp://): PHP runs the closer of the
	// stream's wrapper, which is then that other wrapper's.
	adopted atomic.Bool

	// dl holds the deadlines set through the net.Conn methods; PHP
	// operations combine them with PHP's timeout and restore them after.
	dl deadlines

	wmu sync.Mutex // serialises PHP writes, which must not hold mu while they wait

	// wrote is set by a PHP write and cleared by the next PHP read: a read
	// right after a request rarely finds the answer there, so it waits
	// first (as PHP always does) instead of trying a read that fails.
	wrote atomic.Bool

	// diag is where the stream's operations report PHP's diagnostics
	// (SetDiagnostics); nil: discarded.
	// It holds a DiagnosticFunc (nil ones too): a func is pointer-shaped,
	// so storing one costs no allocation, where a pointer to it would.
	diag atomic.Value

	// connectTimeout is the connect's budget, also the handshake's.
	connectTimeout time.Duration

	// tls is the session while crypto is on; crypto describes it; hadTLS
	// stays set once crypto was set up (PHP keeps its SSL handle); hs is a
	// non-blocking handshake in progress.
	tls    *tls.Conn
	crypto *CryptoInfo
	// tlsReadMu is held by a net.Conn Read through tls while it reads, so
	// that selectCast's pending-only read (which a concurrent Read must
	// not meet) runs only when no such Read is in flight.
	tlsReadMu sync.Mutex
	hadTLS    bool
	hs        *backgroundHandshake

	// ahead holds bytes read from the socket ahead of PHP's reads (TCP
	// streams, readahead.go); for PHP they are still in the socket.
	// aheadMu guards the fields, hasAhead says whether ahead (or
	// aheadErr) is set without taking it; aheadOn says that reads go
	// through the read-ahead.
	aheadMu  sync.Mutex
	hasAhead atomic.Bool
	aheadOn  atomic.Bool
	ahead    []byte
	aheadBuf *[aheadSize]byte // the pooled buffer ahead is in, if any
	aheadErr error            // an error the socket reported behind ahead's bytes

	// back is the I/O of a stream that is not a socket (backing.go), with
	// where the stream came from; nil for sockets.
	back backing
	// userData is a user stream's wrapper_data (userstream.go).
	userData any
	origin   origin

	// readFilters and writeFilters are the stream's filter chains
	// (filterstream.go), guarded by mu.
	readFilters, writeFilters []streamFilter
	filterChunk               []byte // what fillFiltered reads into

	// wrapperData is stream_get_meta_data's wrapper_data (the http
	// wrapper's response header lines); hasWrapperData says it is set. A
	// socket a wrapper opened (http://) has an origin too.
	wrapperData    []string
	hasWrapperData bool

	mu         sync.Mutex   // serialises PHP reads; guards everything below
	peeked     []byte       // plaintext a TLS liveness check read ahead
	lines      stringBlocks // where FgetsString cuts its strings from
	waiter     *pollReader  // PHP reads' wait on the runtime poller (wait.go), made by the first one
	buf        []byte       // PHP's read buffer: buf[rpos:wpos] is unread, len(buf) is PHP's readbuflen
	rpos, wpos int
	position   int64         // bytes consumed through PHP reads (ftell)
	timeout    time.Duration // PHP read/write timeout; negative: none
	timedOut   bool
	eof        bool
	blocking   bool
	unbuffered bool // stream_set_read_buffer($s, 0)
	chunk      int
}

// deadlines are the net.Conn deadlines, kept so PHP operations can restore them.
type deadlines struct {
	any         atomic.Bool // read or write is set
	mu          sync.Mutex
	read, write time.Time
}

// set stores the deadlines; dl.mu is held.
func (d *deadlines) set(read, write time.Time) {
	d.read, d.write = read, write
	d.any.Store(!read.IsZero() || !write.IsZero())
}

// userDeadline is the read (or write) deadline set through the net.Conn
// methods.
func (s *Stream) userDeadline(write bool) time.Time {
	if !s.dl.any.Load() {
		return time.Time{}
	}
	s.dl.mu.Lock()
	defer s.dl.mu.Unlock()
	if write {
		return s.dl.write
	}
	return s.dl.read
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
		return 0, s.opError("read", net.ErrClosed)
	}
	s.mu.Lock()
	if s.wpos > s.rpos {
		n := copy(p, s.buf[s.rpos:s.wpos])
		s.rpos += n
		s.position += int64(n) // consumed, as a PHP read would have (ftell)
		s.readDone()
		return n, nil
	}
	if len(s.peeked) > 0 {
		n := copy(p, s.peeked)
		s.peeked = s.peeked[n:]
		s.mu.Unlock()
		return n, nil
	}
	if len(s.readFilters) > 0 {
		// A filtered stream (http:// with chunked transfer-encoding,
		// php://filter) is read through PHP's buffer and its filters.
		defer s.readDone()
		n, ok := s.read(p)
		switch {
		case !ok && s.timedOut:
			return 0, s.opError("read", os.ErrDeadlineExceeded)
		case !ok:
			return 0, s.opError("read", errFilteredRead)
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
	if s.back != nil {
		defer s.mu.Unlock()
		if len(p) == 0 {
			return 0, nil
		}
		n, _, err := s.back.read(p)
		s.position += int64(n)
		switch {
		case err != nil:
			return n, s.opError("read", err)
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
	s.mu.Unlock()
	if s.tls != nil {
		s.tlsReadMu.Lock()
		defer s.tlsReadMu.Unlock()
		n, err := s.tls.Read(p)
		return n, s.opError("read", err)
	}
	if s.hasAhead.Load() {
		if n, err := s.takeAhead(p, true); n > 0 || err != nil {
			return n, s.opError("read", err)
		}
	}
	c, err := s.conn()
	if err != nil {
		return 0, s.opError("read", err)
	}
	n, err := c.Read(p)
	return n, s.opError("read", err)
}

// Write writes p to the socket.
func (s *Stream) Write(p []byte) (int, error) {
	if s.closed.Load() {
		return 0, s.opError("write", net.ErrClosed)
	}
	if s.back != nil {
		if len(p) == 0 {
			return 0, nil
		}
		n, err := s.backWrite(p)
		return n, s.opError("write", err)
	}
	if s.tls != nil {
		n, err := s.tls.Write(p)
		return n, s.opError("write", err)
	}
	c, err := s.conn()
	if err != nil {
		return 0, s.opError("write", err)
	}
	n, err := c.Write(p)
	return n, s.opError("write", err)
}

// Close closes the stream. Pending Reads and Writes return. Closing a
// closed stream is an *OpError wrapping net.ErrClosed.
func (s *Stream) Close() error {
	if s.closed.Swap(true) {
		return s.opError("close", net.ErrClosed)
	}
	defer s.runCloseHooks()
	if s.back != nil {
		// Under mu, so no operation is inside the backing meanwhile; what
		// comes after meets a closed one (backing.go).
		s.mu.Lock()
		defer s.mu.Unlock()
		s.flushWriteFilters(filterFlushClose)
		s.closeFilters()
		err := s.back.close()
		s.back = closedBacking{typ: s.back.streamType(), status: s.back.reportsStatus()}
		return err
	}
	if s.sock == nil {
		return nil
	}
	if s.tls != nil {
		// PHP's fclose on a TLS stream sends close_notify first.
		s.tls.SetWriteDeadline(time.Now().Add(time.Second))
		return s.opError("close", s.tls.Close())
	}
	return s.opError("close", s.sock.close())
}

// Closed reports whether Close was called.
func (s *Stream) Closed() bool { return s.closed.Load() }

// LocalAddr returns the local address (getsockname), nil if unknown.
func (s *Stream) LocalAddr() net.Addr { return s.sockAddr(false) }

// RemoteAddr returns the peer address (getpeername), nil if unknown.
func (s *Stream) RemoteAddr() net.Addr { return s.sockAddr(true) }

// SetDeadline sets the read and write deadlines, as net.Conn does. PHP
// operations wait at most until the earlier of a deadline and PHP's own
// timeout (stream_set_timeout); neither setting changes the other.
func (s *Stream) SetDeadline(t time.Time) error {
	c, err := s.conn()
	if err != nil {
		return s.opError("set", err)
	}
	s.dl.mu.Lock()
	s.dl.set(t, t)
	s.dl.mu.Unlock()
	return s.opError("set", c.SetDeadline(t))
}

// SetReadDeadline sets the read deadline, as net.Conn does.
func (s *Stream) SetReadDeadline(t time.Time) error {
	c, err := s.conn()
	if err != nil {
		return s.opError("set", err)
	}
	s.dl.mu.Lock()
	s.dl.set(t, s.dl.write)
	s.dl.mu.Unlock()
	return s.opError("set", c.SetReadDeadline(t))
}

// SetWriteDeadline sets the write deadline, as net.Conn does.
func (s *Stream) SetWriteDeadline(t time.Time) error {
	c, err := s.conn()
	if err != nil {
		return s.opError("set", err)
	}
	s.dl.mu.Lock()
	s.dl.set(s.dl.read, t)
	s.dl.mu.Unlock()
	return s.opError("set", c.SetWriteDeadline(t))
}

// SyscallConn returns the raw connection, as net.TCPConn does. Reading
// the descriptor directly bypasses PHP's buffer and the read-ahead under
// it, which may already hold bytes the peer sent.
func (s *Stream) SyscallConn() (syscall.RawConn, error) {
	c, err := s.conn()
	if err != nil {
		return nil, err
	}
	return c.SyscallConn()
}

// Meta is stream_get_meta_data's view of a stream.
type Meta struct {
	// Status says whether TimedOut, Blocked and EOF are reported: PHP
	// leaves them out for php://temp.
	Status      bool
	TimedOut    bool
	Blocked     bool
	EOF         bool
	WrapperType string // the wrapper's label ("PHP"), "" for sockets
	StreamType  string
	Mode        string
	UnreadBytes int
	Seekable    bool
	URI         string // the URL the stream was opened with, "" for sockets
	// Head is what the wrapper reports before everything else (a data:
	// URL's media type, parameters and base64).
	Head []MetaField
	// WrapperData is the wrapper's wrapper_data, shown after the status
	// when HasWrapperData: the response header lines of an http://
	// stream, every response's when redirects were followed.
	WrapperData    []string
	HasWrapperData bool
}

// Meta returns the stream's metadata as stream_get_meta_data reports it.
func (s *Stream) Meta() Meta {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.back != nil {
		return Meta{
			Status:      s.back.reportsStatus(),
			Blocked:     true,
			EOF:         s.feof(),
			WrapperType: s.origin.wrapperType,
			StreamType:  s.back.streamType(),
			Mode:        s.origin.mode,
			UnreadBytes: s.wpos - s.rpos,
			Seekable:    !backingUnseekable(s.back),
			URI:         s.origin.uri,
			Head:        metaHead(s.back),
			// http's headers, on a stream an http redirect adopted
			// (recorded: http/redirect-to-user-ftp).
			WrapperData:    s.wrapperData,
			HasWrapperData: s.hasWrapperData,
		}
	}
	m := Meta{
		Status:      true,
		TimedOut:    s.timedOut,
		Blocked:     s.blocking,
		EOF:         s.eof,
		StreamType:  s.kind.streamType(s.profile),
		Mode:        "r+",
		UnreadBytes: s.wpos - s.rpos,
	}
	if s.origin.wrapperType != "" { // a socket a wrapper opened (http://)
		m.WrapperType, m.Mode, m.URI = s.origin.wrapperType, s.origin.mode, s.origin.uri
		m.WrapperData, m.HasWrapperData = s.wrapperData, s.hasWrapperData
	}
	return m
}

// WrapperData returns the stream's wrapper_data: for a stream the http
// wrapper opened, the response header lines (PHP's
// $http_response_header, every response's lines when redirects were
// followed); ok is false for a stream without wrapper data.
func (s *Stream) WrapperData() (lines []string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.wrapperData...), s.hasWrapperData
}

// opError gives an error of an operation on the stream the shape of the
// package's errors: an *OpError naming the operation, the transport and
// the address, whose Err is net.ErrClosed, os.ErrDeadlineExceeded, the
// errno or (through TLS) crypto/tls's error. io.EOF stays as is, and an
// *OpError already made (by the transport under TLS) is returned as it is.
func (s *Stream) opError(op string, err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	var oe *OpError
	if errors.As(err, &oe) {
		return oe
	}
	return &OpError{Op: op, Net: s.transport(), Address: s.address, Err: causeOf(err)}
}

// transport is the Net of the stream's errors.
func (s *Stream) transport() string {
	switch {
	case s.kind == kindBacked:
		if scheme, ok := URLScheme(s.address); ok {
			return strings.ToLower(scheme)
		}
		return "file"
	case s.address == "":
		return s.kind.network()
	}
	return transportName(s.address)
}

func backingUnseekable(b backing) bool {
	u, ok := b.(unseekableBacking)
	return ok && u.unseekable()
}
