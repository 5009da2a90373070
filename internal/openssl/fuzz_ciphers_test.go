package openssl

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// FuzzCipherString fuzzes the OpenSSL cipher-string engine
// (ParseCipherString, CipherSpecFor): no panic; a selection is non-empty,
// made of known suites, each once; the level is -1..5; the selected names
// written as a cipher string select the same list again; and the cached
// spec agrees with a fresh parse. With PHPSOCK_FUZZ_OPENSSL=1 every input
// is also given to `openssl ciphers` (OpenSSL 3.0), whose answer must be
// the same:
//
//	PHPSOCK_FUZZ_OPENSSL=1 go test -run '^$' -fuzz FuzzCipherString -fuzztime 3m ./internal/openssl
func FuzzCipherString(f *testing.F) {
	for _, s := range []string{
		"", "HIGH", "ALL", "DEFAULT", "DEFAULT:!aNULL", "COMPLEMENTOFDEFAULT", PHPDefaultCiphers,
		"HIGH:!aNULL:!MD5", "@SECLEVEL=0:ALL", "HIGH:@SECLEVEL=9", "@STRENGTH", "ALL:@STRENGTH",
		"kRSA+AES128:-SHA1", "+AES:-ALL:AES128-SHA", "SUITEB128", "SUITEB192:HIGH", "ECDHE-RSA-AES128-GCM-SHA256",
		"AES128-SHA AES256-SHA,NULL-MD5;x", "!ALL:HIGH", "TLSv1.2+HIGH", "TLSv1+TLSv1.2", "FIPS", "eNULL:NULL",
		"AES+SHA256+kRSA", "a:b::c", "+", "-", "!", "@", "HIGH:+", "=", "SECLEVEL=3", "@SECLEVEL=",
	} {
		f.Add(s)
	}
	differential := os.Getenv("PHPSOCK_FUZZ_OPENSSL") == "1"
	f.Fuzz(func(t *testing.T, s string) {
		names, lvl, ok := ParseCipherString(s)
		if lvl < -1 || lvl > 5 {
			t.Fatalf("%q: level %d", s, lvl)
		}
		if ok != (len(names) > 0) {
			t.Fatalf("%q: ok %v with %d suites", s, ok, len(names))
		}
		seen := map[string]bool{}
		for _, n := range names {
			if _, known := suiteByName[n]; !known || seen[n] {
				t.Fatalf("%q: suite %q unknown or twice in %v", s, n, names)
			}
			seen[n] = true
		}
		if ok {
			again, _, ok2 := ParseCipherString(strings.Join(names, ":"))
			if !ok2 || !slices.Equal(again, names) {
				t.Fatalf("%q selects %v; written back it selects %v (%v)", s, names, again, ok2)
			}
		}
		sp := CipherSpecFor(s)
		if sp.OK != ok || sp.Level != lvl || len(sp.suites) != len(names) {
			t.Fatalf("%q: cached spec %v/%d/%d suites, parse %v/%d/%d", s, sp.OK, sp.Level, len(sp.suites), ok, lvl, len(names))
		}
		for i, su := range sp.suites {
			if su.name != names[i] {
				t.Fatalf("%q: cached spec differs at %d: %s, %s", s, i, su.name, names[i])
			}
		}
		if differential && !strings.ContainsRune(s, 0) {
			want, wok := opensslCiphers(t, s)
			if wok != ok || (ok && !slices.Equal(names, want)) {
				t.Fatalf("%q: phpsock %v %v\nopenssl %v %v", s, ok, names, wok, want)
			}
		}
	})
}

// opensslCiphers is what `openssl ciphers` selects for s (TLS <= 1.2
// suites only), and whether it accepts s.
func opensslCiphers(t *testing.T, s string) ([]string, bool) {
	out, err := exec.Command("openssl", "ciphers", "-ciphersuites", "", "--", s).Output()
	if err != nil {
		if _, exit := err.(*exec.ExitError); exit {
			return nil, false
		}
		t.Fatalf("openssl: %v", err)
	}
	line := strings.TrimSpace(string(out))
	if line == "" {
		return nil, false
	}
	return strings.Split(line, ":"), true
}
