//go:build linux

package main

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/examples/internal/livetest"
)

// TestLive runs client.php with PHP and its Go port against one postfix
// (livetest.StartPostfix), scenario by scenario, and compares the
// transcripts.
func TestLive(t *testing.T) {
	pf := livetest.StartPostfix(t)
	ca := "cafile=" + filepath.Join(livetest.CertDir(t), "ca.pem")
	refused := livetest.FreePort(t)
	scenarios := []struct {
		name string
		port int
		opts []string
	}{
		{"success", pf.SMTPS, []string{"verify_peer=1", ca, "peer_name=localhost"}},
		// The options PHPMailer's documentation gives for a server whose
		// certificate does not verify: no verification at all, on TLS 1.2.
		{"no-verification-tls12", pf.SMTPS, []string{"verify_peer=0", "verify_peer_name=0", "allow_self_signed=1", "crypto_method=STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT"}},
		// No cafile: the chain does not verify (allow_self_signed does
		// not help, the certificate is not self-signed).
		{"no-cafile", pf.SMTPS, []string{"peer_name=localhost", "allow_self_signed=1"}},
		{"wrong-peer-name", pf.SMTPS, []string{ca, "peer_name=mail.example.net"}},
		// The server takes TLS 1.3 only, the client asks for TLS 1.2.
		{"tls-version-mismatch", pf.SMTPS13, []string{ca, "peer_name=localhost", "crypto_method=STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT"}},
		// ssl:// to the STARTTLS port: the greeting is no TLS record
		// ("wrong version number").
		{"ssl-to-starttls-port", pf.Submission, []string{ca, "peer_name=localhost"}},
		{"connection-refused", refused, []string{ca, "peer_name=localhost"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			args := append([]string{"ssl://127.0.0.1", strconv.Itoa(sc.port)}, sc.opts...)
			php := livetest.RunPHP(t, "client.php", args...)
			tr := &livetest.Transcript{}
			rt := compat.NewRuntime()
			defer rt.Close()
			if err := client(rt, tr, args); err != nil {
				t.Errorf("Go port: %v", err)
			}
			livetest.Compare(t, php, tr.String())
		})
	}
}
