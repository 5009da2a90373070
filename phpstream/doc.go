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
//   - profile.go: which PHP version and platform is emulated.
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
