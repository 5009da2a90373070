package phpstream

import (
	"crypto/tls"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/phpsock/phpsock/internal/openssl"
	"github.com/phpsock/phpsock/internal/phpvalue"
)

// Server-side SNI (php_openssl_enable_server_sni and its servername
// callback): SNI_server_certs maps host names (PHP's wildcard names) to a
// combined PEM file or to ['local_cert' => ..., 'local_pk' => ...]. Every
// entry is loaded at the setup, in order, each into a context of its own,
// and the first failure fails the setup, whether or not a client would ever
// ask for that name (recorded: phpt-openssl/bug73072-sni-cert-missing-file,
// sni_server-no-match-falls-back). During the handshake the first entry
// whose name matches the client's server_name supplies the certificate;
// without a match (or without SNI) the server's own local_cert does.

// sniCert is one loaded SNI_server_certs entry.
type sniCert struct {
	name string
	cert *tls.Certificate
}

// loadServerSNI reads SNI_server_certs as PHP's setup does, emitting its
// warnings. sni is nil when the option is unset or SNI_enabled is false;
// ok is false when the setup fails.
func loadServerSNI(o *TLSServerOptions, diag DiagnosticFunc) (sni []sniCert, ok bool) {
	if !o.boolOption("SNI_enabled", true) {
		return nil, true
	}
	v, set := o.option("SNI_server_certs")
	if !set {
		return nil, true
	}
	arr, isArr := v.(OptionArray)
	if !isArr {
		diag.emit(EWarning, "SNI_server_certs requires an array mapping host names to cert paths")
		return nil, false
	}
	if arr.Len() == 0 {
		diag.emit(EWarning, "SNI_server_certs host cert array must not be empty")
		return nil, false
	}
	sni = make([]sniCert, 0, arr.Len())
	for i := 0; i < arr.Len(); i++ {
		k, val := arr.At(i)
		name, isStr := k.(string)
		if !isStr {
			diag.emit(EWarning, "SNI_server_certs array requires string host name keys")
			return nil, false
		}
		var certPath, keyPath string
		if entry, isArr := val.(OptionArray); isArr {
			c, found := optionArrayGet(entry, "local_cert")
			if !found {
				diag.emit(EWarning, "local_cert not present in the array")
				return nil, false
			}
			certPath, ok = sniCheckPath(o.Dir, phpvalue.String(c), "SNI_server_certs local_cert in ssl stream context", diag)
			if !ok {
				diag.emit(EWarning, fmt.Sprintf("Failed setting local cert chain file `%s'; could not open file", cString(phpvalue.String(c))))
				return nil, false
			}
			pk, found := optionArrayGet(entry, "local_pk")
			if !found {
				diag.emit(EWarning, "local_pk not present in the array")
				return nil, false
			}
			keyPath, ok = sniCheckPath(o.Dir, phpvalue.String(pk), "SNI_server_certs local_pk in ssl stream context", diag)
			if !ok {
				// PHP's text has the two spaces.
				diag.emit(EWarning, fmt.Sprintf("Failed setting local private key file `%s';  could not open file", cString(phpvalue.String(pk))))
				return nil, false
			}
		} else {
			path := phpvalue.String(val)
			certPath, ok = sniCheckPath(o.Dir, path, "SNI_server_certs in ssl stream context", diag)
			if !ok {
				diag.emit(EWarning, fmt.Sprintf("Failed setting local cert chain file `%s'; file not found", cString(path)))
				return nil, false
			}
			keyPath = certPath
		}
		// php_openssl_create_sni_server_ctx: a fresh context, without the
		// passphrase callback of the stream's (an encrypted key fails).
		cert, fail := openssl.ParseLocalCert(certPath, keyPath, nil, false)
		switch fail {
		case openssl.CertChainFailed:
			diag.emit(EWarning, fmt.Sprintf("Failed setting local cert chain file `%s'; check that your cafile/capath settings include details of your certificate and its issuer", certPath))
			return nil, false
		case openssl.CertKeyFailed:
			diag.emit(EWarning, fmt.Sprintf("Failed setting private key from file `%s'", keyPath))
			return nil, false
		}
		sni = append(sni, sniCert{name: name, cert: cert})
	}
	return sni, true
}

// optionArrayGet finds the string key name in a.
func optionArrayGet(a OptionArray, name string) (any, bool) {
	for i := 0; i < a.Len(); i++ {
		if k, v := a.At(i); k == name {
			return v, true
		}
	}
	return nil, false
}

// sniCheckPath is php_openssl_check_path_ex for an SNI path: "" passes as
// is (OpenSSL then fails to load it), a NUL byte fails with PHP's warning,
// anything else becomes the absolute, normalised path (expand_filepath,
// from dir)
// the certificate is loaded from and PHP's messages name.
func sniCheckPath(dir, path, option string, diag DiagnosticFunc) (string, bool) {
	if path == "" {
		return "", true
	}
	if strings.IndexByte(path, 0) >= 0 {
		diag.emit(EWarning, "Path for "+option+" option must not contain any null bytes")
		return "", false
	}
	if abs, err := filepath.Abs(resolvePath(dir, path)); err == nil {
		return abs, true
	}
	return filepath.Clean(path), true
}

// sniCertFor is the servername callback: the certificate for the client's
// server_name and the security level that comes with it (an SNI entry's
// context has OpenSSL's default level, not the stream's), or the server's
// own when no entry matches or the client sent no name.
func (s *serverSetup) sniCertFor(serverName string) (*tls.Certificate, int) {
	if serverName != "" {
		for _, e := range s.sni {
			if matchesWildcardName(serverName, e.name) {
				return e.cert, openssl.DefaultSecurityLevel
			}
		}
	}
	return s.cert, s.params.Level
}
