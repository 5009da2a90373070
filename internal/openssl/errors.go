package openssl

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"reflect"
	"strings"
	"syscall"

	"github.com/phpsock/phpsock/errno"
)

// The TLS error table: Go's handshake errors, classified by type (never
// by message text), as the warning PHP 8.2 with OpenSSL 3.0 prints for the
// same event. Every row names the recorded case proving it
// (conformance/cases/tls.json), or why none can exist.

// opensslLine is one line of OpenSSL's error queue as ERR_error_string_n
// prints it under OpenSSL 3 ("error:0A000086:SSL routines::certificate
// verify failed").
func opensslLine(reason int, text string) string {
	return fmt.Sprintf("error:%08X:SSL routines::%s", 0x0A000000|reason, text)
}

// sslFailed is php_openssl_handle_ssl_error's text for SSL_ERROR_SSL
// (code 1) with one queued error.
func sslFailed(reason int, text string) string {
	return "SSL operation failed with code 1. OpenSSL Error messages:\n" + opensslLine(reason, text)
}

// OpenSSL reason codes used below.
const (
	reasonCertificateVerifyFailed = 0x086
	reasonWrongVersionNumber      = 0x10B
	reasonHTTPSProxyRequest       = 0x09B
	reasonHTTPRequest             = 0x09C
	reasonLegacySigalg            = 0x14D
	reasonNoCiphersAvailable      = 0x0B5
	reasonUnsupportedProtocol     = 0x102
	reasonNoSuitableSigalg        = 0x076
	reasonPacketLengthTooLong     = 0x0C6
	// An alert received from the peer is reason 1000 + alert number.
	reasonAlertOffset = 1000
)

// alertReasons are OpenSSL's texts for received alerts (SSL_AD_REASON_OFFSET
// + description).
var alertReasons = map[uint8]string{
	0:   "sslv3 alert close notify",
	10:  "sslv3 alert unexpected message",
	20:  "sslv3 alert bad record mac",
	21:  "tlsv1 alert decryption failed",
	22:  "tlsv1 alert record overflow",
	30:  "sslv3 alert decompression failure",
	40:  "sslv3 alert handshake failure",
	41:  "sslv3 alert no certificate",
	42:  "sslv3 alert bad certificate",
	43:  "sslv3 alert unsupported certificate",
	44:  "sslv3 alert certificate revoked",
	45:  "sslv3 alert certificate expired",
	46:  "sslv3 alert certificate unknown",
	47:  "sslv3 alert illegal parameter",
	48:  "tlsv1 alert unknown ca",
	49:  "tlsv1 alert access denied",
	50:  "tlsv1 alert decode error",
	51:  "tlsv1 alert decrypt error",
	60:  "tlsv1 alert export restriction",
	70:  "tlsv1 alert protocol version",
	71:  "tlsv1 alert insufficient security",
	80:  "tlsv1 alert internal error",
	86:  "tlsv1 alert inappropriate fallback",
	90:  "tlsv1 alert user cancelled",
	100: "tlsv1 alert no renegotiation",
	109: "tlsv13 alert missing extension",
	110: "tlsv1 unsupported extension",
	111: "tlsv1 certificate unobtainable",
	112: "tlsv1 unrecognized name",
	113: "tlsv1 bad certificate status response",
	114: "tlsv1 bad certificate hash value",
	115: "tlsv1 alert unknown psk identity",
	116: "tlsv13 alert certificate required",
	120: "tlsv1 alert no application protocol",
}

// AlertText is OpenSSL's error line for a fatal alert received from the
// peer, "" for an alert number OpenSSL has no text for.
func AlertText(alert uint8) string {
	t, ok := alertReasons[alert]
	if !ok {
		return ""
	}
	return opensslLine(reasonAlertOffset+int(alert), t)
}

// LegacySigalgError: the server signed its key exchange with SHA-1/MD5
// (TLS 1.0/1.1 with an ECDHE suite), which OpenSSL 3 refuses from
// security level 1.
type LegacySigalgError struct{}

func (LegacySigalgError) Error() string {
	return "phpstream: tls: legacy sigalg disallowed or unsupported"
}

// UnsupportedProtocolError: the peers share no protocol version. OpenSSL
// refuses a ClientHello (server) or a ServerHello (client) offering none of
// its enabled versions with SSL_R_UNSUPPORTED_PROTOCOL.
type UnsupportedProtocolError struct{}

func (UnsupportedProtocolError) Error() string { return "phpstream: tls: unsupported protocol" }

// NoSuitableSigalgError: a server has no signature algorithm its
// certificate can sign the handshake with (SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM):
// TLS 1.0/1.1 at security level >= 1, or no certificate for TLS 1.3.
type NoSuitableSigalgError struct{}

func (NoSuitableSigalgError) Error() string {
	return "phpstream: tls: no suitable signature algorithm"
}

// NoCiphersError: OpenSSL has no suite to offer for the enabled versions.
type NoCiphersError struct{}

func (NoCiphersError) Error() string { return "phpstream: tls: no ciphers available" }

// A ChainError is a chain verification failure during the handshake (the
// verify callback returned 0): OpenSSL aborts the handshake with
// "certificate verify failed".
type ChainError struct {
	Reason string // what failed, for Error
	Err    error  // the cause, if any (crypto/x509's error)
}

func (e *ChainError) Error() string {
	if e.Err != nil {
		return "phpstream: tls: certificate verify failed: " + e.Reason + ": " + e.Err.Error()
	}
	return "phpstream: tls: certificate verify failed: " + e.Reason
}

// Unwrap returns Err.
func (e *ChainError) Unwrap() error { return e.Err }

// An UnexpectedMessageError is a handshake message out of order from the peer.
type UnexpectedMessageError struct{ Cause error }

func (e UnexpectedMessageError) Error() string { return "phpstream: tls: unexpected handshake message" }

// Unwrap returns Cause.
func (e UnexpectedMessageError) Unwrap() error { return e.Cause }

// ErrHandshakeTimeout is PHP's own deadline for the handshake expiring:
// an os.ErrDeadlineExceeded, as the expiry of a net.Conn deadline is.
var ErrHandshakeTimeout = fmt.Errorf("phpstream: tls: handshake timed out: %w", os.ErrDeadlineExceeded)

// localAlert extracts the alert crypto/tls sent itself ("local error").
func localAlert(err error) (uint8, bool) {
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "local error" || oe.Err == nil {
		return 0, false
	}
	v := reflect.ValueOf(oe.Err)
	if v.Kind() != reflect.Uint8 {
		return 0, false
	}
	return uint8(v.Uint()), true
}

// remoteAlert extracts the alert a peer sent: crypto/tls reports it as a
// *net.OpError with Op "remote error" whose Err is its (unexported)
// uint8-based alert type.
func remoteAlert(err error) (uint8, bool) {
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "remote error" || oe.Err == nil {
		return 0, false
	}
	v := reflect.ValueOf(oe.Err)
	if v.Kind() != reflect.Uint8 {
		return 0, false
	}
	return uint8(v.Uint()), true
}

// HandshakeErrorText maps a client handshake error to the warning PHP
// prints ("" for none: PHP fails silently, e.g. on EOF). Errors of our
// own verification carry their text already and are emitted where they
// happen.
func HandshakeErrorText(err error) string {
	var ce *ChainError
	var rh tls.RecordHeaderError
	var en syscall.Errno
	if a, ok := remoteAlert(err); ok {
		// Row: received fatal alert (recorded: tls/alert-*, tls/version-*,
		// tls/ciphers-* handshake failure, tls/client-cert-* bad certificate).
		if a == 0 {
			return "" // close_notify during the handshake: EOF (tls/alert-close-notify)
		}
		if t := AlertText(a); t != "" {
			return "SSL operation failed with code 1. OpenSSL Error messages:\n" + t
		}
		return sslFailed(reasonAlertOffset+int(a), "unknown alert type")
	}
	if a, ok := localAlert(err); (ok && a == 10) || errors.As(err, new(UnexpectedMessageError)) {
		// Row: a handshake message out of order, e.g. a peer that echoes
		// the ClientHello back (recorded: crypto/plain-peer-echoes).
		return sslFailed(244, "unexpected message")
	}
	switch {
	case errors.As(err, &ce):
		// Row: chain verification failed (tls/verify-*, tls/cert-expired,
		// tls/cert-selfsigned, tls/verify-depth-0, tls/seclevel-*).
		return sslFailed(reasonCertificateVerifyFailed, "certificate verify failed")
	case errors.As(err, new(LegacySigalgError)):
		// Row: TLS 1.0/1.1 ECDHE at security level >= 1 (tls/version-tls10-default).
		return sslFailed(reasonLegacySigalg, "legacy sigalg disallowed or unsupported")
	case errors.As(err, new(UnsupportedProtocolError)):
		// Row: no protocol version in common, decided from the peer's hello
		// (a server: phpt-openssl/tlsv1.2_wrapper-server-client-1.3; a
		// client: phpt-openssl/tlsv1.0_wrapper-tlsv1.1).
		return sslFailed(reasonUnsupportedProtocol, "unsupported protocol")
	case errors.As(err, new(NoSuitableSigalgError)):
		// Row: a server that cannot sign the handshake
		// (phpt-openssl/stream_crypto_flags_004-server-tls10-client-1.0).
		return sslFailed(reasonNoSuitableSigalg, "no suitable signature algorithm")
	case errors.As(err, new(NoCiphersError)):
		// Row: no suite for the versions (unrecorded: OpenSSL fails locally
		// before sending anything, which a case cannot tell apart).
		return sslFailed(reasonNoCiphersAvailable, "no ciphers available")
	case errors.As(err, &rh):
		// Row: not TLS (tls/plain-server, tls/http-server); an oversized
		// record with a TLS header is OpenSSL's "packet length too long"
		// (unrecorded).
		if rh.RecordHeader[1] == 3 && isTLSContentType(rh.RecordHeader[0]) {
			return sslFailed(reasonPacketLengthTooLong, "packet length too long")
		}
		// OpenSSL names an HTTP request or a proxy's CONNECT where the
		// first record should be (recorded: https/proxy-connect-echo).
		switch h := string(rh.RecordHeader[:]); {
		case strings.HasPrefix(h, "GET "), strings.HasPrefix(h, "POST "), strings.HasPrefix(h, "HEAD "), strings.HasPrefix(h, "PUT "):
			return sslFailed(reasonHTTPRequest, "http request")
		case h == "CONNE":
			return sslFailed(reasonHTTPSProxyRequest, "https proxy request")
		}
		return sslFailed(reasonWrongVersionNumber, "wrong version number")
	case errors.Is(err, ErrHandshakeTimeout), errors.Is(err, os.ErrDeadlineExceeded):
		// Row: PHP's handshake deadline (tls/handshake-timeout).
		return "SSL: Handshake timed out"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		// Row: EOF during the handshake is silent (tls/server-closes).
		return ""
	case errors.As(err, &en):
		// Row: a failed system call, strerror's text (tls/server-resets).
		return "SSL: " + errno.Message(en)
	}
	// Row: any other local failure of crypto/tls (untyped errors): OpenSSL
	// prints an error queue PHP cannot tell; the empty-queue form is used
	// (unrecordable: OpenSSL has no such failures to provoke).
	return "SSL operation failed with code 1. "
}

func isTLSContentType(b byte) bool { return b >= 20 && b <= 24 }

// ReadErrorText maps an error of a read or write on an established TLS
// stream to PHP's warning ("" for none: EOF and close_notify are silent;
// PHP sets OpenSSL's SSL_OP_IGNORE_UNEXPECTED_EOF). Recorded:
// tls/client-cert-required-tls13 (an alert received on the first read).
func ReadErrorText(err error) string {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ""
	}
	if a, ok := remoteAlert(err); ok {
		if a == 0 {
			return ""
		}
		if t := AlertText(a); t != "" {
			return "SSL operation failed with code 1. OpenSSL Error messages:\n" + t
		}
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return "SSL: " + errno.Message(en)
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return sslFailed(reasonWrongVersionNumber, "wrong version number")
	}
	return "SSL operation failed with code 1. "
}
