package compat

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// certDir holds the fixed test certificates (CONFORMANCE.md, Certificates).
var certDir = filepath.Join("..", "conformance", "testdata", "certs")

// serveReplies starts a TLS server on loopback that greets with "220
// ready" and answers every command line with a multi-line reply of 1 to 4
// lines. rng decides, per reply, whether the lines go out in one TLS
// record, one record each, or one record each with a pause between them,
// so the client meets every way a reply can be split: decrypted by feof
// ahead of stream_select, left over in a record a smaller read did not
// take, or still on the wire. The listener and every connection close
// when the test ends.
func serveReplies(t *testing.T, seed int64) string {
	t.Helper()
	cert, err := tls.LoadX509KeyPair(filepath.Join(certDir, "localhost.pem"), filepath.Join(certDir, "localhost.key"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				rng := rand.New(rand.NewSource(seed))
				if _, err := c.Write([]byte("220 ready\r\n")); err != nil {
					return
				}
				in := bufio.NewReader(c)
				for {
					cmd, err := in.ReadString('\n')
					if err != nil {
						return
					}
					cmd = strings.TrimSpace(cmd)
					n := 1 + rng.Intn(4)
					var lines []string
					for i := 0; i < n; i++ {
						sep := "-"
						if i == n-1 {
							sep = " "
						}
						lines = append(lines, fmt.Sprintf("250%s%s line %d\r\n", sep, cmd, i))
					}
					switch rng.Intn(3) {
					case 0:
						_, err = c.Write([]byte(strings.Join(lines, "")))
					default:
						pause := rng.Intn(2) == 1
						for _, l := range lines {
							if _, err = c.Write([]byte(l)); err != nil {
								break
							}
							if pause {
								time.Sleep(time.Millisecond)
							}
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// TestTLSReplyLoop runs a mail client's reply loop over TLS a few hundred
// times: feof, then stream_select on the stream, then fgets, until the
// last line of a reply (PHPMailer's get_lines shape). A stream_select that
// ignores the plaintext TLS already holds waits out its whole timeout and
// returns 0 there (the stall of recorded select/tls-after-feof); here that
// fails the test at once, since every reply is on its way.
func TestTLSReplyLoop(t *testing.T) {
	rounds := 300
	if testing.Short() {
		rounds = 50
	}
	rt := NewRuntime()
	var warnings []string
	rt.SetDiagnostics(func(d Diagnostic) { warnings = append(warnings, d.String()) })
	addr := serveReplies(t, 1)

	ssl := NewArray()
	ssl.Set("cafile", filepath.Join(certDir, "ca.pem"))
	opts := NewArray()
	opts.Set("ssl", ssl)
	ctx, err := rt.Call("stream_context_create", opts)
	if err != nil {
		t.Fatal(err)
	}
	var errno int
	var errstr string
	s, err := rt.StreamSocketClient("tls://"+addr, &errno, &errstr, 5, STREAM_CLIENT_CONNECT, ctx.(*Resource))
	if err != nil || s == nil {
		t.Fatalf("connect: %v %d %q %q", err, errno, errstr, warnings)
	}
	defer rt.Fclose(s)

	// readReply is the reply loop; it returns the lines of one reply.
	readReply := func(round int) []string {
		var lines []string
		for {
			if eof, _ := rt.Call("feof", s); eof != false {
				t.Fatalf("round %d: feof = %v before the reply's end (%q)", round, eof, lines)
			}
			r := &Ref{V: NewList(s)}
			n, err := rt.Call("stream_select", r, nil, nil, int64(10))
			if err != nil || n != int64(1) {
				t.Fatalf("round %d: stream_select = %v, %v with a reply on its way (%q so far)", round, n, err, lines)
			}
			line, err := rt.Call("fgets", s, int64(515))
			str, ok := line.(string)
			if err != nil || !ok {
				t.Fatalf("round %d: fgets = %v, %v", round, line, err)
			}
			lines = append(lines, str)
			if len(str) < 4 || str[3] == ' ' {
				return lines
			}
		}
	}
	if got := readReply(-1); len(got) != 1 || got[0] != "220 ready\r\n" {
		t.Fatalf("greeting: %q", got)
	}
	for round := 0; round < rounds; round++ {
		cmd := fmt.Sprintf("NOOP%d", round)
		if n, ok, err := rt.Fwrite(s, cmd+"\r\n"); !ok || err != nil || n != len(cmd)+2 {
			t.Fatalf("round %d: fwrite = %d, %v", round, n, ok)
		}
		lines := readReply(round)
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, "250 "+cmd+" ") {
			t.Fatalf("round %d: reply %q", round, lines)
		}
	}
	if len(warnings) > 0 {
		t.Errorf("warnings: %q", warnings)
	}
}
