package compat

// The typed socket functions: connecting, serving, addresses, shutdown,
// datagrams and TLS (see typed.go for the conventions).

// Fsockopen is PHP's
//
//	fsockopen(string $hostname, int $port = -1, &$error_code = null,
//	    &$error_message = null, ?float $timeout = null): resource|false
//
// timeout DefaultTimeout is PHP's null (default_socket_timeout); -1 waits
// forever. A nil resource is PHP's false; the warning went to the
// diagnostics sink.
func (rt *Runtime) Fsockopen(hostname string, port int, errno *int, errstr *string, timeout float64) (*Resource, error) {
	return rt.typedConnect("fsockopen", hostname, port, errno, errstr, timeout)
}

// Pfsockopen is PHP's pfsockopen, fsockopen's persistent twin: same
// signature, a stream that outlives its fclose until Runtime.Close.
func (rt *Runtime) Pfsockopen(hostname string, port int, errno *int, errstr *string, timeout float64) (*Resource, error) {
	return rt.typedConnect("pfsockopen", hostname, port, errno, errstr, timeout)
}

func (rt *Runtime) typedConnect(fn, hostname string, port int, errno *int, errstr *string, timeout float64) (*Resource, error) {
	e, s := intRef(errno), stringRef(errstr)
	v, err := rt.Call(fn, hostname, int64(port), refArg(e), refArg(s), timeoutArg(timeout))
	outInt(e, errno)
	outString(s, errstr)
	return resourceResult(v, err)
}

// StreamSocketClient is PHP's
//
//	stream_socket_client(string $address, &$error_code = null,
//	    &$error_message = null, ?float $timeout = null,
//	    int $flags = STREAM_CLIENT_CONNECT, ?resource $context = null): resource|false
//
// timeout DefaultTimeout is PHP's null; context nil is PHP's null (the
// default context).
func (rt *Runtime) StreamSocketClient(address string, errno *int, errstr *string, timeout float64, flags ClientFlags, context *Resource) (*Resource, error) {
	e, s := intRef(errno), stringRef(errstr)
	v, err := rt.Call("stream_socket_client", address, refArg(e), refArg(s), timeoutArg(timeout), int64(flags), nullableRes(context))
	outInt(e, errno)
	outString(s, errstr)
	return resourceResult(v, err)
}

// StreamSocketServer is PHP's
//
//	stream_socket_server(string $address, &$error_code = null,
//	    &$error_message = null, int $flags = STREAM_SERVER_BIND | STREAM_SERVER_LISTEN,
//	    ?resource $context = null): resource|false
//
// context nil is PHP's null (the default context). The listener behind
// the resource is srv.Stream().Listener().
func (rt *Runtime) StreamSocketServer(address string, errno *int, errstr *string, flags ServerFlags, context *Resource) (*Resource, error) {
	e, s := intRef(errno), stringRef(errstr)
	v, err := rt.Call("stream_socket_server", address, refArg(e), refArg(s), int64(flags), nullableRes(context))
	outInt(e, errno)
	outString(s, errstr)
	return resourceResult(v, err)
}

// StreamSocketAccept is PHP's
//
//	stream_socket_accept(resource $socket, ?float $timeout = null,
//	    &$peer_name = null): resource|false
//
// timeout DefaultTimeout is PHP's null (default_socket_timeout); peerName
// nil asks for no peer name. A nil resource is PHP's false (the accept
// timed out or failed, with PHP's warning).
func (rt *Runtime) StreamSocketAccept(socket *Resource, timeout float64, peerName *string) (*Resource, error) {
	p := stringRef(peerName)
	v, err := rt.Call("stream_socket_accept", resArg(socket), timeoutArg(timeout), refArg(p))
	outString(p, peerName)
	return resourceResult(v, err)
}

// StreamSocketGetName is PHP's
//
//	stream_socket_get_name(resource $socket, bool $remote): string|false
func (rt *Runtime) StreamSocketGetName(socket *Resource, remote bool) (string, bool, error) {
	return stringOrFalse(rt.Call("stream_socket_get_name", resArg(socket), remote))
}

// StreamSocketShutdown is PHP's
//
//	stream_socket_shutdown(resource $stream, int $mode): bool
//
// A mode other than STREAM_SHUT_RD, STREAM_SHUT_WR and STREAM_SHUT_RDWR
// is PHP's ValueError.
func (rt *Runtime) StreamSocketShutdown(stream *Resource, mode ShutdownMode) (bool, error) {
	return boolResult(rt.Call("stream_socket_shutdown", resArg(stream), int64(mode)))
}

// StreamSocketPair is PHP's
//
//	stream_socket_pair(int $domain, int $type, int $protocol): array|false
//
// The two connected streams are returned in PHP's order; ok is false
// where PHP returns false (after its warning).
func (rt *Runtime) StreamSocketPair(domain ProtocolFamily, typ SocketType, protocol IPProtocol) ([]*Resource, bool, error) {
	v, err := rt.Call("stream_socket_pair", int64(domain), int64(typ), int64(protocol))
	if err != nil {
		return nil, false, err
	}
	a, ok := v.(*Array)
	if !ok {
		return nil, false, nil
	}
	return resourceList(a), true, nil
}

// StreamSocketRecvfrom is PHP's
//
//	stream_socket_recvfrom(resource $socket, int $length, int $flags = 0,
//	    &$address = null): string|false
//
// Both optional parameters are given: flags 0 is PHP's default, address
// nil asks for no address. PHP sets $address to null before it reads; the
// Go string is then "".
func (rt *Runtime) StreamSocketRecvfrom(socket *Resource, length int, flags MessageFlags, address *string) (string, bool, error) {
	a := stringRef(address)
	v, err := rt.Call("stream_socket_recvfrom", resArg(socket), int64(length), int64(flags), refArg(a))
	outString(a, address)
	return stringOrFalse(v, err)
}

// StreamSocketSendto is PHP's
//
//	stream_socket_sendto(resource $socket, string $data, int $flags = 0,
//	    string $address = ""): int|false
//
// Both optional parameters are given: flags 0 and address "" are PHP's
// defaults. PHP returns -1 (not false) for a failed send.
func (rt *Runtime) StreamSocketSendto(socket *Resource, data string, flags MessageFlags, address string) (int, bool, error) {
	return intOrFalse(rt.Call("stream_socket_sendto", resArg(socket), data, int64(flags), address))
}

// StreamSocketEnableCrypto is PHP's
//
//	stream_socket_enable_crypto(resource $stream, bool $enable,
//	    ?int $crypto_method = null, ?resource $session_stream = null): int|bool
//
// cryptoMethod NullInt is PHP's null (the ssl context's crypto_method);
// sessionStream nil is PHP's null. PHP returns true, false, or 0 while
// the handshake of a non-blocking stream is still going on: ok is PHP's
// true, pending PHP's 0 (call again), and both are false for PHP's false.
// As in PHP, ok is false for both 0 and false, so `if !ok` tests what
// PHP's `if (!stream_socket_enable_crypto(...))` tests.
func (rt *Runtime) StreamSocketEnableCrypto(stream *Resource, enable bool, cryptoMethod CryptoMethod, sessionStream *Resource) (ok, pending bool, err error) {
	v, err := rt.Call("stream_socket_enable_crypto", resArg(stream), enable, nullableInt(int(cryptoMethod)), nullableRes(sessionStream))
	if err != nil {
		return false, false, err
	}
	return v == true, v == int64(0), nil
}
