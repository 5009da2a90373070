package phpstream

import (
	"crypto/tls"

	"github.com/phpsock/phpsock/internal/phpvalue"
)

// Crypto method values of PHP 7.4 – 8.4 (STREAM_CRYPTO_METHOD_*): bit 1 is
// the client bit, the others one protocol version each.
const (
	CryptoMethodSSLv2Client  = 3
	CryptoMethodSSLv3Client  = 5
	CryptoMethodSSLv23Client = 57 // TLS 1.0–1.2: never TLS 1.3
	CryptoMethodAnyClient    = 127
	CryptoMethodTLSClient    = 121
	CryptoMethodTLSv10Client = 9
	CryptoMethodTLSv11Client = 17
	CryptoMethodTLSv12Client = 33
	CryptoMethodTLSv13Client = 65

	CryptoMethodSSLv2Server  = 2
	CryptoMethodSSLv3Server  = 4
	CryptoMethodSSLv23Server = 120
	CryptoMethodAnyServer    = 126
	CryptoMethodTLSServer    = 120
	CryptoMethodTLSv10Server = 8
	CryptoMethodTLSv11Server = 16
	CryptoMethodTLSv12Server = 32
	CryptoMethodTLSv13Server = 64

	// CryptoMethodTLSAnyClient is xp_ssl.c's internal default of ssl://
	// and tls:// (not a PHP constant).
	CryptoMethodTLSAnyClient = 121
)

// STREAM_CRYPTO_PROTO_* values (min_proto_version / max_proto_version).
const (
	CryptoProtoSSLv3  = 4
	CryptoProtoTLSv10 = 8
	CryptoProtoTLSv11 = 16
	CryptoProtoTLSv12 = 32
	CryptoProtoTLSv13 = 64
)

const (
	cryptoClientBit = 1
	// The protocol bits PHP's version loops walk. The OpenSSL PHP 8.2 is
	// linked against on Debian has no SSLv3 (no sslv3:// transport), so
	// the loops start at TLS 1.0 and an SSLv3 bit is never a version.
	cryptoProtoLowest  = CryptoProtoTLSv10
	cryptoProtoHighest = CryptoProtoTLSv13
)

// transportCryptoMethod is the crypto method a TLS transport's factory
// gives a client stream: ssl:// and tls:// take the ssl/crypto_method
// context option (PHP's int conversion) with the client bit added, or
// TLS_ANY_CLIENT (121) without it; tlsv1.0:// … tlsv1.3:// have a fixed
// method and ignore the option. ok is false for a scheme that is not a
// TLS transport.
func transportCryptoMethod(scheme string, ctx *Context) (method int64, ok bool) {
	switch scheme {
	case "ssl", "tls":
		if v, set := ctx.Option("ssl", "crypto_method"); set {
			return phpvalue.Int(v) | cryptoClientBit, true
		}
		return CryptoMethodTLSAnyClient, true
	case "tlsv1.0":
		return CryptoMethodTLSv10Client, true
	case "tlsv1.1":
		return CryptoMethodTLSv11Client, true
	case "tlsv1.2":
		return CryptoMethodTLSv12Client, true
	case "tlsv1.3":
		return CryptoMethodTLSv13Client, true
	}
	return 0, false
}

// lowestProtoFlag is the lowest version bit of flags, or TLS 1.3 if none.
func lowestProtoFlag(flags int64) int64 {
	for v := int64(cryptoProtoLowest); v <= cryptoProtoHighest; v <<= 1 {
		if flags&v != 0 {
			return v
		}
	}
	return cryptoProtoHighest
}

// highestProtoFlag is the highest version bit of flags, or TLS 1.3 if none.
func highestProtoFlag(flags int64) int64 {
	for v := int64(cryptoProtoHighest); v >= cryptoProtoLowest; v >>= 1 {
		if flags&v != 0 {
			return v
		}
	}
	return cryptoProtoHighest
}

// protoFlagVersion maps a version bit to crypto/tls's constant.
func protoFlagVersion(flag int64) uint16 {
	switch flag {
	case CryptoProtoTLSv10:
		return tls.VersionTLS10
	case CryptoProtoTLSv11:
		return tls.VersionTLS11
	case CryptoProtoTLSv12:
		return tls.VersionTLS12
	}
	return tls.VersionTLS13
}

// cryptoVersionRange is PHP 7.3+'s version computation (OpenSSL ≥ 1.1):
// the min_proto_version / max_proto_version values (0: not set) replace
// the lowest and highest version bits of method, every version between
// them is enabled and every other cleared (gaps are filled); then the
// lowest and highest remaining bits are the range, and a method without
// any version bit means TLS 1.3 only.
func cryptoVersionRange(method, minProto, maxProto int64) (minVersion, maxVersion uint16) {
	flags := method
	lo, hi := minProto, maxProto
	if lo == 0 {
		lo = lowestProtoFlag(flags)
	}
	if hi == 0 {
		hi = highestProtoFlag(flags)
	}
	for v := int64(cryptoProtoLowest); v <= cryptoProtoHighest; v <<= 1 {
		if v >= lo && v <= hi {
			flags |= v
		} else {
			flags &^= v
		}
	}
	return protoFlagVersion(lowestProtoFlag(flags)), protoFlagVersion(highestProtoFlag(flags))
}

// contextVersionRange reads min_proto_version / max_proto_version from
// ctx (PHP's int conversion) and computes the range for method.
func contextVersionRange(ctx *Context, method int64) (uint16, uint16) {
	var lo, hi int64
	if v, ok := ctx.Option("ssl", "min_proto_version"); ok {
		lo = phpvalue.Int(v)
	}
	if v, ok := ctx.Option("ssl", "max_proto_version"); ok {
		hi = phpvalue.Int(v)
	}
	return cryptoVersionRange(method, lo, hi)
}
