package phpstream

import (
	"context"
	"log/slog"
	"strconv"
)

// Level is the severity of a PHP diagnostic: the value of PHP's E_*
// constant (E_WARNING is 2), so that it can be tested against a PHP
// error_reporting mask.
type Level int

// The levels the stream functions raise, with PHP's values.
const (
	EWarning    Level = 2    // E_WARNING
	ENotice     Level = 8    // E_NOTICE
	EDeprecated Level = 8192 // E_DEPRECATED
)

// String returns PHP's constant name: E_WARNING, E_NOTICE or E_DEPRECATED
// (Level(n) for any other value).
func (l Level) String() string {
	switch l {
	case EWarning:
		return "E_WARNING"
	case ENotice:
		return "E_NOTICE"
	case EDeprecated:
		return "E_DEPRECATED"
	}
	return "Level(" + strconv.Itoa(int(l)) + ")"
}

// A Diagnostic is one warning, notice or deprecation PHP would raise. Its
// fields mean the same wherever it is delivered; String gives PHP's full
// text, what a PHP error handler receives as $errstr.
type Diagnostic struct {
	Level Level
	// Func is the PHP function named in the text's "func(): " prefix, ""
	// when the text has no function prefix. phpstream does not know which
	// PHP function is running and leaves it "" (see Prefixed); compat fills
	// it in.
	Func string
	// Param is the text between the prefix's parentheses, which PHP's
	// php_error_docref1/2 fill in ("fopen(/x): Failed to open stream: ..."
	// has Func "fopen" and Param "/x"); usually "".
	Param string
	// Message is the text after the prefix.
	Message string
	// Prefixed reports that PHP prefixes the text with the name of the
	// function being called (php_error_docref); false for texts PHP raises
	// bare (php_error, zend_error: "Array to string conversion", the TLS
	// setup's cafile stream texts).
	Prefixed bool
}

// String returns the diagnostic's text as PHP formats it:
// "fsockopen(): Unable to connect to ..." (Func and Param in the prefix),
// or Message alone when Func is "".
func (d Diagnostic) String() string {
	if d.Func == "" {
		return d.Message
	}
	return d.Func + "(" + d.Param + "): " + d.Message
}

// DiagnosticFunc receives diagnostics in the order PHP raises them. It is
// the one way diagnostics leave phpstream: Dialer, ListenConfig and
// OpenOptions take one for what the operation raises and hand it to the
// stream it returns, whose own operations (reads, writes, EnableCrypto,
// SelectCast) report to it (Stream.SetDiagnostics replaces it); functions
// that work on no stream take one as an argument. nil discards.
//
// A DiagnosticFunc is called synchronously, from the goroutine doing the
// operation, before the operation returns, possibly with the stream's
// locks held: it must not call methods of the stream that raised the
// diagnostic (queue what it needs and act after the operation, as compat
// does). One stream's diagnostics are delivered one at a time; a function
// shared by several streams may be called from several goroutines at once.
type DiagnosticFunc func(Diagnostic)

// SlogDiagnostics returns a DiagnosticFunc that logs to l: warnings at
// slog.LevelWarn, notices and deprecations at slog.LevelInfo, with PHP's
// text (Diagnostic.String) as the message and the PHP level as attribute
// "php_level".
func SlogDiagnostics(l *slog.Logger) DiagnosticFunc {
	return func(d Diagnostic) {
		lv := slog.LevelWarn
		if d.Level != EWarning {
			lv = slog.LevelInfo
		}
		l.Log(context.Background(), lv, d.String(), "php_level", d.Level.String())
	}
}

// emit raises a diagnostic PHP prefixes with the running function's name
// (php_error_docref).
func (f DiagnosticFunc) emit(level Level, msg string) {
	if f != nil {
		f(Diagnostic{Level: level, Message: msg, Prefixed: true})
	}
}

// emitBare raises a diagnostic PHP raises without a function prefix
// (php_error).
func (f DiagnosticFunc) emitBare(level Level, msg string) {
	if f != nil {
		f(Diagnostic{Level: level, Message: msg})
	}
}

// SetDiagnostics sets the function the stream's own operations report
// PHP's diagnostics to (initially the Dialer's, ListenConfig's or
// OpenOptions' Diagnostics); nil discards them. A stream accepted from a
// server stream starts with the server's. It is safe to call concurrently
// with the stream's operations; one already running may still report to
// the previous function.
func (s *Stream) SetDiagnostics(f DiagnosticFunc) {
	s.diag.Store(f)
}

// diagnostics is the stream's DiagnosticFunc (nil: none).
func (s *Stream) diagnostics() DiagnosticFunc {
	f, _ := s.diag.Load().(DiagnosticFunc) // nil before the first Store
	return f
}

// warn raises a diagnostic of the stream's own operation.
func (s *Stream) warn(level Level, msg string) {
	s.diagnostics().emit(level, msg)
}
