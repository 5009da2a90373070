package compat

import (
	"errors"

	"github.com/phpsock/phpsock/phpstream"
)

// stream_socket_enable_crypto(resource $stream, bool $enable,
// ?int $crypto_method = null, ?resource $session_stream = null): int|bool
func streamSocketEnableCrypto(c *call) (Value, error) {
	if err := c.arity(2, 4); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	enable, _, err := c.boolean(1, param{name: "enable"})
	if err != nil {
		return nil, err
	}
	method, haveMethod := int64(0), false
	if c.has(2) {
		if method, haveMethod, err = c.integer(2, param{name: "crypto_method", nullable: true}); err != nil {
			return nil, err
		}
	}
	// $session_stream: ?resource; a stream without TLS only warns.
	if c.has(3) {
		switch ss := c.arg(3).(type) {
		case nil:
		case *Resource:
			if ss.kind != kindStream || ss.closed.Load() || ss.stream == nil {
				return nil, &Error{Class: "TypeError", Message: c.fn + "(): supplied resource is not a valid stream resource"}
			}
			if enable && ss.stream.Crypto() == nil {
				c.rt.warn(c.fn, EWarning, phpstream.ErrCryptoNotInitialized.Error())
			}
		default:
			return nil, &Error{Class: "TypeError", Message: c.fn + "(): Argument #4 ($session_stream) must be of type resource or null, " + typeName(ss) + " given"}
		}
	}
	if !enable {
		if !r.stream.SupportsCrypto() {
			// PHP_STREAM_OPTION_CRYPTO_API unimplemented: the warning, then
			// the -2 that stream_socket_enable_crypto turns into true
			// (recorded: memory/socket-functions-memory).
			c.rt.warn(c.fn, EWarning, phpstream.ErrCryptoUnsupported.Error())
			return true, nil
		}
		r.stream.DisableCrypto()
		return false, nil
	}
	if !haveMethod {
		// The context's crypto_method, raw: no client bit is added here.
		v, ok := r.contextOption("ssl", "crypto_method")
		if !ok {
			return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #3 ($crypto_method) must be specified when enabling encryption"}
		}
		// PHP reads the option's integer without converting it: anything
		// but an int lacks the client bit (recorded:
		// crypto/method-from-context-string).
		method, _ = v.(int64)
	}
	// Server role (*_SERVER methods, no client bit): the server half in
	// compat/server.go.
	if method&1 == 0 {
		return serverEnableCrypto(c, r, method)
	}
	d := c.rt.dialer(c.fn)
	opts := phpstream.TLSClientOptions{Context: r.ctx, IniCAFile: d.CAFile, IniCAPath: d.CAPath, Dir: d.Dir}
	info, done, err := r.stream.EnableCrypto(background, method, opts)
	return c.cryptoResult(r, info, done, err)
}

// cryptoResult turns an enable's outcome into PHP's return: 0 while a
// non-blocking handshake goes on, true, false with or without a warning,
// or a ValueError from the setup. Captured certificates go to the context.
func (c *call) cryptoResult(r *Resource, info *phpstream.CryptoInfo, done bool, err error) (Value, error) {
	c.rt.raiseQueued(c.fn, r) // the handshake's warnings come first
	if info != nil {
		capturePeer(r.ctx, info)
	}
	switch {
	case !done:
		return int64(0), nil
	case err == nil:
		return true, nil
	case errors.Is(err, phpstream.ErrCryptoSilent):
		return false, nil
	}
	var ve *phpstream.CryptoValueError
	if errors.As(err, &ve) {
		return nil, &Error{Class: "ValueError", Message: ve.Message}
	}
	// PHP's own checks (ErrCryptoUnsupported, ErrCryptoActive,
	// ErrBadDescriptor) carry their warning as Text; a failed handshake's
	// warnings went to the diagnostics.
	var oe *phpstream.OpError
	if errors.As(err, &oe) && oe.Text != "" {
		c.rt.warn(c.fn, EWarning, oe.Text)
	}
	return false, nil
}

// contextOption reads an option of the stream's context.
func (r *Resource) contextOption(wrapper, name string) (any, bool) {
	if r.ctx == nil {
		return nil, false
	}
	return r.ctx.Option(wrapper, name)
}

func init() { functions["stream_socket_enable_crypto"] = streamSocketEnableCrypto }
