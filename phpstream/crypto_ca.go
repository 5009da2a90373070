package phpstream

import (
	"crypto/x509"

	"github.com/phpsock/phpsock/internal/openssl"
)

// caLoadResult is the outcome of loading the verify locations.
type caLoadResult struct {
	store *openssl.CAStore
	// valueError is PHP's ValueError text when the cafile stream cannot be
	// opened at all (an empty path).
	valueError string
}

// loadVerifyLocations is PHP's CA setup for a verifying client: cafile
// and capath (context, else ini), else the system store. It emits PHP's
// warnings; a nil store fails the setup.
func loadVerifyLocations(dir, cafile, capath string, haveCAFile, haveCAPath bool, diag DiagnosticFunc) caLoadResult {
	if !haveCAFile && !haveCAPath {
		pool, err := x509.SystemCertPool()
		if err != nil {
			diag.emit(EWarning, "Unable to set default verify locations and no CA settings specified")
			return caLoadResult{}
		}
		return caLoadResult{store: &openssl.CAStore{Roots: pool}}
	}
	// The store is cached under the keys of its files, so an unchanged
	// cafile costs a stat and a lookup, not even a copy of its list.
	var idBuf [256]byte
	id := idBuf[:0]
	var fileCerts, pathCerts []*x509.Certificate
	if haveCAFile {
		fc, k, err := openssl.CachedFile(caFilePath(dir, cafile), nil)
		if err != nil || len(fc) == 0 {
			// SSL_CTX_load_verify_locations failed: PHP re-reads the cafile
			// through its stream wrappers (crypto_cafile.go), and those
			// certificates are all it has (no capath).
			certs, key, ve := loadStreamCAFile(dir, cafile, diag)
			if ve != "" {
				return caLoadResult{valueError: ve}
			}
			if len(certs) == 0 {
				return caLoadResult{}
			}
			fileCerts, haveCAPath = certs, false
			id = append(id, key...)
		} else {
			fileCerts = fc
			id = k.AppendID(id)
		}
	}
	if haveCAPath {
		pc, pk := openssl.CapathCertificates(resolvePath(dir, capath))
		pathCerts = pc
		for _, k := range pk {
			id = k.AppendID(id)
		}
	}
	s := openssl.CachedStore(string(id), fileCerts, pathCerts)
	return caLoadResult{store: s}
}

// caFilePath is the path OpenSSL is given for cafile: a plain path taken
// from dir, a URL as it is (OpenSSL fails on it, and the stream fallback
// opens it).
func caFilePath(dir, cafile string) string {
	if _, isURL := wrapperScheme(cafile); isURL {
		return cafile
	}
	return resolvePath(dir, cafile)
}
