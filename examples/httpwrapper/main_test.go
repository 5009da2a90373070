//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phpsock/phpsock/examples/internal/livetest"
)

// nginxConf serves the same site on a plain and a TLS port: a static file,
// a relative 301 redirect (absolute_redirect off) to it, a redirect loop,
// a 303 to the echo, a 302 from http to https,
// nginx's 404 page, a request echo (return reads no file, so it answers
// POST and PUT) and a server-side include, whose output has no length
// known in advance: nginx sends it chunked to HTTP/1.1 clients and ends
// it by closing the connection for HTTP/1.0 ones.
const nginxHTTP = `    default_type text/plain;
    absolute_redirect off;
    server_tokens off;
    root %[1]s/www;
    ssl_certificate %[2]s/localhost.pem;
    ssl_certificate_key %[2]s/localhost.key;
    # The server picks the TLS 1.3 suite: by the client's preference,
    # PHP's OpenSSL gets TLS_AES_256_GCM_SHA384 and Go's crypto/tls
    # TLS_AES_128_GCM_SHA256 (see livetest.StartDovecot).
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256;
    server {
        listen 127.0.0.1:%[3]d;
        listen 127.0.0.1:%[4]d ssl;
        location = /old { return 301 /hello.txt; }
        location = /loop { return 302 /loop; }
        location = /see-other { return 303 /echo; }
        location = /to-https { return 302 https://127.0.0.1:%[4]d/hello.txt; }
        location = /echo {
            return 200 "method=$request_method length=$http_content_length type=$content_type demo=$http_x_demo agent=$http_user_agent host=$http_host connection=$http_connection\n";
        }
        location /ssi/ { ssi on; ssi_types text/plain; }
    }
`

// site writes the files nginx serves, with a fixed modification time
// (Last-Modified and the ETag derive from it).
func site(t *testing.T, dir string) {
	files := map[string]string{
		"www/hello.txt":    "Hello from nginx.\n",
		"www/ssi/part.txt": "an included part\n",
		"www/ssi/page.txt": "before the include\n<!--# include file=\"part.txt\" -->after the include\n",
	}
	// 1 MiB of numbered lines, served as it is and through SSI.
	var large strings.Builder
	for i := 0; large.Len() < 1<<20; i++ {
		fmt.Fprintf(&large, "line %07d of the large body\n", i)
	}
	files["www/large.bin"] = large.String()
	files["www/ssi/large.txt"] = "<!--# include virtual=\"/large.bin\" -->" + "end\n"
	mtime := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

// startNginx starts nginx with nginxConf in t.TempDir() and returns its
// plain and TLS ports and its process.
func startNginx(t *testing.T, certs string) (httpPort, httpsPort int, cmd *exec.Cmd) {
	httpPort, httpsPort = livetest.FreePort(t), livetest.FreePort(t)
	dir := t.TempDir()
	// nginx's worker runs as nobody: it must reach the files.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	site(t, dir)
	cmd = livetest.StartNginx(t, dir, fmt.Sprintf(nginxHTTP, dir, certs, httpPort, httpsPort), fmt.Sprintf("127.0.0.1:%d", httpsPort))
	return httpPort, httpsPort, cmd
}

// masks: the Date header, the one part of nginx's answers that changes
// between the PHP run and the Go run.
var masks = []livetest.Mask{
	{Re: regexp.MustCompile(`Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT`), With: "Date: D"},
}

// compare runs client.php and the Go port with the same arguments and
// compares their transcripts.
func compare(t *testing.T, args ...string) {
	t.Helper()
	php := livetest.RunPHP(t, "client.php", args...)
	livetest.Compare(t, php, livetest.RunPort(t, run, args...), masks...)
}

// TestHTTPWrapper runs every scenario of client.php and its Go port
// against the same nginx.
func TestHTTPWrapper(t *testing.T) {
	livetest.Need(t, "php", "php8.2-cli")
	certs := livetest.CertDir(t)
	httpPort, httpsPort, nginx := startNginx(t, certs)
	host := "127.0.0.1"
	for _, scenario := range []string{"get", "redirect", "loop", "notfound", "chunked", "post", "functions", "proxy", "large",
		"https", "https-wrong-name", "https-no-cafile", "https-to-http-port"} {
		t.Run(scenario, func(t *testing.T) {
			compare(t, scenario, host, strconv.Itoa(httpPort), strconv.Itoa(httpsPort), certs)
		})
	}
	t.Run("paused", func(t *testing.T) {
		resume := livetest.Pause(nginx)
		defer resume()
		compare(t, "paused", host, strconv.Itoa(httpPort), strconv.Itoa(httpsPort), certs)
	})
	t.Run("refused", func(t *testing.T) {
		free := strconv.Itoa(livetest.FreePort(t))
		compare(t, "refused", host, free, free, certs)
	})
}
