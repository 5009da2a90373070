//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/phpsock/phpsock/examples/internal/livetest"
)

// vsftpdConf: standalone (listen=YES) in the foreground on 127.0.0.1,
// anonymous users only (no password asked), chrooted to root/, whose
// pub/ belongs to the ftp user and takes uploads, new directories,
// renames and deletions; passive mode on a range from the test; AUTH TLS
// offered (anonymous users may use it) but not required, with the test
// certificate, and no TLS session reuse asked on the data connection
// (PHP's data connection does not resume the control connection's
// session). No seccomp sandbox and no namespaces: the test may run in a
// container. The protocol log goes to vsftpd.log.
const vsftpdConf = `listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=%[2]d
background=NO
anonymous_enable=YES
local_enable=NO
no_anon_password=YES
anon_root=%[1]s/root
write_enable=YES
anon_upload_enable=YES
anon_mkdir_write_enable=YES
anon_other_write_enable=YES
anon_umask=022
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=%[3]d
pasv_max_port=%[4]d
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
secure_chroot_dir=%[1]s/empty
dirmessage_enable=NO
ssl_enable=YES
allow_anon_ssl=YES
force_anon_logins_ssl=NO
force_anon_data_ssl=NO
ssl_sslv2=NO
ssl_sslv3=NO
ssl_tlsv1=YES
require_ssl_reuse=NO
ssl_ciphers=HIGH
rsa_cert_file=%[1]s/localhost.pem
rsa_private_key_file=%[1]s/localhost.key
xferlog_enable=YES
xferlog_std_format=NO
log_ftp_protocol=YES
vsftpd_log_file=%[1]s/vsftpd.log
`

// server is the vsftpd a test started.
type server struct {
	dir  string // its configuration, files and logs
	port int
	ftp  *user.User
	cmd  *exec.Cmd
}

// startVsftpd configures vsftpd in t.TempDir() (vsftpdConf) and starts it
// in the foreground. It needs root (vsftpd chroots and becomes the ftp
// user) and the ftp user the Debian package creates; it skips otherwise.
func startVsftpd(t *testing.T, certs string) *server {
	bin := livetest.Need(t, "vsftpd", "vsftpd")
	if os.Geteuid() != 0 {
		t.Skip("vsftpd chroots and changes to the ftp user: the test needs root")
	}
	ftpUser, err := user.Lookup("ftp")
	if err != nil {
		t.Skipf("no ftp user (Debian package vsftpd creates it): %v", err)
	}
	s := &server{dir: t.TempDir(), port: livetest.FreePort(t), ftp: ftpUser}
	// The ftp user reaches root/ and pub/ through the test's directories.
	for _, d := range []string{filepath.Dir(s.dir), s.dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// root/ (the chroot) stays root's: vsftpd refuses a writable one.
	for _, d := range []string{"root", "empty"} {
		if err := os.Mkdir(filepath.Join(s.dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"localhost.pem", "localhost.key"} {
		b, err := os.ReadFile(filepath.Join(certs, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(s.dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Passive ports: a range starting at a free one (vsftpd tries another
	// of the range when one is taken).
	pasv := livetest.FreePort(t)
	conf := filepath.Join(s.dir, "vsftpd.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(vsftpdConf, s.dir, s.port, pasv, min(pasv+31, 65535))), 0o600); err != nil {
		t.Fatal(err)
	}
	// vsftpd writes its "500 OOPS" start-up errors to file descriptor 0.
	oops, err := os.Create(filepath.Join(s.dir, "oops"))
	if err != nil {
		t.Fatal(err)
	}
	defer oops.Close()
	cmd := exec.Command(bin, conf)
	cmd.Stdin = oops
	t.Cleanup(func() {
		if t.Failed() {
			for _, name := range []string{"oops", "vsftpd.log"} {
				b, _ := os.ReadFile(filepath.Join(s.dir, name))
				t.Logf("vsftpd's %s:\n%s", name, b)
			}
		}
	})
	livetest.Start(t, cmd, fmt.Sprintf("127.0.0.1:%d", s.port))
	s.cmd = cmd
	return s
}

// reset makes pub/ hold hello.txt alone, as each run of a scenario
// expects.
func (s *server) reset(t *testing.T) {
	t.Helper()
	pub := filepath.Join(s.dir, "root", "pub")
	if err := os.RemoveAll(pub); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(pub, 0o755); err != nil {
		t.Fatal(err)
	}
	hello := filepath.Join(pub, "hello.txt")
	if err := os.WriteFile(hello, []byte("Hello over FTP.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(hello, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(s.ftp.Uid)
	gid, _ := strconv.Atoi(s.ftp.Gid)
	for _, p := range []string{pub, hello} {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
}

// compare runs client.php and the Go port with the same arguments, each
// on a fresh pub/, and compares their transcripts.
func compare(t *testing.T, s *server, args ...string) {
	t.Helper()
	if s != nil {
		s.reset(t)
	}
	php := livetest.RunPHP(t, "client.php", args...)
	if s != nil {
		s.reset(t)
	}
	livetest.Compare(t, php, livetest.RunPort(t, run, args...))
}

// TestFTPWrapper runs every scenario of client.php and its Go port
// against the same vsftpd.
func TestFTPWrapper(t *testing.T) {
	livetest.Need(t, "php", "php8.2-cli")
	certs := livetest.CertDir(t)
	s := startVsftpd(t, certs)
	host, port := "127.0.0.1", strconv.Itoa(s.port)
	for _, scenario := range []string{"get", "put", "modes", "stat", "dirs", "missing", "login", "large",
		"ftps", "ftps-wrong-name", "ftps-no-cafile"} {
		t.Run(scenario, func(t *testing.T) { compare(t, s, scenario, host, port, certs) })
	}
	t.Run("paused", func(t *testing.T) {
		resume := livetest.Pause(s.cmd)
		defer resume()
		compare(t, nil, "paused", host, port, certs)
	})
	t.Run("refused", func(t *testing.T) {
		compare(t, nil, "refused", host, strconv.Itoa(livetest.FreePort(t)), certs)
	})
}
