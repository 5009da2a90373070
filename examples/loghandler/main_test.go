//go:build unix

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phpsock/phpsock/examples/internal/livetest"
)

// sink is the log server: a listener in the test, as no Debian package
// has a plain TCP log collector that can also be told to hang up or to
// stop reading (rsyslog would be one more package, and could do neither
// on demand). It reports what it received, so that the transcripts
// compare the server's side too.
type sink struct {
	ln   net.Listener
	mode string // "read", "close-after-line" or "no-read"

	mu      sync.Mutex
	wg      sync.WaitGroup
	release chan struct{} // closed by report: "no-read" connections end
	conns   [][]byte      // what each connection sent, in accept order
	// markers are report's own connections, by local address: accepted,
	// they show that every connection made before them was (the kernel's
	// accept queue is in order).
	markers map[string]chan struct{}
	// settle is how long report waits, after the marker, until no new
	// connection came for that long: stunnel connects to the sink from its own thread, after the
	// client's handshake, so its connections can come after the marker.
	settle     time.Duration
	lastAccept time.Time
}

func newSink(t *testing.T) *sink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{ln: ln, mode: "read", release: make(chan struct{}), markers: map[string]chan struct{}{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			if marker, ok := s.markers[c.RemoteAddr().String()]; ok {
				s.mu.Unlock()
				c.Close()
				close(marker)
				continue
			}
			s.lastAccept = time.Now()
			i := len(s.conns)
			s.conns = append(s.conns, nil)
			mode, release := s.mode, s.release
			s.wg.Add(1)
			s.mu.Unlock()
			go s.serve(c, i, mode, release)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		s.report()
	})
	return s
}

func (s *sink) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// serve reads one connection as the sink's mode says.
func (s *sink) serve(c net.Conn, i int, mode string, release chan struct{}) {
	defer s.wg.Done()
	defer c.Close()
	var got []byte
	switch mode {
	case "read":
		got, _ = io.ReadAll(c)
	case "close-after-line":
		got, _ = bufio.NewReader(c).ReadBytes('\n')
	case "no-read":
		<-release
	}
	s.mu.Lock()
	s.conns[i] = got
	s.mu.Unlock()
}

// setMode sets how the next connections are served.
func (s *sink) setMode(mode string) {
	s.mu.Lock()
	s.mode = mode
	s.mu.Unlock()
}

// report waits until the connections of the last run are accepted, ends
// them (the client has closed its own by then; "no-read" ones are
// released), and returns what each
// connection sent, one line per record, and clears it.
func (s *sink) report() string {
	// The lock keeps the accept loop from looking the marker up before
	// it is registered (the kernel completes the dial without the loop).
	s.mu.Lock()
	m, err := net.Dial("tcp", s.ln.Addr().String())
	seen := make(chan struct{})
	if err == nil {
		s.markers[m.LocalAddr().String()] = seen
	}
	s.mu.Unlock()
	if err == nil {
		select {
		case <-seen:
		case <-time.After(10 * time.Second):
		}
		m.Close()
	}
	start := time.Now()
	for {
		s.mu.Lock()
		last := s.lastAccept
		s.mu.Unlock()
		if last.Before(start) {
			last = start
		}
		quiet := time.Since(last)
		if quiet >= s.settle {
			break
		}
		time.Sleep(s.settle - quiet)
	}
	s.mu.Lock()
	close(s.release)
	s.release = make(chan struct{})
	s.mu.Unlock()
	waited := make(chan struct{})
	go func() { s.wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(10 * time.Second):
		return "sink: connections still open after 10 s\n"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "sink connections: %d\n", len(s.conns))
	for i, got := range s.conns {
		for _, rec := range bytes.SplitAfter(got, []byte("\n")) {
			if len(rec) == 0 {
				continue
			}
			head := rec[:min(len(rec), 48)]
			fmt.Fprintf(&b, "sink connection %d: %d bytes %s\n", i, len(rec), livetest.Repr(string(head)))
		}
	}
	s.conns = nil
	return b.String()
}

// stunnelConf: TLS in front of the sink, with the certificate for
// localhost and 127.0.0.1, and with one for another name.
const stunnelConf = `foreground = yes
pid =
cert = %[1]s/localhost.pem
key = %[1]s/localhost.key

[logs]
accept = 127.0.0.1:%[2]d
connect = 127.0.0.1:%[4]d

[logs-wronghost]
cert = %[1]s/wronghost.pem
key = %[1]s/wronghost.key
accept = 127.0.0.1:%[3]d
connect = 127.0.0.1:%[4]d
`

// compare runs client.php and the Go port with the same arguments and
// ini settings against s in mode and compares their transcripts, each followed by what
// the sink received from it.
func compare(t *testing.T, s *sink, mode string, ini []string, args ...string) {
	t.Helper()
	s.setMode(mode)
	php := livetest.RunPHPIni(t, ini, "client.php", args...) + s.report()
	var tr livetest.Transcript
	var goArgs []string
	for _, setting := range ini {
		goArgs = append(goArgs, "-d", setting)
	}
	if err := run(append(goArgs, args...), &tr); err != nil {
		t.Fatalf("Go port: %v\ntranscript so far:\n%s", err, tr.String())
	}
	livetest.Compare(t, php, tr.String()+s.report())
}

// TestLogHandler runs every scenario of client.php and its Go port
// against the same sink, directly and through stunnel4.
func TestLogHandler(t *testing.T) {
	livetest.Need(t, "php", "php8.2-cli")
	certs := livetest.CertDir(t)
	s := newSink(t)
	url := fmt.Sprintf("tcp://127.0.0.1:%d", s.port())

	t.Run("lines", func(t *testing.T) { compare(t, s, "read", nil, "lines", url, certs) })
	t.Run("reconnect", func(t *testing.T) { compare(t, s, "close-after-line", nil, "reconnect", url, certs) })
	t.Run("persistent", func(t *testing.T) { compare(t, s, "read", nil, "persistent", url, certs) })
	t.Run("write-timeout", func(t *testing.T) { compare(t, s, "no-read", nil, "write-timeout", url, certs) })
	t.Run("refused", func(t *testing.T) {
		compare(t, s, "read", nil, "refused", fmt.Sprintf("tcp://127.0.0.1:%d", livetest.FreePort(t)), certs)
	})

	t.Run("stunnel", func(t *testing.T) {
		bin := livetest.Need(t, "stunnel4", "stunnel4")
		port, wrongPort := livetest.FreePort(t), livetest.FreePort(t)
		conf := filepath.Join(t.TempDir(), "stunnel.conf")
		if err := os.WriteFile(conf, []byte(fmt.Sprintf(stunnelConf, certs, port, wrongPort, s.port())), 0o600); err != nil {
			t.Fatal(err)
		}
		livetest.Start(t, exec.Command(bin, conf), fmt.Sprintf("127.0.0.1:%d", wrongPort))
		s.settle = 300 * time.Millisecond
		defer func() { s.settle = 0 }()
		tlsURL := fmt.Sprintf("tls://127.0.0.1:%d", port)
		cafile := []string{"openssl.cafile=" + filepath.Join(certs, "ca.pem")}
		t.Run("tls", func(t *testing.T) { compare(t, s, "read", cafile, "tls", tlsURL, certs) })
		t.Run("tls-default-context-ignored", func(t *testing.T) { compare(t, s, "read", nil, "tls-default-context", tlsURL, certs) })
		t.Run("tls-no-cafile", func(t *testing.T) { compare(t, s, "read", nil, "tls-no-cafile", tlsURL, certs) })
		t.Run("tls-wrong-name", func(t *testing.T) {
			compare(t, s, "read", cafile, "tls-wrong-name", fmt.Sprintf("tls://127.0.0.1:%d", wrongPort), certs)
		})
	})
}
