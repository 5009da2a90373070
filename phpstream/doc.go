// Package phpstream is phpsock's engine: PHP's streams (the behaviour of
// PHP's fsockopen, stream_socket_client, fopen and the stream functions
// used on what they return) as idiomatic Go.
//
// The files follow PHP's concepts:
//
//   - transport.go: the transport registry (tcp, udp, unix, udg; ssl and tls
//     register themselves) and scheme detection;
//   - address.go: PHP's host:port parsing, first colon, brackets, atoi ports
//     with 16-bit wrap;
//   - resolve.go: name resolution with getaddrinfo's results and texts;
//   - dial.go: the connect algorithm (sequential, one deadline, last error);
//   - stream.go: the Stream, a net.Conn carrying PHP's read buffer, timeout
//     and metadata;
//   - context.go: stream contexts and their socket options;
//   - profile.go: which PHP version and platform is emulated;
//   - phpio.go and lines.go: PHP's read buffer and the functions on it
//     (fread, fgets, stream_get_line, stream_get_contents, fwrite, feof);
//   - readahead.go: the read-ahead under PHP's buffer;
//   - crypto*.go and tlsconn.go: TLS, PHP's ssl context and verification;
//   - select.go: what stream_select does to a stream before it waits;
//   - stat.go: fstat;
//   - diag.go: the Diagnostic and where diagnostics go (below).
//
// Streams that are not sockets come from PHP's wrappers and share the same
// buffer layer (phpio.go) through a backing, PHP's stream ops:
//
//   - backing.go: the backing interface and how a stream uses one;
//   - wrapper.go: the wrapper lookup and OpenURL (fopen's dispatch);
//   - wrapperops.go: url_stat, unlink, rename, mkdir, rmdir;
//   - memory.go and temp.go: php://memory and php://temp; phpurl.go: the
//     php:// names;
//   - plainfile.go: plain files (paths and file://);
//   - datauri.go: data: URLs (RFC 2397);
//   - copy.go: stream_get_contents, stream_copy_to_stream, passthru and
//     ftruncate over whole streams.
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
//     by a Close through AfterClose).
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
//   - functions that work on no stream (ClientHandshake, ServerHandshake,
//     URLStat, LocateWrapper, IsLocalURL) take one as an argument.
//
// nil discards. A Diagnostic's Level is PHP's E_* value, Message the text
// after PHP's "function(): " prefix and Prefixed whether PHP adds that
// prefix; phpstream does not know which PHP function is running, so it
// leaves Func empty (compat names it). Diagnostic.String is PHP's full
// text; SlogDiagnostics logs diagnostics to a *slog.Logger.
package phpstream
