package compat

// The typed functions of the wrapper table (userwrapper.go; see typed.go
// for the conventions).

// StreamWrapperRegister is PHP's
//
//	stream_wrapper_register(string $protocol, string $class, int $flags = 0): bool
//
// class is the wrapper's class itself (an interpreter's PHP class, or one
// implemented in Go), where PHP names it; a nil class is PHP's null
// (its deprecation, then the TypeError of an unknown class). flags is 0
// or STREAM_IS_URL. A protocol already defined or with an invalid
// character warns and gives false.
func (rt *Runtime) StreamWrapperRegister(protocol string, class WrapperClass, flags int) (bool, error) {
	var c Value
	if class != nil {
		c = class
	}
	return boolResult(rt.Call("stream_wrapper_register", protocol, c, int64(flags)))
}

// StreamWrapperUnregister is PHP's
//
//	stream_wrapper_unregister(string $protocol): bool
func (rt *Runtime) StreamWrapperUnregister(protocol string) (bool, error) {
	return boolResult(rt.Call("stream_wrapper_unregister", protocol))
}

// StreamWrapperRestore is PHP's
//
//	stream_wrapper_restore(string $protocol): bool
func (rt *Runtime) StreamWrapperRestore(protocol string) (bool, error) {
	return boolResult(rt.Call("stream_wrapper_restore", protocol))
}
