package phpstream

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/phpsock/phpsock/internal/openssl"
	"github.com/phpsock/phpsock/internal/phpvalue"
)

// TLSClientOptions are the inputs of a client-side TLS setup.
type TLSClientOptions struct {
	// Context holds the "ssl" options; nil means none.
	Context *Context
	// Method is the crypto method (transportCryptoMethod for the
	// transports; stream_socket_enable_crypto's argument as given).
	Method int64
	// URLName is the host PHP derives from the address (urlNameOf), used
	// for verification and SNI unless peer_name is set; "" for none.
	URLName string
	// Timeout is the handshake budget (the connect timeout); <= 0: none.
	Timeout time.Duration
	// IniCAFile and IniCAPath are the openssl.cafile / openssl.capath
	// settings ("" when unset), used when the context sets neither.
	IniCAFile, IniCAPath string
	// Dir is the working directory relative paths of the CA settings
	// and of local_cert and local_pk start from; "" is the process's.
	Dir string
	// Now is the time certificates are checked against; zero: time.Now.
	Now time.Time
}

// CryptoInfo is what a client handshake leaves: the negotiated session as
// stream_get_meta_data's "crypto" array reports it, the peer certificates
// PHP stores in the context with capture_peer_cert /
// capture_peer_cert_chain (nil when the option is off), and the Go state.
type CryptoInfo struct {
	Protocol      string // "TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"
	CipherName    string // OpenSSL's name
	CipherBits    int
	CipherVersion string // the suite's minimum protocol, as OpenSSL spells it
	ALPN          string // "" when none was negotiated

	// PeerCertificate is set with capture_peer_cert, PeerCertificateChain
	// with capture_peer_cert_chain; both are captured before PHP's
	// verification policy runs, so they are set even when it fails.
	PeerCertificate      *x509.Certificate
	PeerCertificateChain []*x509.Certificate

	State tls.ConnectionState
}

// CryptoValueError is a ValueError PHP throws during the setup (an empty
// cafile path). No further warning follows it: the caller throws.
type CryptoValueError struct{ Message string }

func (e *CryptoValueError) Error() string { return "phpstream: tls: " + e.Message }

// urlNameOf is the peer name PHP derives from a transport address (the part
// after "scheme://", e.g. "localhost:443"; get_url_name): its host with
// trailing dots removed. A bracketed IPv6 literal gives none (recorded:
// tls/ipv6-literal-no-name), so verify_peer_name then fails silently and
// no SNI is sent.
func urlNameOf(address string) string {
	if strings.HasPrefix(address, "[") {
		return ""
	}
	host := address
	if i := strings.IndexByte(address, ':'); i >= 0 {
		host = address[:i]
	}
	return strings.TrimRight(host, ".")
}

// tlsSetup is the result of PHP's php_openssl_setup_crypto for a client.
type tlsSetup struct {
	config      *tls.Config
	verifyPeer  bool
	level       int
	store       *openssl.CAStore
	params      openssl.VerifyParams
	verifyErr   error // chain verification result, set in VerifyConnection
	leafOK      bool
	minV, maxV  uint16
	noCipherErr bool
}

// option reads ctx's ssl option.
func (o *TLSClientOptions) option(name string) (any, bool) {
	return o.Context.Option("ssl", name)
}

// boolOption is PHP's GET_VER_OPT + zend_is_true with a default.
func (o *TLSClientOptions) boolOption(name string, def bool) bool {
	return boolOption(o.Context, name, def)
}

// newClientSetup is php_openssl_setup_crypto for a client: it emits PHP's
// warnings and returns nil when PHP fails the setup (the caller then emits
// "Failed to enable crypto"), or a *CryptoValueError.
func newClientSetup(o *TLSClientOptions, diag DiagnosticFunc) (*tlsSetup, error) {
	s := &tlsSetup{}
	s.minV, s.maxV = contextVersionRange(o.Context, o.Method)
	cfg := &tls.Config{
		MinVersion:         s.minV,
		MaxVersion:         s.maxV,
		InsecureSkipVerify: true, // PHP's own policy runs in VerifyConnection and after the handshake
		Renegotiation:      tls.RenegotiateFreelyAsClient,
	}
	if s.maxV <= tls.VersionTLS12 {
		// OpenSSL sends no supported_versions below TLS 1.3: its
		// ClientHello offers the maximum and every version below it, and
		// it refuses a ServerHello under its minimum itself ("unsupported
		// protocol"), where crypto/tls would list only the range and the
		// server would refuse it with a protocol_version alert. Offer what
		// OpenSSL offers; verifyConnection refuses what OpenSSL refuses
		// (recorded: phpt-openssl/tlsv1.0_wrapper-tlsv1.1, a TLS 1.1
		// client and a TLS 1.0 server; a server above the maximum still
		// sends the alert: tls/version-tls12-vs-tls13-server).
		cfg.MinVersion = tls.VersionTLS10
	}
	// Peer verification (CA locations only when verifying).
	s.verifyPeer = o.boolOption("verify_peer", true)
	if s.verifyPeer {
		cafile, capath := o.IniCAFile, o.IniCAPath
		haveFile, havePath := cafile != "", capath != ""
		if v, ok := o.option("cafile"); ok {
			cafile, haveFile = phpvalue.String(v), true
		}
		if v, ok := o.option("capath"); ok {
			capath, havePath = phpvalue.String(v), true
		}
		r := loadVerifyLocations(o.Dir, cafile, capath, haveFile, havePath, diag)
		if r.valueError != "" {
			return nil, &CryptoValueError{Message: r.valueError}
		}
		if r.store == nil {
			return nil, nil
		}
		s.store = r.store
		s.params.Store = r.store
		s.params.AllowSelfSigned = o.boolOption("allow_self_signed", false)
		s.params.Depth = 9
		if v, ok := o.option("verify_depth"); ok {
			s.params.Depth = uint64(phpvalue.Int(v)) // PHP compares as zend_ulong
		}
	}
	var pass []byte
	passSet := false
	if v, ok := o.option("passphrase"); ok {
		pass, passSet = []byte(phpvalue.String(v)), true
	}
	// Ciphers: PHP's default string unless set; a failure is silent.
	cipherStr := openssl.PHPDefaultCiphers
	if v, ok := o.option("ciphers"); ok {
		cipherStr = phpvalue.String(v)
	}
	spec := openssl.CipherSpecFor(cipherStr)
	if !spec.OK {
		return nil, nil
	}
	s.level = openssl.DefaultSecurityLevel
	if spec.Level >= 0 {
		s.level = spec.Level
	}
	if v, ok := o.option("security_level"); ok {
		l := phpvalue.Int(v)
		if l < 0 || l > 5 {
			diag.emit(EWarning, "Security level must be between 0 and 5")
		}
		s.level = openssl.ClampLevel(l)
	}
	s.params.Level = s.level
	cfg.CipherSuites = spec.IDs[s.level]
	if s.maxV < tls.VersionTLS13 && !spec.Any[s.level] {
		// OpenSSL has nothing to offer for TLS <= 1.2 at this level.
		s.noCipherErr = true
	}
	// Suites OpenSSL would offer and crypto/tls lacks (DHE, CCM, ...)
	// cannot be offered: an empty list makes crypto/tls offer no TLS <= 1.2
	// suite at all (documented divergence).
	cfg.CurvePreferences = openssl.CurvesForLevel(s.level)
	// ALPN.
	if v, ok := o.option("alpn_protocols"); ok {
		protos, valid, parsed := parseALPN(phpvalue.String(v))
		if !parsed {
			diag.emit(EWarning, "Failed parsing comma-separated TLS ALPN protocol string")
			return nil, nil
		}
		if valid {
			cfg.NextProtos = protos
		}
	}
	// Client certificate.
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
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			return cert, nil // OpenSSL sends its certificate whatever the request says
		}
	}
	if o.boolOption("no_ticket", false) {
		cfg.SessionTicketsDisabled = true
	}
	// SNI: peer_name, else the URL name, when SNI_enabled (default on).
	if o.boolOption("SNI_enabled", true) {
		name := o.URLName
		if v, ok := o.option("peer_name"); ok {
			name = phpvalue.String(v)
		}
		cfg.ServerName = name // crypto/tls never sends an IP literal (documented divergence)
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

// parseALPN is PHP's comma-list parser for alpn_protocols: parsed is false
// when an entry is over 255 bytes (PHP's warning); valid is false when
// OpenSSL refuses the list silently (an empty entry), so no ALPN is sent.
func parseALPN(s string) (protos []string, valid, parsed bool) {
	parts := strings.Split(s, ",")
	valid = true
	for _, p := range parts {
		if len(p) > 255 {
			return nil, false, false
		}
		if p == "" {
			valid = false
		}
	}
	return parts, valid, true
}

// verifyConnection runs during the handshake, where OpenSSL runs its
// chain verification with PHP's callback and its security checks.
func (s *tlsSetup) verifyConnection(cs tls.ConnectionState) error {
	if cs.Version < s.minV {
		// The server chose a version below the range (possible only with
		// the wider offer above); OpenSSL refuses its ServerHello. The
		// handshake stops at the server's certificate, before the client
		// has sent anything more, though with a bad_certificate alert
		// where OpenSSL sends protocol_version (the peer's view only).
		return openssl.UnsupportedProtocolError{}
	}
	if s.level >= 1 && cs.Version < tls.VersionTLS12 {
		if openssl.EphemeralKeyExchange(cs.CipherSuite) {
			return openssl.LegacySigalgError{}
		}
	}
	if !s.verifyPeer {
		return nil
	}
	if _, err := openssl.VerifyChain(cs.PeerCertificates, s.params); err != nil {
		return err
	}
	return nil
}

// clientHandshake runs PHP's client-side crypto setup and handshake on raw
// (a connected net.Conn) with the options of opts, the peer name, the
// timeout and the ini CA defaults. It emits PHP's diagnostics (without the
// function prefix) through diag and returns the *tls.Conn and the session
// information. On failure the *tls.Conn is nil; the caller then emits
// "Failed to enable crypto" (and, on connect, its "Unable to connect"),
// except after a *CryptoValueError, which PHP throws instead. The
// CryptoInfo returned with a policy failure carries the captured
// certificates, which PHP stores in the context even then.
func clientHandshake(ctx context.Context, raw net.Conn, opts TLSClientOptions, diag DiagnosticFunc) (*tls.Conn, *CryptoInfo, error) {
	s, err := newClientSetup(&opts, diag)
	if err != nil {
		return nil, nil, err
	}
	if s == nil {
		return nil, nil, &cryptoWarning{msg: "setup failed"}
	}
	if s.noCipherErr {
		diag.emit(EWarning, openssl.HandshakeErrorText(openssl.NoCiphersError{}))
		return nil, nil, openssl.NoCiphersError{}
	}
	conn := tls.Client(raw, s.config)
	if err := runHandshake(ctx, conn, raw, opts.Timeout); err != nil {
		// The wire tells what crypto/tls reports only in words: a first
		// handshake message other than ServerHello (2) from the server.
		if pc, ok := raw.(*plainConn); ok && pc.firstHandshake >= 0 && pc.firstHandshake != 2 &&
			!errors.Is(err, openssl.ErrHandshakeTimeout) && !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			err = openssl.UnexpectedMessageError{Cause: err}
		}
		if t := openssl.HandshakeErrorText(err); t != "" {
			diag.emit(EWarning, t)
		}
		return nil, nil, err
	}
	return finishHandshake(conn, opts.Context, s.verifyPeer, true, opts.URLName, diag)
}

// finishHandshake is what follows a completed handshake in either role:
// the session's CryptoInfo with the certificates capture_peer_cert and
// capture_peer_cert_chain ask for, then PHP's peer policy (applyPeerPolicy).
// On a policy failure the session is shut down as PHP's SSL_shutdown does
// (close_notify sent, the socket left open for plain I/O: recorded
// crypto/peer-name-fails-then-plain) and the CryptoInfo still returned, as
// PHP keeps the captured certificates in the context even then.
func finishHandshake(conn *tls.Conn, ctx *Context, verifyPeer, verifyNameDefault bool, urlName string, diag DiagnosticFunc) (*tls.Conn, *CryptoInfo, error) {
	cs := conn.ConnectionState()
	info := cryptoInfo(cs)
	if len(cs.PeerCertificates) > 0 {
		if boolOption(ctx, "capture_peer_cert", false) {
			info.PeerCertificate = cs.PeerCertificates[0]
		}
		if boolOption(ctx, "capture_peer_cert_chain", false) {
			info.PeerCertificateChain = cs.PeerCertificates
		}
	}
	if err := applyPeerPolicy(ctx, verifyPeer, verifyNameDefault, urlName, cs, diag); err != nil {
		sendCloseNotify(conn)
		return nil, info, err
	}
	return conn, info, nil
}

// applyPeerPolicy is php_openssl_apply_peer_verification_policy after a
// completed handshake, for either role: a peer certificate when a policy
// needs one, the fingerprint, then the peer name (peer_name, else the URL
// name, which a server does not have; no name at all fails silently).
func applyPeerPolicy(ctx *Context, verifyPeer, verifyNameDefault bool, urlName string, cs tls.ConnectionState, diag DiagnosticFunc) error {
	verifyName := boolOption(ctx, "verify_peer_name", verifyNameDefault)
	fp, checkFP := ctx.Option("ssl", "peer_fingerprint")
	if (verifyPeer || verifyName || checkFP) && len(cs.PeerCertificates) == 0 {
		diag.emit(EWarning, "Could not get peer certificate")
		return &cryptoWarning{msg: "no peer certificate"}
	}
	if checkFP && !checkFingerprint(fp, cs.PeerCertificates[0].Raw, diag) {
		return &cryptoWarning{msg: "peer_fingerprint"}
	}
	if verifyName {
		name, have := urlName, urlName != ""
		if v, ok := ctx.Option("ssl", "peer_name"); ok {
			name, have = phpvalue.String(v), true
		}
		if !have {
			return &cryptoWarning{msg: "no peer name"} // silent, as in PHP
		}
		if w, ok := verifyPeerName(cs.PeerCertificates[0], name); !ok {
			diag.emit(EWarning, w)
			// PHP's own match decided (CN fallback, its wildcards); the
			// error is crypto/x509's for a name the certificate lacks.
			return &peerNameError{err: x509.HostnameError{Certificate: cs.PeerCertificates[0], Host: name}}
		}
	}
	return nil
}

// peerNameError is PHP's peer name check failing after the handshake;
// it unwraps to the x509.HostnameError for the certificate and the name.
type peerNameError struct{ err x509.HostnameError }

func (e *peerNameError) Error() string { return "phpstream: tls: peer name: " + e.err.Error() }

func (e *peerNameError) Unwrap() error { return e.err }

// boolOption reads an ssl option as PHP's bool, def when unset.
func boolOption(ctx *Context, name string, def bool) bool {
	if v, ok := ctx.Option("ssl", name); ok {
		return phpvalue.Bool(v)
	}
	return def
}

func cryptoInfo(cs tls.ConnectionState) *CryptoInfo {
	name, bits, ver := openssl.CipherInfo(cs.CipherSuite)
	return &CryptoInfo{
		Protocol:      openssl.VersionName(cs.Version),
		CipherName:    name,
		CipherBits:    bits,
		CipherVersion: ver,
		ALPN:          cs.NegotiatedProtocol,
		State:         cs,
	}
}
