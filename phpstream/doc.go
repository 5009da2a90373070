// Package phpstream is phpsock's engine: PHP's streams (the behaviour of
// PHP's fsockopen, stream_socket_client, fopen and the stream functions
// used on what they return) as idiomatic Go.
//
// The API mirrors PHP's functions: each exported name says which one
// (Dialer.Dial is stream_socket_client and fsockopen, ListenConfig.Listen
// stream_socket_server, Stream.AcceptStream stream_socket_accept,
// Stream.EnableCrypto stream_socket_enable_crypto, OpenURL fopen,
// URLStat, Unlink, Rename, Mkdir and Rmdir the wrapper operations of the
// stat functions, unlink, rename, mkdir and rmdir, Stream.Fgets fgets, and so on), and a Stream is also a net.Conn and,
// for a server, a net.Listener. OpenSSL's own behaviour (cipher strings,
// security levels, chain verification, its error texts) is in
// internal/openssl; the few operations only compat needs reach it
// through internal/streamhook.
//
// # Files
//
// Streams and PHP's buffer:
//
//   - stream.go: the Stream, a net.Conn carrying PHP's read buffer, timeout
//     and metadata (stream_get_meta_data);
//   - phpio.go: PHP's read buffer and the functions on it (fread, fgets,
//     fgetc, stream_get_line, stream_get_contents, fwrite, feof, ftell,
//     fseek, stream_set_timeout/blocking/chunk_size/read_buffer);
//   - lines.go: fgets without a copy (ReadLineBytes, FgetsString);
//   - readahead.go: the read-ahead under PHP's buffer on TCP streams;
//   - copy.go: stream_copy_to_stream, fpassthru and ftruncate over whole
//     streams;
//   - select.go: what stream_select does to a stream before it waits;
//   - stat.go, stat_unix.go, stat_other.go: fstat;
//   - lock.go, lock_unix.go, lock_other.go: flock and stream_supports_lock
//     (Stream.Flock, a user stream's LockOps);
//   - hooks.go: the methods compat reaches through internal/streamhook;
//   - context.go: stream contexts (stream_context_create) and their options;
//   - profile.go: which PHP version and platform is emulated;
//   - error.go, errtext.go: the errors operations return, strerror's texts;
//   - diag.go: PHP's warnings and notices (Diagnostic, DiagnosticFunc)
//     and where they go (below).
//
// Sockets:
//
//   - transport.go: the transport registry (tcp, udp, unix, udg, ssl, tls,
//     tlsv1.x) and scheme detection (SplitScheme);
//   - address.go: PHP's host:port parsing (ParseHostPort), first colon,
//     brackets, atoi ports with 16-bit wrap;
//   - resolve.go: name resolution with getaddrinfo's results and texts;
//   - netif.go: interface names of IPv6 scope ids;
//   - dial.go: the Dialer, PHP's connect algorithm (sequential, one
//     deadline, last error);
//   - connect_unix.go, connect_windows.go: the connect calls and their wait;
//   - server.go, server_unix.go, server_other.go: ListenConfig
//     (stream_socket_server), AcceptStream (stream_socket_accept), and
//     feof and reads on a listening socket;
//   - addr_unix.go: stream_socket_get_name and the liveness check of
//     persistent streams;
//   - xport.go, xport_unix.go, xport_other.go: stream_socket_recvfrom and
//     stream_socket_sendto;
//   - pair_unix.go, pair_other.go, kind_generic.go: stream_socket_pair and
//     its "generic_socket" streams;
//   - socket.go, socket_unix.go, socket_linux.go, socket_bsd.go: the socket
//     under a Stream, its creation and its hand-over to the runtime poller;
//   - socket_poller_unix.go, socket_poller_windows.go: that hand-over per
//     platform;
//   - io_unix.go, io_windows.go: reads, writes, waits and shutdown on the
//     descriptor;
//   - wait.go: waits on Go's runtime poller and the functions run after
//     Close;
//   - rawsys_linux.go, rawsys_other.go, poll_linux_amd64.go,
//     poll_linux_other.go: system calls made without the scheduler's
//     bookkeeping, poll(2) for a one-goroutine program's wait.
//
// TLS (PHP's ext/openssl; OpenSSL's part is internal/openssl):
//
//   - crypto.go: TLSClientOptions, CryptoInfo, the client setup and PHP's
//     peer-verification policy;
//   - crypto_server.go: TLSServerOptions and the server role;
//   - crypto_sni.go: server-side SNI (SNI_server_certs);
//   - crypto_method.go: the STREAM_CRYPTO_METHOD_* and
//     STREAM_CRYPTO_PROTO_* constants, a transport's crypto method and
//     PHP's version range;
//   - crypto_verify.go: the peer name and fingerprint checks;
//   - crypto_ca.go: cafile, capath and the system store, with PHP's
//     warnings; crypto_cafile.go: PHP's cafile stream fallback;
//   - crypto_key.go: local_cert, local_pk and passphrase, with PHP's
//     warnings;
//   - tlsconn.go: TLS under PHP's buffer: stream_socket_enable_crypto on a
//     Stream, reads and writes through TLS, ssl:// and tls:// dials.
//
// Wrappers (streams that are not sockets share the buffer layer through a
// backing, PHP's stream ops):
//
//   - backing.go: the backing interface and how a stream uses one;
//   - wrapper.go: the wrapper lookup and OpenURL (fopen's dispatch);
//     registry.go: a request's wrapper table (stream_wrapper_register);
//     a wrapper registered there opens its own streams (URLOpener), for
//     OpenURL and for the opens other wrappers make (php://filter's
//     resource, compress.zlib://'s inner stream, an http redirect);
//     userstream.go: streams whose I/O another package implements
//     (StreamOps: compat's user wrappers); usercast.go: their
//     stream_cast for stream_select and compress.zlib:// (CastOps);
//   - wrapperops.go, wrapperops_unix.go, wrapperops_other.go: url_stat,
//     unlink, rename, mkdir, rmdir, one function each for every wrapper
//     (plain files, ftp://, run-time wrappers' URLOps), taking
//     OpenOptions as OpenURL does; metadata.go, metadata_*.go: touch,
//     chmod, chown, chgrp (Touch, Chmod, Chown, Chgrp, a run-time
//     wrapper's MetadataOps);
//   - dir.go: directory streams (opendir, readdir, rewinddir, scandir's
//     listing): a Stream over a "dir" backing, so that the stream
//     functions treat a handle as PHP's do (dir.go says why it is no
//     separate type); dir_unix.go, dir_other.go: plain directories in
//     getdents order; ftpdir.go: ftp:// listings (NLST); glob.go: glob://
//     and glob(3)'s matching; DirOps: user wrappers' listings (compat);
//   - plainfile.go: plain files (paths and file://);
//   - memory.go, memory_linux.go, memory_other.go: php://memory;
//     temp.go: php://temp; phpurl.go: the php:// names;
//   - datauri.go: data: URLs (RFC 2397);
//   - http.go: http:// and https://; urlparse.go: PHP's URL parser;
//   - filter.go, filterstream.go, filterurl.go, dechunk.go: stream filters,
//     filter chains on a stream, php://filter and the dechunk filter.
//
// # Goroutine safety
//
// A Stream is safe for concurrent use by several goroutines; what each
// group of methods guarantees:
//
//   - net.Conn and net.Listener methods (Read, Write, Close, SetDeadline,
//     SetReadDeadline, SetWriteDeadline, LocalAddr, RemoteAddr,
//     SyscallConn, Accept, Addr, Listener): safe for concurrent use, as
//     net.Conn promises; Close unblocks a pending Read, Write or Accept.
//   - PHP reads (Fread, FreadInto, Fgets, FgetsString, ReadLineBytes,
//     Fgetc, GetLine, GetContents, Feof, Passthru, CopyFrom's source):
//     serialised on the stream's buffer lock, with each other and with
//     Read, so each call consumes whole bytes of the one buffer. The slice
//     ReadLineBytes returns is valid only until the next read.
//   - PHP writes (Fwrite, CopyFrom's destination): serialised on the write
//     lock, with each other and with Write; they run alongside reads.
//   - Settings and state (SetTimeout, SetBlocking, SetChunkSize,
//     SetReadBuffering, Meta, Position, Stat, Truncate, WrapperData,
//     Crypto, ConnectionState, Alive, SupportsLock, Flock): take
//     the buffer lock and see a consistent state; a setting applies from
//     the next operation.
//   - Crypto (EnableCrypto, EnableServerCrypto, DisableCrypto): take the
//     write and buffer locks for the switch, so reads and writes wait for
//     it; call them, as PHP does, while no other goroutine uses the stream.
//   - Socket operations (RecvFrom, SendTo, Shutdown, SocketName,
//     AcceptStream): go straight to the descriptor, each call atomic as
//     its system call is; Close from another goroutine ends them.
//   - What is fixed when the stream is made (Address, IsSocket, IsServer, IsDir,
//     Listening, Connected, SupportsCrypto) and Closed (an atomic flag):
//     safe at any time, without a lock.
//
// A Context is safe for concurrent use (it has its own lock). Dialer,
// ListenConfig, TLSClientOptions and TLSServerOptions are values that must
// not be modified while a call uses them.
//
// # Reading
//
// Every PHP read returns exactly what PHP's would (the same bytes, the same
// unread_bytes, the same timeouts and EOF), but not with the same system
// calls. On TCP streams that receive faster than they are read, the
// stream reads up to 64 KiB at once below PHP's buffer and serves PHP's
// 8 KiB reads from it; feof reads there instead of peeking. Those bytes
// are still the socket's as far as anything observable goes (readahead.go
// says how). Large stream_get_contents results are read straight into the
// result. Socket reads and writes are recv(2) and send(2) with
// MSG_DONTWAIT, made without the scheduler's syscall bookkeeping.
//
// # Waiting
//
// A PHP read that has to wait (fread, fgets, ... on a blocking stream)
// waits in one of two ways, chosen at every wait by the number of
// goroutines in the program (runtime.NumGoroutine):
//
//   - With other goroutines, the reading goroutine parks on Go's runtime
//     poller (wait.go) until the socket is readable, its deadline (PHP's
//     timeout or the net.Conn read deadline, the earlier) passes or the
//     stream is closed, as net.Conn reads do: a waiting stream costs no
//     OS thread and no CPU, and a Close from any goroutine ends the wait
//     at once. The descriptor goes to the poller at the first such wait
//     and stays there. So does every other wait phpsock makes: writes
//     that must wait, connect, accept, the TLS handshake, and compat's
//     stream_select (one parked goroutine for all its descriptors, woken
//     by a Close through the stream's close hooks).
//   - A program with one goroutine, as a ported PHP script is, has
//     nothing else to run: it waits in the kernel without handing its P to
//     the scheduler, on Linux in a recv(2) that waits (the descriptor is
//     put in blocking mode with SO_RCVTIMEO, so a reply costs one system
//     call where PHP makes two, poll and recv), elsewhere in poll(2). It
//     waits in slices of 50 ms and counts the goroutines again after each:
//     a goroutine started meanwhile (a timer's function, a signal handler,
//     a library's worker) runs on another P, and the rest of the wait is
//     on the runtime poller. A Close such a goroutine makes during a slice
//     waits for the slice to end (at most 50 ms), then ends the wait. The
//     descriptor goes back to non-blocking mode, for good, when the runtime
//     poller takes it.
//
// Both ways give the same PHP results (the recorded cases are replayed in
// both: TestConformance and TestConformanceAlone in conformance).
//
// # Memory
//
// The read-ahead's 64 KiB buffer and PHP's read buffer come from pools and
// go back as soon as they are empty, so an idle stream holds neither;
// PHP's buffer is held during a read that waits, as a net.Conn reader
// holds the buffer it passed to Read (fread allocates its result only
// once it knows its size). ReadLineBytes keeps its buffer, which the line
// it returns points into.
//
// # Locks
//
// A Stream's locks are taken in this order: wmu (PHP writes), mu (PHP
// reads and the state under it), aheadMu (the read-ahead), then its
// socket's mu (descriptor hand-over and close) and the socket's raw lock,
// held for reading by each immediate call on the descriptor and for
// writing by close before it closes it (raw calls never wait for long: a
// waiting one is a slice of a one-goroutine program's wait). The net.Conn
// deadlines' lock is taken last and alone. A wait on the runtime poller
// holds no lock of the socket's, so Close never waits for it. tlsReadMu
// (a net.Conn Read through TLS) is taken alone by Read, and only tried,
// never waited for, under mu (stream_select's cast); Close of a wrapper
// stream (not a socket) takes mu.
//
// Where two streams meet, the outer one's locks come first: a user
// stream's or a directory stream's mu is held while its ops use the
// stream underneath (a stream_cast's result, an ftp listing's data
// connection, a filter or zlib stream's inner stream), never the other
// way. User code run under an outer stream's mu (a wrapper class's
// methods) must not use that outer stream again from another goroutine
// while it waits on it.
//
// Stream.ReadLineBytes is fgets without a copy, Stream.FgetsString fgets
// returning a string with one allocation per 4 KiB of short lines, and
// Stream.FreadInto fread into the caller's buffer.
//
// A Stream is a net.Conn. Its Read, Write, Close and deadline methods are
// safe for concurrent use, as net.Conn promises; Close unblocks a pending
// Read or Write. The PHP-semantics methods (the ones named after PHP's
// functions) serialise on the stream's buffer lock, so mixing them with Read
// is safe: both consume the same buffer.
//
// # Diagnostics
//
// PHP's warnings, notices and deprecations are never printed. They leave
// the package one way, as a Diagnostic given to a DiagnosticFunc (diag.go),
// synchronously, from the goroutine doing the operation, in PHP's order:
//
//   - Dialer.Diagnostics, ListenConfig.Diagnostics and
//     OpenOptions.Diagnostics receive what Dial, Listen and OpenURL raise,
//     and become the DiagnosticFunc of the stream they return (a stream
//     AcceptStream returns starts with its server's);
//   - a stream's own operations (reads, writes, EnableCrypto,
//     EnableServerCrypto, SelectCast) report to its DiagnosticFunc, which
//     Stream.SetDiagnostics replaces;
//   - the wrapper operations (URLStat, URLExists, Unlink, Rename, Mkdir,
//     Rmdir, Touch, Chmod, Chown, Chgrp) raise theirs on
//     OpenOptions.Diagnostics, as OpenURL does;
//   - other functions that work on no stream (ClientHandshake,
//     ServerHandshake, IsLocalURL) take one as an argument.
//
// nil discards. A Diagnostic's Level is PHP's E_* value, Message the text
// after PHP's "function(): " prefix and Prefixed whether PHP adds that
// prefix; phpstream does not know which PHP function is running, so it
// leaves Func empty (compat names it). Diagnostic.String is PHP's full
// text; SlogDiagnostics logs diagnostics to a *slog.Logger.
//
// # Errors
//
// Every failure of a socket stream, whatever the transport (tcp, udp,
// unix, udg, ssl, tls) and the operation (Dial, Listen, AcceptStream and
// Accept, Read and Write, Fwrite, EnableCrypto, Close, the deadlines), is
// an *OpError, shaped as net.OpError: Op, Net (PHP's transport), Address
// and the cause Err. Its Error names all four. errors.Is and errors.As
// reach the cause: a syscall.Errno (a refused connect is ECONNREFUSED, a
// missing unix socket ENOENT, a write to a closed peer EPIPE or
// ECONNRESET), context.Canceled or context.DeadlineExceeded (Dial's
// context, also when it is done while the connect waits),
// os.ErrDeadlineExceeded (a net.Conn deadline, PHP's connect, accept,
// write and handshake timeouts; Timeout reports true), net.ErrClosed (any
// operation on a closed stream or server), and for a failed TLS handshake
// the handshake's error: crypto/x509's x509.UnknownAuthorityError and
// x509.CertificateInvalidError from chain verification, an
// x509.HostnameError from PHP's peer name check (PHP's own matching rules
// decide, the error names the certificate and the expected name),
// crypto/tls's alerts and record errors.
//
// Beside the cause, Errno and Text keep what PHP reports on their own: the
// $error_code and $error_message of stream_socket_client, fsockopen and
// stream_socket_server, the text of stream_socket_accept's "Accept
// failed", fwrite's "Send of N bytes failed" notice, the warning of
// stream_socket_enable_crypto's own checks. They are 0 and "" where PHP
// reports nothing (a failed TLS handshake reports through its
// diagnostics). io.EOF stays io.EOF.
//
// The wrapper operations (URLStat, Unlink, Rename, Mkdir, Rmdir, Touch,
// Chmod, Chown, Chgrp) fail with an *OpError too: Op "stat", "unlink",
// "rename", "mkdir", "rmdir", "touch", "chmod", "chown" or "chgrp", Net
// the URL's scheme ("file" for a path), Address the URL, and as cause the
// syscall.Errno of the failed system call (also in Errno), a user or
// group lookup's error (os/user), ErrNoWrapper, ErrNotSupported,
// ErrCrossWrapper or ErrOpFailed; PHP's warnings about
// it have gone to OpenOptions.Diagnostics already.
package phpstream
