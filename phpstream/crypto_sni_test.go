package phpstream

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phpsock/phpsock/internal/openssl"
)

// kv is an OptionArray of explicit keys, for the SNI tests.
type kv []struct {
	k any
	v any
}

func (a kv) Len() int            { return len(a) }
func (a kv) At(i int) (any, any) { return a[i].k, a[i].v }

func entry(k, v any) struct{ k, v any } { return struct{ k, v any }{k, v} }

// TestServerSNISetup checks php_openssl_enable_server_sni's validation.
// The recorded cases cover a missing file and a file without a key
// (phpt-openssl/bug73072-sni-cert-missing-file,
// sni_server-no-match-falls-back); the other texts are php-src's, and
// php 8.2 printed exactly these for the same options at accept.
func TestServerSNISetup(t *testing.T) {
	certs, err := filepath.Abs(testCerts)
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	for _, c := range []struct {
		name string
		sni  any
		want []string // warnings; nil: the setup succeeds
	}{
		{"string", "x", []string{"SNI_server_certs requires an array mapping host names to cert paths"}},
		{"empty", kv{}, []string{"SNI_server_certs host cert array must not be empty"}},
		{"int key", kv{entry(int64(1), certs+"/combined.pem")}, []string{"SNI_server_certs array requires string host name keys"}},
		{"nul", kv{entry("a", certs+"/comb\x00ined.pem")}, []string{
			"Path for SNI_server_certs in ssl stream context option must not contain any null bytes",
			"Failed setting local cert chain file `" + certs + "/comb'; file not found"}},
		{"no local_cert", kv{entry("a", kv{entry("local_pk", "x")})}, []string{"local_cert not present in the array"}},
		{"no local_pk", kv{entry("a", kv{entry("local_cert", certs+"/localhost.pem")})}, []string{"local_pk not present in the array"}},
		{"nul pk", kv{entry("a", kv{entry("local_cert", certs+"/localhost.pem"), entry("local_pk", "a\x00b")})}, []string{
			"Path for SNI_server_certs local_pk in ssl stream context option must not contain any null bytes",
			"Failed setting local private key file `a';  could not open file"}},
		{"wrong key", kv{entry("a", kv{entry("local_cert", certs+"/localhost.pem"), entry("local_pk", certs+"/wronghost.key")})}, []string{
			"Failed setting private key from file `" + certs + "/wronghost.key'"}},
		{"relative", kv{entry("a", "rel/x.pem")}, []string{
			"Failed setting local cert chain file `" + filepath.Join(wd, "rel/x.pem") + "'; check that your cafile/capath settings include details of your certificate and its issuer"}},
		{"empty path", kv{entry("a", "")}, []string{
			"Failed setting local cert chain file `'; check that your cafile/capath settings include details of your certificate and its issuer"}},
		{"every entry is loaded", kv{entry("localhost", certs+"/combined.pem"), entry("b", certs+"/wronghost.pem")}, []string{
			"Failed setting private key from file `" + certs + "/wronghost.pem'"}},
		{"ok", kv{entry("localhost", certs+"/combined.pem"),
			entry("*.example.test", kv{entry("local_cert", certs+"/wildcard.pem"), entry("local_pk", certs+"/wildcard.key")})}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := NewContext()
			ctx.SetOption("ssl", "SNI_server_certs", c.sni)
			var got []string
			sni, ok := loadServerSNI(&TLSServerOptions{Context: ctx}, func(d Diagnostic) { got = append(got, d.Message) })
			if ok != (c.want == nil) || strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("ok %v, warnings\n%s\nwant\n%s", ok, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if ok && len(sni) != c.sni.(kv).Len() {
				t.Fatalf("%d entries loaded", len(sni))
			}
		})
	}
	// SNI_enabled false: the option is not even looked at.
	ctx := NewContext()
	ctx.SetOption("ssl", "SNI_enabled", false)
	ctx.SetOption("ssl", "SNI_server_certs", "x")
	if sni, ok := loadServerSNI(&TLSServerOptions{Context: ctx}, nil); !ok || sni != nil {
		t.Fatalf("SNI_enabled false: %v %v", sni, ok)
	}
}

// TestServerSNISelection checks the servername callback: the first entry
// whose wildcard name matches, else the server's own certificate, with
// the security level of the context that supplies it.
func TestServerSNISelection(t *testing.T) {
	certs, _ := filepath.Abs(testCerts)
	ctx := NewContext()
	ctx.SetOption("ssl", "local_cert", certs+"/combined.pem")
	ctx.SetOption("ssl", "security_level", int64(0))
	ctx.SetOption("ssl", "SNI_server_certs", kv{
		entry("*.example.test", kv{entry("local_cert", certs+"/wildcard.pem"), entry("local_pk", certs+"/wildcard.key")}),
		entry("localhost", certs+"/combined.pem"),
	})
	s, err := newServerSetup(&TLSServerOptions{Context: ctx, Method: CryptoMethodTLSServer}, nil)
	if err != nil || s == nil {
		t.Fatal("setup failed", err)
	}
	for _, c := range []struct {
		name  string
		cert  *tls.Certificate
		level int
	}{
		{"uk.example.test", s.sni[0].cert, openssl.DefaultSecurityLevel},
		{"LOCALHOST", s.sni[1].cert, openssl.DefaultSecurityLevel},
		{"a.b.example.test", s.cert, 0},
		{"", s.cert, 0},
	} {
		cert, level := s.sniCertFor(c.name)
		if cert != c.cert || level != c.level {
			t.Errorf("%q: got %p level %d, want %p level %d", c.name, cert, level, c.cert, c.level)
		}
	}
}
