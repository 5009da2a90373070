package livetest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// StartNginx starts nginx (Debian's nginx-light) in the foreground, one
// process, with its state in dir and http (the directives and server
// blocks inside the http block, already formatted) under the settings
// every test needs: no daemon, errors to stderr, temporary files in dir.
// It waits until ready (a host:port nginx listens on) accepts, and stops
// nginx when t ends.
func StartNginx(t testing.TB, dir, http, ready string) *exec.Cmd {
	t.Helper()
	bin := Need(t, "nginx", "nginx-light")
	conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log stderr;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
%[2]s
}
`, dir, http)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", path, "-e", "stderr")
	Start(t, cmd, ready)
	return cmd
}
