package phpstream

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/phpsock/phpsock/internal/openssl"
)

// TestOpErrorText checks that Error names the operation, the transport
// (when the address does not), the address and the cause: Err, else PHP's
// text, else the errno's text.
func TestOpErrorText(t *testing.T) {
	for _, tt := range []struct {
		err  *OpError
		want string
	}{
		{&OpError{Op: "connect", Net: "tcp", Address: "tcp://h:1", Errno: syscall.ECONNREFUSED, Text: "Connection refused"},
			"phpstream: connect tcp://h:1: Connection refused"},
		{&OpError{Op: "connect", Net: "tcp", Address: "h:1", Errno: syscall.ECONNREFUSED, Text: "Connection refused"},
			"phpstream: connect tcp h:1: Connection refused"},
		{&OpError{Op: "connect", Net: "unix", Address: "unix:///x", Errno: syscall.ECANCELED, Text: "context canceled", Err: context.Canceled},
			"phpstream: connect unix:///x: context canceled"},
		{&OpError{Op: "read", Net: "udg", Address: "udg:///x", Err: os.ErrDeadlineExceeded}, "phpstream: read udg:///x: i/o timeout"},
		{&OpError{Op: "write", Net: "tcp", Address: "TCP://h:1", Errno: syscall.EPIPE, Text: "Send of 1 bytes failed with errno=32 Broken pipe", Err: syscall.EPIPE},
			"phpstream: write TCP://h:1: broken pipe"},
		{&OpError{Op: "read", Errno: syscall.ECONNRESET}, "phpstream: read: Connection reset by peer"},
		{&OpError{Op: "connect"}, "phpstream: connect: unknown error"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q; want %q", got, tt.want)
		}
	}
}

// TestOpErrorUnwrap checks that errors.Is sees the cause and PHP's errno,
// and what Timeout and Temporary report.
func TestOpErrorUnwrap(t *testing.T) {
	e := &OpError{Op: "connect", Errno: syscall.ECANCELED, Text: "context canceled", Err: context.Canceled}
	if !errors.Is(e, context.Canceled) || !errors.Is(e, syscall.ECANCELED) || e.Timeout() {
		t.Errorf("%v does not unwrap to both causes, or times out", e)
	}
	if got := (&OpError{Errno: syscall.EPIPE, Err: syscall.EPIPE}).Unwrap(); len(got) != 1 {
		t.Errorf("Unwrap() = %v; want the errno once", got)
	}
	for _, tt := range []struct {
		err                *OpError
		timeout, temporary bool
	}{
		{&OpError{Err: os.ErrDeadlineExceeded}, true, true},
		{&OpError{Err: context.DeadlineExceeded}, true, true},
		{&OpError{Errno: syscall.ETIMEDOUT, Err: os.ErrDeadlineExceeded}, true, true},
		{&OpError{Errno: syscall.ETIMEDOUT}, true, false},
		{&OpError{Err: openssl.ErrHandshakeTimeout}, true, false},
		{&OpError{Err: net.ErrClosed}, false, false},
		{&OpError{Errno: syscall.ECONNREFUSED}, false, false},
		{&OpError{Err: syscall.EINTR}, false, true},
	} {
		if tt.err.Timeout() != tt.timeout || tt.err.Temporary() != tt.temporary {
			t.Errorf("%#v: Timeout, Temporary = %v, %v; want %v, %v", tt.err, tt.err.Timeout(), tt.err.Temporary(), tt.timeout, tt.temporary)
		}
	}
}
