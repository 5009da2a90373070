package compat

// Typed methods of the wrapper table's functions (userwrapper.go).

// StreamWrapperRegister is stream_wrapper_register($protocol, $class,
// $flags): class is the wrapper's class itself (an interpreter's PHP class,
// or one implemented in Go); flags is 0 or StreamIsURL. The error is an
// exception PHP would throw (none here: a bad protocol warns and gives false).
func (rt *Runtime) StreamWrapperRegister(protocol string, class WrapperClass, flags int) (bool, error) {
	if class == nil {
		return false, &Error{Class: "TypeError", Message: "stream_wrapper_register(): Argument #2 ($class) must be a valid class name, null given"}
	}
	return rt.registerWrapper("stream_wrapper_register", protocol, class, int64(flags)), nil
}

// StreamWrapperUnregister is stream_wrapper_unregister($protocol).
func (rt *Runtime) StreamWrapperUnregister(protocol string) (bool, error) {
	return rt.unregisterWrapper("stream_wrapper_unregister", protocol), nil
}

// StreamWrapperRestore is stream_wrapper_restore($protocol).
func (rt *Runtime) StreamWrapperRestore(protocol string) (bool, error) {
	return rt.restoreWrapper("stream_wrapper_restore", protocol), nil
}
