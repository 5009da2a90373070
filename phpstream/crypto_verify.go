package phpstream

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"hash"
	"net/netip"
	"strings"
)

// PHP's peer-verification policy (php_openssl_apply_peer_verification_policy):
// the peer name and fingerprint checks. OpenSSL's chain verification with
// PHP's verify callback is internal/openssl's VerifyChain.

// cryptoWarning is a policy or setup failure whose warnings have been
// emitted; the caller goes on with "Failed to enable crypto".
type cryptoWarning struct{ msg string }

func (e *cryptoWarning) Error() string { return "phpstream: tls: " + e.msg }

// --- host name matching -------------------------------------------------

// matchesWildcardName is PHP's php_openssl_matches_wildcard_name: an exact
// case-insensitive match, or a '*' in the left-most label whose prefix and
// suffix match case-insensitively and whose match holds no '.'.
func matchesWildcardName(subject, certName string) bool {
	if strings.EqualFold(subject, certName) {
		return true
	}
	star := strings.IndexByte(certName, '*')
	if star < 0 || strings.IndexByte(certName[:star], '.') >= 0 {
		return false
	}
	prefix, suffix := certName[:star], certName[star+1:]
	if len(prefix) > 0 && (len(subject) < len(prefix) || !strings.EqualFold(subject[:len(prefix)], prefix)) {
		return false
	}
	if len(suffix) > len(subject) {
		return false
	}
	if !strings.EqualFold(subject[len(subject)-len(suffix):], suffix) {
		return false
	}
	mid := len(subject) - len(suffix) - len(prefix)
	if mid < 0 {
		return false
	}
	return strings.IndexByte(subject[len(prefix):len(prefix)+mid], '.') < 0
}

// expandIPv6 spells a 16-byte address as PHP compares IPv6 SANs:
// eight %X groups joined by ':'.
func expandIPv6(b []byte) string {
	parts := make([]string, 8)
	for i := range parts {
		parts[i] = fmt.Sprintf("%X", uint16(b[2*i])<<8|uint16(b[2*i+1]))
	}
	return strings.Join(parts, ":")
}

var oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}

func hasSANExtension(c *x509.Certificate) bool {
	for _, e := range c.Extensions {
		if e.Id.Equal(oidSubjectAltName) {
			return true
		}
	}
	return false
}

// matchesSAN is PHP's php_openssl_matches_san_list: DNS entries (those
// with an embedded NUL skipped, one trailing '.' removed) with the
// wildcard rule, IPv4 entries as dotted quads, IPv6 entries expanded on
// both sides.
func matchesSAN(c *x509.Certificate, name string) bool {
	for _, d := range c.DNSNames {
		if strings.IndexByte(d, 0) >= 0 {
			continue
		}
		d = strings.TrimSuffix(d, ".")
		if matchesWildcardName(name, d) {
			return true
		}
	}
	var want6 string
	if a, err := netip.ParseAddr(name); err == nil && a.Is6() && a.Zone() == "" && strings.Contains(name, ":") {
		b := a.As16()
		want6 = expandIPv6(b[:])
	}
	for _, ip := range c.IPAddresses {
		if len(ip) == 4 { // x509 keeps the SAN's own length
			if fmt.Sprintf("%d.%d.%d.%d", ip[0], ip[1], ip[2], ip[3]) == name {
				return true
			}
		} else if len(ip) == 16 && want6 != "" && expandIPv6(ip) == want6 {
			return true
		}
	}
	return false
}

var oidCommonName = asn1.ObjectIdentifier{2, 5, 4, 3}

// commonName returns the subject's last CN as stored, and whether there
// is one.
func commonName(c *x509.Certificate) (string, bool) {
	cn, ok := "", false
	for _, atv := range c.Subject.Names {
		if atv.Type.Equal(oidCommonName) {
			if s, isStr := atv.Value.(string); isStr {
				cn, ok = s, true
			}
		}
	}
	return cn, ok
}

// verifyPeerName checks name against the peer certificate as PHP 8.2 does
// (recorded: with a subjectAltName extension only the SAN decides; the
// subject CN is consulted only for certificates without one). It returns
// the warning for a mismatch, "" on a match.
func verifyPeerName(c *x509.Certificate, name string) (warning string, ok bool) {
	if hasSANExtension(c) {
		if matchesSAN(c, name) {
			return "", true
		}
		return fmt.Sprintf("Peer certificate subjectAltName did not match expected name `%s'", name), false
	}
	cn, has := commonName(c)
	if !has {
		return "Unable to locate peer certificate CN", false
	}
	if strings.IndexByte(cn, 0) >= 0 {
		return fmt.Sprintf("Peer certificate CN=`%s' is malformed", cn), false
	}
	if matchesWildcardName(name, cn) {
		return "", true
	}
	return fmt.Sprintf("Peer certificate CN=`%s' did not match expected CN=`%s'", cn, name), false
}

// --- peer_fingerprint -----------------------------------------------------

// fingerprintHash returns the digest OpenSSL's EVP_get_digestbyname finds
// for name (case-insensitive), nil for an unknown one.
func fingerprintHash(name string) hash.Hash {
	switch strings.ToLower(name) {
	case "md5":
		return md5.New()
	case "sha1", "sha-1":
		return sha1.New()
	case "sha224", "sha-224", "sha2-224":
		return sha256.New224()
	case "sha256", "sha-256", "sha2-256":
		return sha256.New()
	case "sha384", "sha-384", "sha2-384":
		return sha512.New384()
	case "sha512", "sha-512", "sha2-512":
		return sha512.New()
	case "sha512-224", "sha2-512/224", "sha-512/224":
		return sha512.New512_224()
	case "sha512-256", "sha2-512/256", "sha-512/256":
		return sha512.New512_256()
	case "sha3-224":
		return sha3.New224()
	case "sha3-256":
		return sha3.New256()
	case "sha3-384":
		return sha3.New384()
	case "sha3-512":
		return sha3.New512()
	}
	return nil
}

func digestHex(h hash.Hash, der []byte) string {
	h.Write(der)
	return hex.EncodeToString(h.Sum(nil))
}

// checkFingerprint applies peer_fingerprint (set) to the peer's DER
// certificate, emitting PHP's warnings; false fails the connection.
func checkFingerprint(v any, der []byte, diag DiagnosticFunc) bool {
	switch t := v.(type) {
	case string:
		var h hash.Hash
		switch len(t) {
		case 32:
			h = md5.New()
		case 40:
			h = sha1.New()
		}
		if h != nil && strings.EqualFold(digestHex(h, der), t) {
			return true
		}
	case OptionArray:
		if fingerprintArrayMatches(t, der, diag) {
			return true
		}
	default:
		diag.emit(EWarning, "Expected peer fingerprint must be a string or an array")
		return false
	}
	diag.emit(EWarning, "peer_fingerprint match failure")
	return false
}

func fingerprintArrayMatches(a OptionArray, der []byte, diag DiagnosticFunc) bool {
	if a.Len() == 0 {
		diag.emit(EWarning, "Invalid peer_fingerprint array; [algo => fingerprint] form required")
		return false
	}
	for i := 0; i < a.Len(); i++ {
		k, v := a.At(i)
		algo, kOK := k.(string)
		want, vOK := v.(string)
		if !kOK || !vOK {
			diag.emit(EWarning, "Invalid peer_fingerprint array; [algo => fingerprint] form required")
			return false
		}
		h := fingerprintHash(algo)
		if h == nil {
			diag.emit(EWarning, "Unknown digest algorithm")
			return false
		}
		if !strings.EqualFold(digestHex(h, der), want) {
			return false
		}
	}
	return true
}
