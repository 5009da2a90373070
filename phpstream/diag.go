package phpstream

import (
	"context"
	"log/slog"
)

// Level is the severity of a PHP diagnostic.
type Level int

// Diagnostic levels, named after PHP's E_* constants.
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

// A Diagnostic is one warning or notice PHP would raise, without the
// "function(): " prefix PHP's php_error_docref adds (compat adds it).
type Diagnostic struct {
	Level   Level
	Message string
	// NoPrefix marks a message PHP raises without the "function(): "
	// prefix (e.g. the cafile stream texts of the TLS setup).
	NoPrefix bool
}

// DiagnosticFunc receives diagnostics in the order PHP raises them. It is
// called synchronously from the goroutine doing the operation.
type DiagnosticFunc func(Diagnostic)

// SlogDiagnostics returns a DiagnosticFunc that logs to l: warnings at
// slog.LevelWarn, notices and deprecations at slog.LevelInfo, with the PHP
// level as attribute "php_level".
func SlogDiagnostics(l *slog.Logger) DiagnosticFunc {
	return func(d Diagnostic) {
		lv := slog.LevelWarn
		if d.Level != EWarning {
			lv = slog.LevelInfo
		}
		l.Log(context.Background(), lv, d.Message, "php_level", d.Level.String())
	}
}

func (f DiagnosticFunc) emit(level Level, msg string) {
	if f != nil {
		f(Diagnostic{Level: level, Message: msg})
	}
}
