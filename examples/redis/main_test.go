//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/phpsock/phpsock/examples/internal/livetest"
)

// servers are the server processes of TestRedis: redis-server with a
// plain and a TLS port, stunnel4 in front of the plain port with limited
// protocols and ciphers, and nginx (a plain HTTP port and a TLS port
// limited to TLS 1.2).
type servers struct {
	certs                  string
	plain, tls             int // redis-server
	tls13Only, tls12Cipher int // stunnel4 in front of redis
	httpPlain, http12Only  int // nginx
	redis                  *exec.Cmd
}

func startRedis(t *testing.T, s *servers) {
	bin := livetest.Need(t, "redis-server", "redis-server")
	s.plain, s.tls = livetest.FreePort(t), livetest.FreePort(t)
	dir := t.TempDir()
	s.redis = exec.Command(bin,
		"--bind", "127.0.0.1", "--port", strconv.Itoa(s.plain),
		"--tls-port", strconv.Itoa(s.tls),
		"--tls-cert-file", filepath.Join(s.certs, "localhost.pem"),
		"--tls-key-file", filepath.Join(s.certs, "localhost.key"),
		"--tls-ca-cert-file", filepath.Join(s.certs, "ca.pem"),
		"--tls-auth-clients", "no",
		// The server's preference picks the TLS 1.3 suite: by the
		// client's, OpenSSL's first (PHP's) is TLS_AES_256_GCM_SHA384 and
		// crypto/tls's TLS_AES_128_GCM_SHA256, which Go cannot change.
		"--tls-prefer-server-ciphers", "yes",
		"--tls-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256",
		"--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no",
		"--logfile", "", "--unixsocket", "")
	livetest.Start(t, s.redis, fmt.Sprintf("127.0.0.1:%d", s.plain))
}

// stunnelConf: one service accepting TLS 1.3 only, one TLS 1.2 with the
// single cipher AES256-SHA, both forwarding to redis' plain port.
const stunnelConf = `foreground = yes
pid =
cert = %[1]s/localhost.pem
key = %[1]s/localhost.key
; the server picks the TLS 1.3 suite (see startRedis)
options = CIPHER_SERVER_PREFERENCE
ciphersuites = TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256

[tls13-only]
accept = 127.0.0.1:%[2]d
connect = 127.0.0.1:%[4]d
sslVersionMin = TLSv1.3

[tls12-cipher]
accept = 127.0.0.1:%[3]d
connect = 127.0.0.1:%[4]d
sslVersionMax = TLSv1.2
ciphers = AES256-SHA
`

func startStunnel(t *testing.T, s *servers) {
	bin := livetest.Need(t, "stunnel4", "stunnel4")
	s.tls13Only, s.tls12Cipher = livetest.FreePort(t), livetest.FreePort(t)
	conf := filepath.Join(t.TempDir(), "stunnel.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(stunnelConf, s.certs, s.tls13Only, s.tls12Cipher, s.plain)), 0o600); err != nil {
		t.Fatal(err)
	}
	livetest.Start(t, exec.Command(bin, conf), fmt.Sprintf("127.0.0.1:%d", s.tls12Cipher))
}

// nginxHTTP: a plain HTTP port and an HTTPS port that speaks TLS 1.2 only.
const nginxHTTP = `    server {
        listen 127.0.0.1:%[3]d;
        return 200 "plain\n";
    }
    server {
        listen 127.0.0.1:%[4]d ssl;
        ssl_certificate %[2]s/localhost.pem;
        ssl_certificate_key %[2]s/localhost.key;
        ssl_protocols TLSv1.2;
        return 200 "tls\n";
    }
`

func startNginx(t *testing.T, s *servers) {
	s.httpPlain, s.http12Only = livetest.FreePort(t), livetest.FreePort(t)
	dir := t.TempDir()
	livetest.StartNginx(t, dir, fmt.Sprintf(nginxHTTP, dir, s.certs, s.httpPlain, s.http12Only), fmt.Sprintf("127.0.0.1:%d", s.http12Only))
}

// masks: the connection ids redis hands out, and the length of the
// CLIENT KILL ID request, which has one in it.
var masks = []livetest.Mask{
	{Re: regexp.MustCompile(`(?m)^< CLIENT ID: \d+$`), With: "< CLIENT ID: N"},
	{Re: regexp.MustCompile(`(?m)^> CLIENT KILL: \d+$`), With: "> CLIENT KILL: N"},
}

// compare runs client.php and the Go port with the same arguments and
// compares their transcripts.
func compare(t *testing.T, args ...string) {
	t.Helper()
	php := livetest.RunPHP(t, "client.php", args...)
	livetest.Compare(t, php, livetest.RunPort(t, run, args...), masks...)
}

// TestRedis runs every scenario of client.php and its Go port against
// the same servers.
func TestRedis(t *testing.T) {
	livetest.Need(t, "php", "php8.2-cli")
	s := &servers{certs: livetest.CertDir(t)}
	startRedis(t, s)
	host := "127.0.0.1"
	port := func(p int) string { return strconv.Itoa(p) }

	for _, sc := range []struct {
		name, scenario string
		port           *int
	}{
		{"commands", "commands", &s.plain},
		{"blpop-timeout", "blpop", &s.plain},
		{"killed-mid-command", "killed", &s.plain},
		{"tls", "tls", &s.tls},
		{"tls-no-cafile", "tls-no-cafile", &s.tls},
		{"tls-wrong-peer-name", "tls-wrong-name", &s.tls},
		{"tls-verify-peer-off", "tls-no-verify", &s.tls},
		{"tls12", "tls12", &s.tls},
		{"plain-to-tls-port", "plain-to-tls", &s.tls},
	} {
		t.Run(sc.name, func(t *testing.T) { compare(t, sc.scenario, host, port(*sc.port), s.certs) })
	}

	t.Run("paused", func(t *testing.T) {
		resume := livetest.Pause(s.redis)
		defer resume()
		compare(t, "paused", host, port(s.plain), s.certs)
	})

	t.Run("refused", func(t *testing.T) {
		compare(t, "refused", host, port(livetest.FreePort(t)), s.certs)
	})

	t.Run("stunnel", func(t *testing.T) {
		startStunnel(t, s)
		t.Run("tls13", func(t *testing.T) { compare(t, "tls", host, port(s.tls13Only), s.certs) })
		t.Run("version-mismatch", func(t *testing.T) { compare(t, "tls12", host, port(s.tls13Only), s.certs) })
		t.Run("cipher-mismatch", func(t *testing.T) { compare(t, "tls12-cipher", host, port(s.tls12Cipher), s.certs) })
		t.Run("rsa-kx-cipher", func(t *testing.T) { compare(t, "tls12", host, port(s.tls12Cipher), s.certs) })
	})

	t.Run("nginx", func(t *testing.T) {
		startNginx(t, s)
		t.Run("ssl-to-plain-port", func(t *testing.T) { compare(t, "ssl-to-plain", host, port(s.httpPlain), s.certs) })
		t.Run("tls13-to-tls12-only", func(t *testing.T) { compare(t, "tls13", host, port(s.http12Only), s.certs) })
	})
}
