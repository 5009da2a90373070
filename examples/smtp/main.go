// Command smtp is client.php ported line by line to Go with compat's
// typed API: an SMTP client with STARTTLS written as PHPMailer's SMTP
// class writes it. stream_socket_client with a context, each reply read
// by getLines (stream_select, then fgets, then stream_get_meta_data's
// timed_out), and STARTTLS turned on with the crypto method PHPMailer
// chooses (STREAM_CRYPTO_METHOD_TLS_CLIENT | TLSv1_2 | TLSv1_1). It
// prints the transcript client.php prints: every return value and warning.
//
// Usage:
//
//	smtp HOST PORT CAFILE PEER_NAME TIMELIMIT
//
// (CAFILE "" for none; TIMELIMIT in seconds, for stream_select and
// stream_set_timeout.)
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/examples/internal/livetest"
	"github.com/phpsock/phpsock/internal/phpvalue"
)

func main() {
	tr := &livetest.Transcript{Echo: func(line string) { fmt.Println(line) }}
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: smtp HOST PORT CAFILE PEER_NAME TIMELIMIT")
		os.Exit(2)
	}
	rt := compat.NewRuntime()
	defer rt.Close()
	if err := client(rt, tr, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "smtp:", err)
		os.Exit(1)
	}
}

// client is client.php's main code; args are its $argv[1:].
func client(rt *compat.Runtime, tr *livetest.Transcript, args []string) error {
	rt.SetDiagnostics(tr.Diagnostics())
	host, portArg, cafile, peerName, timelimitArg := args[0], args[1], args[2], args[3], args[4]
	port := int(phpvalue.Int(portArg))
	timelimit := int(phpvalue.Int(timelimitArg))

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
	conn, err := rt.StreamSocketClient(host+":"+strconv.Itoa(port), &errno, &errstr, float64(timelimit), compat.STREAM_CLIENT_CONNECT, context)
	if err != nil {
		return err
	}
	tr.Out("stream_socket_client", conn)
	tr.Out("errno", errno)
	tr.Out("errstr", errstr)
	if ok, err := rt.IsResource(conn); err != nil || !ok {
		return err
	}
	ok, err := rt.StreamSetTimeout(conn, timelimit, 0)
	if err != nil {
		return err
	}
	tr.Out("stream_set_timeout", ok)
	ok, err = session(rt, tr, conn, timelimit)
	if err != nil {
		return err
	}
	tr.Out("session", ok)
	meta, err := rt.StreamGetMetaData(conn)
	if err != nil {
		return err
	}
	tr.Out("timed_out", meta.TimedOut)
	tr.Out("eof", meta.EOF)
	ok, err = rt.Fclose(conn)
	if err != nil {
		return err
	}
	tr.Out("fclose", ok)
	return nil
}

// getLines reads one reply, which may span several lines ("250-..." up to
// "250 ..."), as PHPMailer's SMTP::get_lines does.
func getLines(rt *compat.Runtime, tr *livetest.Transcript, conn *compat.Resource, timelimit int) (string, error) {
	data := ""
	endtime := time.Now().Unix() + int64(timelimit)
	selR := []*compat.Resource{conn}
	for {
		if ok, err := rt.IsResource(conn); err != nil || !ok {
			return data, err
		}
		if eof, err := rt.Feof(conn); err != nil || eof {
			return data, err
		}
		n, ok, err := rt.StreamSelect(&selR, nil, nil, timelimit)
		if err != nil {
			return data, err
		}
		if !ok || n == 0 {
			tr.Out("stream_select", livetest.OrFalse(n, ok))
			break
		}
		str, ok, err := rt.Fgets(conn, 515)
		if err != nil {
			return data, err
		}
		tr.Out("fgets", livetest.OrFalse(str, ok))
		data += str
		if len(str) < 4 || str[3] == ' ' || str[3] == '\r' || str[3] == '\n' {
			break
		}
		info, err := rt.StreamGetMetaData(conn)
		if err != nil {
			return data, err
		}
		if info.TimedOut {
			tr.Out("timed_out", info.TimedOut)
			break
		}
		if endtime != 0 && time.Now().Unix() > endtime {
			break
		}
	}
	return data, nil
}

// command sends one command and reads its reply; it is true when the
// reply's code is the expected one, as PHPMailer's sendCommand.
func command(rt *compat.Runtime, tr *livetest.Transcript, conn *compat.Resource, timelimit int, line string, expect int) (bool, error) {
	n, ok, err := rt.Fwrite(conn, line+"\r\n")
	if err != nil {
		return false, err
	}
	tr.Out("fwrite", livetest.OrFalse(n, ok))
	reply, err := getLines(rt, tr, conn, timelimit)
	if err != nil {
		return false, err
	}
	if replyCode(reply) != expect {
		tr.Out("unexpected", reply)
		return false, nil
	}
	return true, nil
}

// replyCode is PHP's (int)substr($reply, 0, 3).
func replyCode(reply string) int {
	return int(phpvalue.Int(reply[:min(3, len(reply))]))
}

func session(rt *compat.Runtime, tr *livetest.Transcript, conn *compat.Resource, timelimit int) (bool, error) {
	greeting, err := getLines(rt, tr, conn, timelimit)
	if err != nil {
		return false, err
	}
	if replyCode(greeting) != 220 {
		return false, nil
	}
	if ok, err := command(rt, tr, conn, timelimit, "EHLO client.test", 250); err != nil || !ok {
		return false, err
	}
	if ok, err := command(rt, tr, conn, timelimit, "STARTTLS", 220); err != nil || !ok {
		return false, err
	}
	cryptoMethod := compat.STREAM_CRYPTO_METHOD_TLS_CLIENT
	if defined, err := rt.Defined("STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT"); err != nil {
		return false, err
	} else if defined {
		cryptoMethod |= compat.STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT
		cryptoMethod |= compat.STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT
	}
	cryptoOK, _, err := rt.StreamSocketEnableCrypto(conn, true, cryptoMethod, nil)
	if err != nil {
		return false, err
	}
	tr.Out("stream_socket_enable_crypto", cryptoOK)
	if !cryptoOK {
		return false, nil
	}
	meta, err := rt.StreamGetMetaData(conn)
	if err != nil {
		return false, err
	}
	crypto, _ := meta.Array.Get("crypto")
	tr.Out("crypto", crypto)
	if ok, err := command(rt, tr, conn, timelimit, "EHLO client.test", 250); err != nil || !ok {
		return false, err
	}
	if ok, err := command(rt, tr, conn, timelimit, "MAIL FROM:<php@client.test>", 250); err != nil || !ok {
		return false, err
	}
	if ok, err := command(rt, tr, conn, timelimit, "RCPT TO:<someone@example.net>", 250); err != nil || !ok {
		return false, err
	}
	if ok, err := command(rt, tr, conn, timelimit, "DATA", 354); err != nil || !ok {
		return false, err
	}
	message := "From: php@client.test\r\nTo: someone@example.net\r\nSubject: live test\r\n\r\nHello.\r\n..a dot-stuffed line\r\n"
	n, ok, err := rt.Fwrite(conn, message)
	if err != nil {
		return false, err
	}
	tr.Out("fwrite", livetest.OrFalse(n, ok))
	if ok, err := command(rt, tr, conn, timelimit, ".", 250); err != nil || !ok {
		return false, err
	}
	return command(rt, tr, conn, timelimit, "QUIT", 221)
}
