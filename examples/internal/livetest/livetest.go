// Package livetest runs the examples' PHP clients and their Go ports
// against real servers (redis-server, postfix, dovecot, stunnel4, nginx,
// vsftpd) that the tests start on loopback, and compares the two
// transcripts.
//
// A test needs its server binary (Need skips the test, naming the Debian
// package, when it is absent), starts the server with its configuration
// in t.TempDir() on a FreePort (Start stops it when the test ends), runs
// the PHP script (RunPHP) and the Go port (printing to a Transcript), and
// compares the two (Compare).
package livetest

import (
	"bytes"
	"context"

	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// CertDir returns the absolute path of conformance/testdata/certs, the
// project's fixed test certificates (ca.pem signs localhost.pem, ...).
func CertDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "conformance", "testdata", "certs")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("livetest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Need returns the path of binary, looked up in PATH and then in /usr/sbin
// and /usr/bin (daemons are in sbin, which a user's PATH may lack), or
// skips t, naming the Debian package that has it.
func Need(t testing.TB, binary, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(binary); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin"} {
		p := filepath.Join(dir, binary)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	t.Skipf("needs %s (Debian package %s); .ci/run installs it", binary, pkg)
	return ""
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago (the
// kernel's choice for a listener closed at once).
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// lockedBuffer collects a process's output, written from the exec
// package's copying goroutines and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Start starts cmd in its own process group, waits until the TCP address
// ready accepts a connection (failing t after 15 s, or as soon as the
// process exits, with its output), and registers a cleanup that stops the
// group (SIGTERM, SIGKILL after 5 s; a stopped process is continued first)
// and waits for it. The process's output is shown when the test fails.
func Start(t testing.TB, cmd *exec.Cmd, ready string) {
	t.Helper()
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("livetest: start %s: %v", cmd.Path, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	name := filepath.Base(cmd.Path)
	t.Cleanup(func() {
		stopGroup(cmd, false)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			stopGroup(cmd, true)
			<-done
		}
		if t.Failed() {
			t.Logf("output of %s:\n%s", name, out.String())
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", ready, 500*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		select {
		case werr := <-done:
			done <- werr // the cleanup waits on it too
			t.Fatalf("livetest: %s exited before %s accepted connections (%v); output:\n%s", name, ready, werr, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("livetest: %s did not accept connections on %s within 15 s: %v; output:\n%s", name, ready, err, out.String())
		}
	}
}

// phpArgs are the options every script runs with: no php.ini (the
// machine's settings must not change the transcript), every error
// reported, and what the script's error handler does not catch written
// to standard error, where RunPHP finds it.
var phpArgs = []string{"-n",
	"-d", "error_reporting=-1", "-d", "display_errors=stderr", "-d", "display_startup_errors=1",
	"-d", "log_errors=0", "-d", "html_errors=0", "-d", "default_socket_timeout=60",
	"-d", "memory_limit=256M"}

// RunPHP runs script with real PHP (php -n and phpArgs' settings), with
// args as its $argv[1:], and returns its standard output. It skips t
// when php is absent; it fails t when PHP exits non-zero or writes to
// standard error (an uncaught error or a warning the script's handler
// did not take), or after two minutes.
func RunPHP(t testing.TB, script string, args ...string) string {
	t.Helper()
	return RunPHPIni(t, nil, script, args...)
}

// RunPHPIni is RunPHP with more ini settings ("openssl.cafile=/path"),
// each passed as php -d after phpArgs'.
func RunPHPIni(t testing.TB, ini []string, script string, args ...string) string {
	t.Helper()
	php := Need(t, "php", "php8.2-cli")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	argv := append([]string{}, phpArgs...)
	for _, setting := range ini {
		argv = append(argv, "-d", setting)
	}
	argv = append(append(argv, script), args...)
	cmd := exec.CommandContext(ctx, php, argv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil || stderr.Len() > 0 {
		t.Errorf("livetest: php %s %s: %v\nstderr:\n%s\nstdout:\n%s", script, strings.Join(args, " "), err, stderr.String(), stdout.String())
	}
	return stdout.String()
}

// A Mask replaces what matches Re with With in both transcripts before
// Compare compares them: a server's variable parts (queue ids, times).
type Mask struct {
	Re   *regexp.Regexp
	With string
}

// Compare fails t with a line diff (- PHP, + Go) when the transcripts
// differ after the masks, and logs the PHP transcript when they agree
// (go test -v shows what was compared).
func Compare(t testing.TB, php, goT string, masks ...Mask) {
	t.Helper()
	for _, m := range masks {
		php = m.Re.ReplaceAllString(php, m.With)
		goT = m.Re.ReplaceAllString(goT, m.With)
	}
	if php == "" {
		t.Errorf("livetest: the PHP transcript is empty")
	}
	if php == goT {
		t.Logf("transcript (PHP and Go):\n%s", php)
		return
	}
	diff := cmp.Diff(strings.Split(php, "\n"), strings.Split(goT, "\n"))
	t.Errorf("livetest: the Go port's transcript differs from PHP's (-php +go):\n%s\nPHP:\n%s\nGo:\n%s", diff, php, goT)
}
