//go:build linux

package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/examples/internal/livetest"
)

// masks hide what changes from one session to the next: the mailbox's
// UIDVALIDITY (a timestamp), its RECENT count (the first SELECT takes the
// message's \Recent flag), the times in "Select completed (0.002 + 0.000
// secs)".
var masks = []livetest.Mask{
	{Re: regexp.MustCompile(`UIDVALIDITY \d+`), With: "UIDVALIDITY {uidvalidity}"},
	{Re: regexp.MustCompile(`\* \d+ RECENT`), With: "* {n} RECENT"},
	{Re: regexp.MustCompile(`completed \([0-9.+ ]+ secs\)`), With: "completed ({times} secs)"},
}

// TestLive runs client.php with PHP and its Go port against one dovecot
// (livetest.StartDovecot), scenario by scenario, and compares the
// transcripts.
func TestLive(t *testing.T) {
	dc := livetest.StartDovecot(t)
	ca := filepath.Join(livetest.CertDir(t), "ca.pem")
	refused := livetest.FreePort(t)
	scenarios := []struct {
		name     string
		port     int
		cafile   string
		peerName string
		password string
		timeout  int
		method   string
		// kill: dovecot's imap-login processes are killed while the
		// LOGIN's failure is delayed (auth_failure_delay).
		kill bool
		// pause: dovecot is stopped (SIGSTOP) while the client runs.
		pause bool
	}{
		{name: "success", port: dc.IMAP, cafile: ca, peerName: "localhost", password: dc.Password, timeout: 5},
		{name: "wrong-password", port: dc.IMAP, cafile: ca, peerName: "localhost", password: "wrong", timeout: 5},
		{name: "killed-mid-command", port: dc.IMAP, cafile: ca, peerName: "localhost", password: "wrong", timeout: 5, kill: true},
		{name: "no-cafile", port: dc.IMAP, peerName: "localhost", password: dc.Password, timeout: 5},
		{name: "wrong-peer-name", port: dc.IMAP, cafile: ca, peerName: "imap.example.net", password: dc.Password, timeout: 5},
		// dovecot takes TLS 1.3 only (ssl_min_protocol).
		{name: "tls-version-mismatch", port: dc.IMAP, cafile: ca, peerName: "localhost", password: dc.Password, timeout: 5, method: "STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT"},
		// The greeting never comes: fgets returns false after the
		// stream's 1 s timeout, with timed_out set.
		{name: "no-answer", port: dc.IMAP, cafile: ca, peerName: "localhost", password: dc.Password, timeout: 1, pause: true},
		{name: "connection-refused", port: refused, cafile: ca, peerName: "localhost", password: dc.Password, timeout: 5},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			args := []string{"127.0.0.1", strconv.Itoa(sc.port), sc.cafile, sc.peerName, dc.User, sc.password, strconv.Itoa(sc.timeout)}
			if sc.method != "" {
				args = append(args, sc.method)
			}
			if sc.pause {
				defer dc.Pause()()
			}
			run := func(client func() string) string {
				if !sc.kill {
					return client()
				}
				killed := dc.KillLoginOnPasswordMismatch()
				out := client()
				if killed() == 0 {
					t.Fatal("dovecot's log never showed the password mismatch: nothing was killed")
				}
				return out
			}
			php := run(func() string { return livetest.RunPHP(t, "client.php", args...) })
			goT := run(func() string {
				tr := &livetest.Transcript{}
				rt := compat.NewRuntime()
				defer rt.Close()
				if err := client(rt, tr, args); err != nil {
					t.Errorf("Go port: %v", err)
				}
				return tr.String()
			})
			livetest.Compare(t, php, goT, masks...)
		})
	}
}
