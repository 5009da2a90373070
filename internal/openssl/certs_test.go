package openssl

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
)

const testCerts = "../../conformance/testdata/certs"

func loadCert(t *testing.T, name string) *x509.Certificate {
	data, err := os.ReadFile(filepath.Join(testCerts, name))
	if err != nil {
		t.Fatal(err)
	}
	return PEMCertificates(data)[0]
}

func TestSubjectHash(t *testing.T) {
	if h := subjectHash(loadCert(t, "ca.pem")); h != "4590067b" {
		t.Errorf("subject hash %s, want 4590067b (capath/4590067b.0)", h)
	}
}

func TestPKCS8RoundTripShape(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join(testCerts, "encrypted.key"))
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "ENCRYPTED PRIVATE KEY" {
		t.Fatal("encrypted.key is expected to be PKCS#8 encrypted")
	}
	if _, err := decryptPKCS8(b.Bytes[:len(b.Bytes)-16], []byte("phpsock-test")); err == nil {
		t.Error("truncated key decrypted")
	}
}
