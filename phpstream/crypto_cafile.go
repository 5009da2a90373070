package phpstream

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// PHP's cafile fallback (php_openssl_load_stream_cafile): when OpenSSL
// cannot load the cafile as a path (SSL_CTX_load_verify_locations fails,
// e.g. for "file://..." or a file without a certificate OpenSSL accepts),
// PHP opens it again through its stream wrappers, without REPORT_ERRORS
// (the wrapper's own failure texts are not shown), and:
//
//   - an open that fails: "failed loading cafile stream: `CAFILE'";
//   - a stream of a URL wrapper (http, https, ftp, ftps, data): closed
//     unread, "remote cafile streams are disabled for security purposes";
//   - any other stream (plain files, php://, compress.zlib://): read line
//     by line for PEM certificates; none: "no valid certs found cafile
//     stream: `CAFILE'".
//
// Either warning fails the setup. Those texts are php_error's (no function
// prefix); warnings raised on the way (the wrapper lookup, a resolver or
// an ftp connect failure) carry the function's. The certificates loaded
// this way are the only ones: OpenSSL loads no capath after a failed
// cafile. Wrappers phpsock does not open yet (ErrUnsupportedURL) are
// emulated as far as PHP's behaviour is observable.

// cafileConnectTimeout is PHP's default_socket_timeout default, the
// timeout of the http and ftp wrappers the fallback opens or emulates
// (the TLS options carry no ini but the CA settings).
const cafileConnectTimeout = 60 * time.Second

// loadStreamCAFile is php_openssl_load_stream_cafile. It returns the
// certificates and the cache key of their content, or none after emitting
// PHP's warnings; valueError is the ValueError PHP throws instead (an
// empty path).
func loadStreamCAFile(dir, cafile string, diag DiagnosticFunc) (certs []*x509.Certificate, key string, valueError string) {
	if cafile == "" {
		return nil, "", "Path cannot be empty"
	}
	failed := func() ([]*x509.Certificate, string, string) {
		diag.emitBare(EWarning, fmt.Sprintf("failed loading cafile stream: `%s'", cString(cafile)))
		return nil, "", ""
	}
	remote := func() ([]*x509.Certificate, string, string) {
		diag.emitBare(EWarning, "remote cafile streams are disabled for security purposes")
		return nil, "", ""
	}
	// The lookup warns about an unknown wrapper (then opens a plain file
	// of that name), but not about file://host without REPORT_ERRORS.
	wrapper, path, ok := locate(cafile, diag, false)
	if !ok {
		return failed()
	}
	var data []byte
	switch wrapper {
	case "":
		// Plain files (recorded: phpt-openssl/bug65538_001-cafile-file-url-socket,
		// tls/cafile-missing, tls/cafile-no-certs, tls/cafile-directory).
		path = resolvePath(dir, path)
		fi, err := os.Stat(path)
		if err != nil {
			return failed()
		}
		if fi.IsDir() {
			// PHP opens the directory and its first read fails.
			diag.emit(ENotice, ioNotice("Read", 8192, syscall.EISDIR).Error())
			break
		}
		if data, err = os.ReadFile(path); err != nil {
			return failed()
		}
	case "http", "https", "ftp", "ftps", "data":
		// No context: PHP opens the cafile with none, so the network
		// wrappers take default_socket_timeout (its default here).
		s, err := OpenURL(cafile, "rb", OpenOptions{Diagnostics: diag, DefaultSocketTimeout: cafileConnectTimeout})
		switch {
		case err == nil:
			s.Close()
			return remote()
		case !errors.Is(err, ErrUnsupportedURL):
			return failed()
		}
		emulateRemoteCAFile(wrapper, cafile, diag)
		return failed()
	default:
		// php:// (memory, temp, filter) and compress.zlib:// are local
		// streams; the others (glob, phar) open nothing phpsock can read.
		s, err := OpenURL(cafile, "rb", OpenOptions{Diagnostics: diag, Dir: dir})
		if err != nil {
			return failed()
		}
		data = s.GetContents(-1)
		s.Close()
	}
	certs = streamPEMCertificates(data)
	if len(certs) == 0 {
		diag.emitBare(EWarning, fmt.Sprintf("no valid certs found cafile stream: `%s'", cString(cafile)))
		return nil, "", ""
	}
	h := sha256.New()
	for _, c := range certs {
		h.Write(c.Raw)
	}
	return certs, "stream\x00" + string(h.Sum(nil)), ""
}

// emulateRemoteCAFile is what PHP's http and ftp wrappers do for a cafile
// URL where phpsock has no wrapper yet: they connect to the URL's host
// (resolver failures warn as for any connect) and fail silently, except
// the ftp wrapper, which reports its failed connect ("connect() failed:
// TEXT"; recorded: phpt-openssl/bug65538_002-cafile-ftp-url-socket; http:
// bug65538_002-cafile-http-url-socket). A server that answers cannot be
// spoken to: the open is taken as failed, as it is when the file is
// missing (PHP would refuse a downloaded cafile anyway, with the "remote
// cafile streams" text).
func emulateRemoteCAFile(wrapper, cafile string, diag DiagnosticFunc) {
	u, ok := parsePHPURL(cafile)
	if !ok || u.host == "" {
		return
	}
	port := u.port
	if !u.hasPort {
		switch wrapper {
		case "http":
			port = 80
		case "https":
			port = 443
		default: // ftp, ftps
			port = 21
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), cafileConnectTimeout)
	defer cancel()
	d := &Dialer{Timeout: cafileConnectTimeout, Diagnostics: diag}
	// The host is as the URL spells it, an IPv6 literal in its brackets.
	s, err := d.Dial(ctx, "tcp://"+u.host+":"+strconv.Itoa(int(port)))
	if err != nil {
		var oe *OpError
		if (wrapper == "ftp" || wrapper == "ftps") && errors.As(err, &oe) {
			diag.emit(EWarning, "connect() failed: "+oe.Text)
		}
		return
	}
	s.Close()
}

// streamPEMCertificates reads certificates as PHP's fallback does: line
// by line, a certificate starting at a line that is exactly "-----BEGIN
// CERTIFICATE-----" (with "\n" or "\r\n") and ending at "-----END
// CERTIFICATE-----", each decoded on its own (one that does not parse is
// skipped).
func streamPEMCertificates(data []byte) []*x509.Certificate {
	var out []*x509.Certificate
	var block []byte
	in := false
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		if !in {
			switch string(line) { // a switch on string(line) does not copy it
			case "-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\r\n":
				in, block = true, append(block[:0], line...)
			}
			continue
		}
		block = append(block, line...)
		switch string(line) {
		case "-----END CERTIFICATE-----", "-----END CERTIFICATE-----\n", "-----END CERTIFICATE-----\r\n":
			in = false
			if b, _ := pem.Decode(block); b != nil {
				if c, err := x509.ParseCertificate(b.Bytes); err == nil {
					out = append(out, c)
				}
			}
		}
	}
	return out
}
