package compat

import (
	"errors"
	"fmt"

	"github.com/phpsock/phpsock/internal/phpvalue"
	"github.com/phpsock/phpsock/phpstream"
)

// User wrappers (PHP's main/streams/userspace.c): stream_wrapper_register
// binds a protocol to a class; each stream, url_stat, unlink, rename, mkdir
// and rmdir makes a fresh instance of it and calls its methods by name.
// An embedded interpreter implements WrapperClass and WrapperObject with
// its PHP classes; Go code implements them in Go. The runtime raises PHP's
// warnings for missing methods and wrong return types (recorded:
// userwrapper/*).

// WrapperClass is a class a user wrapper is registered with.
type WrapperClass interface {
	// Name is the class name as PHP spells it in its warnings.
	Name() string
	// New is PHP's `new $class` for one stream or operation, with the
	// object's context property set to ctx (a stream-context resource, or
	// nil for PHP's null) before the constructor runs. A nil object with a
	// nil error is a class PHP cannot instantiate (abstract): the
	// operation fails quietly. An error is an exception (*Error) the
	// constructor threw. rt is the runtime the object serves; an
	// implementation raises through rt.Raise what PHP's engine would raise
	// itself (e.g. the deprecation of a dynamic context property).
	New(rt *Runtime, ctx *Resource) (WrapperObject, error)
}

// WrapperObject is one instance of a WrapperClass.
type WrapperObject interface {
	// CallMethod calls the method name with args (stream_open's
	// &$opened_path is a *Ref). exists is false when the object has no
	// such method and no __call: PHP's "X::name is not implemented!"
	// warnings follow. An error is an exception (*Error) the method threw:
	// it propagates out of the PHP function being run, as in PHP, and until
	// that function returns no other method runs and no diagnostic is
	// raised. The pending exception is the runtime's, as PHP's is the
	// request's: calls running user wrappers concurrently on one runtime
	// share it, so an interpreter serialises them as PHP does.
	//
	// The stream a method serves is locked while the method runs: the
	// method must not call the runtime on that same stream.
	CallMethod(name string, args ...Value) (ret Value, exists bool, err error)
}

// userWrapper is a registered wrapper: its class and its flags.
type userWrapper struct {
	rt    *Runtime
	class WrapperClass
	isURL bool
}

func init() {
	functions["stream_wrapper_register"] = streamWrapperRegister
	functions["stream_wrapper_unregister"] = streamWrapperUnregister
	functions["stream_wrapper_restore"] = streamWrapperRestore
}

// SetWrapperClasses sets how stream_wrapper_register called by name
// (Call) finds a class: lookup returns it for a class name, false for an
// unknown one (PHP's TypeError). Without it no class is known.
func (rt *Runtime) SetWrapperClasses(lookup func(name string) (WrapperClass, bool)) {
	rt.mu.Lock()
	rt.classes = lookup
	rt.mu.Unlock()
}

// Raise raises a diagnostic through PHP's error handling (the error
// handlers, error_get_last, the SetDiagnostics sink) exactly as given (no
// function prefix), for a wrapper implementation raising what PHP's
// engine raises itself while running a wrapper's PHP code.
func (rt *Runtime) Raise(level Level, message string) {
	rt.emit(Diagnostic{Level: level, Message: message})
}

// wrapperTable is the runtime's wrapper table (PHP's per-request
// FG(stream_wrappers)), made at first use.
func (rt *Runtime) wrapperTable() *phpstream.Registry {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.wrappers == nil {
		rt.wrappers = phpstream.NewRegistry()
	}
	return rt.wrappers
}

// throw records an exception a wrapper method threw; Call returns it as
// the function's own (the first one wins, as PHP's EG(exception)).
func (rt *Runtime) throw(err error) {
	rt.mu.Lock()
	if rt.exception == nil {
		rt.exception = err
		rt.hasException.Store(true)
	}
	rt.mu.Unlock()
}

// takeException returns and clears what throw recorded.
func (rt *Runtime) takeException() error {
	if !rt.hasException.Load() {
		return nil // the common case, without the runtime's lock
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	err := rt.exception
	rt.exception = nil
	rt.hasException.Store(false)
	return err
}

// stream_wrapper_register(string $protocol, string $class, int $flags = 0): bool
func streamWrapperRegister(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	protocol, _, err := c.str(0, param{name: "protocol"})
	if err != nil {
		return nil, err
	}
	var class WrapperClass
	if wc, ok := c.arg(1).(WrapperClass); ok {
		class = wc
	} else {
		name, _, err := c.str(1, param{name: "class"})
		if err != nil {
			return nil, err
		}
		c.rt.mu.Lock()
		lookup := c.rt.classes
		c.rt.mu.Unlock()
		ok := false
		if lookup != nil {
			class, ok = lookup(name)
		}
		if !ok {
			return nil, &Error{Class: "TypeError", Message: c.fn + "(): Argument #2 ($class) must be a valid class name, " + name + " given"}
		}
	}
	var flags int64
	if c.has(2) {
		if flags, _, err = c.integer(2, param{name: "flags"}); err != nil {
			return nil, err
		}
	}
	return c.rt.registerWrapper(c.fn, protocol, class, flags), nil
}

func (rt *Runtime) registerWrapper(fn, protocol string, class WrapperClass, flags int64) bool {
	err := rt.wrapperTable().Register(protocol, &userWrapper{rt: rt, class: class, isURL: flags&STREAM_IS_URL != 0})
	switch {
	case errors.Is(err, phpstream.ErrWrapperExists):
		rt.warn(fn, EWarning, "Protocol "+protocol+":// is already defined.")
	case err != nil:
		rt.warn(fn, EWarning, "Invalid protocol scheme specified. Unable to register wrapper class "+class.Name()+" to "+protocol+"://")
	}
	return err == nil
}

// stream_wrapper_unregister(string $protocol): bool
func streamWrapperUnregister(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	protocol, _, err := c.str(0, param{name: "protocol"})
	if err != nil {
		return nil, err
	}
	return c.rt.unregisterWrapper(c.fn, protocol), nil
}

func (rt *Runtime) unregisterWrapper(fn, protocol string) bool {
	if !rt.wrapperTable().Unregister(protocol) {
		rt.warn(fn, EWarning, "Unable to unregister protocol "+protocol+"://")
		return false
	}
	return true
}

// stream_wrapper_restore(string $protocol): bool
func streamWrapperRestore(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	protocol, _, err := c.str(0, param{name: "protocol"})
	if err != nil {
		return nil, err
	}
	return c.rt.restoreWrapper(c.fn, protocol), nil
}

func (rt *Runtime) restoreWrapper(fn, protocol string) bool {
	switch rt.wrapperTable().Restore(protocol) {
	case phpstream.NeverExisted:
		rt.warn(fn, EWarning, protocol+":// never existed, nothing to restore")
		return false
	case phpstream.NeverChanged:
		rt.warn(fn, ENotice, protocol+":// was never changed, nothing to restore")
	}
	return true
}

// userWrapperOf is the user wrapper path locates to, found silently
// (the lookup's warnings are raised where the built-in wrappers are
// looked up).
func (c *call) userWrapperOf(path string) (*userWrapper, bool) {
	l, ok := c.rt.wrapperTable().Locate(path, nil, false)
	if !ok {
		return nil, false
	}
	w, isUser := l.User.(*userWrapper)
	return w, isUser
}

// newObject is user_stream_create_object with ctx as the context
// property; nil when PHP makes none (an abstract class, or an exception,
// recorded for Call).
func (c *call) newObject(w *userWrapper, ctx *Resource) WrapperObject {
	if c.rt.exceptionPending() {
		return nil // PHP runs no user code while an exception is pending
	}
	obj, err := w.class.New(c.rt, ctx)
	if err != nil {
		c.rt.throw(err)
		return nil
	}
	return obj
}

// method calls name on obj: exists false where PHP finds no method; an
// exception is recorded for Call and reads as an undefined result (ok
// false).
func (c *call) method(obj WrapperObject, name string, args ...Value) (ret Value, exists, ok bool) {
	return c.rt.callMethod(obj, name, args...)
}

// callMethod calls name on obj unless a method threw already (no user
// code runs then; recorded: userwrapper/throw-functions); an exception is
// recorded for Call and reads as an undefined result (ok false).
func (rt *Runtime) callMethod(obj WrapperObject, name string, args ...Value) (ret Value, exists, ok bool) {
	if rt.exceptionPending() {
		return nil, true, false
	}
	ret, exists, err := obj.CallMethod(name, args...)
	if err != nil {
		rt.throw(err)
		return nil, true, false
	}
	return ret, exists, exists
}

// openUser is user_wrapper_opener: a fresh object, stream_open($path,
// $mode, $options, &$opened_path), and the stream over its methods, or
// the reason for PHP's "Failed to open stream: ...": a missing
// stream_open fails as one returning false does in PHP 8.2 (recorded:
// userwrapper/no-stream-open). The options PHP passes are
// STREAM_USE_PATH or 0 (REPORT_ERRORS is the caller's; recorded:
// userwrapper/log-open-options).
func (c *call) openUser(w *userWrapper, url, mode string) (*phpstream.Stream, *phpstream.OpenError) {
	obj := c.newObject(w, c.rt.defaultContextOr(c.openCtx))
	if obj == nil {
		return nil, &phpstream.OpenError{Msg: "operation failed"}
	}
	var options int64
	if c.useIncludePath {
		options = STREAM_USE_PATH
	}
	ret, exists, ok := c.method(obj, "stream_open", url, mode, options, &Ref{})
	switch {
	case !ok && exists:
		return nil, &phpstream.OpenError{Msg: "operation failed"}
	case !phpvalue.Bool(ret):
		return nil, &phpstream.OpenError{Msg: `"` + w.class.Name() + `::stream_open" call failed`}
	}
	return phpstream.NewOpsStream(&userOps{c: c.rt, w: w, obj: obj}, url, mode, &Object{Class: w.class.Name(), Data: obj}, c.diagnostics()), nil
}

// defaultContextOr is the context an open gives its wrapper: the call's,
// or the default context.
func (rt *Runtime) defaultContextOr(r *Resource) *Resource {
	if r != nil {
		return r
	}
	return rt.defaultContext()
}

// userOps is a user stream's I/O: PHP's php_stream_userspace_ops over
// the object's methods.
type userOps struct {
	c   *Runtime
	w   *userWrapper
	obj WrapperObject
}

var _ phpstream.StreamOps = (*userOps)(nil)

func (u *userOps) name(m string) string { return u.w.class.Name() + "::" + m }

func (u *userOps) call(m string, args ...Value) (ret Value, exists, ok bool) {
	return u.c.callMethod(u.obj, m, args...)
}

// warnf raises a warning of the PHP function running the stream's
// method (php_error_docref) through the stream's DiagnosticFunc.
func warnf(diag phpstream.DiagnosticFunc, format string, a ...any) {
	if diag != nil {
		diag(Diagnostic{Level: EWarning, Message: fmt.Sprintf(format, a...), Prefixed: true})
	}
}

// Read is php_userstreamop_read (stream_eof follows in EOF).
func (u *userOps) Read(diag phpstream.DiagnosticFunc, n int) ([]byte, bool) {
	ret, exists, ok := u.call("stream_read", int64(n))
	switch {
	case !exists:
		warnf(diag, "%s is not implemented!", u.name("stream_read"))
		return nil, false
	case !ok, ret == false:
		return nil, false
	}
	s := stringOf(diag, ret)
	if len(s) > n {
		warnf(diag, "%s - read %d bytes more data than requested (%d read, %d max) - excess data will be lost", u.name("stream_read"), len(s)-n, len(s), n)
		s = s[:n]
	}
	return []byte(s), true
}

// stringOf is a method's result converted to a string as PHP's
// convert_to_string does, an array with the engine's own warning, without
// prefix, on diag (recorded: userwrapper/bad-read-types, dir/user-odd).
func stringOf(diag phpstream.DiagnosticFunc, v Value) string {
	if _, isArray := v.(*Array); isArray {
		if diag != nil {
			diag(Diagnostic{Level: EWarning, Message: "Array to string conversion"})
		}
		return "Array"
	}
	return phpvalue.String(v)
}

// EOF is the stream_eof call after a read: a missing method is PHP's
// warning and EOF; an exception fails the read (recorded:
// userwrapper/throw-eof).
func (u *userOps) EOF(diag phpstream.DiagnosticFunc) (eof, ok bool) {
	ret, exists, ok := u.call("stream_eof")
	switch {
	case !exists:
		warnf(diag, "%s is not implemented! Assuming EOF", u.name("stream_eof"))
		return true, true
	case !ok:
		return true, false
	}
	return phpvalue.Bool(ret), true
}

// Alive is PHP_STREAM_OPTION_CHECK_LIVENESS: stream_eof must answer a
// bool; anything else is PHP's "not implemented" warning and EOF
// (recorded: userwrapper/magic-call).
func (u *userOps) Alive(diag phpstream.DiagnosticFunc) bool {
	ret, _, ok := u.call("stream_eof")
	if b, isBool := ret.(bool); ok && isBool {
		return !b
	}
	if ok || !u.c.exceptionPending() {
		warnf(diag, "%s is not implemented! Assuming EOF", u.name("stream_eof"))
	}
	return false
}

// exceptionPending reports whether a wrapper method threw during the
// current call.
func (rt *Runtime) exceptionPending() bool { return rt.hasException.Load() }

// Write is php_userstreamop_write.
func (u *userOps) Write(diag phpstream.DiagnosticFunc, p []byte) (int, bool) {
	ret, exists, ok := u.call("stream_write", string(p))
	switch {
	case !exists:
		warnf(diag, "%s is not implemented!", u.name("stream_write"))
		return 0, false
	case !ok, ret == false:
		return 0, false
	}
	n := phpvalue.Int(ret)
	if n > int64(len(p)) {
		warnf(diag, "%s wrote %d bytes more data than requested (%d written, %d max)", u.name("stream_write"), n-int64(len(p)), n, len(p))
		n = int64(len(p))
	}
	if n < 0 {
		return 0, false
	}
	return int(n), true
}

// Seek is php_userstreamop_seek: stream_seek, then stream_tell for the
// position, which must be an int.
func (u *userOps) Seek(diag phpstream.DiagnosticFunc, offset int64, whence int) (int64, phpstream.SeekResult) {
	ret, exists, ok := u.call("stream_seek", offset, int64(whence))
	switch {
	case !exists:
		return 0, phpstream.SeekUnsupported
	case !ok || !phpvalue.Bool(ret):
		return 0, phpstream.SeekFailed
	}
	ret, exists, ok = u.call("stream_tell")
	if !exists {
		warnf(diag, "%s is not implemented!", u.name("stream_tell"))
		return 0, phpstream.SeekFailed
	}
	if pos, isInt := ret.(int64); ok && isInt {
		return pos, phpstream.SeekDone
	}
	return 0, phpstream.SeekFailed
}

// Flush is php_userstreamop_flush: no warning when missing.
func (u *userOps) Flush(diag phpstream.DiagnosticFunc) bool {
	ret, _, ok := u.call("stream_flush")
	return ok && phpvalue.Bool(ret)
}

// Stat is php_userstreamop_stat.
func (u *userOps) Stat(diag phpstream.DiagnosticFunc) (phpstream.StatInfo, bool) {
	ret, exists, ok := u.call("stream_stat")
	if !exists {
		warnf(diag, "%s is not implemented!", u.name("stream_stat"))
		return phpstream.StatInfo{}, false
	}
	return statFromArray(ret, ok)
}

// statFromArray is statbuf_from_array: the named entries of an array
// (zval_get_long of each), missing ones 0; anything else fails.
func statFromArray(v Value, ok bool) (phpstream.StatInfo, bool) {
	a, isArray := v.(*Array)
	if !ok || !isArray {
		return phpstream.StatInfo{}, false
	}
	var st phpstream.StatInfo
	for _, f := range []struct {
		key string
		dst *int64
	}{
		{"dev", &st.Dev}, {"ino", &st.Ino}, {"mode", &st.Mode}, {"nlink", &st.Nlink},
		{"uid", &st.UID}, {"gid", &st.GID}, {"rdev", &st.Rdev}, {"size", &st.Size},
		{"atime", &st.Atime}, {"mtime", &st.Mtime}, {"ctime", &st.Ctime},
		{"blksize", &st.Blksize}, {"blocks", &st.Blocks},
	} {
		if e, found := a.Get(f.key); found {
			*f.dst = phpvalue.Int(Deref(e))
		}
	}
	return st, true
}

// SetOption is user_stream_set_option: stream_set_option($option,
// $arg1, $arg2), OK when it returns something true.
func (u *userOps) SetOption(diag phpstream.DiagnosticFunc, option, value int, arg int64, argNull bool) int {
	var a2 Value = arg
	if argNull {
		a2 = nil
	}
	ret, exists, ok := u.call("stream_set_option", int64(option), int64(value), a2)
	switch {
	case !exists:
		warnf(diag, "%s is not implemented!", u.name("stream_set_option"))
		return phpstream.OptionErr
	case ok && phpvalue.Bool(ret):
		return phpstream.OptionOK
	}
	return phpstream.OptionErr
}

// Truncate is PHP_STREAM_OPTION_TRUNCATE_API: stream_truncate($size),
// which must return a bool (recorded: phpt-userwrapper/userstreams_005-*).
func (u *userOps) Truncate(diag phpstream.DiagnosticFunc, size int64) (supported, ok bool) {
	ret, exists, ok := u.call("stream_truncate", size)
	switch {
	case !exists:
		return false, false
	case !ok:
		return true, false
	}
	b, isBool := ret.(bool)
	if !isBool {
		warnf(diag, "%s did not return a boolean!", u.name("stream_truncate"))
		return true, false
	}
	return true, b
}

// Close is php_userstreamop_close: stream_close, missing or not.
func (u *userOps) Close(diag phpstream.DiagnosticFunc) {
	u.call("stream_close")
}

// bufferMode and bufferSize are what stream_set_read_buffer and
// stream_set_write_buffer pass a stream's set_option for a size: no
// buffer and BUFSIZ for 0, a full buffer of that size otherwise
// (recorded: userwrapper/log-set-options).
func bufferMode(size int64) int {
	if size == 0 {
		return STREAM_BUFFER_NONE
	}
	return STREAM_BUFFER_FULL
}

func bufferSize(size int64) int64 {
	if size == 0 {
		return 8192 // BUFSIZ
	}
	return size
}

// bufferResult is their return value: 0 when the option was set, else
// EOF (-1).
func bufferResult(res int) int64 {
	if res == phpstream.OptionOK {
		return 0
	}
	return -1
}
