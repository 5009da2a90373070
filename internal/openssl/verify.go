package openssl

import (
	"bytes"
	"crypto/x509"
	"time"
)

// Chain verification as OpenSSL performs it with PHP's verify callback
// (X509_verify_cert, the depth and security level checks).

// VerifyParams are the inputs of chain verification.
type VerifyParams struct {
	Store           *CAStore
	AllowSelfSigned bool
	Depth           uint64 // verify_depth as PHP's unsigned compare sees it
	Level           int    // OpenSSL security level 0..5
	Now             time.Time
}

// selfSigned reports whether c names itself as issuer and its signature
// verifies with its own key (OpenSSL's self-signed test; unlike
// CheckSignatureFrom it does not ask for a CA certificate).
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) &&
		c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// VerifyChain verifies the peer chain (leaf first) as OpenSSL with PHP's
// verify callback does: trust anchors are the self-signed certificates of
// the CA store, other store certificates and the peer's extra certificates
// are intermediates; the leaf must be usable for TLS servers; a
// self-signed leaf missing from the store passes only with
// allow_self_signed; a chain deeper than verify_depth fails; every key
// and signature must meet the security level.
func VerifyChain(peer []*x509.Certificate, p VerifyParams) ([]*x509.Certificate, error) {
	if len(peer) == 0 {
		return nil, &ChainError{Reason: "no peer certificate"}
	}
	leaf := peer[0]
	opts := x509.VerifyOptions{
		Roots:         p.Store.Roots,
		Intermediates: p.Store.intermediates(peer),
		CurrentTime:   p.Now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	chains, err := leaf.Verify(opts)
	var chain []*x509.Certificate
	topSelfSigned := false // known for the chain's last certificate
	switch {
	case err == nil:
		chain = chains[0]
		for _, c := range chains[1:] {
			if len(c) < len(chain) {
				chain = c
			}
		}
	case p.AllowSelfSigned && selfSigned(leaf) && isUnknownAuthority(err):
		// X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, accepted by PHP's
		// callback; the other checks of the leaf still apply.
		if p.Now.Before(leaf.NotBefore) || p.Now.After(leaf.NotAfter) {
			return nil, &ChainError{Reason: "certificate has expired or is not yet valid", Err: x509.CertificateInvalidError{Cert: leaf, Reason: x509.Expired}}
		}
		chain = []*x509.Certificate{leaf}
		topSelfSigned = true
	default:
		return nil, &ChainError{Reason: "chain", Err: err}
	}
	if uint64(len(chain)-1) > p.Depth {
		return nil, &ChainError{Reason: "certificate chain too long"}
	}
	for i, c := range chain {
		if !keyMeetsLevel(c, p.Level) {
			return nil, &ChainError{Reason: "key too small for the security level"}
		}
		// A self-signed anchor's own signature is not checked against the
		// level. Whether the top is self-signed costs a signature check
		// (unless the store knows it), so it is asked only for a weak one.
		if !signatureMeetsLevel(c.SignatureAlgorithm, p.Level) &&
			(i < len(chain)-1 || !(topSelfSigned || p.Store.selfSigned(c))) {
			return nil, &ChainError{Reason: "signature digest too weak for the security level"}
		}
	}
	return chain, nil
}

func isUnknownAuthority(err error) bool {
	_, ok := err.(x509.UnknownAuthorityError)
	return ok
}

// VerifyClientChain is VerifyChain for a client certificate (OpenSSL's
// "sslclient" purpose).
func VerifyClientChain(peer []*x509.Certificate, p VerifyParams) error {
	leaf := peer[0]
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots: p.Store.Roots, Intermediates: p.Store.intermediates(peer), CurrentTime: p.Now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	var chain []*x509.Certificate
	switch {
	case err == nil:
		chain = chains[0]
	case p.AllowSelfSigned && selfSigned(leaf) && isUnknownAuthority(err):
		chain = []*x509.Certificate{leaf}
	default:
		return &ChainError{Reason: "chain", Err: err}
	}
	if uint64(len(chain)-1) > p.Depth {
		return &ChainError{Reason: "certificate chain too long"}
	}
	for _, c := range chain {
		if !keyMeetsLevel(c, p.Level) {
			return &ChainError{Reason: "key too small for the security level"}
		}
	}
	return nil
}
