package phpstream

import (
	"context"
	"github.com/phpsock/phpsock/internal/phpvalue"
	"net"
	"runtime"
	"sync"
	"syscall"
	"time"
	"weak"
)

// This file is the server half of PHP's socket streams:
// stream_socket_server (php_stream_xport_create with STREAM_XPORT_SERVER and
// php_network_bind_socket_to_local_addr) and stream_socket_accept
// (php_network_accept_incoming, and xp_ssl.c's handshake on accept for the
// TLS transports). The system calls are in server_unix.go.

// A ListenConfig opens server streams the way PHP's stream_socket_server
// does. The zero value binds and listens with the default profile and no
// context (PHP's default flags STREAM_SERVER_BIND | STREAM_SERVER_LISTEN).
type ListenConfig struct {
	// Profile is the PHP build to emulate; nil means DefaultProfile.
	Profile *Profile

	// BindOnly binds without listening (flags STREAM_SERVER_BIND alone):
	// how PHP code opens udp:// and udg:// servers.
	BindOnly bool

	// NoBind returns a stream without a socket (flags without
	// STREAM_SERVER_BIND), as PHP does.
	NoBind bool

	// Context supplies the "socket" options backlog (default 32),
	// so_reuseport, ipv6_v6only, so_broadcast and tcp_nodelay (applied to
	// accepted sockets), and, for ssl:// and tls:// servers, the "ssl"
	// options of the handshake on accept. Accepted streams share it.
	Context *Context

	// Resolver looks up host names; nil means net.DefaultResolver.
	Resolver *net.Resolver

	// Diagnostics receives PHP's warnings and notices; nil discards them.
	Diagnostics DiagnosticFunc

	// CAFile and CAPath are the openssl.cafile and openssl.capath ini
	// settings, used to verify client certificates (verify_peer).
	CAFile, CAPath string

	// Dir is the working directory that relative file paths of the ssl
	// options (local_cert, local_pk, SNI_server_certs, cafile, capath)
	// and of CAFile and CAPath start from; "" is the process's.
	Dir string
}

// DefaultBacklog is PHP's listen() backlog when the context's
// socket/backlog option is not set.
const DefaultBacklog = 32

func (lc *ListenConfig) profile() *Profile {
	if lc.Profile != nil {
		return lc.Profile
	}
	return DefaultProfile
}

// serverInfo is what a server stream remembers beyond a Stream's fields:
// the context and TLS settings its accepted streams inherit.
type serverInfo struct {
	ctx       *Context
	listening bool
	tlsScheme string // "" unless a TLS transport (handshake on accept)
	caFile    string
	caPath    string
	dir       string // ListenConfig.Dir
}

// servers maps server streams (weakly) to their serverInfo; an entry goes
// when its stream is garbage collected.
var servers sync.Map // weak.Pointer[Stream] -> *serverInfo

func registerServer(s *Stream, info *serverInfo) {
	s.server = true // before the stream is handed out: read without a lock
	wp := weak.Make(s)
	servers.Store(wp, info)
	runtime.AddCleanup(s, func(k weak.Pointer[Stream]) { servers.Delete(k) }, wp)
}

func serverOf(s *Stream) *serverInfo {
	if !s.server {
		return nil // most streams: no weak pointer, no map lookup
	}
	v, ok := servers.Load(weak.Make(s))
	if !ok {
		return nil
	}
	return v.(*serverInfo)
}

// IsServer reports whether the stream was opened by Listen.
func (s *Stream) IsServer() bool { return serverOf(s) != nil }

// Listening reports whether the stream is a listening server socket.
func (s *Stream) Listening() bool {
	si := serverOf(s)
	return si != nil && si.listening
}

// Listen opens a server stream on a PHP transport address such as
// "tcp://127.0.0.1:8000", "udp://0.0.0.0:53" (with BindOnly),
// "unix:///run/x.sock", "tls://[::1]:8443" or "127.0.0.1:80" (no scheme:
// tcp). A failure is an *OpError whose Text is PHP's $error_message ("" where
// PHP has none, e.g. a failed listen() or unix bind); PHP's own $error_code
// is always 0 for servers, Errno carries the bind's errno for Go callers.
// Diagnostics PHP raises on the way (resolver, path truncation) go to
// lc.Diagnostics; the final "Unable to connect" warning is the caller's.
// The server stream reports to lc.Diagnostics too, and so do the streams
// it accepts (Stream.SetDiagnostics changes that).
//
// The returned stream is a net.Listener (Accept, Addr, Close) as well as a
// PHP stream: PHP's reads and writes work on it as they do in PHP.
func (lc *ListenConfig) Listen(ctx context.Context, address string) (*Stream, error) {
	s, err := lc.listen(ctx, address)
	return s, withTransport(err, address)
}

func (lc *ListenConfig) listen(ctx context.Context, address string) (*Stream, error) {
	if err := ctx.Err(); err != nil {
		return nil, &OpError{Op: "listen", Address: address, Err: err}
	}
	p := lc.profile()
	scheme, rest := SplitScheme(address)
	if !p.HasTransport(scheme) {
		return nil, &OpError{Op: "listen", Address: address, Text: unknownTransportText(scheme)}
	}
	kind := transportKindOf(scheme)
	info := &serverInfo{ctx: lc.Context, caFile: lc.CAFile, caPath: lc.CAPath, dir: lc.Dir}
	if kind == kindTLS {
		kind = kindTCP
		info.tlsScheme = scheme
	}
	s := newStream(p, kind, address)
	s.SetDiagnostics(lc.Diagnostics)
	registerServer(s, info)
	if lc.NoBind {
		return s, nil
	}
	var err error
	if kind == kindUnix || kind == kindUDG {
		err = lc.bindUnix(s, rest)
	} else {
		err = lc.bindInet(ctx, s, rest)
	}
	if err != nil {
		return nil, err
	}
	if lc.BindOnly {
		return s, nil
	}
	backlog := int64(DefaultBacklog)
	if v, ok := lc.Context.Option("socket", "backlog"); ok {
		backlog = phpvalue.Int(v)
	}
	if err := s.listen(int(int32(backlog))); err != nil {
		s.Close()
		return nil, &OpError{Op: "listen", Address: address, Errno: toErrnoAny(err)}
	}
	info.listening = true
	return s, nil
}

// Addr returns the listening address (net.Listener); nil without a socket.
func (s *Stream) Addr() net.Addr { return s.LocalAddr() }

// AcceptOptions tune AcceptStream.
type AcceptOptions struct {
	// Timeout bounds the wait for a connection, truncated to milliseconds
	// as PHP's poll truncates it; negative waits forever, zero polls once.
	Timeout time.Duration
}

// AcceptStream is stream_socket_accept: it waits up to opts.Timeout for a
// connection and returns it as a new blocking stream that shares the
// server's context and PHP timeout, with TCP_NODELAY when the context's
// socket/tcp_nodelay is set, and peer, the peer's name as PHP's $peer_name
// receives it. On an ssl:// or tls:// server the handshake runs before it
// returns, with the server stream's PHP timeout as its budget; if it fails,
// its warnings and "Failed to enable crypto" go to the server stream's
// DiagnosticFunc, peer is still set and the error is an *OpError with Op
// "handshake" whose Err is the handshake's (PHP then warns "Accept failed:
// Success"). The new stream starts with the server stream's DiagnosticFunc.
// Other failures are *OpErrors with Op "accept" whose Errno and Text are
// PHP's ("Connection timed out" when the wait expires, with
// os.ErrDeadlineExceeded as Err; net.ErrClosed as Err once the server is
// closed).
func (s *Stream) AcceptStream(ctx context.Context, opts AcceptOptions) (c *Stream, peer string, err error) {
	si := serverOf(s)
	if si == nil {
		si = &serverInfo{}
	}
	diag := s.diagnostics()
	if s.sock == nil || s.closed.Load() {
		var cause error = syscall.EBADF
		if s.closed.Load() {
			cause = net.ErrClosed
		}
		return nil, "", &OpError{Op: "accept", Net: s.transport(), Address: s.address, Errno: syscall.EBADF, Text: errnoText(syscall.EBADF), Err: cause}
	}
	c, peer, err = s.acceptRaw(ctx, opts.Timeout, si)
	if err != nil {
		return nil, "", withTransport(err, s.address)
	}
	c.SetDiagnostics(diag)
	if si.tlsScheme != "" {
		method, _ := transportCryptoMethod(si.tlsScheme, si.ctx)
		method &^= cryptoClientBit
		o := TLSServerOptions{Context: si.ctx, Method: method, Timeout: c.phpTimeout(), IniCAFile: si.caFile, IniCAPath: si.caPath, Dir: si.dir}
		conn, info, herr := serverHandshake(ctx, newPlainConn(c), o, diag)
		if herr != nil {
			diag.emit(EWarning, "Failed to enable crypto")
			c.Close()
			return nil, peer, c.handshakeError(herr)
		}
		c.tls, c.crypto, c.hadTLS = conn, info, true
	}
	return c, peer, nil
}

// phpTimeout is the stream's PHP timeout as a handshake budget (0: none).
func (s *Stream) phpTimeout() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return max(s.timeout, 0)
}

// Accept waits for the next connection (net.Listener). On ssl:// and
// tls:// servers a connection whose handshake fails is dropped and the
// wait goes on. Once the server is closed the error wraps net.ErrClosed.
func (s *Stream) Accept() (net.Conn, error) {
	for {
		c, _, err := s.AcceptStream(context.Background(), AcceptOptions{Timeout: -1})
		if oe, ok := err.(*OpError); ok && oe.Op == "handshake" {
			continue
		}
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// Listener returns the server stream as a net.Listener.
func (s *Stream) Listener() net.Listener { return s }

var _ net.Listener = (*Stream)(nil)
