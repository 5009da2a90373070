package compat

import (
	"context"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/phpsock/phpsock/internal/phpvalue"
	"github.com/phpsock/phpsock/phpstream"
)

// Level is the severity of a PHP diagnostic: PHP's E_* value.
type Level = phpstream.Level

// Diagnostic levels, with PHP's values (E_WARNING is 2).
const (
	EWarning    = phpstream.EWarning
	ENotice     = phpstream.ENotice
	EDeprecated = phpstream.EDeprecated
)

// Diagnostic is one PHP warning, notice or deprecation: phpstream's type,
// with Func set to the function called (for the texts PHP prefixes).
// Diagnostic.String gives the text exactly as a PHP error handler
// receives it ("fsockopen(): Unable to connect to ...").
type Diagnostic = phpstream.Diagnostic

// ErrUnsupported is returned by Call for a function this package does not have.
type ErrUnsupported struct{ Func string }

func (e *ErrUnsupported) Error() string { return "compat: " + e.Func + "() is not supported" }

// Runtime is one PHP request's worth of state: ini settings, the default
// context, persistent streams, error handlers and the diagnostics sink.
// Its methods are safe for concurrent use; diagnostics are delivered from
// the calling goroutine. A *Runtime returned by Silence is a view of the
// same state that calls as PHP's @ operator does.
type Runtime struct {
	*runtimeState
	// silenced makes this view's calls run as under PHP's @ (Silence).
	silenced bool
	// handling marks the view an error handler gets: diagnostics its calls
	// raise skip the handlers, as PHP's do while a handler runs.
	handling bool
}

// runtimeState is what every view of a Runtime shares.
type runtimeState struct {
	mu   sync.Mutex
	diag func(Diagnostic)
	ini  map[string]string
	// socketTimeout is default_socket_timeout as PHP reads it (an
	// integer), kept by setIniLocked: every connect and open reads it.
	socketTimeout atomic.Int64
	profile       *phpstream.Profile
	defaultCtx    *Resource
	persistent    map[string]*Resource
	dir           string    // the working directory of relative paths; "": the process's
	stats         statCache // PHP's stat cache (filestat.go)
	defaultDir    *Resource // the directory readdir() without argument reads (dir.go)
	// Resolver and Control are passed to every dial (see phpstream.Dialer).
	dialHooks phpstream.Dialer
	// httpLines is $http_response_header's lines (nil: never set), and
	// httpHeaders the array HTTPResponseHeader made of them.
	httpLines   *[]string
	httpHeaders *Array
	// errors is PHP's error handling state (errhandling.go).
	errors errorState
	// out is PHP's output (SetOutput).
	out io.Writer
	// wrappers is the request's wrapper table, classes finds the classes
	// stream_wrapper_register names, exception is what a user wrapper's
	// method threw during the current call (userwrapper.go).
	wrappers  *phpstream.Registry
	classes   func(name string) (WrapperClass, bool)
	exception error
	// hasException is exception != nil, for the checks every call makes.
	hasException atomic.Bool
	// castsUnderWay are the user streams whose stream_cast is running
	// (*phpstream.Stream → struct{}): a stream_cast that returns one of
	// them would make PHP recurse without end; phpsock takes it as no
	// stream. Per runtime, so that requests do not see each other's.
	castsUnderWay sync.Map
}

// NewRuntime returns a runtime emulating PHP 8.2's CLI on Linux with PHP's
// built-in ini defaults (ini.go). Diagnostics are discarded until
// SetDiagnostics is called.
func NewRuntime() *Runtime {
	st := &runtimeState{
		ini:        iniDefaults(),
		profile:    phpstream.DefaultProfile,
		persistent: map[string]*Resource{},
		errors:     errorState{reporting: eAll},
	}
	st.socketTimeout.Store(phpvalue.Int(st.ini["default_socket_timeout"]))
	return &Runtime{runtimeState: st}
}

// SetDiagnostics sets the sink of PHP's standard error handling: it
// receives what PHP would display (the diagnostics no error handler took
// whose level error_reporting includes, while display_errors is on); nil
// discards them.
func (rt *Runtime) SetDiagnostics(f func(Diagnostic)) {
	rt.mu.Lock()
	rt.diag = f
	rt.mu.Unlock()
}

// SetOutput sets where PHP's output goes: what readfile and fpassthru
// print and what is written to php://output; nil (the default) discards
// it. Writes to w happen on the calling goroutine, in order.
func (rt *Runtime) SetOutput(w io.Writer) {
	rt.mu.Lock()
	rt.out = w
	rt.mu.Unlock()
}

func (rt *Runtime) output() io.Writer {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.out
}

// SetDialHooks sets the resolver and socket control hook used by every
// connect of this runtime.
func (rt *Runtime) SetDialHooks(d phpstream.Dialer) {
	rt.mu.Lock()
	rt.dialHooks = phpstream.Dialer{Resolver: d.Resolver, Control: d.Control}
	rt.mu.Unlock()
}

// warn raises a diagnostic prefixed with the function name, as
// php_error_docref does.
func (rt *Runtime) warn(fn string, level Level, msg string) {
	rt.emit(Diagnostic{Level: level, Func: fn, Message: msg, Prefixed: true})
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

// defaultSocketTimeout is default_socket_timeout in seconds, read as PHP
// reads the ini value (an integer).
func (rt *Runtime) defaultSocketTimeout() int64 {
	return rt.socketTimeout.Load()
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
	v, err := f(&call{rt: rt, fn: name, args: args})
	if exc := rt.takeException(); exc != nil && err == nil {
		v, err = nil, exc // a user wrapper's method threw
	}
	// What the streams of the call's resources raised (TLS errors of a
	// read, a handshake's warnings, a user stream's) is PHP's warning of
	// this call. A user stream's methods raise nothing once one of them
	// threw (userwrapper.go), so what is queued was raised before.
	// (stream_select raises those of the resources in its arrays itself.)
	for _, a := range args {
		if r, ok := Deref(a).(*Resource); ok {
			rt.raiseQueued(name, r)
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

// Close closes every persistent stream of the runtime, and the default
// directory (the last opendir's), which nothing else may hold.
func (rt *Runtime) Close() error {
	rt.mu.Lock()
	ps := rt.persistent
	rt.persistent = map[string]*Resource{}
	dir := rt.defaultDir
	rt.defaultDir = nil
	rt.mu.Unlock()
	for _, r := range ps {
		r.close()
	}
	if dir != nil {
		dir.close()
	}
	return nil
}

// Free releases a result that no variable holds, as PHP does when a
// refcount drops to zero: a non-persistent stream is closed.
func Free(v Value) {
	if r, ok := Deref(v).(*Resource); ok && r.kind == kindStream && !r.persistent && !r.heldByDefaultDir() {
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
