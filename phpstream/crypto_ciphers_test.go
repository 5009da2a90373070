package phpstream

import (
	"crypto/tls"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestCipherStringsMatchOpenSSL compares ParseCipherString with what
// `openssl ciphers -ciphersuites "" STRING` (OpenSSL 3.0) printed for the
// same strings (testdata/openssl-3.0-ciphers.json; null: OpenSSL refused).
func TestCipherStringsMatchOpenSSL(t *testing.T) {
	data, err := os.ReadFile("testdata/openssl-3.0-ciphers.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden [][2]any
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	for _, g := range golden {
		s := g[0].(string)
		got, _, ok := ParseCipherString(s)
		if g[1] == nil {
			if ok {
				t.Errorf("%q: got %d suites, OpenSSL refuses the string", s, len(got))
			}
			continue
		}
		var want []string
		for _, n := range g[1].([]any) {
			want = append(want, n.(string))
		}
		if !ok {
			t.Errorf("%q: refused, OpenSSL selects %v", s, want)
			continue
		}
		if !slices.Equal(got, want) {
			// Order matters too: it is the ClientHello's order in OpenSSL.
			t.Errorf("%q:\n got  %v\n want %v", s, got, want)
		}
	}
}

func TestCipherSecLevel(t *testing.T) {
	for _, c := range []struct {
		s    string
		lvl  int
		ok   bool
		want []uint16
	}{
		{"HIGH:@SECLEVEL=0", 0, true, nil},
		{"@SECLEVEL=3:kRSA", 3, true, []uint16{}},
		{"@SECLEVEL=9:HIGH", -1, false, nil},
		{"AES128-SHA", -1, true, []uint16{tls.TLS_RSA_WITH_AES_128_CBC_SHA}},
		{"DHE-RSA-AES128-GCM-SHA256", -1, true, []uint16{}},
	} {
		sel, lvl, ok := parseCipherString(c.s)
		if ok != c.ok || (ok && lvl != c.lvl) {
			t.Errorf("%q: level %d ok %v, want %d %v", c.s, lvl, ok, c.lvl, c.ok)
			continue
		}
		if c.want != nil {
			l := lvl
			if l < 0 {
				l = 2
			}
			if got := goSuites(sel, l); !slices.Equal(got, c.want) {
				t.Errorf("%q: Go suites %x, want %x", c.s, got, c.want)
			}
		}
	}
}

func TestCipherInfo(t *testing.T) {
	for _, c := range []struct {
		id   uint16
		name string
		bits int
		ver  string
	}{
		{tls.TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256", 128, "TLSv1.3"},
		{tls.TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384", 256, "TLSv1.3"},
		{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE-RSA-AES128-GCM-SHA256", 128, "TLSv1.2"},
		{tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA-CHACHA20-POLY1305", 256, "TLSv1.2"},
		{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, "ECDHE-RSA-AES128-SHA", 128, "TLSv1.0"},
		{tls.TLS_RSA_WITH_AES_128_CBC_SHA, "AES128-SHA", 128, "SSLv3"},
		{tls.TLS_RSA_WITH_AES_256_CBC_SHA, "AES256-SHA", 256, "SSLv3"},
		{tls.TLS_RSA_WITH_AES_128_CBC_SHA256, "AES128-SHA256", 128, "TLSv1.2"},
	} {
		n, b, v := CipherInfo(c.id)
		if n != c.name || b != c.bits || v != c.ver {
			t.Errorf("%04x: %s %d %s, want %s %d %s", c.id, n, b, v, c.name, c.bits, c.ver)
		}
	}
}
