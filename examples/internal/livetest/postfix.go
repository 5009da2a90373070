//go:build linux

package livetest

import (
	"bufio"
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

// Postfix is a postfix instance a test started (StartPostfix): its own
// configuration, queue and data directories in t.TempDir(), its master
// running in the foreground, and five smtpd listeners on 127.0.0.1.
type Postfix struct {
	// Submission is a submission-like port: plain SMTP offering STARTTLS
	// (smtpd_tls_security_level = may).
	Submission int
	// SMTPS is the implicit-TLS port (smtpd_tls_wrappermode = yes).
	SMTPS int
	// Slow offers STARTTLS as Submission does, but pauses 3 s before it
	// answers DATA (smtpd_data_restrictions = sleep 3) and logs every
	// command it reads (debug_peer_list), so that a test can see the DATA
	// command in the log and act while smtpd sleeps (KillSmtpdOnData).
	Slow int
	// TLS13 offers STARTTLS and accepts only TLS 1.3.
	TLS13 int
	// SMTPS13 is an implicit-TLS port accepting only TLS 1.3.
	SMTPS13 int

	// Log is the mail log (maillog_file), written by postlogd.
	Log string

	master *exec.Cmd
}

// Pause stops postfix's master and every daemon it started (SIGSTOP):
// connections are still accepted by the kernel, nothing answers. It
// returns the function that continues them.
func (p *Postfix) Pause() (resume func()) { return Pause(p.master) }

// StartPostfix configures postfix in t.TempDir() (config_directory,
// queue_directory and data_directory there, every service unchrooted,
// mail to any recipient from 127.0.0.0/8 accepted and discarded) with the
// test certificate localhost.pem and the server's cipher preference
// (tls_preempt_cipherlist; see StartDovecot for why), starts its master
// in the foreground (master -d) with Start, and returns its ports. It
// needs root, as postfix does (its daemons run as the postfix user), and
// skips the test otherwise or when postfix is not installed. The
// system's /etc/postfix is never read: every postfix command runs with -c.
func StartPostfix(t testing.TB) *Postfix {
	t.Helper()
	postfix := Need(t, "postfix", "postfix")
	postconf := Need(t, "postconf", "postfix")
	if os.Geteuid() != 0 {
		t.Skip("postfix runs its daemons as the postfix user: the test needs root")
	}
	owner, err := user.Lookup("postfix")
	if err != nil {
		t.Skipf("no postfix user (Debian package postfix creates it): %v", err)
	}
	uid, _ := strconv.Atoi(owner.Uid)
	out, err := exec.Command(postconf, "-d", "-h", "daemon_directory").Output()
	if err != nil {
		t.Fatalf("postconf -d daemon_directory: %v", err)
	}
	master := filepath.Join(strings.TrimSpace(string(out)), "master")

	dir := t.TempDir()
	// The daemons, running as postfix, chdir into the queue directory:
	// the temporary directories must be searchable by others.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf, queue, data := filepath.Join(dir, "conf"), filepath.Join(dir, "queue"), filepath.Join(dir, "data")
	for _, d := range []string{conf, queue, data} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(data, uid, -1); err != nil {
		t.Fatal(err)
	}
	p := &Postfix{
		Submission: FreePort(t), SMTPS: FreePort(t), Slow: FreePort(t),
		TLS13: FreePort(t), SMTPS13: FreePort(t),
		Log: filepath.Join(dir, "maillog"),
	}
	certs := CertDir(t)
	mainCf := fmt.Sprintf(`compatibility_level = 3.6
config_directory = %s
queue_directory = %s
data_directory = %s
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.example.test
mydomain = example.test
mydestination =
mynetworks = 127.0.0.0/8
relayhost =
default_transport = discard
local_transport = discard
alias_maps =
alias_database =
smtputf8_enable = no
biff = no
maillog_file = %s
maillog_file_prefixes = %s
smtpd_tls_cert_file = %s
smtpd_tls_key_file = %s
smtpd_tls_security_level = may
tls_preempt_cipherlist = yes
tls13_only = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1, !TLSv1.2
slow_data = sleep 3, permit
`, conf, queue, data, p.Log, dir, filepath.Join(certs, "localhost.pem"), filepath.Join(certs, "localhost.key"))
	inet := func(port int, opts ...string) string {
		line := fmt.Sprintf("127.0.0.1:%d inet n - n - - smtpd", port)
		for _, o := range opts {
			line += "\n  -o " + o
		}
		return line + "\n"
	}
	masterCf := inet(p.Submission) +
		inet(p.SMTPS, "smtpd_tls_wrappermode=yes") +
		inet(p.Slow, "smtpd_data_restrictions=$slow_data", "debug_peer_list=127.0.0.1") +
		inet(p.TLS13, "smtpd_tls_protocols=$tls13_only", "smtpd_tls_mandatory_protocols=$tls13_only") +
		inet(p.SMTPS13, "smtpd_tls_wrappermode=yes", "smtpd_tls_protocols=$tls13_only", "smtpd_tls_mandatory_protocols=$tls13_only") +
		`cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
proxymap  unix - - n - - proxymap
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
tlsmgr    unix - - n 1000? 1 tlsmgr
postlog   unix-dgram n - n - 1 postlogd
`
	for name, text := range map[string]string{"main.cf": mainCf, "master.cf": masterCf} {
		if err := os.WriteFile(filepath.Join(conf, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// postfix check creates the queue's subdirectories with their owners.
	if out, err := exec.Command(postfix, "-c", conf, "check").CombinedOutput(); err != nil {
		t.Fatalf("postfix -c %s check: %v\n%s(postfix writes its errors to %s once postlogd runs: run postconf -c %[1]s for the configuration's errors)", conf, err, out, p.Log)
	}
	p.master = exec.Command(master, "-c", conf, "-d")
	p.master.Dir = dir
	Start(t, p.master, fmt.Sprintf("127.0.0.1:%d", p.Submission))
	return p
}

// grepFile returns the submatches of every line of the file matching re.
func grepFile(name string, re *regexp.Regexp) [][]string {
	f, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	var m [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if x := re.FindStringSubmatch(sc.Text()); x != nil {
			m = append(m, x)
		}
	}
	return m
}

// KillSmtpdOnData arranges for the smtpd process serving the next session
// on p.Slow to be killed (SIGKILL) once it has read DATA, while it sleeps
// before answering: the server goes away mid-command. It returns a
// function that waits for the kill and returns the pid killed (0 when no
// new DATA was logged within 10 s). Each call handles one session.
func (p *Postfix) KillSmtpdOnData() (wait func() int) {
	re := regexp.MustCompile(`postfix/smtpd\[(\d+)\]: < localhost\[127\.0\.0\.1\]: DATA$`)
	before := len(grepFile(p.Log, re))
	done := make(chan int, 1)
	go func() {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if m := grepFile(p.Log, re); len(m) > before {
				pid, _ := strconv.Atoi(m[before][1])
				_ = syscall.Kill(pid, syscall.SIGKILL)
				done <- pid
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		done <- 0
	}()
	return func() int { return <-done }
}
