package compat

import (
	"path/filepath"
	"strconv"
)

// typedCases are the calls TestTypedIsCall makes both ways, at least one
// per function of Functions(), with a failure where one is possible.
func typedCases() []typedCase {
	type R = Runtime
	type E = typedEnv
	ca := filepath.Join(certDir, "ca.pem")
	f := func(e *E, name string) string { return filepath.Join(e.dir, name) }
	return []typedCase{
		// Connecting.
		{fn: "fsockopen", name: "ok", outs: 2,
			typed: func(rt *R, e *E) []any {
				var errno int
				errstr := "before"
				r, err := rt.Fsockopen("127.0.0.1", e.port, &errno, &errstr, 5)
				return res(r, err, errno, errstr)
			},
			call: func(rt *R, e *E) []any {
				en, es := &Ref{V: int64(0)}, &Ref{V: "before"}
				v, err := rt.Call("fsockopen", "127.0.0.1", int64(e.port), en, es, 5.0)
				return res(v, err, en, es)
			}},
		{fn: "fsockopen", name: "refused", outs: 2,
			typed: func(rt *R, e *E) []any {
				var errno int
				var errstr string
				r, err := rt.Fsockopen("127.0.0.1", e.refused, &errno, &errstr, DefaultTimeout)
				return res(r, err, errno, errstr)
			},
			call: func(rt *R, e *E) []any {
				en, es := &Ref{V: int64(0)}, &Ref{V: ""}
				v, err := rt.Call("fsockopen", "127.0.0.1", int64(e.refused), en, es, nil)
				return res(v, err, en, es)
			}},
		{fn: "fsockopen", name: "timeout-value-error",
			typed: func(rt *R, e *E) []any { return res(rt.Fsockopen("127.0.0.1", e.port, nil, nil, -5)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fsockopen", "127.0.0.1", int64(e.port), nil, nil, -5.0)) }},
		{fn: "pfsockopen", name: "ok-then-refused", outs: 1,
			typed: func(rt *R, e *E) []any {
				var errno int
				rt.Pfsockopen("127.0.0.1", e.port, nil, nil, 5)
				r, err := rt.Pfsockopen("127.0.0.1", e.refused, &errno, nil, 5)
				return res(r, err, errno)
			},
			call: func(rt *R, e *E) []any {
				en := &Ref{V: int64(0)}
				rt.Call("pfsockopen", "127.0.0.1", int64(e.port), nil, nil, 5.0)
				v, err := rt.Call("pfsockopen", "127.0.0.1", int64(e.refused), en, nil, 5.0)
				return res(v, err, en)
			}},
		{fn: "stream_socket_client", name: "ok-context",
			typed: func(rt *R, e *E) []any {
				return res(rt.StreamSocketClient("tcp://"+e.addr, nil, nil, DefaultTimeout, STREAM_CLIENT_CONNECT, e.ctx))
			},
			call: func(rt *R, e *E) []any {
				return res(rt.Call("stream_socket_client", "tcp://"+e.addr, nil, nil, nil, int64(STREAM_CLIENT_CONNECT), e.ctx))
			}},
		{fn: "stream_socket_client", name: "bad-address", outs: 2,
			typed: func(rt *R, e *E) []any {
				var errno int
				var errstr string
				r, err := rt.StreamSocketClient("tcp://[::1", &errno, &errstr, 1, STREAM_CLIENT_CONNECT, nil)
				return res(r, err, errno, errstr)
			},
			call: func(rt *R, e *E) []any {
				en, es := &Ref{V: int64(0)}, &Ref{V: ""}
				v, err := rt.Call("stream_socket_client", "tcp://[::1", en, es, 1.0, int64(4), nil)
				return res(v, err, en, es)
			}},
		{fn: "stream_socket_server", name: "ok",
			typed: func(rt *R, e *E) []any {
				return res(rt.StreamSocketServer("tcp://127.0.0.1:0", nil, nil, STREAM_SERVER_BIND|STREAM_SERVER_LISTEN, nil))
			},
			call: func(rt *R, e *E) []any {
				return res(rt.Call("stream_socket_server", "tcp://127.0.0.1:0", nil, nil, int64(12), nil))
			}},
		{fn: "stream_socket_server", name: "in-use", outs: 2,
			typed: func(rt *R, e *E) []any {
				var errno int
				var errstr string
				r, err := rt.StreamSocketServer("tcp://"+e.addr, &errno, &errstr, STREAM_SERVER_BIND|STREAM_SERVER_LISTEN, e.ctx)
				return res(r, err, errno, errstr)
			},
			call: func(rt *R, e *E) []any {
				en, es := &Ref{V: int64(0)}, &Ref{V: ""}
				v, err := rt.Call("stream_socket_server", "tcp://"+e.addr, en, es, int64(12), e.ctx)
				return res(v, err, en, es)
			}},
		{fn: "stream_socket_accept", name: "ok", outs: 1,
			typed: func(rt *R, e *E) []any {
				name, _, _ := rt.StreamSocketGetName(e.srv, false)
				rt.StreamSocketClient("tcp://"+name, nil, nil, 5, STREAM_CLIENT_CONNECT, nil)
				var peer string
				r, err := rt.StreamSocketAccept(e.srv, 5, &peer)
				return res(r, err, peer)
			},
			call: func(rt *R, e *E) []any {
				name, _ := rt.Call("stream_socket_get_name", e.srv, false)
				rt.Call("stream_socket_client", "tcp://"+name.(string), nil, nil, 5.0)
				p := &Ref{}
				v, err := rt.Call("stream_socket_accept", e.srv, 5.0, p)
				return res(v, err, p)
			}},
		{fn: "stream_socket_accept", name: "timeout", outs: 1,
			typed: func(rt *R, e *E) []any {
				peer := "kept"
				r, err := rt.StreamSocketAccept(e.srv, 0, &peer)
				return res(r, err, peer)
			},
			call: func(rt *R, e *E) []any {
				p := &Ref{V: "kept"}
				v, err := rt.Call("stream_socket_accept", e.srv, 0.0, p)
				return res(v, err, p)
			}},
		{fn: "stream_socket_accept", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSocketAccept(e.closed, DefaultTimeout, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_socket_accept", e.closed)) }},
		{fn: "stream_socket_get_name", name: "remote",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSocketGetName(e.sock, true)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_socket_get_name", e.sock, true)) }},
		{fn: "stream_socket_get_name", name: "memory",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSocketGetName(e.mem, false)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_socket_get_name", e.mem, false)) }},
		{fn: "stream_socket_shutdown", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSocketShutdown(e.sock, STREAM_SHUT_WR)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_socket_shutdown", e.sock, int64(1))) }},
		{fn: "stream_socket_shutdown", name: "bad-mode",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSocketShutdown(e.sock, 7)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_socket_shutdown", e.sock, int64(7))) }},
		{fn: "stream_socket_pair", name: "ok",
			typed: func(rt *R, e *E) []any {
				return res(rt.StreamSocketPair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP))
			},
			call: func(rt *R, e *E) []any { return res(rt.Call("stream_socket_pair", int64(1), int64(1), int64(0))) }},
		{fn: "stream_socket_pair", name: "bad-domain",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSocketPair(99, STREAM_SOCK_STREAM, 0)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_socket_pair", int64(99), int64(1), int64(0))) }},
		{fn: "stream_socket_recvfrom", name: "ok", outs: 1,
			typed: func(rt *R, e *E) []any {
				rt.Fwrite(e.pair[1], "hi")
				addr := "x"
				s, ok, err := rt.StreamSocketRecvfrom(e.pair[0], 10, STREAM_PEEK, &addr)
				return res(s, ok, err, addr)
			},
			call: func(rt *R, e *E) []any {
				rt.Call("fwrite", e.pair[1], "hi")
				a := &Ref{V: "x"}
				v, err := rt.Call("stream_socket_recvfrom", e.pair[0], int64(10), int64(2), a)
				return res(v, err, a)
			}},
		{fn: "stream_socket_recvfrom", name: "zero-length",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSocketRecvfrom(e.pair[0], 0, 0, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_socket_recvfrom", e.pair[0], int64(0))) }},
		{fn: "stream_socket_sendto", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSocketSendto(e.pair[0], "hi", 0, "")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_socket_sendto", e.pair[0], "hi")) }},
		{fn: "stream_socket_sendto", name: "bad-address",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSocketSendto(e.sock, "hi", 0, "nowhere")) },
			call: func(rt *R, e *E) []any {
				return res(rt.Call("stream_socket_sendto", e.sock, "hi", int64(0), "nowhere"))
			}},
		{fn: "stream_socket_enable_crypto", name: "starttls",
			typed: func(rt *R, e *E) []any {
				ctx, _ := rt.StreamContextCreate(Options{"ssl": {"cafile": ca}}, nil)
				s, _ := rt.StreamSocketClient("tcp://"+e.tlsAddr, nil, nil, 5, STREAM_CLIENT_CONNECT, ctx)
				ok, pending, err := rt.StreamSocketEnableCrypto(s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT, nil)
				return res(pv{cryptoValue(ok, pending)}, err)
			},
			call: func(rt *R, e *E) []any {
				ctx, _ := rt.Call("stream_context_create", Options{"ssl": {"cafile": ca}}.Array())
				s, _ := rt.Call("stream_socket_client", "tcp://"+e.tlsAddr, nil, nil, 5.0, int64(4), ctx)
				return res(rt.Call("stream_socket_enable_crypto", s, true, int64(121)))
			}},
		{fn: "stream_socket_enable_crypto", name: "untrusted",
			typed: func(rt *R, e *E) []any {
				s, _ := rt.StreamSocketClient("tcp://"+e.tlsAddr, nil, nil, 5, STREAM_CLIENT_CONNECT, nil)
				ok, pending, err := rt.StreamSocketEnableCrypto(s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT, nil)
				return res(pv{cryptoValue(ok, pending)}, err)
			},
			call: func(rt *R, e *E) []any {
				s, _ := rt.Call("stream_socket_client", "tcp://"+e.tlsAddr, nil, nil, 5.0, int64(4), nil)
				return res(rt.Call("stream_socket_enable_crypto", s, true, int64(121)))
			}},
		{fn: "stream_socket_enable_crypto", name: "no-method",
			typed: func(rt *R, e *E) []any {
				ok, pending, err := rt.StreamSocketEnableCrypto(e.sock, true, NullInt, nil)
				return res(pv{cryptoValue(ok, pending)}, err)
			},
			call: func(rt *R, e *E) []any { return res(rt.Call("stream_socket_enable_crypto", e.sock, true)) }},
		{fn: "stream_socket_enable_crypto", name: "disable-memory",
			typed: func(rt *R, e *E) []any {
				ok, pending, err := rt.StreamSocketEnableCrypto(e.mem, false, NullInt, nil)
				return res(pv{cryptoValue(ok, pending)}, err)
			},
			call: func(rt *R, e *E) []any { return res(rt.Call("stream_socket_enable_crypto", e.mem, false)) }},

		// Reading and writing.
		{fn: "fclose", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Fclose(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fclose", e.mem)) }},
		{fn: "fclose", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.Fclose(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fclose", e.closed)) }},
		{fn: "fwrite", name: "length",
			typed: func(rt *R, e *E) []any { return res(rt.Fwrite(e.mem2, "abcdef", 3)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fwrite", e.mem2, "abcdef", int64(3))) }},
		{fn: "fwrite", name: "null-length",
			typed: func(rt *R, e *E) []any { return res(rt.Fwrite(e.mem2, "abcdef", NullInt)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fwrite", e.mem2, "abcdef", nil)) }},
		{fn: "fwrite", name: "too-many",
			typed: func(rt *R, e *E) []any { return res(rt.Fwrite(e.mem2, "abc", 1, 2)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fwrite", e.mem2, "abc", int64(1), int64(2))) }},
		{fn: "fwrite", name: "false",
			typed: func(rt *R, e *E) []any { return res(rt.Fwrite(nil, "abc")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fwrite", false, "abc")) }},
		{fn: "fputs", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Fputs(e.mem2, "abc")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fputs", e.mem2, "abc")) }},
		{fn: "fputs", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.Fputs(e.closed, "abc")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fputs", e.closed, "abc")) }},
		{fn: "fread", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Fread(e.mem, 5)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fread", e.mem, int64(5))) }},
		{fn: "fread", name: "zero",
			typed: func(rt *R, e *E) []any { return res(rt.Fread(e.mem, 0)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fread", e.mem, int64(0))) }},
		{fn: "fgets", name: "socket",
			typed: func(rt *R, e *E) []any { return res(rt.Fgets(e.sock)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fgets", e.sock)) }},
		{fn: "fgets", name: "length",
			typed: func(rt *R, e *E) []any { return res(rt.Fgets(e.mem, 3)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fgets", e.mem, int64(3))) }},
		{fn: "fgets", name: "eof",
			typed: func(rt *R, e *E) []any { return res(rt.Fgets(e.mem2)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fgets", e.mem2)) }},
		{fn: "fgets", name: "too-many",
			typed: func(rt *R, e *E) []any { return res(rt.Fgets(e.mem, 1, 2)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fgets", e.mem, int64(1), int64(2))) }},
		{fn: "fgetc", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Fgetc(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fgetc", e.mem)) }},
		{fn: "fgetc", name: "eof",
			typed: func(rt *R, e *E) []any { return res(rt.Fgetc(e.mem2)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fgetc", e.mem2)) }},
		{fn: "feof", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Feof(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("feof", e.mem)) }},
		{fn: "feof", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.Feof(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("feof", e.closed)) }},
		{fn: "fflush", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Fflush(e.sock)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fflush", e.sock)) }},
		{fn: "fflush", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.Fflush(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fflush", e.closed)) }},
		{fn: "stream_get_line", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamGetLine(e.mem, 100, "\n")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_get_line", e.mem, int64(100), "\n")) }},
		{fn: "stream_get_line", name: "negative",
			typed: func(rt *R, e *E) []any { return res(rt.StreamGetLine(e.mem, -1)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_get_line", e.mem, int64(-1))) }},
		{fn: "stream_get_contents", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamGetContents(e.mem, NullInt, -1)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_get_contents", e.mem)) }},
		{fn: "stream_get_contents", name: "offset-socket",
			typed: func(rt *R, e *E) []any { return res(rt.StreamGetContents(e.sock, 3, 2)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_get_contents", e.sock, int64(3), int64(2))) }},
		{fn: "stream_get_contents", name: "bad-length",
			typed: func(rt *R, e *E) []any { return res(rt.StreamGetContents(e.mem, -2, -1)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_get_contents", e.mem, int64(-2))) }},
		{fn: "fpassthru", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Fpassthru(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fpassthru", e.mem)) }},
		{fn: "fpassthru", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.Fpassthru(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fpassthru", e.closed)) }},
		{fn: "fseek", name: "end",
			typed: func(rt *R, e *E) []any { return res(rt.Fseek(e.mem, -2, SEEK_END)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fseek", e.mem, int64(-2), int64(2))) }},
		{fn: "fseek", name: "socket",
			typed: func(rt *R, e *E) []any { return res(rt.Fseek(e.sock, 1)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fseek", e.sock, int64(1))) }},
		{fn: "rewind", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Rewind(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("rewind", e.mem)) }},
		{fn: "rewind", name: "socket",
			typed: func(rt *R, e *E) []any { return res(rt.Rewind(e.sock)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("rewind", e.sock)) }},
		{fn: "ftell", name: "ok",
			typed: func(rt *R, e *E) []any { rt.Fgetc(e.mem); return res(rt.Ftell(e.mem)) },
			call:  func(rt *R, e *E) []any { rt.Call("fgetc", e.mem); return res(rt.Call("ftell", e.mem)) }},
		{fn: "ftell", name: "failed-seek",
			typed: func(rt *R, e *E) []any { rt.Fseek(e.mem, -100, SEEK_CUR); return res(rt.Ftell(e.mem)) },
			call: func(rt *R, e *E) []any {
				rt.Call("fseek", e.mem, int64(-100), int64(1))
				return res(rt.Call("ftell", e.mem))
			}},
		{fn: "ftruncate", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Ftruncate(e.mem, 2)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("ftruncate", e.mem, int64(2))) }},
		{fn: "ftruncate", name: "socket",
			typed: func(rt *R, e *E) []any { return res(rt.Ftruncate(e.sock, 2)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("ftruncate", e.sock, int64(2))) }},
		{fn: "ftruncate", name: "negative",
			typed: func(rt *R, e *E) []any { return res(rt.Ftruncate(e.mem, -1)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("ftruncate", e.mem, int64(-1))) }},
		{fn: "fstat", name: "memory",
			typed: func(rt *R, e *E) []any { return res(rt.Fstat(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fstat", e.mem)) }},
		{fn: "fstat", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.Fstat(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fstat", e.closed)) }},
		{fn: "stream_copy_to_stream", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamCopyToStream(e.mem, e.mem2, NullInt, 1)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_copy_to_stream", e.mem, e.mem2, nil, int64(1))) }},
		{fn: "stream_copy_to_stream", name: "offset-socket",
			typed: func(rt *R, e *E) []any { return res(rt.StreamCopyToStream(e.sock, e.mem2, 3, 1)) },
			call: func(rt *R, e *E) []any {
				return res(rt.Call("stream_copy_to_stream", e.sock, e.mem2, int64(3), int64(1)))
			}},

		// Timeouts, blocking, buffers.
		{fn: "stream_set_timeout", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSetTimeout(e.sock, 1, 500)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_set_timeout", e.sock, int64(1), int64(500))) }},
		{fn: "stream_set_timeout", name: "memory",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSetTimeout(e.mem, 1)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_set_timeout", e.mem, int64(1))) }},
		{fn: "socket_set_timeout", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.SocketSetTimeout(e.sock, 2)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("socket_set_timeout", e.sock, int64(2))) }},
		{fn: "socket_set_timeout", name: "too-many",
			typed: func(rt *R, e *E) []any { return res(rt.SocketSetTimeout(e.sock, 2, 0, 0)) },
			call: func(rt *R, e *E) []any {
				return res(rt.Call("socket_set_timeout", e.sock, int64(2), int64(0), int64(0)))
			}},
		{fn: "stream_set_blocking", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSetBlocking(e.sock, false)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_set_blocking", e.sock, false)) }},
		{fn: "stream_set_blocking", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSetBlocking(e.closed, false)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_set_blocking", e.closed, false)) }},
		{fn: "socket_set_blocking", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.SocketSetBlocking(e.sock, true)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("socket_set_blocking", e.sock, true)) }},
		{fn: "socket_set_blocking", name: "false",
			typed: func(rt *R, e *E) []any { return res(rt.SocketSetBlocking(nil, true)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("socket_set_blocking", false, true)) }},
		{fn: "stream_set_chunk_size", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSetChunkSize(e.sock, 100)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_set_chunk_size", e.sock, int64(100))) }},
		{fn: "stream_set_chunk_size", name: "zero",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSetChunkSize(e.sock, 0)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_set_chunk_size", e.sock, int64(0))) }},
		{fn: "stream_set_read_buffer", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSetReadBuffer(e.sock, 0)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_set_read_buffer", e.sock, int64(0))) }},
		{fn: "stream_set_read_buffer", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSetReadBuffer(e.closed, 0)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_set_read_buffer", e.closed, int64(0))) }},
		{fn: "stream_set_write_buffer", name: "socket",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSetWriteBuffer(e.sock, 0)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_set_write_buffer", e.sock, int64(0))) }},

		// Questions about a stream.
		{fn: "stream_is_local", name: "memory",
			typed: func(rt *R, e *E) []any { return res(rt.StreamIsLocal(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_is_local", e.mem)) }},
		{fn: "stream_is_local", name: "url",
			typed: func(rt *R, e *E) []any { return res(rt.StreamIsLocalURL("http://example.com/")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_is_local", "http://example.com/")) }},
		{fn: "stream_is_local", name: "socket",
			typed: func(rt *R, e *E) []any { return res(rt.StreamIsLocal(e.sock)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_is_local", e.sock)) }},
		{fn: "stream_isatty", name: "buffered",
			typed: func(rt *R, e *E) []any { rt.Fgetc(e.mem); return res(rt.StreamIsatty(e.mem)) },
			call:  func(rt *R, e *E) []any { rt.Call("fgetc", e.mem); return res(rt.Call("stream_isatty", e.mem)) }},
		{fn: "stream_supports_lock", name: "memory",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSupportsLock(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_supports_lock", e.mem)) }},
		{fn: "stream_supports_lock", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSupportsLock(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_supports_lock", e.closed)) }},
		{fn: "get_resource_type", name: "context",
			typed: func(rt *R, e *E) []any { return res(rt.GetResourceType(e.ctx)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("get_resource_type", e.ctx)) }},
		{fn: "get_resource_type", name: "false",
			typed: func(rt *R, e *E) []any { return res(rt.GetResourceType(nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("get_resource_type", false)) }},
		{fn: "is_resource", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.IsResource(e.sock)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("is_resource", e.sock)) }},
		{fn: "is_resource", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.IsResource(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("is_resource", e.closed)) }},
		{fn: "stream_get_meta_data", name: "socket",
			typed: func(rt *R, e *E) []any { rt.Fgetc(e.sock); return res(rt.StreamGetMetaData(e.sock)) },
			call:  func(rt *R, e *E) []any { rt.Call("fgetc", e.sock); return res(rt.Call("stream_get_meta_data", e.sock)) }},
		{fn: "stream_get_meta_data", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.StreamGetMetaData(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_get_meta_data", e.closed)) }},
		{fn: "socket_get_status", name: "memory",
			typed: func(rt *R, e *E) []any { return res(rt.SocketGetStatus(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("socket_get_status", e.mem)) }},
		{fn: "socket_get_status", name: "false",
			typed: func(rt *R, e *E) []any { return res(rt.SocketGetStatus(nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("socket_get_status", false)) }},

		// Contexts.
		{fn: "stream_context_create", name: "options-params",
			typed: func(rt *R, e *E) []any {
				c, err := rt.StreamContextCreate(Options{"ssl": {"verify_peer": false}}, &ContextParams{Options: Options{"socket": {"bindto": "0:0"}}})
				o, _ := rt.StreamContextGetOptions(c)
				return res(pv{Value(o.Array())}, err)
			},
			call: func(rt *R, e *E) []any {
				params := NewArray()
				params.Set("options", Options{"socket": {"bindto": "0:0"}}.Array())
				c, err := rt.Call("stream_context_create", Options{"ssl": {"verify_peer": false}}.Array(), params)
				o, _ := rt.Call("stream_context_get_options", c)
				return res(o, err)
			}},
		{fn: "stream_context_set_option", name: "ok",
			typed: func(rt *R, e *E) []any {
				ok, err := rt.StreamContextSetOption(e.ctx, "ssl", "crypto_method", STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT)
				o, _ := rt.StreamContextGetOptions(e.ctx)
				return res(pv{NewList(ok, o.Array())}, err)
			},
			call: func(rt *R, e *E) []any {
				ok, err := rt.Call("stream_context_set_option", e.ctx, "ssl", "crypto_method", int64(33))
				o, _ := rt.Call("stream_context_get_options", e.ctx)
				return res(NewList(ok, o), err)
			}},
		{fn: "stream_context_set_option", name: "array",
			typed: func(rt *R, e *E) []any {
				ok, err := rt.StreamContextSetOptions(e.sock, Options{"ssl": {"a": 1, "b": []string{"x"}}})
				o, _ := rt.StreamContextGetOptions(e.sock)
				return res(pv{NewList(ok, o.Array())}, err)
			},
			call: func(rt *R, e *E) []any {
				ok, err := rt.Call("stream_context_set_option", e.sock, Options{"ssl": {"a": int64(1), "b": NewList("x")}}.Array())
				o, _ := rt.Call("stream_context_get_options", e.sock)
				return res(NewList(ok, o), err)
			}},
		{fn: "stream_context_set_option", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.StreamContextSetOption(e.closed, "ssl", "x", 1)) },
			call: func(rt *R, e *E) []any {
				return res(rt.Call("stream_context_set_option", e.closed, "ssl", "x", int64(1)))
			}},
		{fn: "stream_context_get_options", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamContextGetOptions(e.ctx)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_context_get_options", e.ctx)) }},
		{fn: "stream_context_get_options", name: "false",
			typed: func(rt *R, e *E) []any { return res(rt.StreamContextGetOptions(nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_context_get_options", false)) }},
		{fn: "stream_context_get_params", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamContextGetParams(e.ctx)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_context_get_params", e.ctx)) }},
		{fn: "stream_context_get_params", name: "closed",
			typed: func(rt *R, e *E) []any { return res(rt.StreamContextGetParams(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_context_get_params", e.closed)) }},
		{fn: "stream_context_set_default", name: "ok",
			typed: func(rt *R, e *E) []any {
				d, err := rt.StreamContextSetDefault(Options{"http": {"timeout": 5}})
				o, _ := rt.StreamContextGetOptions(d)
				return res(pv{Value(o.Array())}, err)
			},
			call: func(rt *R, e *E) []any {
				d, err := rt.Call("stream_context_set_default", Options{"http": {"timeout": int64(5)}}.Array())
				o, _ := rt.Call("stream_context_get_options", d)
				return res(o, err)
			}},
		{fn: "stream_context_get_default", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamContextGetDefault(Options{"ssl": {"verify_peer": true}})) },
			call: func(rt *R, e *E) []any {
				return res(rt.Call("stream_context_get_default", Options{"ssl": {"verify_peer": true}}.Array()))
			}},
		{fn: "stream_context_get_default", name: "too-many",
			typed: func(rt *R, e *E) []any { return res(rt.StreamContextGetDefault(nil, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_context_get_default", nil, nil)) }},

		// stream_select.
		{fn: "stream_select", name: "ready", outs: 2,
			typed: func(rt *R, e *E) []any {
				rt.Fwrite(e.pair[1], "x")
				r := []*Resource{e.pair[1], e.pair[0]}
				w := []*Resource{e.pair[1]}
				n, ok, err := rt.StreamSelect(&r, &w, nil, 5)
				return res(n, ok, err, r, w)
			},
			call: func(rt *R, e *E) []any {
				rt.Call("fwrite", e.pair[1], "x")
				r, w := &Ref{V: NewList(e.pair[1], e.pair[0])}, &Ref{V: NewList(e.pair[1])}
				v, err := rt.Call("stream_select", r, w, nil, int64(5))
				return res(v, err, r, w)
			}},
		{fn: "stream_select", name: "memory", outs: 1,
			typed: func(rt *R, e *E) []any {
				rt.Fwrite(e.pair[1], "x")
				r := []*Resource{e.mem2, e.pair[0]}
				n, ok, err := rt.StreamSelect(&r, nil, nil, 5)
				return res(n, ok, err, r)
			},
			call: func(rt *R, e *E) []any {
				rt.Call("fwrite", e.pair[1], "x")
				r := &Ref{V: NewList(e.mem2, e.pair[0])}
				v, err := rt.Call("stream_select", r, nil, nil, int64(5))
				return res(v, err, r)
			}},
		{fn: "stream_select", name: "timeout", outs: 1,
			typed: func(rt *R, e *E) []any {
				r := []*Resource{e.pair[0]}
				n, ok, err := rt.StreamSelect(&r, nil, nil, 0, 1000)
				return res(n, ok, err, r)
			},
			call: func(rt *R, e *E) []any {
				r := &Ref{V: NewList(e.pair[0])}
				v, err := rt.Call("stream_select", r, nil, nil, int64(0), int64(1000))
				return res(v, err, r)
			}},
		{fn: "stream_select", name: "no-arrays",
			typed: func(rt *R, e *E) []any { return res(rt.StreamSelect(nil, nil, nil, NullInt)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_select", nil, nil, nil, nil)) }},
		{fn: "stream_select", name: "false-element", outs: 1,
			typed: func(rt *R, e *E) []any {
				rt.Fwrite(e.pair[1], "x")
				r := []*Resource{nil, e.pair[0]}
				n, ok, err := rt.StreamSelect(&r, nil, nil, 1)
				return res(n, ok, err, r)
			},
			call: func(rt *R, e *E) []any {
				rt.Call("fwrite", e.pair[1], "x")
				r := &Ref{V: NewList(false, e.pair[0])}
				v, err := rt.Call("stream_select", r, nil, nil, int64(1))
				return res(v, err, r)
			}},

		// Files.
		{fn: "fopen", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Fopen(f(e, "f.txt"), "r", false, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fopen", f(e, "f.txt"), "r")) }},
		{fn: "fopen", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.Fopen(f(e, "nope"), "r", false, e.ctx)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("fopen", f(e, "nope"), "r", false, e.ctx)) }},
		{fn: "file_get_contents", name: "offset-length",
			typed: func(rt *R, e *E) []any { return res(rt.FileGetContents(f(e, "f.txt"), false, nil, 1, 2)) },
			call: func(rt *R, e *E) []any {
				return res(rt.Call("file_get_contents", f(e, "f.txt"), false, nil, int64(1), int64(2)))
			}},
		{fn: "file_get_contents", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.FileGetContents(f(e, "nope"), false, nil, 0, NullInt)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("file_get_contents", f(e, "nope"))) }},
		{fn: "file_get_contents", name: "bad-length",
			typed: func(rt *R, e *E) []any { return res(rt.FileGetContents(f(e, "f.txt"), false, nil, 0, -1)) },
			call: func(rt *R, e *E) []any {
				return res(rt.Call("file_get_contents", f(e, "f.txt"), false, nil, int64(0), int64(-1)))
			}},
		{fn: "file_put_contents", name: "list-append",
			typed: func(rt *R, e *E) []any {
				n, ok, err := rt.FilePutContents(f(e, "f.txt"), []string{"c", "d"}, FILE_APPEND|LOCK_EX, nil)
				s, _, _ := rt.FileGetContents(f(e, "f.txt"), false, nil, 0, NullInt)
				return res(pv{NewList(toPHP(n), ok, s)}, err)
			},
			call: func(rt *R, e *E) []any {
				n, err := rt.Call("file_put_contents", f(e, "f.txt"), NewList("c", "d"), int64(8|2))
				s, _ := rt.Call("file_get_contents", f(e, "f.txt"))
				return res(NewList(n, n != false, s), err)
			}},
		{fn: "file_put_contents", name: "lock-memory",
			typed: func(rt *R, e *E) []any { return res(rt.FilePutContents("php://memory", "x", LOCK_EX, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("file_put_contents", "php://memory", "x", int64(2))) }},
		{fn: "file_put_contents", name: "stream",
			typed: func(rt *R, e *E) []any { return res(rt.FilePutContents(f(e, "g.txt"), e.mem, 0, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("file_put_contents", f(e, "g.txt"), e.mem)) }},
		{fn: "file", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.File(f(e, "f.txt"), FILE_IGNORE_NEW_LINES, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("file", f(e, "f.txt"), int64(2))) }},
		{fn: "file", name: "bad-flags",
			typed: func(rt *R, e *E) []any { return res(rt.File(f(e, "f.txt"), 1024, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("file", f(e, "f.txt"), int64(1024))) }},
		{fn: "readfile", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Readfile(f(e, "f.txt"), false, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("readfile", f(e, "f.txt"))) }},
		{fn: "readfile", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.Readfile(f(e, "nope"), false, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("readfile", f(e, "nope"))) }},
		{fn: "copy", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Copy(f(e, "f.txt"), f(e, "g.txt"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("copy", f(e, "f.txt"), f(e, "g.txt"))) }},
		{fn: "copy", name: "directory",
			typed: func(rt *R, e *E) []any { return res(rt.Copy(f(e, "sub"), f(e, "g.txt"), e.ctx)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("copy", f(e, "sub"), f(e, "g.txt"), e.ctx)) }},
		{fn: "unlink", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Unlink(f(e, "f.txt"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("unlink", f(e, "f.txt"))) }},
		{fn: "unlink", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.Unlink(f(e, "nope"), nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("unlink", f(e, "nope"), nil)) }},
		{fn: "rename", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Rename(f(e, "f.txt"), f(e, "h.txt"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("rename", f(e, "f.txt"), f(e, "h.txt"))) }},
		{fn: "rename", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.Rename(f(e, "nope"), f(e, "h.txt"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("rename", f(e, "nope"), f(e, "h.txt"))) }},
		{fn: "mkdir", name: "recursive",
			typed: func(rt *R, e *E) []any { return res(rt.Mkdir(f(e, "a/b"), 0o700, true, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("mkdir", f(e, "a/b"), int64(0o700), true)) }},
		{fn: "mkdir", name: "exists",
			typed: func(rt *R, e *E) []any { return res(rt.Mkdir(f(e, "sub"), 0o777, false, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("mkdir", f(e, "sub"))) }},
		{fn: "rmdir", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Rmdir(f(e, "sub"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("rmdir", f(e, "sub"))) }},
		{fn: "rmdir", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.Rmdir(f(e, "nope"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("rmdir", f(e, "nope"))) }},
		{fn: "flock", name: "would-block", outs: 1,
			typed: func(rt *R, e *E) []any {
				a, _ := rt.Call("fopen", f(e, "f.txt"), "r")
				b, _ := rt.Call("fopen", f(e, "f.txt"), "r")
				rt.Call("flock", a, int64(LOCK_EX))
				wb := 7
				ok, err := rt.Flock(b.(*Resource), LOCK_EX|LOCK_NB, &wb)
				return res(ok, err, wb)
			},
			call: func(rt *R, e *E) []any {
				a, _ := rt.Call("fopen", f(e, "f.txt"), "r")
				b, _ := rt.Call("fopen", f(e, "f.txt"), "r")
				rt.Call("flock", a, int64(LOCK_EX))
				wb := &Ref{V: int64(7)}
				v, err := rt.Call("flock", b, int64(LOCK_EX|LOCK_NB), wb)
				return res(v, err, wb)
			}},
		{fn: "flock", name: "memory",
			typed: func(rt *R, e *E) []any { return res(rt.Flock(e.mem, LOCK_SH, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("flock", e.mem, int64(LOCK_SH))) }},
		{fn: "flock", name: "bad-operation",
			typed: func(rt *R, e *E) []any { return res(rt.Flock(e.mem, LOCK_NB, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("flock", e.mem, int64(LOCK_NB))) }},
		{fn: "touch", name: "times",
			typed: func(rt *R, e *E) []any { return res(rt.Touch(f(e, "t.txt"), 1000, 2000)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("touch", f(e, "t.txt"), int64(1000), int64(2000))) }},
		{fn: "touch", name: "no-dir",
			typed: func(rt *R, e *E) []any { return res(rt.Touch(f(e, "nope/t.txt"), NullInt, NullInt)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("touch", f(e, "nope/t.txt"))) }},
		{fn: "touch", name: "atime-only",
			typed: func(rt *R, e *E) []any { return res(rt.Touch(f(e, "t.txt"), NullInt, 5)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("touch", f(e, "t.txt"), nil, int64(5))) }},
		{fn: "chmod", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Chmod(f(e, "f.txt"), 0o640)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("chmod", f(e, "f.txt"), int64(0o640))) }},
		{fn: "chmod", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.Chmod(f(e, "nope"), 0o640)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("chmod", f(e, "nope"), int64(0o640))) }},
		{fn: "chown", name: "unchanged",
			typed: func(rt *R, e *E) []any { return res(rt.Chown(f(e, "f.txt"), -1)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("chown", f(e, "f.txt"), int64(-1))) }},
		{fn: "chown", name: "unknown-user",
			typed: func(rt *R, e *E) []any { return res(rt.Chown(f(e, "f.txt"), "no-such-user-phpsock")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("chown", f(e, "f.txt"), "no-such-user-phpsock")) }},
		{fn: "chgrp", name: "unchanged",
			typed: func(rt *R, e *E) []any { return res(rt.Chgrp(f(e, "f.txt"), -1)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("chgrp", f(e, "f.txt"), int64(-1))) }},
		{fn: "chgrp", name: "non-standard",
			typed: func(rt *R, e *E) []any { return res(rt.Chgrp("php://memory", "staff")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("chgrp", "php://memory", "staff")) }},
		{fn: "opendir", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Opendir(e.dir, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("opendir", e.dir)) }},
		{fn: "opendir", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.Opendir(f(e, "nope"), e.ctx)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("opendir", f(e, "nope"), e.ctx)) }},
		{fn: "readdir", name: "ok",
			typed: func(rt *R, e *E) []any {
				d, _ := rt.Opendir(e.dir, nil)
				return res(rt.Readdir(d))
			},
			call: func(rt *R, e *E) []any {
				d, _ := rt.Call("opendir", e.dir)
				return res(rt.Call("readdir", d))
			}},
		{fn: "readdir", name: "default-dir",
			typed: func(rt *R, e *E) []any {
				rt.Opendir(e.dir, nil)
				return res(rt.Readdir(nil))
			},
			call: func(rt *R, e *E) []any {
				rt.Call("opendir", e.dir)
				return res(rt.Call("readdir"))
			}},
		{fn: "readdir", name: "not-a-dir",
			typed: func(rt *R, e *E) []any { return res(rt.Readdir(e.mem)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("readdir", e.mem)) }},
		{fn: "rewinddir", name: "ok",
			typed: func(rt *R, e *E) []any {
				d, _ := rt.Opendir(e.dir, nil)
				rt.Readdir(d)
				err := rt.Rewinddir(d)
				name, _, _ := rt.Readdir(d)
				return res(name, err)
			},
			call: func(rt *R, e *E) []any {
				d, _ := rt.Call("opendir", e.dir)
				rt.Call("readdir", d)
				v, err := rt.Call("rewinddir", d)
				name, _ := rt.Call("readdir", d)
				if v != nil {
					name = v
				}
				return res(name, err)
			}},
		{fn: "rewinddir", name: "no-default",
			typed: func(rt *R, e *E) []any { return res(pv{nil}, rt.Rewinddir(nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("rewinddir")) }},
		{fn: "closedir", name: "ok",
			typed: func(rt *R, e *E) []any {
				d, _ := rt.Opendir(e.dir, nil)
				err := rt.Closedir(d)
				return res(pv{d.Type()}, err)
			},
			call: func(rt *R, e *E) []any {
				d, _ := rt.Call("opendir", e.dir)
				v, err := rt.Call("closedir", d)
				if v == nil {
					v = d.(*Resource).Type()
				}
				return res(v, err)
			}},
		{fn: "closedir", name: "closed",
			typed: func(rt *R, e *E) []any { return res(pv{nil}, rt.Closedir(e.closed)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("closedir", e.closed)) }},
		{fn: "scandir", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Scandir(e.dir, SCANDIR_SORT_DESCENDING, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("scandir", e.dir, int64(1))) }},
		{fn: "scandir", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.Scandir(f(e, "nope"), SCANDIR_SORT_ASCENDING, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("scandir", f(e, "nope"))) }},
		{fn: "scandir", name: "empty",
			typed: func(rt *R, e *E) []any { return res(rt.Scandir("", SCANDIR_SORT_NONE, nil)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("scandir", "", int64(2))) }},
		{fn: "file_exists", name: "yes",
			typed: func(rt *R, e *E) []any { return res(rt.FileExists(f(e, "f.txt"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("file_exists", f(e, "f.txt"))) }},
		{fn: "file_exists", name: "no",
			typed: func(rt *R, e *E) []any { return res(rt.FileExists(f(e, "nope"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("file_exists", f(e, "nope"))) }},
		{fn: "is_file", name: "yes",
			typed: func(rt *R, e *E) []any { return res(rt.IsFile(f(e, "f.txt"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("is_file", f(e, "f.txt"))) }},
		{fn: "is_file", name: "dir",
			typed: func(rt *R, e *E) []any { return res(rt.IsFile(f(e, "sub"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("is_file", f(e, "sub"))) }},
		{fn: "is_dir", name: "yes",
			typed: func(rt *R, e *E) []any { return res(rt.IsDir(f(e, "sub"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("is_dir", f(e, "sub"))) }},
		{fn: "is_dir", name: "unknown-wrapper",
			typed: func(rt *R, e *E) []any { return res(rt.IsDir("nope://x")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("is_dir", "nope://x")) }},
		{fn: "filesize", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Filesize(f(e, "f.txt"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("filesize", f(e, "f.txt"))) }},
		{fn: "filesize", name: "missing",
			typed: func(rt *R, e *E) []any { return res(rt.Filesize(f(e, "nope"))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("filesize", f(e, "nope"))) }},
		{fn: "stream_get_wrappers", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamGetWrappers()) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_get_wrappers")) }},
		{fn: "stream_wrapper_register", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamWrapperRegister("mem", &memClass{}, STREAM_IS_URL)) },
			call: func(rt *R, e *E) []any {
				return res(rt.Call("stream_wrapper_register", "mem", &memClass{}, int64(STREAM_IS_URL)))
			}},
		{fn: "stream_wrapper_register", name: "exists",
			typed: func(rt *R, e *E) []any { return res(rt.StreamWrapperRegister("http", &memClass{}, 0)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_wrapper_register", "http", &memClass{})) }},
		{fn: "stream_wrapper_register", name: "null-class",
			typed: func(rt *R, e *E) []any { return res(rt.StreamWrapperRegister("mem", nil, 0)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_wrapper_register", "mem", nil, int64(0))) }},
		{fn: "stream_wrapper_unregister", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamWrapperUnregister("http")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_wrapper_unregister", "http")) }},
		{fn: "stream_wrapper_unregister", name: "unknown",
			typed: func(rt *R, e *E) []any { return res(rt.StreamWrapperUnregister("nope")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_wrapper_unregister", "nope")) }},
		{fn: "stream_wrapper_restore", name: "restored",
			typed: func(rt *R, e *E) []any {
				rt.StreamWrapperUnregister("http")
				return res(rt.StreamWrapperRestore("http"))
			},
			call: func(rt *R, e *E) []any {
				rt.Call("stream_wrapper_unregister", "http")
				return res(rt.Call("stream_wrapper_restore", "http"))
			}},
		{fn: "stream_wrapper_restore", name: "never-existed",
			typed: func(rt *R, e *E) []any { return res(rt.StreamWrapperRestore("nope")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_wrapper_restore", "nope")) }},
		{fn: "stream_get_transports", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.StreamGetTransports()) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("stream_get_transports")) }},

		// Error handling and ini settings.
		{fn: "error_reporting", name: "set",
			typed: func(rt *R, e *E) []any {
				rt.ErrorReporting(E_ALL &^ E_NOTICE)
				return res(rt.ErrorReporting(NullInt))
			},
			call: func(rt *R, e *E) []any {
				rt.Call("error_reporting", int64(E_ALL&^E_NOTICE))
				return res(rt.Call("error_reporting", nil))
			}},
		{fn: "error_reporting", name: "silenced",
			typed: func(rt *R, e *E) []any { return res(rt.Silence().ErrorReporting()) },
			call:  func(rt *R, e *E) []any { return res(rt.Silence().Call("error_reporting")) }},
		{fn: "error_reporting", name: "too-many",
			typed: func(rt *R, e *E) []any { return res(rt.ErrorReporting(1, 2)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("error_reporting", int64(1), int64(2))) }},
		{fn: "error_get_last", name: "after-warning",
			typed: func(rt *R, e *E) []any {
				rt.Silence().Fopen(f(e, "nope"), "r", false, nil)
				d, ok, err := rt.ErrorGetLast()
				return res(pv{lastErrorValue(d, ok)}, err)
			},
			call: func(rt *R, e *E) []any {
				rt.Silence().Call("fopen", f(e, "nope"), "r")
				return res(rt.Call("error_get_last"))
			}},
		{fn: "error_get_last", name: "none",
			typed: func(rt *R, e *E) []any {
				d, ok, err := rt.ErrorGetLast()
				return res(pv{lastErrorValue(d, ok)}, err)
			},
			call: func(rt *R, e *E) []any { return res(rt.Call("error_get_last")) }},
		{fn: "error_clear_last", name: "ok",
			typed: func(rt *R, e *E) []any {
				rt.Silence().Fopen(f(e, "nope"), "r", false, nil)
				err := rt.ErrorClearLast()
				d, ok, _ := rt.ErrorGetLast()
				return res(pv{lastErrorValue(d, ok)}, err)
			},
			call: func(rt *R, e *E) []any {
				rt.Silence().Call("fopen", f(e, "nope"), "r")
				_, err := rt.Call("error_clear_last")
				v, _ := rt.Call("error_get_last")
				return res(v, err)
			}},
		{fn: "ini_get", name: "default",
			typed: func(rt *R, e *E) []any { return res(rt.IniGet("default_socket_timeout")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("ini_get", "default_socket_timeout")) }},
		{fn: "ini_get", name: "unknown",
			typed: func(rt *R, e *E) []any { return res(rt.IniGet("no.such.setting")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("ini_get", "no.such.setting")) }},
		{fn: "ini_set", name: "ok",
			typed: func(rt *R, e *E) []any {
				old, ok, err := rt.IniSet("default_socket_timeout", "5")
				now, _, _ := rt.IniGet("default_socket_timeout")
				return res(pv{NewList(old, ok, now)}, err)
			},
			call: func(rt *R, e *E) []any {
				old, err := rt.Call("ini_set", "default_socket_timeout", "5")
				now, _ := rt.Call("ini_get", "default_socket_timeout")
				return res(NewList(old, old != false, now), err)
			}},
		{fn: "ini_set", name: "system",
			typed: func(rt *R, e *E) []any { return res(rt.IniSet("allow_url_fopen", "0")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("ini_set", "allow_url_fopen", "0")) }},

		// Strings, arrays, constants.
		{fn: "strlen", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Strlen("h\x00llo")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("strlen", "h\x00llo")) }},
		{fn: "md5", name: "binary",
			typed: func(rt *R, e *E) []any { return res(rt.Md5("x", true)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("md5", "x", true)) }},
		{fn: "md5", name: "too-many",
			typed: func(rt *R, e *E) []any { return res(rt.Md5("x", true, false)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("md5", "x", true, false)) }},
		{fn: "bin2hex", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Bin2hex("\x00\xff")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("bin2hex", "\x00\xff")) }},
		{fn: "in_array", name: "loose",
			typed: func(rt *R, e *E) []any { return res(rt.InArray("1e1", []Value{10, "a"})) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("in_array", "1e1", NewList(int64(10), "a"))) }},
		{fn: "in_array", name: "strict",
			typed: func(rt *R, e *E) []any { return res(rt.InArray("10", []Value{10}, true)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("in_array", "10", NewList(int64(10)), true)) }},
		{fn: "in_array", name: "too-many",
			typed: func(rt *R, e *E) []any { return res(rt.InArray(1, nil, true, true)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("in_array", int64(1), NewArray(), true, true)) }},
		{fn: "constant", name: "ok",
			typed: func(rt *R, e *E) []any { return res(rt.Constant(`\STREAM_CRYPTO_METHOD_TLS_CLIENT`)) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("constant", `\STREAM_CRYPTO_METHOD_TLS_CLIENT`)) }},
		{fn: "constant", name: "undefined",
			typed: func(rt *R, e *E) []any { return res(rt.Constant("NO_SUCH")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("constant", "NO_SUCH")) }},
		{fn: "defined", name: "yes",
			typed: func(rt *R, e *E) []any { return res(rt.Defined("PHP_EOL")) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("defined", "PHP_EOL")) }},
		{fn: "defined", name: "no",
			typed: func(rt *R, e *E) []any { return res(rt.Defined("NO_SUCH" + strconv.Itoa(1))) },
			call:  func(rt *R, e *E) []any { return res(rt.Call("defined", "NO_SUCH1")) }},
	}
}

// cryptoValue is stream_socket_enable_crypto's PHP result from the typed one.
func cryptoValue(ok, pending bool) Value {
	switch {
	case ok:
		return true
	case pending:
		return int64(0)
	}
	return false
}

// lastErrorValue is error_get_last's PHP result from the typed one.
func lastErrorValue(d Diagnostic, ok bool) Value {
	if !ok {
		return nil
	}
	a := NewArray()
	a.Set("type", int64(d.Level))
	a.Set("message", d.String())
	a.Set("file", "")
	a.Set("line", int64(0))
	return a
}
