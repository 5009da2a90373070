// Package compat is PHP's stream functions by name, on top of phpstream:
// fsockopen, stream_socket_client, stream_socket_enable_crypto, fopen and
// the functions used on what they return, with PHP 8.2's signatures,
// argument conversions, return values, exceptions and warning texts.
//
// # Calling PHP's functions
//
// A Runtime is one PHP request's worth of state: ini settings, the default
// stream context, persistent streams, the working directory and PHP's
// error handling. Runtime.Call(name, args...) calls a PHP function by name
// with PHP values (nil, bool, int64, float64, string, *Array, *Resource);
// a by-reference parameter takes a *Ref, PHP's exceptions are returned as
// *Error and a function the package lacks as *ErrUnsupported. Functions
// lists the names; Runtime.Constant gives PHP's constants.
//
// # Typed methods
//
// The typed methods of Runtime (Runtime.Fsockopen, Runtime.Fwrite, ...) are
// the same functions with Go types, for code ported by hand.
//
// # Diagnostics and PHP's error handling
//
// A warning, notice or deprecation is a Diagnostic (phpstream's type):
// Level is PHP's E_* value, Func the function PHP names in the text's
// prefix (the function called), Message the text after it, and
// Diagnostic.String the text exactly as a PHP error handler receives it:
// "fsockopen(): Unable to connect to 127.0.0.1:1 (Connection refused)".
// What a stream raises during a call (a TLS error of fread, the warnings of
// a handshake) is that call's, named after it.
//
// Each diagnostic goes through PHP's error handling, synchronously, before
// the call that raised it returns:
//
//   - the handler on top of the SetErrorHandler stack, when its levels
//     include the diagnostic's (RestoreErrorHandler pops it); a handler
//     returning true ends the handling, as in PHP;
//   - otherwise PHP's standard handling: ErrorGetLast remembers it, and,
//     when ErrorReporting includes its level and the display_errors ini
//     setting is on, the sink set with SetDiagnostics receives it (nil,
//     the default, discards).
//
// Runtime.Silence returns a view of the runtime whose calls run as PHP's @
// operator runs them (error_reporting is 4437 meanwhile). IniGet and IniSet
// are ini_get and ini_set for the settings the functions read, with PHP
// CLI's built-in defaults.
//
// # Goroutines
//
// A Runtime's methods are safe for concurrent use, and so is using one
// Resource from several goroutines (a read in one, a write in another), as
// the phpstream.Stream behind it allows. Diagnostics are delivered from the
// goroutine of the call that raised them; handlers and the sink may be
// called from several goroutines at once. A diagnostic a stream raises
// while two calls run on its resource at once is raised by one of them.
// Silence affects only the calls made through the view it returns, not
// other goroutines sharing the runtime.
package compat
