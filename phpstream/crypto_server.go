package phpstream

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"slices"
	"time"

	"github.com/phpsock/phpsock/internal/openssl"
	"github.com/phpsock/phpsock/internal/phpvalue"
)

// The server role of PHP's TLS (xp_ssl.c with a method lacking the client
// bit): the handshake ssl:// and tls:// servers run on accept, and
// stream_socket_enable_crypto with a *_SERVER method.

// TLSServerOptions are the inputs of a server-side TLS setup.
type TLSServerOptions struct {
	// Context holds the "ssl" options (local_cert, local_pk, passphrase,
	// verify_peer, cafile, ...); nil means none.
	Context *Context
	// Method is the crypto method without the client bit.
	Method int64
	// Timeout is the handshake budget (the stream's PHP timeout); <= 0: none.
	Timeout time.Duration
	// IniCAFile and IniCAPath are openssl.cafile / openssl.capath.
	IniCAFile, IniCAPath string
	// Dir is the working directory relative paths of the CA settings,
	// local_cert, local_pk and SNI_server_certs start from; "" is the
	// process's.
	Dir string
	// Now is the time client certificates are checked against; zero: time.Now.
	Now time.Time
}

func (o *TLSServerOptions) option(name string) (any, bool) { return o.Context.Option("ssl", name) }

func (o *TLSServerOptions) boolOption(name string, def bool) bool {
	return boolOption(o.Context, name, def)
}

// noSharedCipherError is OpenSSL's failure of a server without a
// certificate: no suite it can use.
type noSharedCipherError struct{}

func (noSharedCipherError) Error() string { return "phpstream: tls: no shared cipher" }

// noSharedCipherText is PHP's own text for SSL_R_NO_SHARED_CIPHER (with
// its two spaces).
const noSharedCipherText = "SSL_R_NO_SHARED_CIPHER: no suitable shared cipher could be used.  This could be because the server is missing an SSL certificate (local_cert context option)"

// serverSetup is php_openssl_setup_crypto for a server.
type serverSetup struct {
	config     *tls.Config
	verifyPeer bool
	// handshakeVerify: client certificates are requested and verified.
	handshakeVerify bool
	params          openssl.VerifyParams
	// minV and maxV are the server's protocol range.
	minV, maxV uint16
	// cert is local_cert's certificate, nil without one; sni the loaded
	// SNI_server_certs entries (crypto_sni.go), nil without the option.
	cert *tls.Certificate
	sni  []sniCert
	spec *openssl.CipherSpec
	// refusal is set when the ClientHello is refused for a reason
	// crypto/tls reports only in words: the handshake's error is replaced
	// by it (the connection's setup is its own, so this is per connection).
	refusal error
}

// newServerSetup builds the server configuration, emitting PHP's warnings;
// nil means the setup failed (the caller emits "Failed to enable crypto").
func newServerSetup(o *TLSServerOptions, diag DiagnosticFunc) (*serverSetup, error) {
	s := &serverSetup{}
	minV, maxV := contextVersionRange(o.Context, o.Method)
	s.minV, s.maxV = minV, maxV
	cfg := &tls.Config{MinVersion: minV, MaxVersion: maxV, ClientAuth: tls.NoClientCert}
	// OpenSSL verifies a client certificate during the handshake unless
	// verify_peer is set false (PHP enables peer verification by default
	// on servers too); only the policy after it defaults to off.
	s.verifyPeer = o.boolOption("verify_peer", false)
	if v, ok := o.option("verify_peer"); !ok || phpvalue.Bool(v) {
		s.handshakeVerify = true
		cafile, capath := o.IniCAFile, o.IniCAPath
		haveFile, havePath := cafile != "", capath != ""
		if v, ok := o.option("cafile"); ok {
			cafile, haveFile = phpvalue.String(v), true
		}
		if v, ok := o.option("capath"); ok {
			capath, havePath = phpvalue.String(v), true
		}
		if haveFile || havePath {
			r := loadVerifyLocations(o.Dir, cafile, capath, haveFile, havePath, diag)
			if r.valueError != "" {
				return nil, &CryptoValueError{Message: r.valueError}
			}
			if r.store == nil {
				return nil, nil
			}
			s.params.Store = r.store
		} else {
			// Servers load no default verify locations: nothing is trusted.
			s.params.Store = openssl.NewCAStore(nil)
		}
		s.params.AllowSelfSigned = o.boolOption("allow_self_signed", false)
		s.params.Depth = 9
		if v, ok := o.option("verify_depth"); ok {
			s.params.Depth = uint64(phpvalue.Int(v))
		}
		// OpenSSL asks for a certificate and goes on without one.
		cfg.ClientAuth = tls.RequestClientCert
	}
	var pass []byte
	passSet := false
	if v, ok := o.option("passphrase"); ok {
		pass, passSet = []byte(phpvalue.String(v)), true
	}
	cipherStr := openssl.PHPDefaultCiphers
	if v, ok := o.option("ciphers"); ok {
		cipherStr = phpvalue.String(v)
	}
	spec := openssl.CipherSpecFor(cipherStr)
	if !spec.OK {
		return nil, nil
	}
	level := openssl.DefaultSecurityLevel
	if spec.Level >= 0 {
		level = spec.Level
	}
	if v, ok := o.option("security_level"); ok {
		l := phpvalue.Int(v)
		if l < 0 || l > 5 {
			diag.emit(EWarning, "Security level must be between 0 and 5")
		}
		level = openssl.ClampLevel(l)
	}
	s.params.Level = level
	cfg.CipherSuites = spec.IDs[level]
	cfg.CurvePreferences = openssl.CurvesForLevel(level)
	var alpn []string
	if v, ok := o.option("alpn_protocols"); ok {
		protos, valid, parsed := parseALPN(phpvalue.String(v))
		if !parsed {
			diag.emit(EWarning, "Failed parsing comma-separated TLS ALPN protocol string")
			return nil, nil
		}
		if valid {
			alpn = protos
		}
	}
	if v, ok := o.option("local_cert"); ok {
		certPath := phpvalue.String(v)
		keyPath := certPath
		if pk, ok := o.option("local_pk"); ok {
			keyPath = phpvalue.String(pk)
		}
		cert, ok := loadLocalCert(o.Dir, certPath, keyPath, pass, passSet, diag)
		if !ok {
			return nil, nil
		}
		s.cert = cert
	}
	// SNI comes last in PHP's setup (after SSL_new).
	sni, ok := loadServerSNI(o, diag)
	if !ok {
		return nil, nil
	}
	s.sni = sni
	s.spec = spec
	if o.boolOption("no_ticket", false) {
		cfg.SessionTicketsDisabled = true
	}
	// Each connection's configuration is decided from its ClientHello.
	cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		return s.configForClient(cfg, hello, alpn)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	s.params.Now = now
	cfg.VerifyConnection = s.verifyConnection
	s.config = cfg
	return s, nil
}

// configForClient decides the handshake from the ClientHello as OpenSSL's
// server does, in its order: the version, the servername callback's
// certificate, the suites (a certificate is needed below TLS 1.3), then
// the signature algorithm; it returns the connection's configuration.
func (s *serverSetup) configForClient(base *tls.Config, hello *tls.ClientHelloInfo, alpn []string) (*tls.Config, error) {
	c := base.Clone()
	c.GetConfigForClient = nil
	// OpenSSL's server enables TLS 1.3 only with a certificate that can
	// sign it, or a servername callback that might supply one
	// (is_tls13_capable): without local_cert and SNI_server_certs it
	// negotiates TLS 1.2 at most, then finds no suite (recorded:
	// server/tls-accept-no-local-cert).
	if s.cert == nil && s.sni == nil && c.MaxVersion > tls.VersionTLS12 {
		c.MaxVersion = tls.VersionTLS12
	}
	v, ok := serverVersion(hello, c.MinVersion, c.MaxVersion)
	if !ok {
		// No version in common: OpenSSL refuses the ClientHello with
		// "unsupported protocol" (recorded:
		// phpt-openssl/tlsv1.2_wrapper-server-client-1.3 and the other
		// *-server-client-* cases). crypto/tls refuses it just the same,
		// with the same protocol_version alert, on the configuration
		// returned here.
		s.refusal = openssl.UnsupportedProtocolError{}
		return c, nil
	}
	cert, level := s.sniCertFor(hello.ServerName)
	if level != s.params.Level {
		// The entry's context brings its own security level.
		c.CipherSuites = s.spec.IDs[level]
		c.CurvePreferences = openssl.CurvesForLevel(level)
	}
	switch {
	case cert == nil && v == tls.VersionTLS13:
		// TLS 1.3 was enabled for the servername callback, which found
		// no certificate (recorded:
		// phpt-openssl/sni_server-no-match-no-local-cert).
		return nil, openssl.NoSuitableSigalgError{}
	case cert == nil:
		// Every suite below TLS 1.3 needs a certificate (recorded:
		// server/tls-accept-no-local-cert, server/starttls-no-cert).
		return nil, noSharedCipherError{}
	case v < tls.VersionTLS12 && level >= 1:
		// TLS 1.0 and 1.1 sign with MD5+SHA-1 (RSA) or SHA-1 (ECDSA),
		// which OpenSSL 3 refuses from security level 1 whatever the key
		// exchange: its server finds no signature algorithm for the
		// certificate and fails before the ServerHello (recorded:
		// phpt-openssl/stream_crypto_flags_004-server-tls10-client-1.0,
		// tls_min_v1.0_max_v1.1_wrapper-server-client-1.1; at level 0 the
		// handshake succeeds: tlsv1.0_wrapper-server-client-1.0).
		// crypto/tls sends an internal_error alert, as OpenSSL does.
		return nil, openssl.NoSuitableSigalgError{}
	}
	c.Certificates = []tls.Certificate{*cert}
	// OpenSSL's ALPN callback picks the first of the server's protocols
	// the client offers and negotiates none without an overlap, where
	// crypto/tls would abort: offer only the overlap.
	c.NextProtos = nil
	for _, p := range alpn {
		if slices.Contains(hello.SupportedProtos, p) {
			c.NextProtos = []string{p}
			break
		}
	}
	return c, nil
}

// verifyConnection verifies a client certificate, when one came, as
// OpenSSL's verify callback does during the handshake.
func (s *serverSetup) verifyConnection(cs tls.ConnectionState) error {
	if !s.handshakeVerify || len(cs.PeerCertificates) == 0 {
		return nil
	}
	return openssl.VerifyClientChain(cs.PeerCertificates, s.params)
}

// extSupportedVersions is the supported_versions extension (RFC 8446).
const extSupportedVersions = 43

// serverVersion is the version a server with the range [minV, maxV]
// negotiates with hello: the highest of its range the client offers, as
// both OpenSSL and crypto/tls choose it; ok is false when they share none.
// A ClientHello without supported_versions offers its legacy version and
// those below it, TLS 1.2 at most (RFC 8446 4.2.1).
func serverVersion(hello *tls.ClientHelloInfo, minV, maxV uint16) (uint16, bool) {
	legacy := !slices.Contains(hello.Extensions, extSupportedVersions)
	for v := int(maxV); v >= int(minV) && v >= tls.VersionTLS10; v-- {
		if legacy && v > tls.VersionTLS12 {
			continue
		}
		if slices.Contains(hello.SupportedVersions, uint16(v)) {
			return uint16(v), true
		}
	}
	return 0, false
}

// refusedHelloError is a handshake that failed on a ClientHello the setup
// refused: PHP reports reason, whatever words crypto/tls used.
type refusedHelloError struct {
	reason error
	cause  error
}

func (e *refusedHelloError) Error() string { return e.reason.Error() + ": " + e.cause.Error() }

// Unwrap gives both, so errors.As finds the reason's type.
func (e *refusedHelloError) Unwrap() []error { return []error{e.reason, e.cause} }

// serverHandshake runs PHP's server-side crypto setup and handshake on raw
// (a connected net.Conn) and returns the *tls.Conn and the session. It
// emits PHP's diagnostics through diag; on failure the *tls.Conn is nil and
// the caller emits "Failed to enable crypto" (except after a
// *CryptoValueError, which PHP throws).
func serverHandshake(ctx context.Context, raw net.Conn, opts TLSServerOptions, diag DiagnosticFunc) (*tls.Conn, *CryptoInfo, error) {
	s, err := newServerSetup(&opts, diag)
	if err != nil {
		return nil, nil, err
	}
	if s == nil {
		return nil, nil, &cryptoWarning{msg: "setup failed"}
	}
	conn := tls.Server(raw, s.config)
	if err := runHandshake(ctx, conn, raw, opts.Timeout); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			err = openssl.ErrHandshakeTimeout
		}
		if s.refusal != nil && !errors.Is(err, openssl.ErrHandshakeTimeout) {
			err = &refusedHelloError{reason: s.refusal, cause: err}
		}
		if errors.As(err, new(noSharedCipherError)) {
			diag.emit(EWarning, noSharedCipherText)
		} else if t := openssl.HandshakeErrorText(err); t != "" {
			diag.emit(EWarning, t)
		}
		return nil, nil, err
	}
	// A server has no URL name: the name is checked only with peer_name.
	return finishHandshake(conn, opts.Context, s.verifyPeer, false, "", diag)
}

// EnableServerCrypto is stream_socket_enable_crypto($s, true, $method)
// with a method lacking the client bit: PHP's server-side handshake on the
// open connection (a STARTTLS server), with the stream's PHP timeout as
// budget; when it expires the stream is left non-blocking, as PHP leaves
// it. On a non-blocking stream the handshake runs in the background and
// done is false until it has finished. Warnings go to the stream's
// DiagnosticFunc (SetDiagnostics) when the result is reported.
func (s *Stream) EnableServerCrypto(ctx context.Context, opts TLSServerOptions) (info *CryptoInfo, done bool, err error) {
	return s.enableCrypto(ctx, func() handshakeFunc {
		if opts.Timeout == 0 {
			opts.Timeout = max(s.timeout, 0)
		}
		return func(ctx context.Context, raw net.Conn, diag DiagnosticFunc) (*tls.Conn, *CryptoInfo, error) {
			return serverHandshake(ctx, raw, opts, diag)
		}
	})
}
