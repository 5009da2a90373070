package openssl

import "crypto/tls"

// VersionName is OpenSSL's name of a protocol version (SSL_get_version),
// what stream_get_meta_data reports as crypto.protocol.
func VersionName(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "TLSv1.3"
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS11:
		return "TLSv1.1"
	case tls.VersionTLS10:
		return "TLSv1"
	case tls.VersionSSL30: //nolint:staticcheck // a name only
		return "SSLv3"
	}
	return "unknown"
}
