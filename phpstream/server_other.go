//go:build !unix

package phpstream

import (
	"context"
	"errors"
	"time"
)

// errServerUnsupported is Listen's error where server sockets are not
// implemented yet.
var errServerUnsupported = errors.New("phpstream: server streams are not supported on this system")

func (lc *ListenConfig) bindUnix(s *Stream, path string) error {
	return &OpError{Op: "listen", Address: s.address, Err: errServerUnsupported}
}

func (lc *ListenConfig) bindInet(ctx context.Context, s *Stream, rest string) error {
	return &OpError{Op: "listen", Address: s.address, Err: errServerUnsupported}
}

func (s *Stream) listen(backlog int) error { return errServerUnsupported }

func (s *Stream) acceptRaw(ctx context.Context, timeout time.Duration, si *serverInfo) (*Stream, string, error) {
	return nil, "", &OpError{Op: "accept", Address: s.address, Err: errServerUnsupported}
}

// listenerEOF is feof on a server stream.
func (s *Stream) listenerEOF() bool { return s.Feof() }

// listenerReadTimedOut is the wait of a PHP read on a listening socket.
func (s *Stream) listenerReadTimedOut() bool { return false }
