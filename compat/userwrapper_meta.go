package compat

import (
	"github.com/phpsock/phpsock/phpstream"
)

// A user wrapper's stream_lock (the locking option of
// php_userstreamop_set_option) and stream_metadata
// (user_wrapper_metadata). Recorded: meta/user-lock-*,
// meta/user-metadata-*.

var (
	_ phpstream.LockOps     = (*userOps)(nil)
	_ phpstream.MetadataOps = (*userWrapper)(nil)
)

// Lock is stream_lock($operation): true is success; false, any other
// value and an exception fail. A missing method answers
// stream_supports_lock's question (op 0) with yes, and fails a lock with
// PHP's warning.
func (u *userOps) Lock(diag phpstream.DiagnosticFunc, op int) bool {
	ret, exists, ok := u.call("stream_lock", int64(op))
	if !exists {
		if op == 0 {
			return true
		}
		warnf(diag, "%s is not implemented!", u.name("stream_lock"))
		return false
	}
	return ok && ret == true
}

// Metadata is user_wrapper_metadata: stream_metadata($path, $option,
// $value) of a fresh object, $value being touch's [mtime, atime] (empty
// for now), the user or group name or number, or the mode; true only for
// a true result.
func (w *userWrapper) Metadata(url string, option int, value any, o phpstream.OpenOptions) bool {
	var arg Value
	switch v := value.(type) {
	case *phpstream.FileTimes:
		a := NewArray()
		if v != nil {
			a.Append(v.Mtime)
			a.Append(v.Atime)
		}
		arg = a
	case int64, string:
		arg = v
	}
	return w.userOp(o, "stream_metadata", url, int64(option), arg)
}
