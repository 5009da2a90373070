// Command smtps is client.php ported line by line to Go with compat's
// typed API: an SMTPS client (implicit TLS through ssl://) written as PHP
// mailers configured with SMTPOptions write it. The ssl context's options
// (verify_peer, verify_peer_name, allow_self_signed, cafile, peer_name,
// crypto_method) go to stream_socket_client; then the greeting, EHLO and
// QUIT, each reply read with fgets up to its last line, and the end of the
// stream. It prints the transcript client.php prints: every return value
// and warning.
//
// Usage:
//
//	smtps HOST PORT [OPTION=VALUE ...]
//
// (HOST as PHPMailer passes it, "ssl://127.0.0.1"; verify_peer,
// verify_peer_name and allow_self_signed take 0 or 1, crypto_method the
// name of a STREAM_CRYPTO_METHOD_* constant.)
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/examples/internal/livetest"
	"github.com/phpsock/phpsock/internal/phpvalue"
)

func main() {
	tr := &livetest.Transcript{Echo: func(line string) { fmt.Println(line) }}
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: smtps HOST PORT [OPTION=VALUE ...]")
		os.Exit(2)
	}
	rt := compat.NewRuntime()
	defer rt.Close()
	if err := client(rt, tr, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "smtps:", err)
		os.Exit(1)
	}
}

// client is client.php's main code; args are its $argv[1:].
func client(rt *compat.Runtime, tr *livetest.Transcript, args []string) error {
	rt.SetDiagnostics(tr.Diagnostics())
	host := args[0]
	port := int(phpvalue.Int(args[1]))
	ssl := map[string]compat.Value{}
	for _, arg := range args[2:] {
		name, value, _ := strings.Cut(arg, "=")
		var v compat.Value = value
		if name == "verify_peer" || name == "verify_peer_name" || name == "allow_self_signed" {
			v = phpvalue.Bool(value)
		} else if name == "crypto_method" {
			c, err := rt.Constant(value)
			if err != nil {
				return err
			}
			v = c
		}
		ssl[name] = v
	}

	context, err := rt.StreamContextCreate(compat.Options{"ssl": ssl}, nil)
	if err != nil {
		return err
	}
	errno := 0
	errstr := ""
	conn, err := rt.StreamSocketClient(host+":"+strconv.Itoa(port), &errno, &errstr, 5, compat.STREAM_CLIENT_CONNECT, context)
	if err != nil {
		return err
	}
	tr.Out("stream_socket_client", conn)
	tr.Out("errno", errno)
	tr.Out("errstr", errstr)
	if conn == nil {
		return nil
	}
	ok, err := rt.StreamSetTimeout(conn, 5)
	if err != nil {
		return err
	}
	tr.Out("stream_set_timeout", ok)
	meta, err := rt.StreamGetMetaData(conn)
	if err != nil {
		return err
	}
	crypto, _ := meta.Array.Get("crypto")
	tr.Out("crypto", crypto)
	if _, err := reply(rt, tr, conn); err != nil {
		return err
	}
	if err := fwrite(rt, tr, conn, "EHLO client.test\r\n"); err != nil {
		return err
	}
	if _, err := reply(rt, tr, conn); err != nil {
		return err
	}
	if err := fwrite(rt, tr, conn, "QUIT\r\n"); err != nil {
		return err
	}
	if _, err := reply(rt, tr, conn); err != nil {
		return err
	}
	// The server closes the connection after its 221: wait for that.
	last, ok, err := rt.Fgets(conn, 515)
	if err != nil {
		return err
	}
	tr.Out("fgets", livetest.OrFalse(last, ok))
	eof, err := rt.Feof(conn)
	if err != nil {
		return err
	}
	tr.Out("feof", eof)
	ok, err = rt.Fclose(conn)
	if err != nil {
		return err
	}
	tr.Out("fclose", ok)
	return nil
}

// fwrite is the line out('fwrite', fwrite($conn, $data)).
func fwrite(rt *compat.Runtime, tr *livetest.Transcript, conn *compat.Resource, data string) error {
	n, ok, err := rt.Fwrite(conn, data)
	if err != nil {
		return err
	}
	tr.Out("fwrite", livetest.OrFalse(n, ok))
	return nil
}

// reply reads one reply, every line up to the one without '-' after the
// code.
func reply(rt *compat.Runtime, tr *livetest.Transcript, conn *compat.Resource) (string, error) {
	reply := ""
	for {
		line, ok, err := rt.Fgets(conn, 515)
		if err != nil {
			return reply, err
		}
		if !ok {
			tr.Out("fgets", false)
			return reply, nil
		}
		tr.Out("fgets", line)
		reply += line
		if len(line) < 4 || line[3] != '-' {
			return reply, nil
		}
	}
}
