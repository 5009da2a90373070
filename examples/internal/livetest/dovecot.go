//go:build linux

package livetest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Dovecot is a dovecot instance a test started (StartDovecot): IMAP with
// STARTTLS on 127.0.0.1, its configuration, runtime directory, users and
// mail in t.TempDir().
type Dovecot struct {
	// IMAP is the IMAP port (STARTTLS offered, TLS 1.3 only).
	IMAP int
	// User and Password log in; the user's INBOX holds one message,
	// Message.
	User, Password string
	Message        string
	// Log is dovecot's log (log_path), with auth_verbose set.
	Log string

	cmd *exec.Cmd
}

// StartDovecot configures dovecot in t.TempDir() (base_dir and state_dir
// there, a passwd-file passdb and userdb with one user whose Maildir
// holds one message, the test certificate localhost.pem, ssl_min_protocol
// TLSv1.3, the server's cipher preference, auth_failure_delay 2 s and no
// auth penalty), starts it in the foreground (dovecot -F -c) with Start
// and returns it. It needs root, as dovecot does, and skips the test
// otherwise or when dovecot is not installed. The system's /etc/dovecot
// is never read.
//
// The server picks the TLS 1.3 suite: by the client's preference (the
// servers' default), PHP's OpenSSL client gets its first suite,
// TLS_AES_256_GCM_SHA384, and Go's crypto/tls its own first,
// TLS_AES_128_GCM_SHA256 on machines with AES hardware, an order no Go
// program can change; the server's order (OpenSSL's default, AES-256
// first) gives both clients the same suite. StartPostfix does the same.
func StartDovecot(t testing.TB) *Dovecot {
	t.Helper()
	dovecot := Need(t, "dovecot", "dovecot-imapd")
	if os.Geteuid() != 0 {
		t.Skip("dovecot runs its login processes as dovenull: the test needs root")
	}
	for _, name := range []string{"dovecot", "dovenull"} {
		if _, err := user.Lookup(name); err != nil {
			t.Skipf("no %s user (Debian package dovecot-core creates it): %v", name, err)
		}
	}
	// The mail belongs to nobody: dovecot refuses root as a mail user.
	mailUser, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("no user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(mailUser.Uid)
	gid, _ := strconv.Atoi(mailUser.Gid)

	dir := t.TempDir()
	// The unprivileged processes reach the runtime directory and the mail.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	d := &Dovecot{
		IMAP: FreePort(t), User: "alice", Password: "s3cret",
		Message: "From: bob@example.test\r\nTo: alice@example.test\r\nSubject: literal\r\n\r\nThe body of the message,\r\nread with fread.\r\n",
		Log:     filepath.Join(dir, "dovecot.log"),
	}
	home := filepath.Join(dir, "home", d.User)
	cur := filepath.Join(home, "Maildir", "cur")
	for _, p := range []string{filepath.Join(dir, "run"), filepath.Join(dir, "state"), cur,
		filepath.Join(home, "Maildir", "new"), filepath.Join(home, "Maildir", "tmp")} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	msg := filepath.Join(cur, fmt.Sprintf("1700000000.M1P1.mx,S=%d:2,S", len(d.Message)))
	if err := os.WriteFile(msg, []byte(d.Message), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{home, filepath.Join(home, "Maildir"), cur, filepath.Dir(cur) + "/new", filepath.Dir(cur) + "/tmp", msg} {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	passwd := filepath.Join(dir, "passwd")
	entry := fmt.Sprintf("%s:{PLAIN}%s:%d:%d::%s\n", d.User, d.Password, uid, gid, home)
	if err := os.WriteFile(passwd, []byte(entry), 0o644); err != nil {
		t.Fatal(err)
	}
	certs := CertDir(t)
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <%[2]s/localhost.pem
ssl_key = <%[2]s/localhost.key
ssl_min_protocol = TLSv1.3
ssl_prefer_server_ciphers = yes
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 2 secs
mail_location = maildir:~/Maildir
log_path = %[3]s
default_internal_user = dovecot
default_login_user = dovenull
passdb {
  driver = passwd-file
  args = scheme=PLAIN %[4]s
}
userdb {
  driver = passwd-file
  args = %[4]s
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[5]d
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
  # No anvil-auth-penalty socket: no auth penalty, which would delay each
  # LOGIN after a failed one (the scenarios fail LOGIN on purpose).
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`, dir, certs, d.Log, passwd, d.IMAP)
	confFile := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	d.cmd = exec.Command(dovecot, "-F", "-c", confFile)
	Start(t, d.cmd, fmt.Sprintf("127.0.0.1:%d", d.IMAP))
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := os.ReadFile(d.Log)
			t.Logf("dovecot's log:\n%s", log)
		}
	})
	return d
}

// Pause stops every dovecot process (SIGSTOP): connections are still
// accepted by the kernel, nothing answers. It returns the function that
// continues them.
func (d *Dovecot) Pause() (resume func()) { return Pause(d.cmd) }

// KillLoginOnPasswordMismatch arranges for the imap-login processes of
// this dovecot to be killed (SIGKILL) once its log shows the next
// "Password mismatch", while dovecot waits auth_failure_delay before it
// answers the LOGIN: the server goes away mid-command. It returns a
// function that waits for the kill and returns how many processes were
// killed (0 when no new mismatch was logged within 10 s).
func (d *Dovecot) KillLoginOnPasswordMismatch() (wait func() int) {
	re := regexp.MustCompile(`Password mismatch`)
	before := len(grepFile(d.Log, re))
	done := make(chan int, 1)
	go func() {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if len(grepFile(d.Log, re)) > before {
				killed := 0
				for _, pid := range children(d.cmd.Process.Pid, "imap-login") {
					if syscall.Kill(pid, syscall.SIGKILL) == nil {
						killed++
					}
				}
				done <- killed
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		done <- 0
	}()
	return func() int { return <-done }
}

// children returns the pids of the processes whose parent is ppid and
// whose command name (/proc/PID/stat's second field) is comm.
func children(ppid int, comm string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses,
		// the last ')' ends it.
		s := string(stat)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) < 2 || s[open+1:end] != comm {
			continue
		}
		if p, _ := strconv.Atoi(fields[1]); p == ppid {
			pids = append(pids, pid)
		}
	}
	return pids
}
