package compat

// PHP's error handling: what zend_error and php_error_cb do with a
// diagnostic, for ported code that installs handlers, reads
// error_reporting, silences calls with @ and asks error_get_last. Each
// rule below was observed with php -n 8.2 (compat/errhandling_test.go cites the
// scripts).

// ErrorHandler is an error handler as set_error_handler takes one. It gets
// the diagnostic and a view of the runtime the diagnostic was raised
// through: that view's ErrorReporting is what error_reporting() returns
// inside a PHP handler (4437 during a silenced call), and what calls made
// through it raise skips the handlers, as PHP's do while a handler runs.
// Returning false lets PHP's standard handling go on (error_get_last and
// the SetDiagnostics sink); true ends it, as any other return value of a
// PHP handler does.
type ErrorHandler func(rt *Runtime, d Diagnostic) bool

// eAll is E_ALL, PHP 8's built-in error_reporting.
const eAll = E_ALL

// silencedReporting is what PHP 8's @ leaves of error_reporting during the
// call: E_ERROR | E_CORE_ERROR | E_COMPILE_ERROR | E_USER_ERROR |
// E_RECOVERABLE_ERROR | E_PARSE (4437).
const silencedReporting = E_ERROR | E_CORE_ERROR | E_COMPILE_ERROR | E_USER_ERROR | E_RECOVERABLE_ERROR | E_PARSE

// errorState is the runtime's part of PHP's error handling; the runtime's
// mu guards it.
type errorState struct {
	handlers  []errorHandler // set_error_handler's stack, the last on top
	reporting int            // error_reporting
	last      Diagnostic     // error_get_last, when hasLast
	hasLast   bool
}

// errorHandler is one entry of the handler stack (fn nil: none, as
// set_error_handler(null) pushes).
type errorHandler struct {
	fn     ErrorHandler
	levels int
}

// SetErrorHandler is set_error_handler: h handles the diagnostics whose
// level is in levels (pass E_ALL, 32767, for all) until RestoreErrorHandler
// or another SetErrorHandler; nil pushes "no handler". It returns the
// handler it replaces (nil if none). PHP calls a handler whatever
// error_reporting says, also during a silenced call.
func (rt *Runtime) SetErrorHandler(h ErrorHandler, levels int) (previous ErrorHandler) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if n := len(rt.errors.handlers); n > 0 {
		previous = rt.errors.handlers[n-1].fn
	}
	rt.errors.handlers = append(rt.errors.handlers, errorHandler{fn: h, levels: levels})
	return previous
}

// RestoreErrorHandler is restore_error_handler: the handler before the
// last SetErrorHandler is back. It returns true, as PHP's always does.
func (rt *Runtime) RestoreErrorHandler() bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if n := len(rt.errors.handlers); n > 0 {
		rt.errors.handlers = rt.errors.handlers[:n-1]
	}
	return true
}

// reporting is error_reporting: it returns the level in effect (4437
// on a Silence view while the runtime's includes more, as error_reporting()
// returns during @) and, given a level, makes it the runtime's (PHP CLI's
// built-in one is E_ALL, 32767). It is the ini setting error_reporting too.
func (rt *Runtime) reporting(level ...int) int {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	old := rt.reportingLocked()
	if len(level) > 0 {
		rt.setIniLocked("error_reporting", itoa(int64(level[0]))) // error_reporting() is the ini setting
	}
	return old
}

// reportingLocked is the error_reporting in effect for rt; rt.mu is held.
func (rt *Runtime) reportingLocked() int {
	if rt.silenced {
		return rt.errors.reporting & silencedReporting
	}
	return rt.errors.reporting
}

// Silence returns a view of rt whose calls run as PHP's @ runs them:
// error_reporting is 4437 during them, so no warning reaches the
// SetDiagnostics sink, while error handlers are still called and
// error_get_last is still set. rt.Silence().Call("fsockopen", ...) is
// @fsockopen(...). The view shares all of rt's state; only calls made
// through it are silenced, so other goroutines using rt are not (PHP's @
// changes a global for the duration, which a Go program with goroutines
// cannot).
func (rt *Runtime) Silence() *Runtime {
	return &Runtime{runtimeState: rt.runtimeState, silenced: true, handling: rt.handling}
}

// lastError is error_get_last: the last diagnostic PHP's standard
// handling took (one no handler took or a handler passed on by returning
// false, whatever error_reporting says), ok false if none since the start
// or error_clear_last. PHP's array has its type (d.Level), message
// (d.String()), file and line; a Go caller has no script file or line.
func (rt *Runtime) lastError() (d Diagnostic, ok bool) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.errors.last, rt.errors.hasLast
}

// clearLastError is error_clear_last.
func (rt *Runtime) clearLastError() {
	rt.mu.Lock()
	rt.errors.last, rt.errors.hasLast = Diagnostic{}, false
	rt.mu.Unlock()
}

// emit raises d as zend_error does: the handler on top of the stack if
// its levels include d's (and rt is not a handler's view), then, unless
// it returned true, PHP's standard handling: error_get_last, and the sink
// when error_reporting includes the level and display_errors is on.
func (rt *Runtime) emit(d Diagnostic) {
	rt.mu.Lock()
	if rt.exception != nil {
		// Nothing is raised while a user wrapper's exception is pending:
		// PHP runs no error handler then, nor its standard handling
		// (recorded: userwrapper/throw-*).
		rt.mu.Unlock()
		return
	}
	var h ErrorHandler
	if n := len(rt.errors.handlers); n > 0 && !rt.handling {
		if top := rt.errors.handlers[n-1]; top.levels&int(d.Level) != 0 {
			h = top.fn
		}
	}
	rt.mu.Unlock()
	if h != nil && h(&Runtime{runtimeState: rt.runtimeState, silenced: rt.silenced, handling: true}, d) {
		return
	}
	rt.mu.Lock()
	rt.errors.last, rt.errors.hasLast = d, true
	show := rt.reportingLocked()&int(d.Level) != 0 && displayErrors(rt.ini["display_errors"])
	f := rt.diag
	rt.mu.Unlock()
	if show && f != nil {
		f(d)
	}
}

// raiseQueued raises what r's stream raised during a call of fn: texts PHP
// prefixes carry fn's name.
func (rt *Runtime) raiseQueued(fn string, r *Resource) {
	if r == nil {
		return
	}
	if queued := r.takeQueued(); queued != nil {
		raise := rt.prefixedBy(fn)
		for _, d := range queued {
			raise(d)
		}
	}
}

// diagnostics is a DiagnosticFunc raising PHP's diagnostics as c's
// (the texts PHP prefixes carry c's function name), for what phpstream
// raises during c.
func (c *call) diagnostics() func(Diagnostic) { return c.rt.prefixedBy(c.fn) }

// prefixedBy is a DiagnosticFunc raising diagnostics as fn's.
func (rt *Runtime) prefixedBy(fn string) func(Diagnostic) {
	return func(d Diagnostic) {
		if d.Prefixed && d.Func == "" {
			d.Func = fn
		}
		rt.emit(d)
	}
}

func init() {
	functions["error_reporting"] = errorReporting
	functions["error_get_last"] = errorGetLast
	functions["error_clear_last"] = errorClearLast
}

// errorReporting is error_reporting(?int $error_level = null): int.
func errorReporting(c *call) (Value, error) {
	if err := c.arity(0, 1); err != nil {
		return nil, err
	}
	level, set, err := c.integer(0, param{name: "error_level", nullable: true})
	if err != nil {
		return nil, err
	}
	if set {
		return int64(c.rt.reporting(int(level))), nil
	}
	return int64(c.rt.reporting()), nil
}

// errorGetLast is error_get_last(): ?array, with PHP's keys type, message,
// file and line; a Go caller has no script, so file is "" and line 0.
func errorGetLast(c *call) (Value, error) {
	if err := c.arity(0, 0); err != nil {
		return nil, err
	}
	d, ok := c.rt.lastError()
	if !ok {
		return nil, nil
	}
	a := NewArray()
	a.Set("type", int64(d.Level))
	a.Set("message", d.String())
	a.Set("file", "")
	a.Set("line", int64(0))
	return a, nil
}

// errorClearLast is error_clear_last(): void (null).
func errorClearLast(c *call) (Value, error) {
	if err := c.arity(0, 0); err != nil {
		return nil, err
	}
	c.rt.clearLastError()
	return nil, nil
}
