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

// masks hide what changes from one session to the next: postfix's queue id.
var masks = []livetest.Mask{
	{Re: regexp.MustCompile(`queued as [0-9A-F]+`), With: "queued as {queue id}"},
}

// TestLive runs client.php with PHP and its Go port against one postfix
// (livetest.StartPostfix), scenario by scenario, and compares the
// transcripts.
func TestLive(t *testing.T) {
	pf := livetest.StartPostfix(t)
	ca := filepath.Join(livetest.CertDir(t), "ca.pem")
	refused := livetest.FreePort(t)
	scenarios := []struct {
		name      string
		port      int
		cafile    string
		peerName  string
		timelimit int
		// kill: the smtpd serving the session is killed once it has read
		// DATA, before it answers.
		kill bool
		// pause: postfix is stopped (SIGSTOP) while the client runs.
		pause bool
	}{
		// The message is sent over TLS (the method includes TLS 1.3).
		{name: "success", port: pf.Submission, cafile: ca, peerName: "localhost", timelimit: 5},
		// A server taking only TLS 1.3: PHPMailer's method still works.
		{name: "tls13-only-server", port: pf.TLS13, cafile: ca, peerName: "localhost", timelimit: 5},
		// No cafile: the handshake fails with "certificate verify failed".
		{name: "no-cafile", port: pf.Submission, peerName: "localhost", timelimit: 5},
		// The certificate is for localhost.
		{name: "wrong-peer-name", port: pf.Submission, cafile: ca, peerName: "mail.example.net", timelimit: 5},
		// The server sleeps 3 s before it answers DATA: stream_select
		// returns 0 after the 1 s time limit.
		{name: "no-answer", port: pf.Slow, cafile: ca, peerName: "localhost", timelimit: 1},
		// smtpd is killed after DATA: stream_select wakes, fgets returns
		// false at the end of the stream.
		{name: "killed-mid-command", port: pf.Slow, cafile: ca, peerName: "localhost", timelimit: 10, kill: true},
		// postfix is stopped: the connection is accepted by the kernel,
		// the greeting never comes, stream_select returns 0.
		{name: "paused-server", port: pf.Submission, cafile: ca, peerName: "localhost", timelimit: 1, pause: true},
		{name: "connection-refused", port: refused, cafile: ca, peerName: "localhost", timelimit: 5},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			args := []string{"127.0.0.1", strconv.Itoa(sc.port), sc.cafile, sc.peerName, strconv.Itoa(sc.timelimit)}
			if sc.pause {
				defer pf.Pause()()
			}
			run := func(client func() string) string {
				if !sc.kill {
					return client()
				}
				killed := pf.KillSmtpdOnData()
				out := client()
				if killed() == 0 {
					t.Fatal("postfix's log never showed DATA: smtpd was not killed")
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
