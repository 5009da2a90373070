package compat

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSSLPathsFromRuntimeDir checks that relative paths of the ssl
// context options start from the runtime's directory (SetDir), as PHP's
// start from its current directory: a relative cafile verifies the
// server, and the same path fails where the directory does not hold it.
func TestSSLPathsFromRuntimeDir(t *testing.T) {
	addr := tlsServer(t)
	dir := t.TempDir()
	ca, err := os.ReadFile(filepath.Join(certDir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "certs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "certs", "ca.pem"), ca, 0o644); err != nil {
		t.Fatal(err)
	}
	connect := func(rt *Runtime) (*Resource, []string) {
		var warnings []string
		rt.SetDiagnostics(func(d Diagnostic) { warnings = append(warnings, d.String()) })
		ctx, err := rt.StreamContextCreate(Options{"ssl": {"cafile": "certs/ca.pem", "peer_name": "localhost"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var errno int
		var errstr string
		s, _ := rt.StreamSocketClient("tls://"+addr, &errno, &errstr, 5, STREAM_CLIENT_CONNECT, ctx)
		return s, warnings
	}

	rt := NewRuntime()
	rt.SetDir(dir)
	if s, warnings := connect(rt); s == nil {
		t.Fatalf("with SetDir(%s), the relative cafile did not verify: %q", dir, warnings)
	} else {
		rt.Fclose(s)
	}

	other := NewRuntime()
	other.SetDir(t.TempDir())
	if s, warnings := connect(other); s != nil {
		other.Fclose(s)
		t.Fatal("a directory without certs/ca.pem still verified the server")
	} else if len(warnings) == 0 {
		t.Fatal("the failed verification raised no warning")
	}
}
