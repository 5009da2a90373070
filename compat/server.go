package compat

import (
	"errors"
	"time"

	"github.com/phpsock/phpsock/internal/streamhook"
	"github.com/phpsock/phpsock/phpstream"
)

// The server functions: stream_socket_server, stream_socket_accept, the
// server role of stream_socket_enable_crypto, and feof on server streams.

func init() {
	functions["stream_socket_server"] = streamSocketServer
	functions["stream_socket_accept"] = streamSocketAccept
	// Reads on a listening socket wait for the timeout first, as PHP's do
	// (only calls whose arguments are valid; others keep their errors).
	for _, name := range []string{"fread", "fgets", "fgetc"} {
		plain := functions[name]
		functions[name] = func(c *call) (Value, error) {
			if r := listeningArg(c); r != nil && plainReadArgs(c) && streamhook.Of(r.stream).ListenerReadTimedOut() {
				return false, nil
			}
			return plain(c)
		}
	}
	plainFeof := functions["feof"]
	functions["feof"] = func(c *call) (Value, error) {
		if c.has(0) && len(c.args) == 1 {
			if r, ok := c.arg(0).(*Resource); ok && !r.closed.Load() && r.kind == kindStream && r.stream != nil && r.stream.IsServer() {
				return streamhook.Of(r.stream).ListenerEOF(), nil
			}
		}
		return plainFeof(c)
	}
}

// stream_socket_server(string $address, &$error_code = null,
// &$error_message = null, int $flags = STREAM_SERVER_BIND |
// STREAM_SERVER_LISTEN, $context = null): resource|false
func streamSocketServer(c *call) (Value, error) {
	if err := c.arity(1, 5); err != nil {
		return nil, err
	}
	address, _, err := c.str(0, param{name: "address"})
	if err != nil {
		return nil, err
	}
	errnoRef, errstrRef := c.ref(1), c.ref(2)
	flags := int64(STREAM_SERVER_BIND | STREAM_SERVER_LISTEN)
	if c.has(3) {
		if flags, _, err = c.integer(3, param{name: "flags"}); err != nil {
			return nil, err
		}
	}
	ctxRes, err := c.context(4, param{name: "context"})
	if err != nil {
		return nil, err
	}
	ctx := c.rt.contextFor(ctxRes, flags&phpFileNoDefaultContext != 0)
	setRef(errnoRef, int64(0))
	setRef(errstrRef, "")
	d := c.rt.dialer(c.fn)
	lc := &phpstream.ListenConfig{
		Profile:     d.Profile,
		Context:     ctx,
		Resolver:    d.Resolver,
		Diagnostics: d.Diagnostics,
		CAFile:      d.CAFile,
		CAPath:      d.CAPath,
		Dir:         d.Dir,
		NoBind:      flags&int64(STREAM_SERVER_BIND) == 0,
		BindOnly:    flags&int64(STREAM_SERVER_LISTEN) == 0,
	}
	s, err := lc.Listen(background, address)
	if err != nil {
		var oe *phpstream.OpError
		text := ""
		if errors.As(err, &oe) {
			text = oe.Text
		}
		// PHP's $error_code stays 0 for servers: the bind's errno is not
		// passed up.
		if text != "" {
			setRef(errstrRef, text)
		} else {
			text = "Unknown error"
		}
		c.rt.warn(c.fn, EWarning, "Unable to connect to "+cString(address)+" ("+text+")")
		return false, nil
	}
	c.rt.initStream(s)
	r := newStreamResource(s, false, "")
	r.ctx = ctx
	return r, nil
}

// stream_socket_accept(resource $socket, ?float $timeout = null,
// &$peer_name = null): resource|false
func streamSocketAccept(c *call) (Value, error) {
	if err := c.arity(1, 3); err != nil {
		return nil, err
	}
	r, err := c.stream(0, param{name: "socket"})
	if err != nil {
		return nil, err
	}
	timeout := float64(c.rt.defaultSocketTimeout())
	if c.has(1) {
		t, set, err := c.float(1, param{name: "timeout", nullable: true})
		if err != nil {
			return nil, err
		}
		if set {
			timeout = t
		}
	}
	// $peer_name is left as it was unless a connection was accepted.
	peerRef := c.ref(2)
	wait := time.Duration(-1)
	if !(timeout < 0 || timeout >= maxTimeoutSeconds) {
		// Microseconds, then poll's milliseconds, both truncated.
		us := uint64(timeout * 1e6)
		wait = time.Duration(us/1000) * time.Millisecond
	}
	if !r.stream.IsSocket() {
		// No transport: the accept fails with strerror-less text.
		c.rt.warn(c.fn, EWarning, "Accept failed: Unknown error")
		return false, nil
	}
	cs, peer, err := r.stream.AcceptStream(background, phpstream.AcceptOptions{Timeout: wait})
	c.rt.raiseQueued(c.fn, r) // the handshake's warnings come first
	if err != nil {
		text := "Unknown error"
		var oe *phpstream.OpError
		switch {
		case errors.As(err, &oe) && oe.Op == "handshake":
			// The accept itself succeeded: strerror(0).
			text = "Success"
			if peer != "" {
				setRef(peerRef, peer)
			}
		case errors.As(err, &oe) && oe.Text != "":
			text = oe.Text
		}
		c.rt.warn(c.fn, EWarning, "Accept failed: "+text)
		return false, nil
	}
	if peerRef != nil {
		setRef(peerRef, peer)
	}
	nr := newStreamResource(cs, false, "")
	nr.ctx = r.ctx
	return nr, nil
}

// serverEnableCrypto is stream_socket_enable_crypto($s, true, $method)
// for a method without the client bit (the *_SERVER constants): PHP's
// server-side handshake with the stream's context.
func serverEnableCrypto(c *call, r *Resource, method int64) (Value, error) {
	d := c.rt.dialer(c.fn)
	opts := phpstream.TLSServerOptions{Context: r.ctx, Method: method, IniCAFile: d.CAFile, IniCAPath: d.CAPath, Dir: d.Dir}
	info, done, err := r.stream.EnableServerCrypto(background, opts)
	return c.cryptoResult(r, info, done, err)
}

// listeningArg returns the first argument when it is an open listening
// server stream.
func listeningArg(c *call) *Resource {
	if len(c.args) == 0 {
		return nil
	}
	r, ok := c.arg(0).(*Resource)
	if !ok || r.closed.Load() || r.kind != kindStream || r.stream == nil || !r.stream.Listening() {
		return nil
	}
	return r
}

// plainReadArgs reports whether a read's length argument, if any, is a
// positive int (fread's required, fgets' optional one).
func plainReadArgs(c *call) bool {
	switch {
	case c.fn == "fgetc":
		return len(c.args) == 1
	case c.fn == "fgets" && len(c.args) == 1:
		return true
	case len(c.args) == 2:
		n, ok := c.arg(1).(int64)
		return ok && n > 0
	}
	return false
}
