package phpstream

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/phpsock/phpsock/internal/openssl"
)

// benchPKI is the conformance suite's fixed CA and its "localhost"
// server certificate (conformance/testdata/certs, the shared test
// certificates).
type benchPKI struct {
	caFile string
	ca     *x509.Certificate
	leaf   *x509.Certificate
	server tls.Certificate
}

// newBenchPKI loads the fixed certificates; the server's chain carries
// padCopies extra copies of the CA certificate (a long Certificate
// message; verification ignores the duplicates).
func newBenchPKI(tb testing.TB, padCopies ...int) *benchPKI {
	tb.Helper()
	caFile := filepath.Join(testCerts, "ca.pem")
	server, err := tls.LoadX509KeyPair(filepath.Join(testCerts, "localhost.pem"), filepath.Join(testCerts, "localhost.key"))
	if err != nil {
		tb.Fatal(err)
	}
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		tb.Fatal(err)
	}
	block, _ := pem.Decode(caPEM)
	if block == nil {
		tb.Fatal("ca.pem holds no PEM block")
	}
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(server.Certificate[0])
	if err != nil {
		tb.Fatal(err)
	}
	server.Leaf = leaf
	for _, n := range padCopies {
		for range n {
			server.Certificate = append(server.Certificate, block.Bytes)
		}
	}
	return &benchPKI{caFile: caFile, ca: ca, leaf: leaf, server: server}
}

// BenchmarkVerifyChain is PHP's chain verification of a server chain
// against a cached CA file store.
func BenchmarkVerifyChain(b *testing.B) {
	pki := newBenchPKI(b)
	r := loadVerifyLocations("", pki.caFile, "", true, false, nil)
	p := openssl.VerifyParams{Store: r.store, Depth: 9, Level: 2, Now: time.Now()}
	peer := []*x509.Certificate{pki.leaf}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := openssl.VerifyChain(peer, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkX509Verify is what crypto/tls does for the same chain.
func BenchmarkX509Verify(b *testing.B) {
	pki := newBenchPKI(b)
	roots := x509.NewCertPool()
	roots.AddCert(pki.ca)
	b.ReportAllocs()
	for b.Loop() {
		opts := x509.VerifyOptions{Roots: roots, DNSName: "localhost", Intermediates: x509.NewCertPool(), CurrentTime: time.Now()}
		if _, err := pki.leaf.Verify(opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientSetup is PHP's client setup for a verifying context
// with a CA file: what precedes the handshake on every connect.
func BenchmarkClientSetup(b *testing.B) {
	pki := newBenchPKI(b)
	ctx := NewContext()
	ctx.SetOption("ssl", "cafile", pki.caFile)
	ctx.SetOption("ssl", "peer_name", "localhost")
	opts := &TLSClientOptions{Context: ctx, Method: CryptoMethodTLSv13Client}
	b.ReportAllocs()
	for b.Loop() {
		if s, err := newClientSetup(opts, nil); s == nil || err != nil {
			b.Fatal(err)
		}
	}
}

// handshakeServer serves TLS handshakes as the perf harness's server does
// (X25519/P-256, the fixed RSA certificate, no session tickets) and returns its address.
func handshakeServer(b *testing.B, pki *benchPKI) string {
	cfg := &tls.Config{
		Certificates:           []tls.Certificate{pki.server},
		MinVersion:             tls.VersionTLS12,
		CurvePreferences:       []tls.CurveID{tls.X25519, tls.CurveP256},
		SessionTicketsDisabled: true,
		CipherSuites:           []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				tc := tls.Server(c, cfg)
				if tc.Handshake() == nil {
					io.Copy(io.Discard, tc)
				}
				tc.Close()
			}()
		}
	}()
	return ln.Addr().String()
}

// BenchmarkHandshake is the perf harness's tls workload in process: a
// connect, PHP's client handshake (verify peer "localhost" against a CA
// file) and a close, next to plain crypto/tls. The server's CPU is in the
// figures too: compare the two, and read allocations.
func BenchmarkHandshake(b *testing.B) {
	pki := newBenchPKI(b)
	addr := handshakeServer(b, pki)
	for _, v := range []struct {
		name   string
		method int64
		ver    uint16
	}{{"1.3", CryptoMethodTLSv13Client, tls.VersionTLS13}, {"1.2", CryptoMethodTLSv12Client, tls.VersionTLS12}} {
		b.Run("phpsock-"+v.name, func(b *testing.B) {
			ctx := NewContext()
			ctx.SetOption("ssl", "cafile", pki.caFile)
			ctx.SetOption("ssl", "peer_name", "localhost")
			d := &Dialer{Timeout: 10 * time.Second, Context: ctx}
			bg := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				s, err := d.Dial(bg, "tcp://"+addr)
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := s.EnableCrypto(bg, v.method, TLSClientOptions{Context: ctx}); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
		b.Run("crypto-tls-"+v.name, func(b *testing.B) {
			pool := x509.NewCertPool()
			pool.AddCert(pki.ca)
			cfg := &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: v.ver, MaxVersion: v.ver,
				CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256}}
			b.ReportAllocs()
			for b.Loop() {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					b.Fatal(err)
				}
				tc := tls.Client(c, cfg)
				if err := tc.Handshake(); err != nil {
					b.Fatal(err)
				}
				tc.Close()
			}
		})
	}
}
