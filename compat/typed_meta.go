package compat

// Typed methods of flock and the metadata functions (filemeta.go).

// Flock is PHP's
//
//	flock(resource $stream, int $operation, &$would_block = null): bool
//
// operation is LOCK_SH, LOCK_EX or LOCK_UN, with LOCK_NB or-ed in;
// wouldBlock nil passes no $would_block, otherwise it receives PHP's (1
// when LOCK_NB found the lock held, else 0).
func (rt *Runtime) Flock(stream *Resource, operation int, wouldBlock *int) (bool, error) {
	w := intRef(wouldBlock)
	args := []Value{resArg(stream), int64(operation)}
	if w != nil {
		args = append(args, w)
	}
	ok, err := boolResult(rt.Call("flock", args...))
	outInt(w, wouldBlock)
	return ok, err
}

// Touch is PHP's
//
//	touch(string $filename, ?int $mtime = null, ?int $atime = null): bool
//
// Both optional parameters are given: NullInt is PHP's null (the time of
// the call for both; an atime without an mtime is PHP's ValueError).
func (rt *Runtime) Touch(filename string, mtime, atime int) (bool, error) {
	return boolResult(rt.Call("touch", filename, nullableInt(mtime), nullableInt(atime)))
}

// Chmod is PHP's
//
//	chmod(string $filename, int $permissions): bool
func (rt *Runtime) Chmod(filename string, permissions int) (bool, error) {
	return boolResult(rt.Call("chmod", filename, int64(permissions)))
}

// Chown is PHP's
//
//	chown(string $filename, string|int $user): bool
//
// user is a user name (string) or a uid (int), as PHP's union takes it.
func (rt *Runtime) Chown(filename string, user Value) (bool, error) {
	return boolResult(rt.Call("chown", filename, ownerArg(user)))
}

// Chgrp is PHP's
//
//	chgrp(string $filename, string|int $group): bool
//
// group is a group name (string) or a gid (int), as PHP's union takes it.
func (rt *Runtime) Chgrp(filename string, group Value) (bool, error) {
	return boolResult(rt.Call("chgrp", filename, ownerArg(group)))
}

// ownerArg is a string|int argument given as a Go int: PHP's int.
func ownerArg(v Value) Value {
	if n, ok := v.(int); ok {
		return int64(n)
	}
	return v
}
