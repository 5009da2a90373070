package phpstream

import (
	"compress/gzip"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStreamCAFile checks php_openssl_load_stream_cafile's outcomes. The
// recorded cases cover file://, http:// and ftp:// to a closed port
// (phpt-openssl/bug65538_001-cafile-file-url-socket,
// bug65538_002-cafile-http-url-socket, bug65538_002-cafile-ftp-url-socket);
// the other expectations are what php 8.2 printed for the same cafile
// values.
func TestStreamCAFile(t *testing.T) {
	certs, err := filepath.Abs(testCerts)
	if err != nil {
		t.Fatal(err)
	}
	pemData, err := os.ReadFile(filepath.Join(certs, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	gz := filepath.Join(tmp, "ca.pem.gz")
	f, _ := os.Create(gz)
	zw := gzip.NewWriter(f)
	zw.Write(pemData)
	zw.Close()
	f.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ca.pem" {
			http.NotFound(w, r)
			return
		}
		w.Write(pemData)
	}))
	defer web.Close()

	for _, c := range []struct {
		cafile string
		certs  int
		want   []string
	}{
		{"file://" + certs + "/ca.pem", 1, nil},
		{"file://localhost" + certs + "/ca.pem", 1, nil},
		{"compress.zlib://" + certs + "/ca.pem", 1, nil},
		{"compress.zlib://" + gz, 1, nil},
		{"file://" + certs + "/ca.key", 0, []string{"no valid certs found cafile stream: `file://" + certs + "/ca.key'"}},
		{"php://memory", 0, []string{"no valid certs found cafile stream: `php://memory'"}},
		{"file://host/x.pem", 0, []string{"failed loading cafile stream: `file://host/x.pem'"}},
		{certs + "/ca.pem/", 0, []string{"failed loading cafile stream: `" + certs + "/ca.pem/'"}},
		{"foo://x.pem", 0, []string{
			`Unable to find the wrapper "foo" - did you forget to enable it when you configured PHP?`,
			"failed loading cafile stream: `foo://x.pem'"}},
		{"data:text/plain,abc", 0, []string{"remote cafile streams are disabled for security purposes"}},
		{"data:text/plain;base64," + base64.StdEncoding.EncodeToString(pemData), 0, []string{"remote cafile streams are disabled for security purposes"}},
		{"http://" + closed + "/x", 0, []string{"failed loading cafile stream: `http://" + closed + "/x'"}},
		// An http cafile that downloads is refused unread; a 404 fails the open.
		{web.URL + "/ca.pem", 0, []string{"remote cafile streams are disabled for security purposes"}},
		{web.URL + "/nope.pem", 0, []string{"failed loading cafile stream: `" + web.URL + "/nope.pem'"}},
		{"ftp://" + closed + "/x", 0, []string{
			"connect() failed: Connection refused",
			"failed loading cafile stream: `ftp://" + closed + "/x'"}},
		{"ftps://" + closed + "/x", 0, []string{
			"connect() failed: Connection refused",
			"failed loading cafile stream: `ftps://" + closed + "/x'"}},
	} {
		var got []string
		got2, _, ve := loadStreamCAFile("", c.cafile, func(d Diagnostic) { got = append(got, d.Message) })
		if ve != "" || len(got2) != c.certs || strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%.60s: %d certs %q, warnings\n%s\nwant %d certs,\n%s", c.cafile, len(got2), ve, strings.Join(got, "\n"), c.certs, strings.Join(c.want, "\n"))
		}
	}
	if _, _, ve := loadStreamCAFile("", "", nil); ve != "Path cannot be empty" {
		t.Errorf("empty path: %q", ve)
	}
}

// TestStreamPEMCertificates checks PHP's line-based reading: only exact
// BEGIN lines start a certificate.
func TestStreamPEMCertificates(t *testing.T) {
	pemData, err := os.ReadFile(filepath.Join(testCerts, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(pemData)
	for _, c := range []struct {
		name string
		data string
		n    int
	}{
		{"plain", s, 1},
		{"crlf", strings.ReplaceAll(s, "\n", "\r\n"), 1},
		{"twice with text around", "junk\n" + s + "more\n" + s, 2},
		{"indented begin", " " + s, 0},
		{"trusted", strings.ReplaceAll(s, " CERTIFICATE-----", " TRUSTED CERTIFICATE-----"), 0},
		{"no end newline", strings.TrimSuffix(s, "\n"), 1},
	} {
		if got := len(streamPEMCertificates([]byte(c.data))); got != c.n {
			t.Errorf("%s: %d certificates, want %d", c.name, got, c.n)
		}
	}
}
