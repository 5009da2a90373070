package compat

import (
	"github.com/phpsock/phpsock/internal/phpvalue"
	"github.com/phpsock/phpsock/phpstream"
)

// A user stream's stream_cast (php_userstreamop_cast), which stream_select
// asks for the stream to wait on instead. Recorded: meta/user-cast-*.

var _ phpstream.CastOps = (*userOps)(nil)

// Cast is stream_cast(STREAM_CAST_FOR_SELECT): a stream resource other
// than the stream itself, or nil after PHP's warning (a missing method, a
// result that is the stream itself), or after PHP's TypeError (a result
// that is not a stream resource); a false result is nil quietly.
func (u *userOps) Cast(diag phpstream.DiagnosticFunc, self *phpstream.Stream, forSelect bool) *phpstream.Stream {
	u.c.castsUnderWay.Store(self, struct{}{})
	defer u.c.castsUnderWay.Delete(self)
	castAs := int64(STREAM_CAST_AS_STREAM)
	if forSelect {
		castAs = int64(STREAM_CAST_FOR_SELECT)
	}
	ret, exists, ok := u.call("stream_cast", castAs)
	switch {
	case !exists:
		warnf(diag, "%s is not implemented!", u.name("stream_cast"))
		return nil
	case !ok || !phpvalue.Bool(ret):
		return nil
	}
	// php_stream_from_zval_no_verify throws PHP's TypeError for what is
	// not a stream resource; with it pending, the warning PHP raises next
	// ("must return a stream resource") and the rest of the call's are
	// not raised (recorded: meta/user-cast-results). The TypeError names
	// stream_select; a cast for compress.zlib:// (not forSelect) takes
	// such a result as no stream, without it, as phpsock does not know
	// which function is running there.
	r, isRes := ret.(*Resource)
	switch {
	case !forSelect && (!isRes || r.kind != kindStream || r.closed.Load()):
		return nil
	case !isRes:
		u.c.throw(&Error{Class: "TypeError", Message: "stream_select(): supplied argument is not a valid stream resource"})
		return nil
	case r.kind != kindStream || r.closed.Load():
		u.c.throw(&Error{Class: "TypeError", Message: "stream_select(): supplied resource is not a valid stream resource"})
		return nil
	}
	s := r.Stream()
	if s == self {
		warnf(diag, "%s must not return itself", u.name("stream_cast"))
		return nil
	}
	if _, busy := u.c.castsUnderWay.Load(s); busy {
		return nil
	}
	return s
}
