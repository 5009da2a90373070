package openssl

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"hash"
	"os"
)

// Certificate and key files as OpenSSL reads them
// (SSL_CTX_use_certificate_chain_file, SSL_CTX_use_PrivateKey_file and
// the PEM decryption under them).

// pemBufSize is OpenSSL's PEM_BUFSIZE: PHP's passphrase callback only
// hands over passphrases shorter than it (minus the terminator).
const pemBufSize = 1024

// CertLoadFailure tells which of OpenSSL's two loads failed.
type CertLoadFailure int

const (
	CertLoaded      CertLoadFailure = iota
	CertChainFailed                 // SSL_CTX_use_certificate_chain_file
	CertKeyFailed                   // SSL_CTX_use_PrivateKey_file (or the key does not match)
)

// ParseLocalCert reads a certificate chain file and a private key file
// as OpenSSL's SSL_CTX_use_certificate_chain_file and
// SSL_CTX_use_PrivateKey_file do; the caller words the failure.
func ParseLocalCert(certPath, keyPath string, passphrase []byte, havePass bool) (*tls.Certificate, CertLoadFailure) {
	data, err := readRegular(certPath)
	if err != nil {
		return nil, CertChainFailed
	}
	var chain [][]byte
	var leaf *x509.Certificate
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" && b.Type != "TRUSTED CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, CertChainFailed
		}
		if leaf == nil {
			leaf = c
		}
		chain = append(chain, b.Bytes)
	}
	if leaf == nil {
		return nil, CertChainFailed
	}
	kdata := data
	if keyPath != certPath {
		if kdata, err = readRegular(keyPath); err != nil {
			return nil, CertKeyFailed
		}
	}
	if havePass && len(passphrase) >= pemBufSize-1 {
		havePass = false
	}
	key, err := firstPrivateKey(kdata, passphrase, havePass)
	if err != nil || !keyMatches(leaf.PublicKey, key) {
		return nil, CertKeyFailed
	}
	return &tls.Certificate{Certificate: chain, PrivateKey: key, Leaf: leaf}, CertLoaded
}

func readRegular(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, errors.New("is a directory")
	}
	return os.ReadFile(path)
}

var errNoKey = errors.New("no private key")

// firstPrivateKey decodes the first private key block of data, decrypting
// "ENCRYPTED PRIVATE KEY" (PKCS#8 PBES2) and legacy "Proc-Type:
// 4,ENCRYPTED" blocks with the passphrase. An encrypted key without a
// passphrase fails (OpenSSL would prompt on the terminal).
func firstPrivateKey(data, pass []byte, havePass bool) (crypto.Signer, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errNoKey
		}
		der := b.Bytes
		switch b.Type {
		case "ENCRYPTED PRIVATE KEY":
			if !havePass {
				return nil, errNoKey
			}
			d, err := decryptPKCS8(der, pass)
			if err != nil {
				return nil, err
			}
			return parsePKCS8(d)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
		default:
			continue
		}
		//lint:ignore SA1019 legacy encrypted PEM is what OpenSSL still reads
		if x509.IsEncryptedPEMBlock(b) { //nolint:staticcheck
			if !havePass {
				return nil, errNoKey
			}
			d, err := x509.DecryptPEMBlock(b, pass) //nolint:staticcheck
			if err != nil {
				return nil, err
			}
			der = d
		}
		switch b.Type {
		case "PRIVATE KEY":
			return parsePKCS8(der)
		case "RSA PRIVATE KEY":
			return x509.ParsePKCS1PrivateKey(der)
		default:
			return x509.ParseECPrivateKey(der)
		}
	}
}

func parsePKCS8(der []byte) (crypto.Signer, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, errNoKey
	}
	return s, nil
}

// keyMatches is X509_check_private_key: the key is the certificate's.
func keyMatches(pub any, key crypto.Signer) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	switch pub.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		e, ok := key.Public().(equaler)
		return ok && e.Equal(pub)
	}
	return false
}

var (
	oidPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA224 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3CBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
)

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type encryptedPrivateKeyInfo struct {
	Algorithm     algorithmIdentifier
	EncryptedData []byte
}

type pbes2Params struct {
	KeyDerivationFunc algorithmIdentifier
	EncryptionScheme  algorithmIdentifier
}

type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	KeyLength      int                 `asn1:"optional"`
	PRF            algorithmIdentifier `asn1:"optional"`
}

var errBadEncryptedKey = errors.New("unsupported or undecryptable encrypted private key")

// maxPBKDF2Iterations bounds the work an untrusted key file can demand.
const maxPBKDF2Iterations = 10_000_000

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo protected with PBES2
// (PBKDF2 with HMAC-SHA1/SHA-2, AES-CBC or DES-EDE3-CBC), checking the
// padding; a wrong passphrase fails.
func decryptPKCS8(der, pass []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return nil, errBadEncryptedKey
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, errBadEncryptedKey
	}
	var p pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &p); err != nil {
		return nil, errBadEncryptedKey
	}
	if !p.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2) {
		return nil, errBadEncryptedKey
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(p.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil {
		return nil, errBadEncryptedKey
	}
	if kdf.IterationCount <= 0 || kdf.IterationCount > maxPBKDF2Iterations {
		return nil, errBadEncryptedKey
	}
	prf := func() hash.Hash { return sha1.New() }
	switch alg := kdf.PRF.Algorithm; {
	case len(alg) == 0, alg.Equal(oidHMACSHA1):
	case alg.Equal(oidHMACSHA224):
		prf = sha256.New224
	case alg.Equal(oidHMACSHA256):
		prf = sha256.New
	case alg.Equal(oidHMACSHA384):
		prf = sha512.New384
	case alg.Equal(oidHMACSHA512):
		prf = sha512.New
	default:
		return nil, errBadEncryptedKey
	}
	var keyLen int
	var newBlock func([]byte) (cipher.Block, error)
	switch alg := p.EncryptionScheme.Algorithm; {
	case alg.Equal(oidAES128CBC):
		keyLen, newBlock = 16, aes.NewCipher
	case alg.Equal(oidAES192CBC):
		keyLen, newBlock = 24, aes.NewCipher
	case alg.Equal(oidAES256CBC):
		keyLen, newBlock = 32, aes.NewCipher
	case alg.Equal(oidDESEDE3CBC):
		keyLen, newBlock = 24, des.NewTripleDESCipher
	default:
		return nil, errBadEncryptedKey
	}
	if kdf.KeyLength != 0 && kdf.KeyLength != keyLen {
		return nil, errBadEncryptedKey
	}
	var iv []byte
	if _, err := asn1.Unmarshal(p.EncryptionScheme.Parameters.FullBytes, &iv); err != nil {
		return nil, errBadEncryptedKey
	}
	key, err := pbkdf2.Key(prf, string(pass), kdf.Salt, kdf.IterationCount, keyLen)
	if err != nil {
		return nil, errBadEncryptedKey
	}
	block, err := newBlock(key)
	if err != nil || len(iv) != block.BlockSize() {
		return nil, errBadEncryptedKey
	}
	ct := info.EncryptedData
	if len(ct) == 0 || len(ct)%block.BlockSize() != 0 {
		return nil, errBadEncryptedKey
	}
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(pt, ct)
	n := int(pt[len(pt)-1])
	if n == 0 || n > block.BlockSize() || !hmac.Equal(pt[len(pt)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, errBadEncryptedKey
	}
	return pt[:len(pt)-n], nil
}
