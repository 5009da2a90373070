// Command starttls is an SMTP-style STARTTLS client written the way PHP
// code writes it (stream_socket_client, fgets, fwrite,
// stream_socket_enable_crypto), run through phpsock's compat layer:
// greeting, EHLO, STARTTLS, the handshake, and EHLO again over TLS.
//
// Usage:
//
//	starttls -addr 127.0.0.1:2525 -cafile ca.pem [-name localhost]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/phpsock/phpsock/compat"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:25", "server address (host:port)")
	cafile := flag.String("cafile", "", "CA file to verify the server with (ssl cafile option)")
	name := flag.String("name", "localhost", "expected server name (ssl peer_name option)")
	flag.Parse()
	rt := compat.NewRuntime()
	rt.SetDiagnostics(func(d compat.Diagnostic) { fmt.Fprintf(os.Stderr, "PHP %s: %s\n", d.Level, d) })
	if err := Dialogue(rt, *addr, *cafile, *name, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "starttls:", err)
		os.Exit(1)
	}
}

// reply reads one SMTP reply (continuation lines "250-..." up to the
// final "250 ..."), as a PHP loop over fgets does, and returns its lines.
func reply(rt *compat.Runtime, s *compat.Resource) ([]string, error) {
	var lines []string
	for {
		line, ok, err := rt.Fgets(s)
		if err != nil {
			return lines, fmt.Errorf("fgets: %w", err)
		}
		if !ok {
			return lines, errors.New("connection closed while reading a reply")
		}
		lines = append(lines, strings.TrimRight(line, "\r\n"))
		if len(line) < 4 || line[3] != '-' {
			return lines, nil
		}
	}
}

// Dialogue runs the STARTTLS dialogue against addr and writes a transcript
// to w. It is the PHP code
//
//	$ctx = stream_context_create(['ssl' => ['cafile' => $cafile, 'peer_name' => $name]]);
//	$s = stream_socket_client("tcp://$addr", $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $ctx);
//	fgets($s); fwrite($s, "EHLO client.example\r\n"); /* read 250 lines */
//	fwrite($s, "STARTTLS\r\n"); fgets($s);
//	stream_socket_enable_crypto($s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT);
//	fwrite($s, "EHLO client.example\r\n"); /* read 250 lines */
//	fwrite($s, "QUIT\r\n"); fgets($s); fclose($s);
//
// written with compat's typed methods, one Go line for each PHP line.
func Dialogue(rt *compat.Runtime, addr, cafile, name string, w io.Writer) error {
	ssl := map[string]compat.Value{"peer_name": name}
	if cafile != "" {
		ssl["cafile"] = cafile
	}
	ctx, err := rt.StreamContextCreate(compat.Options{"ssl": ssl}, nil)
	if err != nil {
		return fmt.Errorf("stream_context_create: %w", err)
	}
	var errno int
	var errstr string
	s, err := rt.StreamSocketClient("tcp://"+addr, &errno, &errstr, 5, compat.STREAM_CLIENT_CONNECT, ctx)
	if err != nil {
		return fmt.Errorf("stream_socket_client: %w", err)
	}
	if s == nil {
		return fmt.Errorf("connect: %s (%d)", errstr, errno)
	}
	defer rt.Fclose(s)
	expect := func(code string) ([]string, error) {
		lines, err := reply(rt, s)
		for _, l := range lines {
			fmt.Fprintln(w, "S:", l)
		}
		if err == nil && (len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], code)) {
			err = fmt.Errorf("expected %s, got %q", code, lines)
		}
		return lines, err
	}
	send := func(line string) error {
		fmt.Fprintln(w, "C:", line)
		if _, ok, err := rt.Fwrite(s, line+"\r\n"); err != nil || !ok {
			return fmt.Errorf("fwrite %q failed: %v", line, err)
		}
		return nil
	}
	if _, err := expect("220"); err != nil {
		return err
	}
	if err := send("EHLO client.example"); err != nil {
		return err
	}
	ehlo, err := expect("250")
	if err != nil {
		return err
	}
	if !strings.Contains(strings.Join(ehlo, "\n"), "STARTTLS") {
		return errors.New("server does not offer STARTTLS")
	}
	if err := send("STARTTLS"); err != nil {
		return err
	}
	if _, err := expect("220"); err != nil {
		return err
	}
	ok, _, err := rt.StreamSocketEnableCrypto(s, true, compat.STREAM_CRYPTO_METHOD_TLS_CLIENT, nil)
	if err != nil {
		return fmt.Errorf("stream_socket_enable_crypto: %w", err)
	}
	if !ok {
		return errors.New("stream_socket_enable_crypto failed")
	}
	if meta, err := rt.StreamGetMetaData(s); err == nil && meta.Crypto != nil {
		fmt.Fprintln(w, "-- TLS on:", meta.Crypto.Protocol)
	}
	if err := send("EHLO client.example"); err != nil {
		return err
	}
	if _, err := expect("250"); err != nil {
		return err
	}
	if err := send("QUIT"); err != nil {
		return err
	}
	_, err = expect("221")
	return err
}
