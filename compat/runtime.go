package compat

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/phpsock/phpsock/internal/phpvalue"
	"github.com/phpsock/phpsock/phpstream"
)

// Level is the severity of a PHP diagnostic (E_WARNING, E_NOTICE, E_DEPRECATED).
type Level = phpstream.Level

// Diagnostic levels.
const (
	EWarning    = phpstream.EWarning
	ENotice     = phpstream.ENotice
	EDeprecated = phpstream.EDeprecated
)

// Diagnostic is one PHP warning, notice or deprecation, with the message
// exactly as a PHP error handler receives it ("fsockopen(): Unable to ...").
type Diagnostic = phpstream.Diagnostic

// ErrUnsupported is returned by Call for a function this package does not have.
type ErrUnsupported struct{ Func string }

func (e *ErrUnsupported) Error() string { return "compat: " + e.Func + "() is not supported" }

// Runtime is one PHP request's worth of state: ini settings, the default
// context, persistent streams and the diagnostics sink. Its methods are safe
// for concurrent use; diagnostics are delivered from the calling goroutine.
type Runtime struct {
	mu         sync.Mutex
	diag       func(Diagnostic)
	ini        map[string]string
	profile    *phpstream.Profile
	defaultCtx *Resource
	persistent map[string]*Resource
	dir        string    // the working directory of relative paths; "": the process's
	stats      statCache // PHP's stat cache (filestat.go)
	// Resolver and Control are passed to every dial (see phpstream.Dialer).
	dialHooks phpstream.Dialer
	// httpHeaders is $http_response_header (HTTPResponseHeader).
	httpHeaders *Array
	// wrappers is the request's wrapper table, classes finds the classes
	// stream_wrapper_register names, exception is what a user wrapper's
	// method threw during the current call (userwrapper.go).
	wrappers  *phpstream.Registry
	classes   func(name string) (WrapperClass, bool)
	exception error
}

// NewRuntime returns a runtime emulating PHP 8.2 on Linux with PHP's ini
// defaults. Diagnostics are discarded until SetDiagnostics is called.
func NewRuntime() *Runtime {
	return &Runtime{
		ini:        map[string]string{"default_socket_timeout": "60"},
		profile:    phpstream.DefaultProfile,
		persistent: map[string]*Resource{},
	}
}

// SetDiagnostics sets the sink for warnings, notices and deprecations;
// nil discards them.
func (rt *Runtime) SetDiagnostics(f func(Diagnostic)) {
	rt.mu.Lock()
	rt.diag = f
	rt.mu.Unlock()
}

// SetDialHooks sets the resolver and socket control hook used by every
// connect of this runtime.
func (rt *Runtime) SetDialHooks(d phpstream.Dialer) {
	rt.mu.Lock()
	rt.dialHooks = phpstream.Dialer{Resolver: d.Resolver, Control: d.Control}
	rt.mu.Unlock()
}

func (rt *Runtime) emit(d Diagnostic) {
	rt.mu.Lock()
	f := rt.diag
	if rt.exception != nil {
		// PHP calls no error handler while an exception is pending
		// (recorded: userwrapper/throw-*).
		f = nil
	}
	rt.mu.Unlock()
	if f != nil {
		f(d)
	}
}

// warn raises a diagnostic prefixed with the function name, as
// php_error_docref does.
func (rt *Runtime) warn(fn string, level Level, msg string) {
	rt.emit(Diagnostic{Level: level, Message: fn + "(): " + msg})
}

// SetDir sets the working directory relative paths are opened from, as
// PHP's current directory is for a script ("" is the process's own). It is
// the runtime's, not the process's: runtimes serving different requests
// can have different ones.
func (rt *Runtime) SetDir(dir string) {
	rt.mu.Lock()
	rt.dir = dir
	rt.mu.Unlock()
}

// SetIni sets an ini value, like ini_set.
func (rt *Runtime) SetIni(name, value string) error {
	rt.mu.Lock()
	rt.ini[name] = value
	rt.mu.Unlock()
	return nil
}

// Ini returns an ini value.
func (rt *Runtime) Ini(name string) string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.ini[name]
}

// defaultSocketTimeout is default_socket_timeout in seconds, read as PHP
// reads the ini value (an integer).
func (rt *Runtime) defaultSocketTimeout() int64 {
	return phpvalue.Int(rt.Ini("default_socket_timeout"))
}

// Call calls the PHP function name with PHP's own signature. By-reference
// parameters take a *Ref (nil or a plain value means no output). An
// exception PHP would throw is returned as an *Error; a function this
// package lacks gives *ErrUnsupported.
func (rt *Runtime) Call(name string, args ...Value) (Value, error) {
	f, ok := functions[name]
	if !ok {
		return nil, &ErrUnsupported{Func: name}
	}
	nameUserStreams(name, args)
	v, err := f(&call{rt: rt, fn: name, args: args})
	if exc := rt.takeException(); exc != nil && err == nil {
		v, err = nil, exc // a user wrapper's method threw
	}
	// Warnings raised inside a stream's I/O (TLS errors) carry this call's name.
	if len(args) > 0 {
		if r, ok := Deref(args[0]).(*Resource); ok && r.stream != nil {
			for _, d := range r.stream.TakeDiagnostics() {
				rt.warn(name, d.Level, d.Message)
			}
		}
	}
	return v, err
}

// Functions lists the PHP functions Call supports.
func Functions() []string {
	out := make([]string, 0, len(functions))
	for n := range functions {
		out = append(out, n)
	}
	return out
}

// functions is the table of Call; files with more functions add to it
// from their init functions (package-level initialisation runs first).
var functions = map[string]func(*call) (Value, error){
	"fsockopen":                  fsockopen,
	"pfsockopen":                 pfsockopen,
	"stream_socket_client":       streamSocketClient,
	"stream_context_create":      streamContextCreate,
	"stream_context_set_option":  streamContextSetOption,
	"stream_context_get_options": streamContextGetOptions,
	"stream_context_get_params":  streamContextGetParams,
	"stream_context_set_default": streamContextSetDefault,
	"stream_context_get_default": streamContextGetDefault,
	"stream_get_transports":      streamGetTransports,
	"get_resource_type":          getResourceType,
	"is_resource":                isResource,
	"fclose":                     fclose,
	"fwrite":                     fwrite,
	"fputs":                      fwrite,
	"fread":                      fread,
	"stream_get_meta_data":       streamGetMetaData,
	"socket_get_status":          streamGetMetaData,
	"stream_set_timeout":         streamSetTimeout,
	"socket_set_timeout":         streamSetTimeout,
	"constant":                   constantFn,
	"defined":                    definedFn,
	"stream_socket_get_name":     streamSocketGetName,
	"fgets":                      fgets,
	"fgetc":                      fgetc,
	"feof":                       feof,
	"fflush":                     fflush,
	"stream_get_line":            streamGetLine,
	"stream_get_contents":        streamGetContents,
	"fseek":                      fseek,
	"rewind":                     rewind,
	"ftell":                      ftell,
	"stream_set_blocking":        streamSetBlocking,
	"socket_set_blocking":        streamSetBlocking,
	"stream_set_chunk_size":      streamSetChunkSize,
	"stream_set_read_buffer":     streamSetReadBuffer,
	"stream_set_write_buffer":    streamSetWriteBuffer,
	"stream_socket_shutdown":     streamSocketShutdown,
	"stream_is_local":            streamIsLocal,
	"stream_isatty":              streamIsatty,
	"stream_supports_lock":       streamSupportsLock,
}

// Close closes every persistent stream of the runtime.
func (rt *Runtime) Close() error {
	rt.mu.Lock()
	ps := rt.persistent
	rt.persistent = map[string]*Resource{}
	rt.mu.Unlock()
	for _, r := range ps {
		r.close()
	}
	return nil
}

// Free releases a result that no variable holds, as PHP does when a
// refcount drops to zero: a non-persistent stream is closed.
func Free(v Value) {
	if r, ok := Deref(v).(*Resource); ok && r.kind == kindStream && !r.persistent {
		r.close()
	}
}

func (r *Resource) close() {
	if r.closed.Swap(true) {
		return
	}
	if r.stream != nil {
		r.stream.Close()
	}
}

// timeoutDuration converts PHP's float seconds to the dialer's timeout as
// PHP converts it: microseconds truncated toward zero, then milliseconds
// for poll, where negative means forever and 0 means no waiting.
func timeoutDuration(sec float64) time.Duration {
	us := int64(sec * 1e6)
	if us < 0 {
		return -1
	}
	if us < 1000 {
		return time.Nanosecond // poll once, as PHP's timeout of 0 ms
	}
	return time.Duration(us) * time.Microsecond
}

var background = context.Background()

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
