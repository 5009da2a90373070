// Command imap is client.php ported line by line to Go with compat's
// typed API: an IMAP client written as PHP webmail code (Roundcube's
// rcube_imap_generic) writes it. stream_socket_client,
// stream_set_timeout, each response line read with fgets (a false result
// checked against stream_get_meta_data's timed_out), STARTTLS with the
// crypto method STREAM_CRYPTO_METHOD_TLS_CLIENT | TLSv1_1 | TLSv1_2,
// LOGIN, SELECT, a FETCH whose message comes as a literal {N} read with
// fread, and LOGOUT. It prints the transcript client.php prints: every
// return value and warning.
//
// Usage:
//
//	imap HOST PORT CAFILE PEER_NAME USER PASSWORD TIMEOUT [CRYPTO_METHOD]
//
// (CAFILE "" for none; CRYPTO_METHOD the name of a
// STREAM_CRYPTO_METHOD_* constant, to use instead.)
package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/examples/internal/livetest"
	"github.com/phpsock/phpsock/internal/phpvalue"
)

func main() {
	tr := &livetest.Transcript{Echo: func(line string) { fmt.Println(line) }}
	if len(os.Args) != 8 && len(os.Args) != 9 {
		fmt.Fprintln(os.Stderr, "usage: imap HOST PORT CAFILE PEER_NAME USER PASSWORD TIMEOUT [CRYPTO_METHOD]")
		os.Exit(2)
	}
	rt := compat.NewRuntime()
	defer rt.Close()
	if err := client(rt, tr, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "imap:", err)
		os.Exit(1)
	}
}

// client is client.php's main code; args are its $argv[1:].
func client(rt *compat.Runtime, tr *livetest.Transcript, args []string) error {
	rt.SetDiagnostics(tr.Diagnostics())
	host, cafile, peerName, user, password := args[0], args[2], args[3], args[4], args[5]
	port := int(phpvalue.Int(args[1]))
	timeout := int(phpvalue.Int(args[6]))
	method := ""
	if len(args) > 7 {
		method = args[7]
	}

	options := compat.Options{"ssl": {"peer_name": peerName}}
	if cafile != "" {
		options["ssl"]["cafile"] = cafile
	}
	context, err := rt.StreamContextCreate(options, nil)
	if err != nil {
		return err
	}
	errno := 0
	errstr := ""
	fp, err := rt.StreamSocketClient("tcp://"+host+":"+strconv.Itoa(port), &errno, &errstr, float64(timeout), compat.STREAM_CLIENT_CONNECT, context)
	if err != nil {
		return err
	}
	tr.Out("stream_socket_client", fp)
	tr.Out("errno", errno)
	tr.Out("errstr", errstr)
	if fp == nil {
		return nil
	}
	ok, err := rt.StreamSetTimeout(fp, timeout)
	if err != nil {
		return err
	}
	tr.Out("stream_set_timeout", ok)
	ok, err = session(rt, tr, fp, user, password, method)
	if err != nil {
		return err
	}
	tr.Out("session", ok)
	ok, err = rt.Fclose(fp)
	if err != nil {
		return err
	}
	tr.Out("fclose", ok)
	return nil
}

// readLine reads one line; ok is false when the connection ended or timed
// out.
func readLine(rt *compat.Runtime, tr *livetest.Transcript, fp *compat.Resource) (line string, ok bool, err error) {
	line, ok, err = rt.Fgets(fp, 8192)
	if err != nil {
		return "", false, err
	}
	tr.Out("fgets", livetest.OrFalse(line, ok))
	if !ok {
		meta, err := rt.StreamGetMetaData(fp)
		if err != nil {
			return "", false, err
		}
		tr.Out("timed_out", meta.TimedOut)
		tr.Out("eof", meta.EOF)
	}
	return line, ok, nil
}

// readLiteral reads the {N} bytes of a literal, 8 KiB at most per fread.
func readLiteral(rt *compat.Runtime, tr *livetest.Transcript, fp *compat.Resource, bytes int) (string, error) {
	data := ""
	for bytes > 0 {
		d, ok, err := rt.Fread(fp, min(bytes, 8192))
		if err != nil {
			return data, err
		}
		tr.Out("fread", livetest.OrFalse(d, ok))
		if !ok || d == "" {
			break
		}
		data += d
		bytes -= len(d)
	}
	return data, nil
}

// literalRe is client.php's preg_match pattern: a line announcing a
// literal.
var literalRe = regexp.MustCompile(`\{(\d+)\}\r\n$`)

// execute sends a tagged command and reads its response up to the tagged
// line; it returns that line's status (OK, NO, BAD), or "" when the
// connection failed. A line ending in {N} announces a literal.
func execute(rt *compat.Runtime, tr *livetest.Transcript, fp *compat.Resource, tag, command string) (string, error) {
	n, ok, err := rt.Fwrite(fp, tag+" "+command+"\r\n")
	if err != nil {
		return "", err
	}
	tr.Out("fwrite", livetest.OrFalse(n, ok))
	for {
		line, ok, err := readLine(rt, tr, fp)
		if err != nil || !ok {
			return "", err
		}
		if m := literalRe.FindStringSubmatch(line); m != nil {
			literal, err := readLiteral(rt, tr, fp, int(phpvalue.Int(m[1])))
			if err != nil {
				return "", err
			}
			tr.Out("literal", literal)
			continue
		}
		if strings.HasPrefix(line, tag+" ") {
			status := strings.SplitN(line, " ", 3)[1]
			tr.Out("status", status)
			return status, nil
		}
	}
}

func session(rt *compat.Runtime, tr *livetest.Transcript, fp *compat.Resource, user, password, method string) (bool, error) {
	greeting, ok, err := readLine(rt, tr, fp)
	if err != nil || !ok || !strings.HasPrefix(greeting, "* OK") {
		return false, err
	}
	if status, err := execute(rt, tr, fp, "A1", "STARTTLS"); err != nil || status != "OK" {
		return false, err
	}
	var cryptoMethod compat.CryptoMethod
	if method != "" {
		c, err := rt.Constant(method)
		if err != nil {
			return false, err
		}
		cryptoMethod = compat.CryptoMethod(phpvalue.Int(c))
	} else {
		cryptoMethod = compat.STREAM_CRYPTO_METHOD_TLS_CLIENT
		if defined, err := rt.Defined("STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT"); err != nil {
			return false, err
		} else if defined {
			cryptoMethod |= compat.STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT
			cryptoMethod |= compat.STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT
		}
	}
	ok, _, err = rt.StreamSocketEnableCrypto(fp, true, cryptoMethod, nil)
	if err != nil {
		return false, err
	}
	tr.Out("stream_socket_enable_crypto", ok)
	if !ok {
		return false, nil
	}
	if status, err := execute(rt, tr, fp, "A2", "LOGIN "+user+" "+password); err != nil || status != "OK" {
		return false, err
	}
	if status, err := execute(rt, tr, fp, "A3", "SELECT INBOX"); err != nil || status != "OK" {
		return false, err
	}
	if status, err := execute(rt, tr, fp, "A4", "FETCH 1 BODY.PEEK[]"); err != nil || status != "OK" {
		return false, err
	}
	status, err := execute(rt, tr, fp, "A5", "LOGOUT")
	return status == "OK", err
}
