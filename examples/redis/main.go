// Command redis is client.php, a Redis client written as PHP code in the
// wild writes one, ported line by line to Go with compat's typed API:
// pfsockopen and persistent stream_socket_client connections, RESP
// written with fwrite and read with fgets and fread, stream_set_timeout
// and stream_get_meta_data()['timed_out'], the TLS port with ssl context
// options. It prints the same transcript as the PHP script.
//
// Usage:
//
//	redis SCENARIO HOST PORT CERTDIR
//
// main_test.go runs it and client.php against the same redis-server
// (plain and --tls-port), stunnel4 in front of it, and nginx.
package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/examples/internal/livetest"
)

func main() {
	tr := &livetest.Transcript{Echo: func(line string) { fmt.Println(line) }}
	if err := run(os.Args[1:], tr); err != nil {
		fmt.Fprintln(os.Stderr, "redis:", err)
		os.Exit(2)
	}
}

// client is the PHP script's global state: the runtime (PHP's process)
// and the transcript its out() writes.
type client struct {
	rt  *compat.Runtime
	out func(label string, v any)
}

// resp encodes a command as a RESP array of bulk strings.
func resp(args []string) string {
	out := "*" + strconv.Itoa(len(args)) + "\r\n"
	for _, arg := range args {
		out += "$" + strconv.Itoa(len(arg)) + "\r\n" + arg + "\r\n"
	}
	return out
}

// meta prints the parts of stream_get_meta_data a client looks at.
func (c *client) meta(fp *compat.Resource) error {
	m, err := c.rt.StreamGetMetaData(fp)
	if err != nil {
		return err
	}
	a := compat.NewArray()
	a.Set("timed_out", m.TimedOut)
	a.Set("blocked", m.Blocked)
	a.Set("eof", m.EOF)
	c.out("meta", a)
	return nil
}

// readReply reads one RESP reply: a status, an error, an integer, a bulk
// string (read with fread until complete) or an array of replies. A
// failed read prints the stream's state and returns false.
func (c *client) readReply(fp *compat.Resource) (any, error) {
	line, ok, err := c.rt.Fgets(fp)
	if err != nil {
		return nil, err
	}
	if !ok {
		c.out("fgets", false)
		return false, c.meta(fp)
	}
	typ := line[0]
	payload := ""
	if len(line) > 3 {
		payload = line[1 : len(line)-2]
	}
	switch typ {
	case '+':
		return payload, nil
	case '-':
		return "ERROR " + payload, nil
	case ':':
		n, _ := strconv.Atoi(payload)
		return n, nil
	case '$':
		size, _ := strconv.Atoi(payload)
		if size == -1 {
			return nil, nil
		}
		bulk := ""
		left := size + 2
		for left > 0 {
			chunk, ok, err := c.rt.Fread(fp, left)
			if err != nil {
				return nil, err
			}
			if !ok || chunk == "" {
				c.out("fread", livetest.OrFalse(chunk, ok))
				return false, c.meta(fp)
			}
			bulk += chunk
			left -= len(chunk)
		}
		if len(bulk) < 2 { // substr($bulk, 0, -2) of a shorter string (a size below -1)
			return "", nil
		}
		return bulk[:len(bulk)-2], nil
	case '*':
		count, _ := strconv.Atoi(payload)
		if count == -1 {
			return nil, nil
		}
		items := []any{}
		for i := 0; i < count; i++ {
			item, err := c.readReply(fp)
			if err != nil {
				return nil, err
			}
			items = append(items, item)
		}
		return items, nil
	}
	c.out("protocol error", line)
	return false, nil
}

// command sends one command and prints the bytes written and the reply.
func (c *client) command(fp *compat.Resource, args ...string) (any, error) {
	name := strings.Join(args[:min(2, len(args))], " ")
	n, ok, err := c.rt.Fwrite(fp, resp(args))
	if err != nil {
		return nil, err
	}
	c.out("> "+name, livetest.OrFalse(n, ok))
	reply, err := c.readReply(fp)
	if err != nil {
		return nil, err
	}
	c.out("< "+name, reply)
	return reply, nil
}

// tlsContext is the ssl context a client passes for the TLS port: the
// test CA and the name localhost, unless ssl says otherwise (nil: unset).
func (c *client) tlsContext(certs string, ssl map[string]compat.Value) (*compat.Resource, error) {
	opts := map[string]compat.Value{"cafile": certs + "/ca.pem", "peer_name": "localhost"}
	for k, v := range ssl {
		if v == nil {
			delete(opts, k)
		} else {
			opts[k] = v
		}
	}
	return c.rt.StreamContextCreate(compat.Options{"ssl": opts}, nil)
}

// tlsConnect connects to a TLS port with the given ssl options and pings.
func (c *client) tlsConnect(host string, port int, certs string, ssl map[string]compat.Value) error {
	ctx, err := c.tlsContext(certs, ssl)
	if err != nil {
		return err
	}
	var errno int
	var errstr string
	fp, err := c.rt.StreamSocketClient(fmt.Sprintf("tls://%s:%d", host, port), &errno, &errstr, 5,
		compat.STREAM_CLIENT_CONNECT, ctx)
	if err != nil {
		return err
	}
	c.out("stream_socket_client", fp)
	c.out("errno", errno)
	c.out("errstr", errstr)
	if fp == nil {
		return nil
	}
	m, err := c.rt.StreamGetMetaData(fp)
	if err != nil {
		return err
	}
	crypto, _ := m.Array.Get("crypto")
	c.out("crypto", crypto)
	if _, err := c.command(fp, "PING"); err != nil {
		return err
	}
	closed, err := c.rt.Fclose(fp)
	c.out("fclose", closed)
	return err
}

// same is PHP's === on two replies.
func same(a, b any) bool { return reflect.DeepEqual(a, b) }

// errUsage is returned for arguments the script would not accept.
var errUsage = errors.New("usage: redis SCENARIO HOST PORT CERTDIR")

func run(args []string, tr *livetest.Transcript) error {
	if len(args) != 4 {
		return errUsage
	}
	rt := compat.NewRuntime()
	defer rt.Close()
	rt.SetDiagnostics(tr.Diagnostics())
	c := &client{rt: rt, out: tr.Out}
	scenario, host, certs := args[0], args[1], args[3]
	port, _ := strconv.Atoi(args[2])
	var errno int
	var errstr string
	switch scenario {
	case "commands":
		// A persistent connection, as phpredis' pconnect and Predis'
		// persistent option open one, reused by the next pfsockopen.
		fp, err := rt.Pfsockopen(host, port, &errno, &errstr, 5)
		if err != nil {
			return err
		}
		c.out("pfsockopen", fp)
		ok, err := rt.StreamSetTimeout(fp, 5)
		if err != nil {
			return err
		}
		c.out("set_timeout", ok)
		id, err := c.command(fp, "CLIENT", "ID")
		if err != nil {
			return err
		}
		for _, cmd := range [][]string{
			{"PING"},
			{"FLUSHDB"},
			{"SET", "example:key", "value with\r\nCRLF and \x00 NUL"},
			{"GET", "example:key"},
			{"GET", "example:missing"},
			{"INCR", "example:counter"},
			{"INCRBY", "example:counter", "41"},
			{"RPUSH", "example:list", "a", "bb", ""},
			{"LRANGE", "example:list", "0", "-1"},
			{"NOSUCHCOMMAND", "x"},
			{"SET", "example:big", strings.Repeat("0123456789", 10000)},
			{"STRLEN", "example:big"},
		} {
			if _, err := c.command(fp, cmd...); err != nil {
				return err
			}
		}
		fp2, err := rt.Pfsockopen(host, port, &errno, &errstr, 5)
		if err != nil {
			return err
		}
		c.out("pfsockopen again", fp2)
		c.out("same stream", fp2 == fp)
		id2, err := c.command(fp2, "CLIENT", "ID")
		if err != nil {
			return err
		}
		c.out("same connection", same(id2, id))
		// stream_socket_client's persistent key is the address: a second
		// persistent connection, reused by the same address.
		fp3, err := rt.StreamSocketClient(fmt.Sprintf("tcp://%s:%d", host, port), &errno, &errstr, 5,
			compat.STREAM_CLIENT_CONNECT|compat.STREAM_CLIENT_PERSISTENT, nil)
		if err != nil {
			return err
		}
		c.out("stream_socket_client persistent", fp3)
		id3, err := c.command(fp3, "CLIENT", "ID")
		if err != nil {
			return err
		}
		c.out("same connection", same(id3, id))
		fp4, err := rt.StreamSocketClient(fmt.Sprintf("tcp://%s:%d", host, port), &errno, &errstr, 5,
			compat.STREAM_CLIENT_CONNECT|compat.STREAM_CLIENT_PERSISTENT, nil)
		if err != nil {
			return err
		}
		id4, err := c.command(fp4, "CLIENT", "ID")
		if err != nil {
			return err
		}
		c.out("same connection again", same(id4, id3))
		if err := c.meta(fp); err != nil {
			return err
		}
		if _, err := c.command(fp, "QUIT"); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond) // the server closes the connection after its reply
		eof, err := rt.Feof(fp)
		if err != nil {
			return err
		}
		c.out("feof", eof)
		line, ok, err := rt.Fgets(fp)
		if err != nil {
			return err
		}
		c.out("fgets after QUIT", livetest.OrFalse(line, ok))
		return c.meta(fp)

	case "blpop":
		// A blocking pop: the server's timeout (0.2 s) comes first and it
		// answers a null array; then one longer than the client's read
		// timeout (0.5 s): the read times out.
		fp, err := rt.StreamSocketClient(fmt.Sprintf("tcp://%s:%d", host, port), &errno, &errstr, 5, compat.STREAM_CLIENT_CONNECT, nil)
		if err != nil {
			return err
		}
		c.out("stream_socket_client", fp)
		if _, err := c.command(fp, "DEL", "example:queue"); err != nil {
			return err
		}
		ok, err := rt.StreamSetTimeout(fp, 3)
		if err != nil {
			return err
		}
		c.out("set_timeout", ok)
		if _, err := c.command(fp, "BLPOP", "example:queue", "0.2"); err != nil {
			return err
		}
		ok, err = rt.StreamSetTimeout(fp, 0, 500000)
		if err != nil {
			return err
		}
		c.out("set_timeout", ok)
		if _, err := c.command(fp, "BLPOP", "example:queue", "0"); err != nil {
			return err
		}
		eof, err := rt.Feof(fp)
		if err != nil {
			return err
		}
		c.out("feof", eof)
		// The reply is still owed: a client must drop the connection.
		closed, err := rt.Fclose(fp)
		c.out("fclose", closed)
		return err

	case "paused":
		// The server is stopped (SIGSTOP): the kernel accepts the
		// connection, nobody answers.
		fp, err := rt.StreamSocketClient(fmt.Sprintf("tcp://%s:%d", host, port), &errno, &errstr, 5, compat.STREAM_CLIENT_CONNECT, nil)
		if err != nil {
			return err
		}
		c.out("stream_socket_client", fp)
		ok, err := rt.StreamSetTimeout(fp, 0, 500000)
		if err != nil {
			return err
		}
		c.out("set_timeout", ok)
		if _, err := c.command(fp, "PING"); err != nil {
			return err
		}
		line, ok, err := rt.Fgets(fp)
		if err != nil {
			return err
		}
		c.out("fgets again", livetest.OrFalse(line, ok))
		if err := c.meta(fp); err != nil {
			return err
		}
		closed, err := rt.Fclose(fp)
		c.out("fclose", closed)
		return err

	case "killed":
		// The connection is killed (CLIENT KILL from a second connection)
		// while it waits in BLPOP; pfsockopen then notices the dead
		// persistent connection and opens a new one.
		fp, err := rt.Pfsockopen(host, port, &errno, &errstr, 5)
		if err != nil {
			return err
		}
		c.out("pfsockopen", fp)
		ok, err := rt.StreamSetTimeout(fp, 5)
		if err != nil {
			return err
		}
		c.out("set_timeout", ok)
		id, err := c.command(fp, "CLIENT", "ID")
		if err != nil {
			return err
		}
		n, ok, err := rt.Fwrite(fp, resp([]string{"BLPOP", "example:never", "0"}))
		if err != nil {
			return err
		}
		c.out("> BLPOP", livetest.OrFalse(n, ok))
		admin, err := rt.Fsockopen(host, port, &errno, &errstr, 5)
		if err != nil {
			return err
		}
		c.out("fsockopen", admin)
		time.Sleep(100 * time.Millisecond)
		if _, err := c.command(admin, "CLIENT", "KILL", "ID", fmt.Sprint(id)); err != nil {
			return err
		}
		reply, err := c.readReply(fp)
		if err != nil {
			return err
		}
		c.out("< BLPOP", reply)
		eof, err := rt.Feof(fp)
		if err != nil {
			return err
		}
		c.out("feof", eof)
		n, ok, err = rt.Fwrite(fp, resp([]string{"PING"}))
		if err != nil {
			return err
		}
		c.out("fwrite to a closed connection", livetest.OrFalse(n, ok))
		time.Sleep(200 * time.Millisecond)
		n, ok, err = rt.Fwrite(fp, resp([]string{"PING"}))
		if err != nil {
			return err
		}
		c.out("fwrite again", livetest.OrFalse(n, ok))
		if err := c.meta(fp); err != nil {
			return err
		}
		fp2, err := rt.Pfsockopen(host, port, &errno, &errstr, 5)
		if err != nil {
			return err
		}
		c.out("pfsockopen again", fp2)
		id2, err := c.command(fp2, "CLIENT", "ID")
		if err != nil {
			return err
		}
		c.out("same connection", same(id2, id))
		closed, err := rt.Fclose(admin)
		c.out("fclose", closed)
		return err

	case "refused":
		fp, err := rt.Pfsockopen(host, port, &errno, &errstr, 5)
		if err != nil {
			return err
		}
		c.out("pfsockopen", fp)
		c.out("errno", errno)
		c.out("errstr", errstr)
		fp, err = rt.StreamSocketClient(fmt.Sprintf("tcp://%s:%d", host, port), &errno, &errstr, 5,
			compat.STREAM_CLIENT_CONNECT|compat.STREAM_CLIENT_PERSISTENT, nil)
		if err != nil {
			return err
		}
		c.out("stream_socket_client", fp)
		c.out("errno", errno)
		c.out("errstr", errstr)
		return nil

	case "tls":
		// The TLS port, verified against the test CA, persistent.
		ctx, err := c.tlsContext(certs, nil)
		if err != nil {
			return err
		}
		fp, err := rt.StreamSocketClient(fmt.Sprintf("tls://%s:%d", host, port), &errno, &errstr, 5,
			compat.STREAM_CLIENT_CONNECT|compat.STREAM_CLIENT_PERSISTENT, ctx)
		if err != nil {
			return err
		}
		c.out("stream_socket_client", fp)
		m, err := rt.StreamGetMetaData(fp)
		if err != nil {
			return err
		}
		c.out("stream_type", m.StreamType)
		crypto, _ := m.Array.Get("crypto")
		c.out("crypto", crypto)
		ok, err := rt.StreamSetTimeout(fp, 0, 500000)
		if err != nil {
			return err
		}
		c.out("set_timeout", ok)
		for _, cmd := range [][]string{
			{"CLIENT", "ID"},
			{"SET", "example:tls", "over TLS"},
			{"GET", "example:tls"},
			{"BLPOP", "example:never", "0"},
		} {
			if _, err := c.command(fp, cmd...); err != nil {
				return err
			}
		}
		line, ok, err := rt.Fgets(fp)
		if err != nil {
			return err
		}
		c.out("fgets", livetest.OrFalse(line, ok))
		if err := c.meta(fp); err != nil {
			return err
		}
		fp2, err := rt.StreamSocketClient(fmt.Sprintf("tls://%s:%d", host, port), &errno, &errstr, 5,
			compat.STREAM_CLIENT_CONNECT|compat.STREAM_CLIENT_PERSISTENT, ctx)
		if err != nil {
			return err
		}
		c.out("same stream", fp2 == fp)
		return nil

	case "tls-no-cafile":
		// No cafile: the system's CAs do not know the test CA.
		return c.tlsConnect(host, port, certs, map[string]compat.Value{"cafile": nil})

	case "tls-wrong-name":
		return c.tlsConnect(host, port, certs, map[string]compat.Value{"peer_name": "redis.example"})

	case "tls-no-verify":
		return c.tlsConnect(host, port, certs, map[string]compat.Value{"cafile": nil, "verify_peer": false})

	case "tls12":
		return c.tlsConnect(host, port, certs, map[string]compat.Value{"crypto_method": compat.STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT})

	case "tls13":
		return c.tlsConnect(host, port, certs, map[string]compat.Value{"crypto_method": compat.STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT})

	case "tls12-cipher":
		return c.tlsConnect(host, port, certs, map[string]compat.Value{
			"crypto_method": compat.STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT,
			"ciphers":       "ECDHE-RSA-AES128-GCM-SHA256",
		})

	case "plain-to-tls":
		// Plain text to the TLS port: the server drops the connection.
		fp, err := rt.StreamSocketClient(fmt.Sprintf("tcp://%s:%d", host, port), &errno, &errstr, 5, compat.STREAM_CLIENT_CONNECT, nil)
		if err != nil {
			return err
		}
		c.out("stream_socket_client", fp)
		ok, err := rt.StreamSetTimeout(fp, 5)
		if err != nil {
			return err
		}
		c.out("set_timeout", ok)
		if _, err := c.command(fp, "PING"); err != nil {
			return err
		}
		eof, err := rt.Feof(fp)
		if err != nil {
			return err
		}
		c.out("feof", eof)
		return nil

	case "ssl-to-plain":
		// ssl:// to a port that speaks plain text (nginx's HTTP port
		// answers the ClientHello with a 400 page).
		ctx, err := c.tlsContext(certs, nil)
		if err != nil {
			return err
		}
		fp, err := rt.StreamSocketClient(fmt.Sprintf("ssl://%s:%d", host, port), &errno, &errstr, 5,
			compat.STREAM_CLIENT_CONNECT, ctx)
		if err != nil {
			return err
		}
		c.out("stream_socket_client", fp)
		c.out("errno", errno)
		c.out("errstr", errstr)
		return nil
	}
	return fmt.Errorf("unknown scenario %s", scenario)
}
