package compat

// The typed string, array and constant functions (see typed.go for the
// conventions).

// Strlen is PHP's
//
//	strlen(string $string): int
func (rt *Runtime) Strlen(s string) (int, error) {
	return intResult(rt.Call("strlen", s))
}

// Md5 is PHP's
//
//	md5(string $string, bool $binary = false): string
//
// binary is optional.
func (rt *Runtime) Md5(s string, binary ...bool) (string, error) {
	args := []Value{s}
	for _, b := range binary {
		args = append(args, b)
	}
	return stringResult(rt.Call("md5", args...))
}

// Bin2hex is PHP's
//
//	bin2hex(string $string): string
func (rt *Runtime) Bin2hex(s string) (string, error) {
	return stringResult(rt.Call("bin2hex", s))
}

// InArray is PHP's
//
//	in_array(mixed $needle, array $haystack, bool $strict = false): bool
//
// needle and the haystack's elements are converted by ToValue (a Go int
// is PHP's int); PHP's loose comparison applies unless strict is given
// true. strict is optional.
func (rt *Runtime) InArray(needle Value, haystack []Value, strict ...bool) (bool, error) {
	args := []Value{ToValue(needle), ToValue(haystack)}
	for _, b := range strict {
		args = append(args, b)
	}
	return boolResult(rt.Call("in_array", args...))
}

// Constant is PHP's
//
//	constant(string $name): mixed
//
// The value is a PHP value (int64, float64, string, bool, nil); an
// undefined name is PHP's Error "Undefined constant". Go code that knows
// the name uses the Go constant of the same name (STREAM_CLIENT_CONNECT).
func (rt *Runtime) Constant(name string) (Value, error) {
	return rt.Call("constant", name)
}

// Defined is PHP's
//
//	defined(string $constant_name): bool
func (rt *Runtime) Defined(name string) (bool, error) {
	return boolResult(rt.Call("defined", name))
}
