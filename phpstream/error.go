package phpstream

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
)

// OpError is the error of a failed operation on a socket stream: a
// connect, listen or accept, a read or write, a TLS handshake. Like
// net.OpError it names the operation, the transport, the address and the
// cause; beside them it keeps what PHP reports, so that PHP's functions
// can be reproduced from it.
//
// errors.Is and errors.As see through it to the cause and to PHP's errno:
// a syscall.Errno (ECONNREFUSED, ENOENT, EPIPE, ECONNRESET, ...),
// context.Canceled or context.DeadlineExceeded, net.ErrClosed,
// os.ErrDeadlineExceeded, crypto/x509's errors (x509.UnknownAuthorityError,
// x509.CertificateInvalidError, x509.HostnameError) and crypto/tls's.
type OpError struct {
	// Op is the operation: "connect", "listen", "accept", "read", "write"
	// (also stream_socket_recvfrom's and _sendto's), "handshake",
	// "shutdown", "close" or "set" (a deadline).
	Op string

	// Net is the PHP transport, the address's scheme in lower case: "tcp"
	// (also for an address without one), "udp", "unix", "udg", "ssl",
	// "tls", "tlsv1.2", ...; the Go network ("unix") for a stream
	// stream_socket_pair made; for a stream a wrapper opened on something
	// other than a socket (its Read and Write), the wrapper's scheme
	// ("php", "data", "file", ...).
	Net string

	// Address is the transport address as the stream was opened with it
	// (Dial's or Listen's; for an accepted stream its server's).
	Address string

	// Errno is PHP's errno for the failure: $error_code of
	// stream_socket_client and fsockopen, the errno of fwrite's "Send of
	// ... failed" notice, the errno behind stream_socket_accept's "Accept
	// failed" text; 0 where PHP has none.
	Errno syscall.Errno

	// Text is PHP's message for the failure, on its own: $error_message of
	// stream_socket_client, fsockopen and stream_socket_server, the text
	// after stream_socket_accept's "Accept failed: ", fwrite's whole
	// notice, stream_socket_enable_crypto's warning where it has one of
	// its own; "" where PHP has none (PHP then prints "Unknown error" or
	// nothing).
	Text string

	// Err is the cause: the syscall.Errno of the failed system call, the
	// context's error, net.ErrClosed, os.ErrDeadlineExceeded (PHP's
	// timeouts and the net.Conn deadlines), a Dialer.Control error, or the
	// TLS handshake's error (an x509 error, crypto/tls's alert and record
	// errors, ...). It is nil only where PHP's Text is all there is to say
	// (a host that does not resolve, an address that does not parse, an
	// unknown transport) or PHP names no cause at all (a connect that had
	// no address to try).
	Err error
}

// Error reports the operation, the transport and address, and the cause:
// Err if set, else PHP's text, else the errno's text.
func (e *OpError) Error() string {
	s := "phpstream: " + e.Op
	if e.Net != "" && !strings.HasPrefix(strings.ToLower(e.Address), e.Net+"://") {
		s += " " + e.Net
	}
	if e.Address != "" {
		s += " " + e.Address
	}
	switch {
	case e.Err != nil:
		return s + ": " + e.Err.Error()
	case e.Text != "":
		return s + ": " + e.Text
	case e.Errno != 0:
		return s + ": " + errnoText(e.Errno)
	}
	return s + ": unknown error"
}

// Unwrap returns the cause and PHP's errno, so that errors.Is and
// errors.As see both.
func (e *OpError) Unwrap() []error {
	out := make([]error, 0, 2)
	if e.Err != nil {
		out = append(out, e.Err)
	}
	if e.Errno != 0 && e.Err != error(e.Errno) {
		out = append(out, e.Errno)
	}
	return out
}

// Timeout reports whether the operation timed out: PHP's timeout or a
// net.Conn deadline expired (os.ErrDeadlineExceeded), the context's
// deadline passed, or the system said ETIMEDOUT. It makes *OpError a
// net.Error.
func (e *OpError) Timeout() bool {
	if e.Errno == syscall.ETIMEDOUT {
		return true
	}
	if e.Err == nil {
		return false
	}
	if errors.Is(e.Err, os.ErrDeadlineExceeded) || errors.Is(e.Err, context.DeadlineExceeded) {
		return true
	}
	t, ok := e.Err.(interface{ Timeout() bool })
	return ok && t.Timeout()
}

// Temporary reports what net.OpError's Temporary reports for the same
// cause (a timeout, EINTR, EMFILE, ...).
//
// Deprecated: as net.Error's Temporary, it is not well defined; use
// Timeout or errors.Is.
func (e *OpError) Temporary() bool {
	t, ok := e.Err.(interface{ Temporary() bool })
	return ok && t.Temporary()
}

var _ net.Error = (*OpError)(nil)

// transportName is the Net of an OpError for address: its scheme in
// lower case, "tcp" without one (SplitScheme).
func transportName(address string) string {
	scheme, _ := SplitScheme(address)
	return strings.ToLower(scheme)
}

// withTransport completes the *OpError of a failed Dial, Listen or accept
// with the transport of address and, where PHP's errno is the whole
// cause, with that errno as Err; other errors pass unchanged.
func withTransport(err error, address string) error {
	if oe, ok := err.(*OpError); ok {
		if oe.Net == "" {
			oe.Net = transportName(address)
		}
		if oe.Err == nil && oe.Errno != 0 {
			oe.Err = oe.Errno
		}
	}
	return err
}

// xportError is the failure of stream_socket_recvfrom's or
// stream_socket_sendto's system call: PHP's errno and its text, and as
// the cause net.ErrClosed once the stream is closed, else the errno.
func (s *Stream) xportError(op string, err error) error {
	if err == nil {
		return nil
	}
	e := toErrnoAny(err)
	var cause error = e
	if s.closed.Load() {
		cause = net.ErrClosed
	}
	return &OpError{Op: op, Net: s.transport(), Address: s.address, Errno: e, Text: errnoText(e), Err: cause}
}

// causeOf is the cause an error of the runtime poller or of a system call
// stands for: net.ErrClosed for a closed descriptor, os.ErrDeadlineExceeded
// for an expired deadline, else the errno or the error itself.
func causeOf(err error) error {
	switch {
	case errors.Is(err, os.ErrClosed), errors.Is(err, net.ErrClosed):
		return net.ErrClosed
	case errors.Is(err, os.ErrDeadlineExceeded):
		return os.ErrDeadlineExceeded
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}

// toErrnoAny extracts the errno of a failed I/O call (EIO if none).
func toErrnoAny(err error) syscall.Errno {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return syscall.EIO
}
