package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phpsock/phpsock/compat"
)

var certs, _ = filepath.Abs("../../conformance/testdata/certs")

// serveOne is the server side written as PHP would write it, through
// compat's typed methods: accept one client, greet, answer EHLO with
// STARTTLS offered, turn TLS on with STREAM_CRYPTO_METHOD_TLS_SERVER,
// answer EHLO and QUIT.
func serveOne(rt *compat.Runtime, srv *compat.Resource) error {
	c, err := rt.StreamSocketAccept(srv, 5, nil)
	if err != nil || c == nil {
		return fmt.Errorf("accept: %v", err)
	}
	defer rt.Fclose(c)
	write := func(s string) error {
		if _, ok, err := rt.Fwrite(c, s); err != nil || !ok {
			return fmt.Errorf("server: fwrite failed: %v", err)
		}
		return nil
	}
	if err := write("220 test ESMTP\r\n"); err != nil {
		return err
	}
	for {
		line, ok, err := rt.Fgets(c)
		if err != nil || !ok {
			return fmt.Errorf("server: read failed: %v", err)
		}
		switch strings.TrimRight(line, "\r\n") {
		case "EHLO client.example":
			err = write("250-test\r\n250-SIZE 1000\r\n250 STARTTLS\r\n")
		case "STARTTLS":
			if err = write("220 go ahead\r\n"); err != nil {
				return err
			}
			ok, _, err := rt.StreamSocketEnableCrypto(c, true, compat.STREAM_CRYPTO_METHOD_TLS_SERVER, nil)
			if err != nil || !ok {
				return fmt.Errorf("server: enable_crypto: %v %v", ok, err)
			}
		case "QUIT":
			return write("221 bye\r\n")
		default:
			err = write("500 what?\r\n")
		}
		if err != nil {
			return err
		}
	}
}

// listen opens a PHP-style server on a free loopback port with the test
// certificate in its context.
func listen(t *testing.T, rt *compat.Runtime) (srv *compat.Resource, addr string) {
	t.Helper()
	ctx, err := rt.StreamContextCreate(compat.Options{"ssl": {
		"local_cert": certs + "/localhost.pem",
		"local_pk":   certs + "/localhost.key",
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err = rt.StreamSocketServer("tcp://127.0.0.1:0", nil, nil, compat.STREAM_SERVER_BIND|compat.STREAM_SERVER_LISTEN, ctx)
	if err != nil || srv == nil {
		t.Fatalf("stream_socket_server: %v %v", srv, err)
	}
	name, _, _ := rt.StreamSocketGetName(srv, false)
	t.Cleanup(func() { rt.Fclose(srv) })
	return srv, name
}

func diagnostics(t *testing.T, rt *compat.Runtime) {
	rt.SetDiagnostics(func(d compat.Diagnostic) { t.Logf("PHP %s: %s", d.Level, d) })
}

func TestDialogueInProcess(t *testing.T) {
	srt := compat.NewRuntime()
	diagnostics(t, srt)
	srv, addr := listen(t, srt)
	done := make(chan error, 1)
	go func() { done <- serveOne(srt, srv) }()
	crt := compat.NewRuntime()
	diagnostics(t, crt)
	var out bytes.Buffer
	if err := Dialogue(crt, addr, certs+"/ca.pem", "localhost", &out); err != nil {
		t.Fatalf("dialogue: %v\n%s", err, out.String())
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "-- TLS on: TLSv1.3") || !strings.Contains(out.String(), "S: 221 bye") {
		t.Errorf("transcript:\n%s", out.String())
	}
}

func TestDialogueBadCA(t *testing.T) {
	srt := compat.NewRuntime()
	srv, addr := listen(t, srt)
	done := make(chan error, 1)
	go func() { done <- serveOne(srt, srv) }()
	crt := compat.NewRuntime()
	var warned []string
	crt.SetDiagnostics(func(d compat.Diagnostic) { warned = append(warned, d.String()) })
	err := Dialogue(crt, addr, certs+"/selfsigned.pem", "localhost", new(bytes.Buffer))
	if err == nil {
		t.Fatal("dialogue succeeded with an untrusted server certificate")
	}
	<-done // the server's handshake fails when the client aborts
	if len(warned) == 0 || !strings.Contains(warned[0], "certificate verify failed") {
		t.Errorf("warnings: %q", warned)
	}
}

// phpBinary returns the php executable or skips the test.
func phpBinary(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("php")
	if err != nil {
		t.Skip("php not found")
	}
	return p
}

const phpServer = `<?php
$ctx = stream_context_create(['ssl' => ['local_cert' => $argv[1] . '/localhost.pem', 'local_pk' => $argv[1] . '/localhost.key']]);
$srv = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
echo stream_socket_get_name($srv, false), "\n";
$c = stream_socket_accept($srv, 10);
fwrite($c, "220 php ESMTP\r\n");
while (($line = fgets($c)) !== false) {
    $line = rtrim($line, "\r\n");
    if ($line === 'EHLO client.example') { fwrite($c, "250-php\r\n250 STARTTLS\r\n"); }
    elseif ($line === 'STARTTLS') {
        fwrite($c, "220 go ahead\r\n");
        if (stream_socket_enable_crypto($c, true, STREAM_CRYPTO_METHOD_TLS_SERVER) !== true) { exit(3); }
    } elseif ($line === 'QUIT') { fwrite($c, "221 bye\r\n"); break; }
    else { fwrite($c, "500 what?\r\n"); }
}
fclose($c);
echo "server done\n";
`

// TestPHPServer: phpsock is the STARTTLS client, real PHP the server.
func TestPHPServer(t *testing.T) {
	bin := phpBinary(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "server.php")
	if err := os.WriteFile(script, []byte(phpServer), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, script, certs)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(stdout)
	addr, err := br.ReadString('\n')
	if err != nil {
		cmd.Wait()
		t.Fatalf("php server: %v; %s", err, stderr.String())
	}
	crt := compat.NewRuntime()
	diagnostics(t, crt)
	var out bytes.Buffer
	derr := Dialogue(crt, strings.TrimSpace(addr), certs+"/ca.pem", "localhost", &out)
	rest, _ := br.ReadString('\n')
	werr := cmd.Wait()
	if derr != nil {
		t.Fatalf("dialogue: %v\n%s\nphp: %s", derr, out.String(), stderr.String())
	}
	if werr != nil || !strings.HasPrefix(rest, "server done") {
		t.Fatalf("php server: %v %q %s", werr, rest, stderr.String())
	}
	if !strings.Contains(out.String(), "-- TLS on: TLSv1.3") {
		t.Errorf("transcript:\n%s", out.String())
	}
}

const phpClient = `<?php
$ctx = stream_context_create(['ssl' => ['cafile' => $argv[2] . '/ca.pem', 'peer_name' => 'localhost']]);
$s = stream_socket_client('tcp://' . $argv[1], $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $ctx);
if (!$s) { exit(2); }
function reply($s) { $all = ''; do { $l = fgets($s); $all .= $l; } while ($l !== false && $l[3] === '-'); return $all; }
echo reply($s);
fwrite($s, "EHLO client.example\r\n"); echo reply($s);
fwrite($s, "STARTTLS\r\n"); echo reply($s);
var_dump(stream_socket_enable_crypto($s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT));
echo stream_get_meta_data($s)['crypto']['protocol'], "\n";
fwrite($s, "EHLO client.example\r\n"); echo reply($s);
fwrite($s, "QUIT\r\n"); echo reply($s);
fclose($s);
`

// TestPHPClient: real PHP is the STARTTLS client, phpsock the server.
func TestPHPClient(t *testing.T) {
	bin := phpBinary(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "client.php")
	if err := os.WriteFile(script, []byte(phpClient), 0o600); err != nil {
		t.Fatal(err)
	}
	srt := compat.NewRuntime()
	diagnostics(t, srt)
	srv, addr := listen(t, srt)
	done := make(chan error, 1)
	go func() { done <- serveOne(srt, srv) }()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, script, addr, certs).CombinedOutput()
	if err != nil {
		t.Fatalf("php client: %v\n%s", err, out)
	}
	if serr := <-done; serr != nil {
		t.Fatal(serr)
	}
	want := "220 test ESMTP\r\n250-test\r\n250-SIZE 1000\r\n250 STARTTLS\r\n220 go ahead\r\nbool(true)\nTLSv1.3\n250-test\r\n250-SIZE 1000\r\n250 STARTTLS\r\n221 bye\r\n"
	if string(out) != want {
		t.Errorf("php client printed %q, want %q", out, want)
	}
}
