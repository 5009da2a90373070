package phpstream

import (
	"context"
	"errors"
	"syscall"
	"testing"
)

// TestOpErrorText checks that Error names the cause whatever carries it:
// PHP's text, else the Go-side cause, else the errno's text.
func TestOpErrorText(t *testing.T) {
	for _, tt := range []struct {
		err  *OpError
		want string
	}{
		{&OpError{Op: "connect", Address: "tcp://h:1", Errno: syscall.ECONNREFUSED, Text: "Connection refused"},
			"phpstream: connect tcp://h:1: Connection refused"},
		{&OpError{Op: "connect", Address: "unix:///x", Err: context.Canceled}, "phpstream: connect unix:///x: context canceled"},
		{&OpError{Op: "read", Errno: syscall.ECONNRESET}, "phpstream: read: Connection reset by peer"},
		{&OpError{Op: "connect"}, "phpstream: connect: Unknown error"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q; want %q", got, tt.want)
		}
	}
	e := &OpError{Op: "connect", Errno: syscall.ECANCELED, Text: "context canceled", Err: context.Canceled}
	if !errors.Is(e, context.Canceled) || !errors.Is(e, syscall.ECANCELED) {
		t.Errorf("%v does not unwrap to both causes", e)
	}
}
