package phpstream

import (
	"context"
	"errors"
	"syscall"

	"github.com/phpsock/phpsock/errno"
)

// OpError is the error of a failed stream operation. It carries what PHP
// reports: the errno ($error_code, 0 where PHP has none) and the error text
// ($error_message, "" where PHP has none).
type OpError struct {
	Op      string // "connect", "bind", "accept", ...
	Address string // the transport address as given
	Errno   syscall.Errno
	Text    string
	// Err is a Go-side cause PHP has no errno for: the context's error
	// when a dial was cancelled, or a Dialer.Control error.
	Err error
}

func (e *OpError) Error() string {
	s := "phpstream: " + e.Op
	if e.Address != "" {
		s += " " + e.Address
	}
	switch {
	case e.Text != "":
		return s + ": " + e.Text
	case e.Err != nil:
		return s + ": " + e.Err.Error()
	case e.Errno != 0:
		return s + ": " + errno.Message(e.Errno)
	}
	return s + ": Unknown error"
}

// Unwrap returns the syscall.Errno PHP reports, if any, and the Go-side
// cause, if any, so errors.Is works with both.
func (e *OpError) Unwrap() []error {
	var out []error
	if e.Errno != 0 {
		out = append(out, e.Errno)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Timeout reports whether the operation timed out.
func (e *OpError) Timeout() bool {
	return e.Errno == syscall.ETIMEDOUT || errors.Is(e.Err, context.DeadlineExceeded)
}

// errnoError builds the error PHP reports for a failed system call:
// errno and strerror's text.
func errnoError(op, addr string, e syscall.Errno) *OpError {
	return &OpError{Op: op, Address: addr, Errno: e, Text: errno.Message(e)}
}

// toErrnoAny extracts the errno of a failed I/O call (EIO if none).
func toErrnoAny(err error) syscall.Errno {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return syscall.EIO
}
