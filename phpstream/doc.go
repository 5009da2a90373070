// Package phpstream is phpsock's engine: PHP's socket streams (the
// behaviour of PHP's fsockopen, stream_socket_client and the stream
// functions used on what they return) as idiomatic Go.
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
//   - crypto*.go and tlsconn.go: TLS, PHP's ssl context and verification.
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
// MSG_DONTWAIT, made without the scheduler's syscall bookkeeping. A
// process with a single goroutine, as a ported PHP script is, waits for
// data without handing its P to the scheduler (there is nothing else to
// run) and, on Linux, in a recv(2) that waits: the descriptor is put in
// blocking mode with SO_RCVTIMEO, so a reply costs one system call where
// PHP makes two (poll, recv). The descriptor goes back to non-blocking
// mode for good when the runtime poller takes it (net.Conn reads and
// deadlines, TLS, stream_select, a write that has to wait). Other
// processes wait in poll(2) and release the P meanwhile.
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
// PHP diagnostics (warnings and notices) are never printed: they go to the
// DiagnosticFunc the caller sets on the Dialer; nil discards them.
package phpstream
