package openssl

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
)

// OpenSSL's security levels (SSL_CTX_set_security_level): what each level
// refuses of suites (ciphers.go), groups, keys and signatures.

// DefaultSecurityLevel is the level of Debian's OpenSSL 3 configuration
// (CipherString = DEFAULT:@SECLEVEL=2): recorded, a 1024-bit RSA server key
// fails (tls/cert-weak-default).
const DefaultSecurityLevel = 2

// CurvesForLevel are OpenSSL 3.0's default groups that meet the level,
// in its order (X448 and FFDHE groups are not in crypto/tls). The lists
// are shared; crypto/tls does not modify them.
func CurvesForLevel(lvl int) []tls.CurveID {
	switch {
	case lvl >= 5:
		return curvesLevel5
	case lvl == 4:
		return curvesLevel4
	}
	return curvesDefault
}

var (
	curvesLevel5  = []tls.CurveID{tls.CurveP521}
	curvesLevel4  = []tls.CurveID{tls.CurveP521, tls.CurveP384}
	curvesDefault = []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP521, tls.CurveP384}
)

// rsaBitsForLevel and ecBitsForLevel are OpenSSL's minimum key sizes.
var (
	rsaBitsForLevel = [6]int{0, 1024, 2048, 3072, 7680, 15360}
	ecBitsForLevel  = [6]int{0, 160, 224, 256, 384, 512}
)

// keyMeetsLevel reports whether the public key of c is large enough for
// security level lvl (OpenSSL's ssl_security_cert_key).
func keyMeetsLevel(c *x509.Certificate, lvl int) bool {
	if lvl <= 0 {
		return true
	}
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen() >= rsaBitsForLevel[lvl]
	case *ecdsa.PublicKey:
		return k.Curve.Params().BitSize >= ecBitsForLevel[lvl]
	case ed25519.PublicKey:
		return 256 >= ecBitsForLevel[lvl]
	}
	return true
}

// signatureMeetsLevel reports whether a certificate signature algorithm
// is strong enough for security level lvl (ssl_security_cert_sig): MD5
// and SHA-1 signatures give under 80 bits and fail from level 1; SHA-256
// gives 128 bits.
func signatureMeetsLevel(a x509.SignatureAlgorithm, lvl int) bool {
	if lvl <= 0 {
		return true
	}
	bits := 256
	switch a {
	case x509.MD5WithRSA, x509.MD2WithRSA, x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1:
		bits = 63
	case x509.SHA256WithRSA, x509.SHA256WithRSAPSS, x509.ECDSAWithSHA256, x509.DSAWithSHA256:
		bits = 128
	case x509.SHA384WithRSA, x509.SHA384WithRSAPSS, x509.ECDSAWithSHA384:
		bits = 192
	}
	return bits >= securityBits[lvl]
}
