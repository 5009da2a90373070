package phpstream

import (
	"syscall"

	"github.com/phpsock/phpsock/internal/streamhook"
)

// The methods compat needs and a Go user does not are unexported and
// reach compat through internal/streamhook.
func init() {
	streamhook.Register(func(s *Stream) streamhook.Stream { return hooks{s} })
}

// hooks is a Stream seen through streamhook.Stream.
type hooks struct{ s *Stream }

func (h hooks) HasReadAhead() bool                   { return h.s.hasReadAhead() }
func (h hooks) SelectCast() (syscall.RawConn, error) { return h.s.selectCast() }
func (h hooks) AfterClose(f func()) func() bool      { return h.s.afterClose(f) }
func (h hooks) ListenerEOF() bool                    { return h.s.listenerEOF() }
func (h hooks) ListenerReadTimedOut() bool           { return h.s.listenerReadTimedOut() }
func (h hooks) SeekPHP(offset int64, whence int) (ok, unsupported bool) {
	return h.s.seekPHP(offset, whence)
}
