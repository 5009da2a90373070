// Command loghandler is client.php, a logging socket handler written as
// PHP code in the wild writes one (Monolog's SocketHandler), ported line
// by line to Go with compat's typed API: fsockopen and pfsockopen with
// the port in the URL and port -1, stream_set_timeout,
// stream_set_chunk_size, fwrite in a loop with feof and timed_out checks,
// a reconnect when the server went away, TLS verified with openssl.cafile.
// It prints the same transcript as the PHP script.
//
// Usage:
//
//	loghandler [-d openssl.cafile=CAFILE] SCENARIO URL CERTDIR
//
// main_test.go runs it and client.php against the same log sink, directly
// and through stunnel4.
package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/examples/internal/livetest"
)

func main() {
	tr := &livetest.Transcript{Echo: func(line string) { fmt.Println(line) }}
	if err := run(os.Args[1:], tr); err != nil {
		fmt.Fprintln(os.Stderr, "loghandler:", err)
		os.Exit(2)
	}
}

// exception is a PHP exception the handler throws (UnexpectedValueException,
// RuntimeException), as compat returns PHP's own.
func exception(class, message string) error {
	return &compat.Error{Class: class, Message: message}
}

// socketHandler is client.php's SocketHandler.
type socketHandler struct {
	rt                *compat.Runtime
	out               func(label string, v any)
	resource          *compat.Resource
	connectionString  string
	persistent        bool
	timeout           float64
	connectionTimeout float64
	chunkSize         int // 0: null, leave the chunk size alone
}

// newSocketHandler is the constructor with its defaults: not persistent,
// a 10 s write timeout, a 5 s connection timeout, no chunk size.
func newSocketHandler(rt *compat.Runtime, out func(string, any), connectionString string) *socketHandler {
	return &socketHandler{rt: rt, out: out, connectionString: connectionString, timeout: 10.0, connectionTimeout: 5.0}
}

// handle writes one record, connecting first if needed.
func (h *socketHandler) handle(record string) error {
	if err := h.connectIfNotConnected(); err != nil {
		return err
	}
	return h.writeToSocket(record)
}

func (h *socketHandler) isConnected() (bool, error) {
	isRes, err := h.rt.IsResource(h.resource)
	if err != nil || !isRes {
		return false, err
	}
	eof, err := h.rt.Feof(h.resource)
	return !eof, err
}

// close leaves a persistent connection open for the next handler.
func (h *socketHandler) close() error {
	if !h.persistent {
		return h.closeSocket()
	}
	return nil
}

func (h *socketHandler) closeSocket() error {
	isRes, err := h.rt.IsResource(h.resource)
	if err != nil {
		return err
	}
	if isRes {
		closed, err := h.rt.Fclose(h.resource)
		if err != nil {
			return err
		}
		h.out("fclose", closed)
		h.resource = nil
	}
	return nil
}

func (h *socketHandler) connectIfNotConnected() error {
	connected, err := h.isConnected()
	if err != nil || connected {
		return err
	}
	return h.connect()
}

func (h *socketHandler) connect() error {
	if err := h.createSocketResource(); err != nil {
		return err
	}
	if err := h.setSocketTimeout(); err != nil {
		return err
	}
	return h.setStreamChunkSize()
}

func (h *socketHandler) createSocketResource() error {
	var errno int
	var errstr string
	var resource *compat.Resource
	var err error
	if h.persistent {
		resource, err = h.rt.Pfsockopen(h.connectionString, -1, &errno, &errstr, h.connectionTimeout)
	} else {
		resource, err = h.rt.Fsockopen(h.connectionString, -1, &errno, &errstr, h.connectionTimeout)
	}
	if err != nil {
		return err
	}
	h.out("connect", resource)
	if isRes, err := h.rt.IsResource(resource); err != nil || !isRes {
		if err != nil {
			return err
		}
		return exception("UnexpectedValueException", fmt.Sprintf("Failed connecting to %s (%d: %s)", h.connectionString, errno, errstr))
	}
	h.resource = resource
	return nil
}

func (h *socketHandler) setSocketTimeout() error {
	seconds := math.Floor(h.timeout)
	microseconds := math.Round((h.timeout - seconds) * 1e6)
	ok, err := h.rt.StreamSetTimeout(h.resource, int(seconds), int(microseconds))
	if err != nil {
		return err
	}
	if !ok {
		return exception("UnexpectedValueException", "Failed setting timeout with stream_set_timeout()")
	}
	return nil
}

func (h *socketHandler) setStreamChunkSize() error {
	if h.chunkSize == 0 {
		return nil
	}
	previous, err := h.rt.StreamSetChunkSize(h.resource, h.chunkSize)
	if err != nil {
		return err
	}
	h.out("stream_set_chunk_size", previous)
	return nil
}

// writeToSocket writes until every byte is sent, as long as the
// connection is up and no write timed out.
func (h *socketHandler) writeToSocket(data string) error {
	length := len(data)
	sent := 0
	for {
		connected, err := h.isConnected()
		if err != nil {
			return err
		}
		if !connected || sent >= length {
			break
		}
		var chunk int
		var ok bool
		if sent == 0 {
			chunk, ok, err = h.rt.Fwrite(h.resource, data)
		} else {
			chunk, ok, err = h.rt.Fwrite(h.resource, data[sent:])
		}
		if err != nil {
			return err
		}
		h.out("fwrite", livetest.OrFalse(chunk, ok))
		if !ok {
			return exception("RuntimeException", "Could not write to socket")
		}
		sent += chunk
		socketInfo, err := h.rt.StreamGetMetaData(h.resource)
		if err != nil {
			return err
		}
		if socketInfo.TimedOut {
			return exception("RuntimeException", "Write timed-out")
		}
	}
	connected, err := h.isConnected()
	if err != nil {
		return err
	}
	if !connected && sent < length {
		return exception("RuntimeException", fmt.Sprintf("End-of-file reached, probably we got disconnected (sent %d of %d)", sent, length))
	}
	return nil
}

// logAll hands each record to the handler; a failed record is reported
// and the connection dropped, as a logger's error handling does.
func logAll(h *socketHandler, records []string) error {
	for _, record := range records {
		if err := h.handle(record); err != nil {
			var e *compat.Error
			if !errors.As(err, &e) {
				return err // not a PHP exception: a bug of the port
			}
			h.out("exception", e)
			if err := h.closeSocket(); err != nil {
				return err
			}
			continue
		}
		h.out("logged", len(record))
	}
	return nil
}

// run is the script run as php [-d name=value]... client.php args: the
// ini settings first, as php's -d options.
func run(args []string, tr *livetest.Transcript) error {
	rt := compat.NewRuntime()
	defer rt.Close()
	rt.SetDiagnostics(tr.Diagnostics())
	for len(args) >= 2 && args[0] == "-d" {
		name, value, _ := strings.Cut(args[1], "=")
		if err := rt.SetIni(name, value); err != nil {
			return err
		}
		args = args[2:]
	}
	if len(args) != 3 {
		return errors.New("usage: loghandler [-d name=value]... SCENARIO URL CERTDIR")
	}
	out := tr.Out
	scenario, url, certs := args[0], args[1], args[2]
	switch scenario {
	case "lines":
		// Records of several sizes, written in chunks of 1024 bytes.
		handler := newSocketHandler(rt, out, url)
		handler.chunkSize = 1024
		if err := logAll(handler, []string{
			"[2024-01-01T00:00:00+00:00] app.INFO: started [] []\n",
			"[2024-01-01T00:00:01+00:00] app.DEBUG: payload " + strings.Repeat("x", 100000) + " [] []\n",
			"[2024-01-01T00:00:02+00:00] app.ERROR: bytes \x00\xff\r [] []\n",
		}); err != nil {
			return err
		}
		return handler.close()

	case "reconnect":
		// The sink closes each connection after one line: the handler sees
		// feof and connects again for the next record.
		handler := newSocketHandler(rt, out, url)
		for _, message := range []string{"first", "second", "third"} {
			if err := logAll(handler, []string{"app.INFO: " + message + "\n"}); err != nil {
				return err
			}
			time.Sleep(200 * time.Millisecond)
		}
		return handler.close()

	case "persistent":
		// Two handlers on one persistent connection (pfsockopen).
		first := newSocketHandler(rt, out, url)
		first.persistent = true
		if err := logAll(first, []string{"app.INFO: from the first handler\n"}); err != nil {
			return err
		}
		if err := first.close(); err != nil {
			return err
		}
		second := newSocketHandler(rt, out, url)
		second.persistent = true
		if err := logAll(second, []string{"app.INFO: from the second handler\n"}); err != nil {
			return err
		}
		return second.close()

	case "write-timeout":
		// The sink stops reading: the writes fill the socket buffers and
		// time out after 0.5 s.
		handler := newSocketHandler(rt, out, url)
		handler.timeout = 0.5
		return logAll(handler, []string{strings.Repeat("y", 8<<20) + "\n"})

	case "refused":
		handler := newSocketHandler(rt, out, url)
		return logAll(handler, []string{"app.INFO: nobody listens\n"})

	case "tls":
		// TLS verified against openssl.cafile (php -d): fsockopen takes
		// no context, so the ini setting is what a private CA needs.
		handler := newSocketHandler(rt, out, url)
		handler.chunkSize = 4096
		if err := logAll(handler, []string{"app.INFO: over TLS\n", strings.Repeat("z", 50000) + "\n"}); err != nil {
			return err
		}
		return handler.close()

	case "tls-default-context":
		// fsockopen does not look at the default context: its cafile is
		// not used.
		ctx, err := rt.StreamContextSetDefault(compat.Options{"ssl": {"cafile": certs + "/ca.pem"}})
		if err != nil {
			return err
		}
		out("default context", ctx)
		handler := newSocketHandler(rt, out, url)
		return logAll(handler, []string{"app.INFO: unverified\n"})

	case "tls-no-cafile", "tls-wrong-name":
		// No CA the certificate verifies with, or (with openssl.cafile) a
		// certificate for another name.
		handler := newSocketHandler(rt, out, url)
		return logAll(handler, []string{"app.INFO: unverified\n"})
	}
	return fmt.Errorf("unknown scenario %s", scenario)
}
