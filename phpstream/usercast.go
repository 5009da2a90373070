package phpstream

import (
	"errors"
	"syscall"
)

// CastOps is implemented by a StreamOps whose stream stream_select can
// wait on through another stream: PHP's php_userstreamop_cast, a user
// stream's stream_cast(STREAM_CAST_FOR_SELECT). Without it a user stream
// is not selectable.
type CastOps interface {
	// Cast returns the stream whose descriptor stands for self, or nil
	// (the implementation raised PHP's warnings on diag: a missing
	// stream_cast, a result that is not a stream resource or is self).
	// forSelect is PHP's castas: STREAM_CAST_FOR_SELECT (stream_select)
	// when true, else STREAM_CAST_AS_STREAM (compress.zlib:// asking for
	// a descriptor to read).
	Cast(diag DiagnosticFunc, self *Stream, forSelect bool) *Stream
}

// selectable is php_userstreamop_cast for select: the descriptor of the
// stream Cast returns; where that stream has none, its own "cannot
// represent" warning is raised on the user stream's DiagnosticFunc before
// the user stream's error, as PHP's inner php_stream_cast reports it
// (recorded: meta/user-cast-*). s.mu is held.
func (b *opsBacking) selectable() (syscall.RawConn, error) {
	self := &NotSelectableError{StreamType: UserStreamLabel}
	c, ok := b.ops.(CastOps)
	if !ok {
		return nil, self
	}
	inner := c.Cast(b.diag(), b.s, true)
	if inner == nil || inner == b.s {
		return nil, self
	}
	rc, err := inner.selectCast()
	if err != nil {
		var ns *NotSelectableError
		if errors.As(err, &ns) {
			b.diag().emit(EWarning, ns.Error())
		}
		return nil, self
	}
	return rc, nil
}
