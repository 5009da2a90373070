package phpstream

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/internal/openssl"
)

const testCerts = "../conformance/testdata/certs"

func TestCryptoVersionRange(t *testing.T) {
	for _, c := range []struct {
		method, lo, hi int64
		min, max       uint16
	}{
		{CryptoMethodTLSAnyClient, 0, 0, tls.VersionTLS10, tls.VersionTLS13},
		{CryptoMethodSSLv23Client, 0, 0, tls.VersionTLS10, tls.VersionTLS12}, // tls/method-sslv23-no-tls13
		{CryptoMethodTLSv12Client, 0, 0, tls.VersionTLS12, tls.VersionTLS12},
		{cryptoClientBit, 0, 0, tls.VersionTLS13, tls.VersionTLS13},            // tls/method-zero-tls13-only
		{CryptoMethodSSLv3Client, 0, 0, tls.VersionTLS13, tls.VersionTLS13},    // tls/method-sslv3-means-tls13
		{9 | 32, 0, 0, tls.VersionTLS10, tls.VersionTLS12},                     // gap filled
		{CryptoMethodTLSAnyClient, 32, 32, tls.VersionTLS12, tls.VersionTLS12}, // tls/proto-min-max-tls12
		{CryptoMethodTLSAnyClient, 0, 3, tls.VersionTLS13, tls.VersionTLS13},   // tls/proto-max-bogus
		{CryptoMethodTLSAnyClient, 64, 32, tls.VersionTLS13, tls.VersionTLS13}, // tls/proto-min-above-max
		{CryptoMethodTLSAnyClient, 4, 4, tls.VersionTLS13, tls.VersionTLS13},   // tls/proto-sslv3-means-tls13
		{CryptoMethodTLSv12Client, 0, 64, tls.VersionTLS12, tls.VersionTLS13},  // tls/proto-tlsv12-scheme-max13
		{CryptoMethodTLSAnyClient, 0, 16, tls.VersionTLS10, tls.VersionTLS11},
	} {
		lo, hi := cryptoVersionRange(c.method, c.lo, c.hi)
		if lo != c.min || hi != c.max {
			t.Errorf("method %d min %d max %d: %x-%x, want %x-%x", c.method, c.lo, c.hi, lo, hi, c.min, c.max)
		}
	}
	ctx := NewContext()
	if m, _ := transportCryptoMethod("ssl", ctx); m != 121 {
		t.Errorf("ssl default method %d", m)
	}
	ctx.SetOption("ssl", "crypto_method", int64(32))
	if m, _ := transportCryptoMethod("tls", ctx); m != 33 {
		t.Errorf("tls with 32: %d", m)
	}
	if m, _ := transportCryptoMethod("tlsv1.3", ctx); m != 65 {
		t.Errorf("tlsv1.3 ignores crypto_method: %d", m)
	}
	if _, ok := transportCryptoMethod("tcp", ctx); ok {
		t.Error("tcp is not a TLS transport")
	}
}

func TestWildcardAndNames(t *testing.T) {
	for _, c := range []struct {
		subject, cert string
		want          bool
	}{
		{"foo.example.test", "*.example.test", true},
		{"FOO.Example.TEST", "*.example.test", true},
		{"a.b.example.test", "*.example.test", false},
		{"example.test", "*.example.test", false},
		{"*.example.test", "*.example.test", true},
		{"a.b", "a*.b", true},
		{"ab.c", "ab*b.c", false},
		{"x.y.z", "x.*.z", false},
		{"www.example.test", "w*.example.test", true},
	} {
		if got := matchesWildcardName(c.subject, c.cert); got != c.want {
			t.Errorf("%q vs %q: %v", c.subject, c.cert, got)
		}
	}
	if urlNameOf("[::1]:443") != "" || urlNameOf("localhost.:1") != "localhost" || urlNameOf("127.0.0.1:5") != "127.0.0.1" {
		t.Error("urlNameOf")
	}
}

func loadCert(t *testing.T, name string) *x509.Certificate {
	data, err := os.ReadFile(filepath.Join(testCerts, name))
	if err != nil {
		t.Fatal(err)
	}
	return openssl.PEMCertificates(data)[0]
}

func TestPeerNameMessages(t *testing.T) {
	lh := loadCert(t, "localhost.pem")
	for _, n := range []string{"localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "LOCALHOST"} {
		if w, ok := verifyPeerName(lh, n); !ok {
			t.Errorf("%s: %s", n, w)
		}
	}
	if w, _ := verifyPeerName(lh, "::2"); w != "Peer certificate subjectAltName did not match expected name `::2'" {
		t.Error(w)
	}
	nosan := loadCert(t, "nosan.pem")
	if w, _ := verifyPeerName(nosan, "127.0.0.1"); w != "Peer certificate CN=`localhost' did not match expected CN=`127.0.0.1'" {
		t.Error(w)
	}
}

func TestEncryptedKey(t *testing.T) {
	var diags []Diagnostic
	diag := func(d Diagnostic) { diags = append(diags, d) }
	cert, ok := loadLocalCert("", filepath.Join(testCerts, "localhost.pem"), filepath.Join(testCerts, "encrypted.key"), []byte("phpsock-test"), true, diag)
	if !ok || cert == nil || len(diags) != 0 {
		t.Fatalf("PBES2 key not loaded: %v", diags)
	}
	_, ok = loadLocalCert("", filepath.Join(testCerts, "localhost.pem"), filepath.Join(testCerts, "encrypted.key"), []byte("secret-guess"), true, diag)
	if ok || len(diags) != 1 || strings.Contains(diags[0].Message, "secret-guess") {
		t.Fatalf("wrong passphrase: %v", diags)
	}
	if _, ok := loadLocalCert("", filepath.Join(testCerts, "localhost.pem"), filepath.Join(testCerts, "encrypted.key"), nil, false, nil); ok {
		t.Fatal("an encrypted key without passphrase loaded")
	}
}

func TestCAFileCacheSeesReplacement(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ca.pem")
	ca, _ := os.ReadFile(filepath.Join(testCerts, "ca.pem"))
	ss, _ := os.ReadFile(filepath.Join(testCerts, "selfsigned.pem"))
	if err := os.WriteFile(path, ca, 0o600); err != nil {
		t.Fatal(err)
	}
	r1 := loadVerifyLocations("", path, "", true, false, nil)
	r1b := loadVerifyLocations("", path, "", true, false, nil)
	if r1.store == nil || r1.store != r1b.store {
		t.Fatal("unchanged file not served from the cache")
	}
	// Replace the file (new inode, new size and mtime).
	tmp := path + ".new"
	os.WriteFile(tmp, ss, 0o600)
	os.Chtimes(tmp, time.Now().Add(time.Hour), time.Now().Add(time.Hour))
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	r2 := loadVerifyLocations("", path, "", true, false, nil)
	leaf := loadCert(t, "selfsigned.pem")
	if _, err := openssl.VerifyChain([]*x509.Certificate{leaf}, openssl.VerifyParams{Store: r2.store, Depth: 9, Level: 2, Now: time.Now()}); err != nil {
		t.Fatalf("replaced cafile not re-read: %v", err)
	}
}

// errorTableRows lists every text the TLS error table and the policy can
// print, each with the recorded case proving it. A row without a case
// fails the test, unless it names why none can be recorded.
var errorTableRows = []struct{ text, caseName, unrecordable string }{
	{text: openssl.HandshakeErrorText(&openssl.ChainError{Reason: "chain"}), caseName: "tls/cert-expired"},
	{text: openssl.HandshakeErrorText(tls.RecordHeaderError{RecordHeader: [5]byte{'H', 'T', 'T', 'P', '/'}}), caseName: "tls/plain-server"},
	{text: openssl.HandshakeErrorText(openssl.LegacySigalgError{}), caseName: "tls/version-tls10-default"},
	{text: "SSL operation failed with code 1. OpenSSL Error messages:\n" + openssl.AlertText(10), caseName: "tls/alert-unexpected-message"},
	{text: "SSL operation failed with code 1. OpenSSL Error messages:\n" + openssl.AlertText(40), caseName: "tls/alert-handshake-failure"},
	{text: "SSL operation failed with code 1. OpenSSL Error messages:\n" + openssl.AlertText(42), caseName: "tls/client-cert-encrypted-key-refused-by-server"},
	{text: "SSL operation failed with code 1. OpenSSL Error messages:\n" + openssl.AlertText(70), caseName: "tls/version-tls12-vs-tls13-server"},
	{text: "SSL operation failed with code 1. OpenSSL Error messages:\n" + openssl.AlertText(80), caseName: "tls/alert-internal-error"},
	{text: "SSL operation failed with code 1. OpenSSL Error messages:\n" + openssl.AlertText(112), caseName: "tls/alert-unrecognized-name"},
	{text: "SSL operation failed with code 1. OpenSSL Error messages:\n" + openssl.AlertText(116), caseName: "tls/client-cert-required-tls13"},
	{text: openssl.HandshakeErrorText(openssl.UnsupportedProtocolError{}), caseName: "phpt-openssl/tlsv1.2_wrapper-server-client-1.3"},
	{text: openssl.HandshakeErrorText(openssl.UnsupportedProtocolError{}), caseName: "phpt-openssl/tlsv1.0_wrapper-tlsv1.1"},
	{text: openssl.HandshakeErrorText(openssl.NoSuitableSigalgError{}), caseName: "phpt-openssl/stream_crypto_flags_004-server-tls10-client-1.0"},
	{text: "SSL: Handshake timed out", caseName: "tls/handshake-timeout"},
	{text: "SSL: Connection reset by peer", caseName: "tls/server-resets"},
	{text: "Peer certificate subjectAltName did not match expected name `127.0.0.1'", caseName: "tls/cert-wronghost"},
	{text: "Peer certificate CN=`localhost' did not match expected CN=`127.0.0.1'", caseName: "tls/cert-nosan-ip"},
	{text: "failed loading cafile stream: `{certs}/nope.pem'", caseName: "tls/cafile-missing"},
	{text: "no valid certs found cafile stream: `{certs}/ca.key'", caseName: "tls/cafile-no-certs"},
	{text: "Read of 8192 bytes failed with errno=21 Is a directory", caseName: "tls/cafile-directory"},
	{text: "peer_fingerprint match failure", caseName: "tls/fingerprint-mismatch"},
	{text: "Expected peer fingerprint must be a string or an array", caseName: "tls/fingerprint-null"},
	{text: "Invalid peer_fingerprint array; [algo => fingerprint] form required", caseName: "tls/fingerprint-empty-array"},
	{text: "Unknown digest algorithm", caseName: "tls/fingerprint-unknown-algo"},
	{text: "Security level must be between 0 and 5", caseName: "tls/seclevel-negative"},
	{text: "Failed parsing comma-separated TLS ALPN protocol string", caseName: "tls/alpn-too-long"},
	{text: "Unable to set local cert chain file `{certs}/nope.pem'; Check that your cafile/capath settings include details of your certificate and its issuer", caseName: "tls/client-cert-missing"},
	{text: "Unable to set private key file `{certs}/encrypted.key'", caseName: "tls/client-cert-wrong-passphrase"},
	{text: "Failed to enable crypto", caseName: "tls/server-eof"},
	{text: openssl.HandshakeErrorText(openssl.NoCiphersError{}), unrecordable: "OpenSSL fails before sending anything; needs a cipher string with suites all refused at the level and TLS 1.3 off, which a fixture cannot tell apart from other local failures"},
	{text: openssl.HandshakeErrorText(tls.RecordHeaderError{RecordHeader: [5]byte{22, 3, 1, 0x48, 0x01}}), unrecordable: "needs a TLS record header announcing over 16 KiB; crypto/tls and OpenSSL differ in how far they read first"},
	{text: "Unable to locate peer certificate CN", unrecordable: "no certificate of the contract lacks both a SAN and a CN"},
	{text: "Could not get peer certificate", unrecordable: "every fixture server presents a certificate"},
	{text: "Unable to set default verify locations and no CA settings specified", unrecordable: "the system store always loads"},
	{text: "failed loading cafile stream: `http://127.0.0.1:{h.port}/cacert.pem'", caseName: "phpt-openssl/bug65538_002-cafile-http-url-socket"},
	{text: "connect() failed: Connection refused", caseName: "phpt-openssl/bug65538_002-cafile-ftp-url-socket"},
	{text: "remote cafile streams are disabled for security purposes", unrecordable: "printed for a cafile URL that opens (php 8.2 prints it for a data: URL and an http URL answering 200, TestStreamCAFile); no case records one yet"},
	{text: "SSL operation failed with code 1. ", unrecordable: "fallback for untyped crypto/tls failures that OpenSSL has no counterpart for"},
}

func TestServerVersion(t *testing.T) {
	withExt := []uint16{extSupportedVersions}
	for _, c := range []struct {
		offered    []uint16
		exts       []uint16
		minV, maxV uint16
		want       uint16
		ok         bool
	}{
		{[]uint16{tls.VersionTLS13, tls.VersionTLS12}, withExt, tls.VersionTLS10, tls.VersionTLS13, tls.VersionTLS13, true},
		{[]uint16{tls.VersionTLS13}, withExt, tls.VersionTLS12, tls.VersionTLS12, 0, false},                                                                     // phpt-openssl/tlsv1.2_wrapper-server-client-1.3
		{[]uint16{tls.VersionTLS12}, withExt, tls.VersionTLS13, tls.VersionTLS13, 0, false},                                                                     // phpt-openssl/tlsv1.3_wrapper-server-client-1.2
		{[]uint16{tls.VersionTLS13, tls.VersionTLS12, tls.VersionTLS11, tls.VersionTLS10}, withExt, tls.VersionTLS10, tls.VersionTLS10, tls.VersionTLS10, true}, // phpt-openssl/stream_crypto_flags_004-server-tls10-client-any
		{[]uint16{0x0a0a, tls.VersionTLS12}, withExt, tls.VersionTLS10, tls.VersionTLS13, tls.VersionTLS12, true},                                               // GREASE skipped
		// No supported_versions: the legacy version and below, TLS 1.2 at most.
		{[]uint16{tls.VersionTLS13, tls.VersionTLS12, tls.VersionTLS11, tls.VersionTLS10}, nil, tls.VersionTLS10, tls.VersionTLS13, tls.VersionTLS12, true},
		{[]uint16{tls.VersionTLS11, tls.VersionTLS10}, nil, tls.VersionTLS12, tls.VersionTLS13, 0, false},
	} {
		hello := &tls.ClientHelloInfo{SupportedVersions: c.offered, Extensions: c.exts}
		v, ok := serverVersion(hello, c.minV, c.maxV)
		if v != c.want || ok != c.ok {
			t.Errorf("serverVersion(%x, ext %v, [%x, %x]) = %x, %v; want %x, %v", c.offered, c.exts, c.minV, c.maxV, v, ok, c.want, c.ok)
		}
	}
}

func TestErrorTableRowsRecorded(t *testing.T) {
	rec, err := conformance.ReadRecording("../conformance/recorded/php-8.2-linux.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range errorTableRows {
		if row.caseName == "" {
			if row.unrecordable == "" {
				t.Errorf("row %q has neither a case nor a reason", row.text)
			}
			continue
		}
		r := rec.Cases[row.caseName]
		if r == nil {
			t.Errorf("row %q: case %s not recorded", row.text, row.caseName)
			continue
		}
		found := false
		for _, o := range r.Steps {
			for _, w := range o.Warnings {
				if strings.HasSuffix(string(w.Message), row.text) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("row %q: not in the recording of %s", row.text, row.caseName)
		}
	}
	// Every alert text of the table is either proven or listed.
	proven := map[string]bool{}
	for _, row := range errorTableRows {
		proven[row.text] = true
	}
	n, all := 0, 0
	for a := range 256 {
		text := openssl.AlertText(uint8(a))
		if text == "" {
			continue
		}
		all++
		if proven["SSL operation failed with code 1. OpenSSL Error messages:\n"+text] {
			n++
		}
	}
	t.Logf("%d of %d alert rows recorded; the others follow OpenSSL's reason = 1000 + alert rule proven by those", n, all)
}
