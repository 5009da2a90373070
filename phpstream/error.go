package phpstream

import (
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
}

func (e *OpError) Error() string {
	s := "phpstream: " + e.Op
	if e.Address != "" {
		s += " " + e.Address
	}
	if e.Text != "" {
		return s + ": " + e.Text
	}
	return s + ": Unknown error"
}

// Unwrap returns the syscall.Errno, if PHP reports one.
func (e *OpError) Unwrap() error {
	if e.Errno != 0 {
		return e.Errno
	}
	return nil
}

// Timeout reports whether the operation timed out.
func (e *OpError) Timeout() bool { return e.Errno == syscall.ETIMEDOUT }

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
