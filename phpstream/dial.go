package phpstream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// A Dialer opens client streams the way PHP's stream_socket_client and
// fsockopen do. The zero value dials with the default profile, no timeout
// and no context.
type Dialer struct {
	// Profile is the PHP build to emulate; nil means DefaultProfile.
	Profile *Profile

	// Timeout bounds the whole connect, across every resolved address, as
	// PHP's connect timeout does. It is truncated to milliseconds like PHP's
	// poll: a positive value under one millisecond polls once without
	// waiting (PHP's timeout of 0). Zero or negative means no limit.
	Timeout time.Duration

	// Async starts the connect and returns at once with the stream still
	// connecting (STREAM_CLIENT_ASYNC_CONNECT): only the first address is
	// tried, and the kernel's state is what later I/O sees.
	Async bool

	// NoConnect returns a stream without a socket (flags without
	// STREAM_CLIENT_CONNECT): writes return 0 and reads fail.
	NoConnect bool

	// Context supplies the "socket" options bindto, tcp_nodelay and
	// so_broadcast. nil means none.
	Context *Context

	// Resolver looks up host names; nil means net.DefaultResolver.
	// Numeric hosts, in every form getaddrinfo accepts, never reach it.
	Resolver *net.Resolver

	// Control, if not nil, is called with each socket after PHP's socket
	// options are applied and before connect, like net.Dialer.Control.
	// An error from it fails that address like a failed connect.
	Control func(network, address string, c syscall.RawConn) error

	// Diagnostics receives PHP's warnings and notices; nil discards them.
	Diagnostics DiagnosticFunc

	// CAFile and CAPath are the openssl.cafile and openssl.capath ini
	// settings: the CA locations when the context's ssl options give none
	// (then the system store).
	CAFile, CAPath string

	// Dir is the working directory that relative file paths of the ssl
	// options (cafile, capath, local_cert, local_pk) and of CAFile and
	// CAPath start from, as PHP resolves them against its current
	// directory; "" is the process's.
	Dir string

	// OnCrypto, if not nil, receives the session of a TLS transport's
	// handshake, also when PHP's verification then fails: it carries the
	// certificates capture_peer_cert(_chain) asks for.
	OnCrypto func(*CryptoInfo)
}

func (d *Dialer) profile() *Profile {
	if d.Profile != nil {
		return d.Profile
	}
	return DefaultProfile
}

// timeoutMillis is the connect budget as PHP's poll sees it: -1 for none.
func (d *Dialer) timeoutMillis() int64 {
	switch {
	case d.Timeout <= 0:
		return -1
	case d.Timeout < time.Millisecond:
		return 0
	}
	return d.Timeout.Milliseconds()
}

// Dial opens a stream to a PHP transport address such as
// "tcp://127.0.0.1:80", "udp://[::1]:53", "unix:///run/x.sock" or
// "localhost:80" (no scheme: tcp).
//
// A failure is an *OpError with Op "connect" (Op "handshake" when the TLS
// handshake of ssl://, tls://, ... failed) carrying PHP's errno and error
// text, and the cause: the errno (ECONNREFUSED, ENOENT, ...), the
// context's error (with errno ECANCELED), os.ErrDeadlineExceeded when
// d.Timeout expired (with errno ETIMEDOUT), the handshake's error.
// Diagnostics PHP raises on the way (resolver, bindto, path truncation, the
// TLS handshake) go to d.Diagnostics before Dial returns; the final "Unable
// to connect" warning is the caller's, as in PHP. The stream reports its
// own diagnostics to d.Diagnostics too (Stream.SetDiagnostics changes that).
func (d *Dialer) Dial(ctx context.Context, address string) (*Stream, error) {
	s, err := d.dial(ctx, address)
	return s, withTransport(err, address)
}

func (d *Dialer) dial(ctx context.Context, address string) (*Stream, error) {
	if err := ctx.Err(); err != nil {
		return nil, &OpError{Op: "connect", Address: address, Errno: syscall.ECANCELED, Text: err.Error(), Err: err}
	}
	p := d.profile()
	scheme, rest := SplitScheme(address)
	if !p.HasTransport(scheme) {
		return nil, &OpError{Op: "connect", Address: address, Text: unknownTransportText(scheme)}
	}
	kind := transportKindOf(scheme)
	tlsOnConnect := kind == kindTLS
	if tlsOnConnect {
		kind = kindTCP // a TLS transport is a tcp socket with crypto on
	}
	s := newStream(p, kind, address)
	s.SetDiagnostics(d.Diagnostics)
	s.connectTimeout = max(d.Timeout, 0)
	if d.NoConnect {
		return s, nil
	}
	var err error
	switch kind {
	case kindUnix, kindUDG:
		err = d.dialUnix(ctx, s, rest)
	default:
		err = d.dialInet(ctx, s, rest)
	}
	if err != nil {
		return nil, err
	}
	if tlsOnConnect {
		if err := d.startClientTLS(ctx, s, scheme, rest); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// connectFailure is the error of one connect attempt.
type connectFailure struct {
	errno syscall.Errno
	text  string
	err   error // a Go-side cause (context, Control hook)
}

// dialInet is PHP's php_network_connect_socket_to_host for tcp and udp.
func (d *Dialer) dialInet(ctx context.Context, s *Stream, rest string) error {
	hp, err := ParseHostPort(rest)
	if err != nil {
		return &OpError{Op: "connect", Address: s.address, Text: err.Error()}
	}
	var bindto string
	var bindport uint16
	haveBind := false
	if v, ok := d.Context.Option("socket", "bindto"); ok {
		str, isStr := v.(string)
		if !isStr {
			return &OpError{Op: "connect", Address: s.address, Text: "local_addr context option is not a string."}
		}
		// A bindto that does not parse is ignored, as in PHP.
		if bp, err := ParseHostPort(str); err == nil {
			bindto, bindport, haveBind = bp.Host, bp.Port, true
		}
	}
	addrs, rerr := resolve(ctx, d.Resolver, hp.Host)
	if rerr != nil {
		text := rerr.text()
		d.Diagnostics.emit(EWarning, text)
		return &OpError{Op: "connect", Address: s.address, Text: text}
	}
	ms := d.timeoutMillis()
	var deadline time.Time
	if ms >= 0 {
		deadline = time.Now().Add(time.Duration(ms) * time.Millisecond)
	}
	var last *connectFailure
	for _, a := range addrs {
		if a.Is6() && haveBind && !strings.Contains(bindto, ":") {
			continue // an IPv4 bindto skips IPv6 addresses
		}
		b := bindSpec{host: bindto, port: bindport, set: haveBind}
		cf, tried := d.attempt(ctx, s, a, hp.Port, b, deadline, ms)
		if !tried {
			continue // socket() failed: PHP silently tries the next address
		}
		if cf == nil {
			return nil
		}
		last = cf
		if d.Async {
			break
		}
		if ms >= 0 && !time.Now().Before(deadline) {
			break
		}
		if ctx.Err() != nil {
			break
		}
	}
	if last == nil {
		return &OpError{Op: "connect", Address: s.address}
	}
	return &OpError{Op: "connect", Address: s.address, Errno: last.errno, Text: last.text, Err: last.err}
}

// bindSpec is a parsed bindto option.
type bindSpec struct {
	host string
	port uint16
	set  bool
}

// localAddr returns the address to bind to for a connect to a, raising
// PHP's warning for one inet_pton refuses. ok is false when nothing is to
// be bound.
func (d *Dialer) localAddr(b bindSpec, a netip.Addr) (local netip.Addr, ok bool) {
	if !b.set || (a.Is4() && strings.Contains(b.host, ":")) {
		return netip.Addr{}, false // an IPv6 bindto is dropped for IPv4 addresses
	}
	// PHP converts the bindto host with inet_pton (dotted quads, IPv6
	// without zones). A host of exactly "0" binds nothing and says nothing
	// (recorded: connect/bindto-zero-*).
	if a.Is4() && b.host == "0" {
		return netip.Addr{}, false
	}
	local, err := netip.ParseAddr(b.host)
	ok = err == nil && local.Is4() == a.Is4() && local.Zone() == ""
	if !ok {
		d.Diagnostics.emit(EWarning, "Invalid IP Address: "+b.host)
		return netip.Addr{}, false
	}
	return local, true
}

// bindFailed raises PHP's warning for a failed bind; the connect goes on.
func (d *Dialer) bindFailed(b bindSpec, err error) {
	var e syscall.Errno
	errors.As(err, &e)
	d.Diagnostics.emit(EWarning, fmt.Sprintf("Failed to bind to '%s:%d', system said: %s", b.host, b.port, errnoText(e)))
}

// controlNetwork is the network name Dialer.Control receives.
func controlNetwork(k transportKind, a netip.Addr) string {
	n := "tcp"
	if k == kindUDP {
		n = "udp"
	}
	if a.Is6() {
		return n + "6"
	}
	return n + "4"
}
