package openssl

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
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

// TestSuiteTableMatchesOpenSSL checks every row of opensslSuites against
// what the installed `openssl ciphers -V` says of the same suite, and
// that the table lists every TLS <= 1.2 suite that openssl knows. It
// needs the openssl command (OpenSSL 3.0, as the table's header says).
func TestSuiteTableMatchesOpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl command")
	}
	out, err := exec.Command("openssl", "ciphers", "-V", "-ciphersuites", "", "ALL:COMPLEMENTOFALL").Output()
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]uint16{"SSLv3": vSSL3, "TLSv1": vTLS10, "TLSv1.2": vTLS12}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		// "0xC0,0x2C - ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH Au=ECDSA Enc=AESGCM(256) Mac=AEAD"
		f := strings.Fields(line)
		if len(f) < 7 {
			t.Fatalf("unexpected line %q", line)
		}
		var hi, lo uint16
		if _, err := fmt.Sscanf(f[0], "0x%02X,0x%02X", &hi, &lo); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		name, id := f[2], hi<<8|lo
		bits := 0 // Enc=None
		if enc := f[6]; enc != "Enc=None" {
			if bits, err = strconv.Atoi(enc[strings.LastIndexByte(enc, '(')+1 : len(enc)-1]); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
		}
		seen[name] = true
		i, ok := suiteByName[name]
		if !ok {
			t.Errorf("openssl has %s (%#04x), the table has not", name, id)
			continue
		}
		s := opensslSuites[i]
		if s.id != id || s.minTLS != versions[f[3]] || s.bits != bits {
			t.Errorf("%s: table %#04x %#x %d bits, openssl %#04x %s %d bits", name, s.id, s.minTLS, s.bits, id, f[3], bits)
		}
	}
	for _, s := range opensslSuites {
		if !seen[s.name] {
			t.Errorf("the table has %s, openssl has not", s.name)
		}
	}
}
