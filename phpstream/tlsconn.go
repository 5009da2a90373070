package phpstream

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/phpsock/phpsock/internal/openssl"
)

// This file puts TLS under PHP's read buffer: a Stream with crypto on
// reads and writes through a *tls.Conn whose transport is the stream's
// own socket (plainConn), so the PHP semantics of phpio.go apply to the
// decrypted bytes exactly as to plain ones.

// plainConn is the net.Conn under a stream's TLS: the socket itself,
// bypassing PHP's buffer. A read first tries the socket without waiting,
// so a deadline already past (PHP's zero timeout, a non-blocking stream)
// still returns bytes that are there; errors are net.Errors, so crypto/tls
// treats a timeout as temporary and the session survives it.
//
// Reads are cut at TLS record boundaries: a 5-byte header, then exactly the
// record body it announces, as OpenSSL reads without read-ahead. So a peer
// that answers in plain text loses only the five bytes OpenSSL would take,
// and bytes after a close_notify stay in the socket for plain reads.
type plainConn struct {
	s    *Stream
	hdr  [5]byte
	hdrN int // header bytes read so far
	body int // body bytes of the current record still to read

	// firstHandshake is the type of the first handshake message the peer
	// sent (-1 before one arrived): a ClientHello where a ServerHello is
	// due is OpenSSL's "unexpected message".
	firstHandshake int
	recordType     byte
	recordStart    bool

	// handshaking is set while runHandshake runs, with deadline the
	// end of PHP's budget (zero: none). Reads and writes put the deadline
	// on the socket only when they have to wait (deadlineSet: the read
	// deadline is on), so a handshake whose answers come at once arms no
	// timer.
	handshaking bool
	deadline    time.Time
	deadlineSet bool

	// hsBuf holds what a handshake read from the socket in one call
	// (a whole flight, usually); hsBuf[hsPos:hsEnd] is not yet taken.
	// OpenSSL reads record by record, two system calls each; bytes past
	// the handshake's last record go back to the stream's read-ahead, where
	// for PHP they are still in the socket (readahead.go).
	hsBuf        *[]byte
	hsPos, hsEnd int

	// pendingOnly makes every read fail at once with errNoPending, so a
	// tls.Conn read returns only the plaintext it already holds
	// (selectCast); s.mu is held while it is set.
	pendingOnly bool

	// waiter waits for the socket and reads it (waitRead).
	waiter pollReader
}

func (p *plainConn) Read(b []byte) (int, error) {
	if p.pendingOnly {
		return 0, errNoPending{}
	}
	if p.body == 0 {
		b = b[:min(len(b), len(p.hdr)-p.hdrN)]
	} else {
		b = b[:min(len(b), p.body)]
	}
	n, err := p.read(b)
	if p.body > 0 {
		if n > 0 && p.recordStart && p.recordType == 22 && p.firstHandshake < 0 {
			p.firstHandshake = int(b[0])
		}
		p.recordStart = false
		p.body -= n
	} else if n > 0 {
		p.hdrN += copy(p.hdr[p.hdrN:], b[:n])
		if p.hdrN == len(p.hdr) {
			p.body = int(p.hdr[3])<<8 | int(p.hdr[4])
			p.hdrN = 0
			p.recordType, p.recordStart = p.hdr[0], true
		}
	}
	return n, err
}

func (p *plainConn) read(b []byte) (int, error) {
	if p.hsBuf != nil {
		return p.handshakeRead(b)
	}
	c, err := p.s.conn()
	if err != nil {
		return 0, p.s.opError("read", err)
	}
	n, err := p.s.readNow(c, b)
	switch {
	case n > 0:
		return n, nil
	case err == nil:
		return 0, io.EOF
	case err == syscall.EAGAIN:
		n, err = c.Read(b)
	}
	return n, p.s.opError("read", err)
}

// handshakeRead serves a handshake read from hsBuf, refilled with one read
// of the socket (read-ahead first, as every read) when it is used up.
func (p *plainConn) handshakeRead(b []byte) (int, error) {
	if p.hsPos == p.hsEnd {
		c, err := p.s.conn()
		if err != nil {
			return 0, p.s.opError("read", err)
		}
		// A buffer of aheadSize: readNow reads into it directly.
		buf := *p.hsBuf
		n, err := p.s.readNow(c, buf)
		switch {
		case n > 0:
		case err == nil:
			return 0, io.EOF
		case err == syscall.EAGAIN:
			if n, err = p.waitRead(c, buf); n == 0 {
				return 0, p.s.opError("read", err)
			}
		default:
			return 0, p.s.opError("read", err)
		}
		p.hsPos, p.hsEnd = 0, n
	}
	n := copy(b, (*p.hsBuf)[p.hsPos:p.hsEnd])
	p.hsPos += n
	return n, nil
}

// endHandshakeReads gives back what the handshake read past its last
// record to the read-ahead, and hsBuf to its pool.
func (p *plainConn) endHandshakeReads() {
	if p.hsBuf == nil {
		return
	}
	if rest := (*p.hsBuf)[p.hsPos:p.hsEnd]; len(rest) > 0 {
		p.s.unreadAhead(rest)
	}
	handshakeBufs.Put(p.hsBuf)
	p.hsBuf, p.hsPos, p.hsEnd = nil, 0, 0
}

// handshakeBufs are the hsBufs of handshakes in progress.
var handshakeBufs = sync.Pool{New: func() any { b := make([]byte, aheadSize); return &b }}

// unreadAhead puts b (a copy) in front of the stream's read-ahead.
func (s *Stream) unreadAhead(b []byte) {
	s.aheadMu.Lock()
	defer s.aheadMu.Unlock()
	s.ahead = append(append(make([]byte, 0, len(b)+len(s.ahead)), b...), s.ahead...)
	s.hasAhead.Store(true)
}

// waitRead is a handshake read that found nothing: it waits on the
// poller until the socket is readable and reads it as any read does
// (readNow, so what arrived goes to the read-ahead in one call). The
// handshake's deadline goes on the socket at the first wait only (and
// comes off at the end of the handshake), so a handshake changes at most
// one poller deadline; a handshake without one keeps the net.Conn deadline.
func (p *plainConn) waitRead(c sysConn, b []byte) (int, error) {
	if !p.deadline.IsZero() && !p.deadlineSet {
		c.SetReadDeadline(p.deadline)
		p.deadlineSet = true
	}
	n, err, ok := p.waiter.read(c, b)
	switch {
	case ok:
		return n, err
	case errors.Is(err, os.ErrDeadlineExceeded):
		return 0, err
	}
	return c.Read(b) // closed, or not on the poller: the plain read tells
}

func (p *plainConn) Write(b []byte) (int, error) {
	c, err := p.s.conn()
	if err != nil {
		return 0, p.s.opError("write", err)
	}
	n, err := p.s.writeNow(c, b)
	if n == len(b) {
		return n, nil
	}
	if err == nil || err == syscall.EAGAIN {
		if p.handshaking && !p.deadline.IsZero() {
			c.SetWriteDeadline(p.deadline)
			defer c.SetWriteDeadline(p.s.userDeadline(true))
		}
		var m int
		m, err = c.Write(b[n:])
		n += m
	}
	return n, p.s.opError("write", err)
}

func (p *plainConn) Close() error {
	if p.s.sock == nil {
		return nil
	}
	return p.s.sock.close()
}

func (p *plainConn) LocalAddr() net.Addr  { return p.s.sockAddr(false) }
func (p *plainConn) RemoteAddr() net.Addr { return p.s.sockAddr(true) }

func (p *plainConn) SetDeadline(t time.Time) error {
	c, err := p.s.conn()
	if err != nil {
		return err
	}
	return c.SetDeadline(t)
}

func (p *plainConn) SetReadDeadline(t time.Time) error {
	c, err := p.s.conn()
	if err != nil {
		return err
	}
	return c.SetReadDeadline(t)
}

func (p *plainConn) SetWriteDeadline(t time.Time) error {
	c, err := p.s.conn()
	if err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// startClientTLS runs PHP's client handshake on a connected stream for the
// ssl://, tls:// and tlsv1.x:// transports and turns crypto on.
func (d *Dialer) startClientTLS(ctx context.Context, s *Stream, scheme, rest string) error {
	method, _ := transportCryptoMethod(scheme, d.Context)
	timeout := d.Timeout
	if timeout < 0 {
		timeout = 0
	}
	opts := TLSClientOptions{
		Context:   d.Context,
		Method:    method,
		URLName:   urlNameOf(rest),
		Timeout:   timeout,
		IniCAFile: d.CAFile,
		IniCAPath: d.CAPath,
		Dir:       d.Dir,
	}
	conn, info, err := clientHandshake(ctx, newPlainConn(s), opts, d.Diagnostics)
	if info != nil && d.OnCrypto != nil {
		d.OnCrypto(info)
	}
	if err != nil {
		var ve *CryptoValueError
		if !errors.As(err, &ve) {
			d.Diagnostics.emit(EWarning, "Failed to enable crypto")
		}
		return s.handshakeError(err)
	}
	s.tls, s.crypto, s.hadTLS = conn, info, true
	return nil
}

// handshakeError is the failure of a TLS handshake on the stream, or of
// stream_socket_enable_crypto's checks before one: an *OpError with Op
// "handshake" whose Err is the handshake's error (for a failure of the
// socket under it, that failure's cause) and whose Text is PHP's warning
// where the failure has one of its own (ErrCryptoUnsupported,
// ErrCryptoActive, ErrBadDescriptor), else "".
func (s *Stream) handshakeError(err error) error {
	if err == nil {
		return nil
	}
	if oe, ok := err.(*OpError); ok {
		err = oe.Err
	}
	text := ""
	if err == ErrCryptoUnsupported || err == ErrCryptoActive || err == ErrBadDescriptor {
		text = err.Error()
	}
	return &OpError{Op: "handshake", Net: s.transport(), Address: s.address, Text: text, Err: err}
}

// tlsRead is lowRead for a stream with crypto on (PHP's
// php_openssl_sockop_io): a timeout on a blocking stream sets timed_out and
// fails; an error or EOF sets eof, with OpenSSL's warning where PHP gives one.
func (s *Stream) tlsRead(p []byte) (int, bool) {
	if len(s.peeked) > 0 {
		n := copy(p, s.peeked)
		s.peeked = s.peeked[n:]
		return n, false
	}
	if s.blocking {
		s.timedOut = false
	}
	n, err := s.tlsIO(p, false)
	switch {
	case n > 0:
		return n, false
	case err == nil || errors.Is(err, io.EOF):
		s.eof = true
		return 0, false
	case errors.As(err, new(errNoPending)):
		return 0, false // selectCast found nothing decrypted
	case errors.Is(err, os.ErrDeadlineExceeded):
		if s.blocking {
			s.timedOut = true
			return 0, true
		}
		return 0, false
	}
	if t := openssl.ReadErrorText(err); t != "" {
		s.warn(EWarning, t)
	}
	s.eof = true
	return 0, false
}

// tlsIO reads (or writes) through TLS with PHP's timeout: a past deadline
// for a non-blocking stream or a zero timeout, PHP's timeout combined with
// the net.Conn deadline otherwise.
func (s *Stream) tlsIO(p []byte, write bool) (int, error) {
	user := s.userDeadline(write)
	deadline := user
	switch {
	case !s.blocking || s.timeout == 0:
		deadline = time.Unix(1, 0)
	case s.timeout > 0:
		if t := time.Now().Add(s.timeout); deadline.IsZero() || t.Before(deadline) {
			deadline = t
		}
	}
	if write {
		s.tls.SetWriteDeadline(deadline)
		defer s.tls.SetWriteDeadline(user)
		return s.tls.Write(p)
	}
	s.tls.SetReadDeadline(deadline)
	defer s.tls.SetReadDeadline(user)
	return s.tls.Read(p)
}

// tlsAlive is PHP's liveness check with crypto on (SSL_peek): a record
// that decrypts to data means alive (the bytes are kept for the next
// read); close_notify, EOF or an error means dead; nothing yet means alive.
func (s *Stream) tlsAlive() bool {
	if len(s.peeked) > 0 {
		return true
	}
	var b [ChunkSize]byte
	blocking := s.blocking
	s.blocking = false
	n, err := s.tlsIO(b[:], false)
	s.blocking = blocking
	if n > 0 {
		s.peeked = append(s.peeked[:0], b[:n]...)
		return true
	}
	return err != nil && errors.Is(err, os.ErrDeadlineExceeded)
}

// errNoPending is the transport's answer to a read while selectCast asks
// the TLS layer for what it holds: a temporary net.Error, so crypto/tls
// returns it without failing the session.
type errNoPending struct{}

func (errNoPending) Error() string   { return "phpstream: no decrypted data pending" }
func (errNoPending) Timeout() bool   { return true }
func (errNoPending) Temporary() bool { return true }

// Crypto returns the negotiated session while crypto is on, else nil.
func (s *Stream) Crypto() *CryptoInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tls == nil {
		return nil
	}
	return s.crypto
}

// ConnectionState returns the TLS state while crypto is on.
func (s *Stream) ConnectionState() (tls.ConnectionState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tls == nil {
		return tls.ConnectionState{}, false
	}
	return s.tls.ConnectionState(), true
}

// ErrCryptoUnsupported is the cause of EnableCrypto's error for streams
// that cannot do TLS (udp, unix, udg): PHP's "This stream does not support
// SSL/crypto".
var ErrCryptoUnsupported = errors.New("This stream does not support SSL/crypto")

// ErrCryptoActive is the cause of EnableCrypto's error when crypto is
// already on: PHP's "SSL/TLS already set-up for this stream".
var ErrCryptoActive = errors.New("SSL/TLS already set-up for this stream")

// ErrCryptoNotInitialized marks a session_stream without TLS: PHP's
// "Supplied SSL session stream is not initialized" (setup goes on).
var ErrCryptoNotInitialized = errors.New("Supplied SSL session stream is not initialized")

// EnableCrypto is stream_socket_enable_crypto($s, true, $method) on a
// stream: PHP's setup and handshake on the open connection, with the
// stream's context options and the ini CA defaults. A method without the
// client bit (1) asks for the server role. The budget is the connect
// timeout for the client role and PHP's stream timeout for the server role;
// when it expires the stream is left non-blocking, as PHP leaves it.
//
// On a non-blocking stream the handshake runs in the background and
// EnableCrypto returns done == false until it has finished; call again
// (PHP's stream_socket_enable_crypto returning 0). Handshake warnings go
// to the stream's DiagnosticFunc (SetDiagnostics) when the result is
// reported. It must not run concurrently with other I/O on the stream. A
// failure is an *OpError with Op "handshake" whose Err is the cause (the
// handshake's error, a *CryptoValueError, ErrCryptoActive, ...).
func (s *Stream) EnableCrypto(ctx context.Context, method int64, opts TLSClientOptions) (info *CryptoInfo, done bool, err error) {
	if method&cryptoClientBit == 0 {
		return s.EnableServerCrypto(ctx, TLSServerOptions{Context: opts.Context, Method: method,
			IniCAFile: opts.IniCAFile, IniCAPath: opts.IniCAPath, Dir: opts.Dir, Now: opts.Now})
	}
	return s.enableCrypto(ctx, func() handshakeFunc {
		opts.Method = method
		if opts.URLName == "" {
			_, rest := SplitScheme(s.address)
			opts.URLName = urlNameOf(rest)
		}
		if opts.Timeout == 0 && s.connectTimeout > 0 {
			opts.Timeout = s.connectTimeout
		}
		return func(ctx context.Context, raw net.Conn, diag DiagnosticFunc) (*tls.Conn, *CryptoInfo, error) {
			return clientHandshake(ctx, raw, opts, diag)
		}
	})
}

// handshakeFunc runs one side's TLS setup and handshake on raw.
type handshakeFunc func(ctx context.Context, raw net.Conn, diag DiagnosticFunc) (*tls.Conn, *CryptoInfo, error)

// enableCrypto is what both roles of stream_socket_enable_crypto share:
// PHP's checks (no TLS for this transport, "already set-up", no socket),
// a handshake in the background on a non-blocking stream, and a stream
// left non-blocking after a handshake timeout. prepare runs with the
// stream locked and returns the handshake to run. The handshake's
// warnings go to the stream's DiagnosticFunc.
func (s *Stream) enableCrypto(ctx context.Context, prepare func() handshakeFunc) (_ *CryptoInfo, _ bool, err error) {
	defer func() { err = s.handshakeError(err) }()
	if s.kind != kindTCP || !s.profile.hasTLS() {
		return nil, true, ErrCryptoUnsupported
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hs != nil {
		return s.finishBackground()
	}
	if s.hadTLS {
		if s.blocking {
			return nil, true, ErrCryptoActive
		}
		return nil, true, ErrCryptoSilent
	}
	if s.sock == nil {
		return nil, true, ErrBadDescriptor
	}
	handshake := prepare()
	s.hadTLS = true
	if !s.blocking {
		hs := &backgroundHandshake{done: make(chan struct{})}
		s.hs = hs
		go func() {
			defer close(hs.done)
			hs.conn, hs.info, hs.err = handshake(ctx, newPlainConn(s), func(d Diagnostic) {
				hs.diags = append(hs.diags, d)
			})
		}()
		return nil, false, nil
	}
	conn, info, err := handshake(ctx, newPlainConn(s), s.diagnostics())
	if err != nil {
		if errors.Is(err, openssl.ErrHandshakeTimeout) || errors.Is(err, os.ErrDeadlineExceeded) {
			s.blocking = false
		}
		return info, true, err
	}
	s.tls, s.crypto = conn, info
	return info, true, nil
}

// ErrCryptoSilent is the cause of EnableCrypto's error that PHP reports
// without a warning (a non-blocking stream whose handshake has finished
// already).
var ErrCryptoSilent = errors.New("phpstream: crypto already enabled")

// ErrBadDescriptor is the cause of EnableCrypto's error on a stream
// without a socket: PHP's "SSL: Bad file descriptor".
var ErrBadDescriptor = errors.New("SSL: Bad file descriptor")

// backgroundHandshake is a handshake of a non-blocking stream in progress.
type backgroundHandshake struct {
	done  chan struct{}
	conn  *tls.Conn
	info  *CryptoInfo
	err   error
	diags []Diagnostic
}

// finishBackground reports a background handshake if it has finished,
// raising the warnings it collected.
func (s *Stream) finishBackground() (*CryptoInfo, bool, error) {
	select {
	case <-s.hs.done:
	default:
		return nil, false, nil
	}
	hs := s.hs
	s.hs = nil
	if diag := s.diagnostics(); diag != nil {
		for _, d := range hs.diags {
			diag(d)
		}
	}
	if hs.err != nil {
		return hs.info, true, hs.err
	}
	s.tls, s.crypto = hs.conn, hs.info
	return hs.info, true, nil
}

// DisableCrypto is stream_socket_enable_crypto($s, false): it sends
// close_notify and the stream is plain again. It reports whether crypto
// was on (PHP returns false either way).
func (s *Stream) DisableCrypto() bool {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tls == nil {
		return false
	}
	sendCloseNotify(s.tls)
	s.tls, s.crypto = nil, nil // hadTLS stays: PHP keeps its SSL handle
	return true
}

// closeNotifyBudget bounds the write of a close_notify alert: the alert
// is a few dozen bytes, so only a peer that stopped reading can hold it up.
const closeNotifyBudget = time.Second

// sendCloseNotify is OpenSSL's SSL_shutdown on an established session:
// the close_notify alert goes out and the connection stays open, so the
// stream can carry on in plain text (PHP after stream_socket_enable_crypto
// with false, or after a failed peer verification). crypto/tls leaves a
// past write deadline behind it on the transport; on a stream's own socket
// the net.Conn write deadline the user set comes back instead.
func sendCloseNotify(conn *tls.Conn) {
	conn.SetWriteDeadline(time.Now().Add(closeNotifyBudget))
	conn.CloseWrite()
	var restore time.Time
	if pc, ok := conn.NetConn().(*plainConn); ok {
		restore = pc.s.userDeadline(true)
	}
	conn.SetWriteDeadline(restore)
}

func newPlainConn(s *Stream) *plainConn {
	return &plainConn{s: s, firstHandshake: -1, waiter: pollReader{s: s}}
}

// runHandshake runs conn's handshake over raw within PHP's budget
// (timeout <= 0: none). On a stream's own socket (plainConn) the budget is
// a deadline its reads and writes check only when they have to wait, so a
// handshake costs no deadline changes on the poller, no context timer and
// no watcher goroutine in crypto/tls; ctx still cancels it. Any other
// net.Conn gets a context timeout and a connection deadline. A budget that
// runs out is openssl.ErrHandshakeTimeout or os.ErrDeadlineExceeded.
func runHandshake(ctx context.Context, conn *tls.Conn, raw net.Conn, timeout time.Duration) error {
	if pc, ok := raw.(*plainConn); ok {
		pc.handshaking = true
		if timeout > 0 {
			pc.deadline = time.Now().Add(timeout)
		}
		pc.hsBuf = handshakeBufs.Get().(*[]byte)
		err := conn.HandshakeContext(ctx)
		pc.endHandshakeReads()
		if pc.deadlineSet {
			pc.SetReadDeadline(pc.s.userDeadline(false))
		}
		pc.handshaking, pc.deadline, pc.deadlineSet = false, time.Time{}, false
		if timeout > 0 && errors.Is(err, os.ErrDeadlineExceeded) {
			err = openssl.ErrHandshakeTimeout
		}
		return err
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
		raw.SetDeadline(time.Now().Add(timeout))
		defer raw.SetDeadline(time.Time{})
	}
	err := conn.HandshakeContext(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = openssl.ErrHandshakeTimeout
	}
	return err
}
