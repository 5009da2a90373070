package compat

import (
	"errors"
	"math"
	"strings"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

// phpFileNoDefaultContext is PHP_FILE_NO_DEFAULT_CONTEXT (FILE_NO_DEFAULT_CONTEXT):
// with a null context, do not fall back to the default context.
const phpFileNoDefaultContext = int64(FILE_NO_DEFAULT_CONTEXT)

// fsockopen(string $hostname, int $port = -1, &$error_code = null,
// &$error_message = null, ?float $timeout = null): resource|false
func fsockopen(c *call) (Value, error) { return fsockopenImpl(c, false) }

// pfsockopen is fsockopen with a persistent stream.
func pfsockopen(c *call) (Value, error) { return fsockopenImpl(c, true) }

func fsockopenImpl(c *call, persistent bool) (Value, error) {
	if err := c.arity(1, 5); err != nil {
		return nil, err
	}
	host, _, err := c.str(0, param{name: "hostname"})
	if err != nil {
		return nil, err
	}
	port := int64(-1)
	if c.has(1) {
		if port, _, err = c.integer(1, param{name: "port"}); err != nil {
			return nil, err
		}
	}
	errnoRef, errstrRef := c.ref(2), c.ref(3)
	timeout := float64(c.rt.defaultSocketTimeout())
	if c.has(4) {
		t, set, err := c.float(4, param{name: "timeout", nullable: true})
		if err != nil {
			return nil, err
		}
		if set {
			timeout = t
		}
	}
	if timeout != -1 && !(timeout >= 0 && timeout < maxTimeoutSeconds) {
		// Debian's PHP 8.2 prints an uninitialised number (and the wrong
		// argument number) here; the number given is the bound it checks.
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #6 must be -1 or between 0 and 18446744073709"}
	}
	address := host
	if port > 0 {
		address = host + ":" + itoa(port)
	}
	key := ""
	if persistent {
		key = "pfsockopen__" + host + ":" + itoa(port)
		if r := c.rt.reusePersistent(key); r != nil {
			setRef(errnoRef, int64(0))
			setRef(errstrRef, "")
			return r, nil
		}
	}
	d := c.rt.dialer(c.fn)
	d.Timeout = fsockTimeout(timeout)
	s, err := d.Dial(background, address)
	if err != nil {
		return c.connectFailed(err, errnoRef, errstrRef, cString(host)+":"+itoa(port))
	}
	c.rt.initStream(s)
	setRef(errnoRef, int64(0))
	setRef(errstrRef, "")
	r := newStreamResource(s, persistent, key)
	if persistent {
		c.rt.storePersistent(key, r)
	}
	return r, nil
}

// stream_socket_client(string $address, &$error_code = null,
// &$error_message = null, ?float $timeout = null,
// int $flags = STREAM_CLIENT_CONNECT, $context = null): resource|false
func streamSocketClient(c *call) (Value, error) {
	if err := c.arity(1, 6); err != nil {
		return nil, err
	}
	address, _, err := c.str(0, param{name: "address"})
	if err != nil {
		return nil, err
	}
	errnoRef, errstrRef := c.ref(1), c.ref(2)
	timeout := float64(c.rt.defaultSocketTimeout())
	if c.has(3) {
		t, set, err := c.float(3, param{name: "timeout", nullable: true})
		if err != nil {
			return nil, err
		}
		if set {
			timeout = t
		}
	}
	flags := int64(STREAM_CLIENT_CONNECT)
	if c.has(4) {
		if flags, _, err = c.integer(4, param{name: "flags"}); err != nil {
			return nil, err
		}
	}
	ctxRes, err := c.context(5, param{name: "context"})
	// A resource that is not a context throws only after PHP has gone on
	// and connected without a context (the fetch fails, execution goes on,
	// the exception surfaces when the function returns).
	var thrown error
	if err != nil {
		if _, isRes := c.arg(5).(*Resource); !isRes {
			return nil, err
		}
		thrown = err
	}
	if math.IsNaN(timeout) || math.IsInf(timeout, 0) {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #4 ($timeout) must be a finite value"}
	}
	ctx := c.rt.contextFor(ctxRes, flags&phpFileNoDefaultContext != 0 || thrown != nil)
	key := ""
	persistent := flags&int64(STREAM_CLIENT_PERSISTENT) != 0
	if persistent {
		key = "stream_socket_client__" + address
	}
	setRef(errnoRef, int64(0))
	setRef(errstrRef, "")
	if persistent {
		if r := c.rt.reusePersistent(key); r != nil {
			return r, nil
		}
	}
	d := c.rt.dialer(c.fn)
	d.Context = ctx
	d.OnCrypto = func(info *phpstream.CryptoInfo) { capturePeer(ctx, info) }
	d.Async = flags&int64(STREAM_CLIENT_ASYNC_CONNECT) != 0
	d.NoConnect = flags&int64(STREAM_CLIENT_CONNECT|STREAM_CLIENT_ASYNC_CONNECT) == 0
	// PHP 8.2.7+: a negative or huge timeout means "none given", and the
	// transport layer then uses default_socket_timeout.
	if timeout < 0 || timeout >= maxTimeoutSeconds {
		timeout = float64(c.rt.defaultSocketTimeout())
	}
	d.Timeout = timeoutDuration(timeout)
	s, err := d.Dial(background, address)
	if err != nil {
		v, err := c.connectFailed(err, errnoRef, errstrRef, addSlashes(address))
		if thrown != nil && err == nil {
			return nil, thrown
		}
		return v, err
	}
	if thrown != nil {
		s.Close()
		return nil, thrown
	}
	c.rt.initStream(s)
	r := newStreamResource(s, persistent, key)
	r.ctx = ctx
	if persistent {
		c.rt.storePersistent(key, r)
	}
	return r, nil
}

// connectFailed reports a failed connect as PHP does: errno and (when PHP
// has one) errstr through the references, then "Unable to connect to
// <shown> (<text>)"; a ValueError from the TLS setup is thrown instead.
func (c *call) connectFailed(err error, errnoRef, errstrRef *Ref, shown string) (Value, error) {
	var ve *phpstream.CryptoValueError
	if errors.As(err, &ve) {
		return nil, &Error{Class: "ValueError", Message: ve.Message}
	}
	var oe *phpstream.OpError
	if !errors.As(err, &oe) {
		oe = &phpstream.OpError{Err: err} // no errno and no text: PHP's "Unknown error"
	}
	setRef(errnoRef, int64(oe.Errno))
	text := oe.Text
	if text != "" {
		setRef(errstrRef, text)
	} else {
		text = "Unknown error"
	}
	c.rt.warn(c.fn, EWarning, "Unable to connect to "+shown+" ("+text+")")
	return false, nil
}

// capturePeer stores what capture_peer_cert and capture_peer_cert_chain
// ask for in the context, as PHP does (also when verification then fails).
func capturePeer(ctx *phpstream.Context, info *phpstream.CryptoInfo) {
	if ctx == nil {
		return
	}
	if info.PeerCertificate != nil {
		ctx.SetOption("ssl", "peer_certificate", &Object{Class: "OpenSSLCertificate", Data: info.PeerCertificate})
	}
	if info.PeerCertificateChain != nil {
		chain := NewArray()
		for _, c := range info.PeerCertificateChain {
			chain.Append(&Object{Class: "OpenSSLCertificate", Data: c})
		}
		ctx.SetOption("ssl", "peer_certificate_chain", chain)
	}
}

// maxTimeoutSeconds is UINT64_MAX microseconds in seconds: the largest
// timeout PHP converts.
const maxTimeoutSeconds = 18446744073709.551615

// fsockTimeout is fsockopen's timeout: -1 waits forever (recorded:
// connect/timeout-fsockopen-minus-one-*).
func fsockTimeout(timeout float64) time.Duration {
	return timeoutDuration(timeout)
}

// dialer returns a Dialer wired to the runtime's profile, hooks, working
// directory and diagnostics (prefixed with the PHP function fn).
func (rt *Runtime) dialer(fn string) *phpstream.Dialer {
	rt.mu.Lock()
	d := &phpstream.Dialer{Profile: rt.profile, Resolver: rt.dialHooks.Resolver, Control: rt.dialHooks.Control, Dir: rt.dir,
		CAFile: rt.ini["openssl.cafile"], CAPath: rt.ini["openssl.capath"]}
	rt.mu.Unlock()
	d.Diagnostics = rt.prefixedBy(fn)
	return d
}

// initStream applies the runtime's settings to a new stream: its timeout
// starts as default_socket_timeout.
func (rt *Runtime) initStream(s *phpstream.Stream) {
	sec := rt.defaultSocketTimeout()
	if sec < 0 {
		s.SetTimeout(-1)
	} else {
		s.SetTimeout(time.Duration(sec) * time.Second)
	}
}

// reusePersistent returns the live persistent stream stored under key, or
// nil. A dead one is closed and forgotten, as PHP's liveness check does.
func (rt *Runtime) reusePersistent(key string) *Resource {
	rt.mu.Lock()
	r, ok := rt.persistent[key]
	rt.mu.Unlock()
	if !ok {
		return nil
	}
	if !r.closed.Load() && r.stream != nil && r.stream.Alive() {
		return r
	}
	rt.mu.Lock()
	if rt.persistent[key] == r {
		delete(rt.persistent, key)
	}
	rt.mu.Unlock()
	r.close()
	return nil
}

func (rt *Runtime) storePersistent(key string, r *Resource) {
	rt.mu.Lock()
	old := rt.persistent[key]
	rt.persistent[key] = r
	rt.mu.Unlock()
	if old != nil && old != r {
		old.close()
	}
}

// setRef writes v through a by-reference argument, if one was passed.
func setRef(r *Ref, v Value) {
	if r != nil {
		r.V = v
	}
}

// addSlashes is PHP's addslashes: quote, double quote and backslash get a
// backslash, NUL becomes \0.
func addSlashes(s string) string {
	if !strings.ContainsAny(s, "'\"\\\x00") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case 0:
			b.WriteString(`\0`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// cString cuts s at its first NUL, as a C "%s" prints a PHP string.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}
