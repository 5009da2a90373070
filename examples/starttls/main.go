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

// php wraps a runtime with the panics-free helpers a PHP script would not
// need: each call's PHP exception becomes an error.
type php struct {
	rt  *compat.Runtime
	err error
}

func (p *php) call(name string, args ...compat.Value) compat.Value {
	if p.err != nil {
		return false
	}
	v, err := p.rt.Call(name, args...)
	if err != nil {
		p.err = fmt.Errorf("%s: %w", name, err)
		return false
	}
	return v
}

// reply reads one SMTP reply (continuation lines "250-..." up to the
// final "250 ..."), as a PHP loop over fgets does, and returns its lines.
func (p *php) reply(s compat.Value) []string {
	var lines []string
	for {
		line, ok := p.call("fgets", s).(string)
		if !ok {
			if p.err == nil {
				p.err = errors.New("connection closed while reading a reply")
			}
			return lines
		}
		lines = append(lines, strings.TrimRight(line, "\r\n"))
		if len(line) < 4 || line[3] != '-' {
			return lines
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
func Dialogue(rt *compat.Runtime, addr, cafile, name string, w io.Writer) error {
	p := &php{rt: rt}
	ssl := compat.NewArray()
	if cafile != "" {
		ssl.Set("cafile", cafile)
	}
	ssl.Set("peer_name", name)
	opts := compat.NewArray()
	opts.Set("ssl", ssl)
	ctx := p.call("stream_context_create", opts)
	errno, errstr := &compat.Ref{}, &compat.Ref{}
	s := p.call("stream_socket_client", "tcp://"+addr, errno, errstr, 5.0, int64(compat.STREAM_CLIENT_CONNECT), ctx)
	if p.err != nil {
		return p.err
	}
	if s == false {
		return fmt.Errorf("connect: %v (%v)", errstr.V, errno.V)
	}
	defer p.call("fclose", s)
	expect := func(code string, lines []string) bool {
		for _, l := range lines {
			fmt.Fprintln(w, "S:", l)
		}
		if p.err == nil && (len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], code)) {
			p.err = fmt.Errorf("expected %s, got %q", code, lines)
		}
		return p.err == nil
	}
	send := func(line string) {
		fmt.Fprintln(w, "C:", line)
		p.call("fwrite", s, line+"\r\n")
	}
	if !expect("220", p.reply(s)) {
		return p.err
	}
	send("EHLO client.example")
	ehlo := p.reply(s)
	if !expect("250", ehlo) {
		return p.err
	}
	if !strings.Contains(strings.Join(ehlo, "\n"), "STARTTLS") {
		return errors.New("server does not offer STARTTLS")
	}
	send("STARTTLS")
	if !expect("220", p.reply(s)) {
		return p.err
	}
	method := p.call("constant", "STREAM_CRYPTO_METHOD_TLS_CLIENT")
	if ok := p.call("stream_socket_enable_crypto", s, true, method); ok != true {
		if p.err != nil {
			return p.err
		}
		return errors.New("stream_socket_enable_crypto failed")
	}
	meta, _ := p.call("stream_get_meta_data", s).(*compat.Array)
	if meta != nil {
		if c, ok := meta.Get("crypto"); ok {
			if proto, ok := c.(*compat.Array).Get("protocol"); ok {
				fmt.Fprintln(w, "-- TLS on:", proto)
			}
		}
	}
	send("EHLO client.example")
	if !expect("250", p.reply(s)) {
		return p.err
	}
	send("QUIT")
	expect("221", p.reply(s))
	return p.err
}
