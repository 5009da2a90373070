package phpstream

import (
	"crypto/tls"
	"fmt"

	"github.com/phpsock/phpsock/internal/openssl"
)

// Client certificates: local_cert (a PEM chain, leaf first, possibly with
// the key), local_pk (the key; default local_cert) and passphrase.

// loadLocalCert loads the client certificate as php_openssl_set_local_cert
// does, emitting PHP's warning on failure. Secrets never appear in
// messages: only the paths do.
func loadLocalCert(dir, certPath, keyPath string, passphrase []byte, havePass bool, diag DiagnosticFunc) (*tls.Certificate, bool) {
	cert, fail := openssl.ParseLocalCert(resolvePath(dir, certPath), resolvePath(dir, keyPath), passphrase, havePass)
	switch fail {
	case openssl.CertChainFailed:
		diag.emit(EWarning, fmt.Sprintf("Unable to set local cert chain file `%s'; Check that your cafile/capath settings include details of your certificate and its issuer", certPath))
		return nil, false
	case openssl.CertKeyFailed:
		diag.emit(EWarning, fmt.Sprintf("Unable to set private key file `%s'", keyPath))
		return nil, false
	}
	return cert, true
}

// --- PKCS#8 encrypted keys (RFC 8018 PBES2) ---------------------------------
