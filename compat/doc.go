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
// The typed methods of Runtime, one for every function Call knows
// (Functions), named after PHP's in CamelCase, are the same functions
// with Go types, for code ported by hand: one PHP line becomes one Go
// line.
//
//	$fp = fsockopen("127.0.0.1", 80, $errno, $errstr, 30);
//	fp, err := rt.Fsockopen("127.0.0.1", 80, &errno, &errstr, 30)
//
// Every typed method calls Call's implementation with the arguments
// converted to PHP values and converts the result back: there is one
// behaviour, warnings included, whichever way a function is called. The
// conventions, the same for every method:
//
//   - The last result is an error: the exception PHP throws (an *Error:
//     TypeError, ValueError, ArgumentCountError or Error), nil otherwise.
//     Go's types rule out most TypeErrors, not all: a closed resource, or
//     a nil one (PHP's false) passed where a stream is expected, throws as
//     in PHP.
//   - resource|false is (*Resource, error), a nil resource meaning false;
//     T|false is (T, bool, error) with ok false where PHP returns false;
//     bool is (bool, error); any other T is (T, error). PHP's int is Go's
//     int, float float64, string string. Arrays come back typed where that
//     reads better: MetaData, Stat, []string, Options, ContextParams.
//   - By-reference parameters are pointers (errno *int, errstr *string);
//     a nil pointer asks for no output. A pointer's value goes in as the
//     variable's value before the call, as in PHP, where a function that
//     does not write the parameter leaves it as it was. StreamSelect's
//     arrays are *[]*Resource, renumbered after the call (Call keeps PHP's
//     keys).
//   - A function with exactly one trailing optional parameter takes it as
//     a variadic argument (Fgets(fp) or Fgets(fp, 512)); giving more than
//     one value makes the call PHP's with that many arguments, which PHP
//     refuses with its ArgumentCountError ("fgets() expects at most 2
//     arguments, 3 given"), returned as the error. A function with several
//     optional parameters takes them all, the caller writing PHP's
//     defaults, as the PHP signature in each method's documentation shows.
//   - PHP's null for a nullable parameter: nil for a *Resource (a context
//     or a session stream), DefaultTimeout for a ?float timeout, NullInt
//     for a ?int, nil for an Options map.
//   - Option arrays are Options, converted with sorted keys (an *Array
//     given to Call keeps PHP's order); other Go values are converted by
//     ToValue.
//   - PHP's constants are Go constants with PHP's spelling
//     (STREAM_CRYPTO_METHOD_TLS_CLIENT), generated from PHP 8.2 by
//     tools/mkconst, typed where a parameter takes one group (CryptoMethod,
//     ClientFlags, ServerFlags, ShutdownMode, Whence, FileFlags...).
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
// # Files
//
//	runtime.go       Runtime, Call, the function table, diagnostics
//	errhandling.go   PHP's error handling: handlers, error_reporting, @, error_get_last
//	ini.go           ini_get, ini_set and PHP CLI's defaults
//	value.go         Value, Ref, Array, Object, Error
//	args.go          PHP 8's parameter parsing (coercions, TypeErrors)
//	resource.go      Resource
//	connect.go       fsockopen, pfsockopen, stream_socket_client
//	server.go        stream_socket_server, stream_socket_accept, the server side of TLS
//	crypto.go        stream_socket_enable_crypto
//	context.go       the stream_context_* functions
//	streamio.go      reading, writing, positions, timeouts and buffers
//	streamfuncs.go   fclose, stream_get_meta_data, stream_socket_get_name, ...
//	select*.go       stream_select over poll(2)
//	xport.go         stream_socket_recvfrom, stream_socket_sendto, stream_socket_pair
//	fopen.go         fopen and the wrappers it opens
//	files.go         file_get_contents, file_put_contents, file, copy, unlink, ...
//	filestat.go      file_exists, is_file, is_dir, filesize and PHP's stat cache
//	fstat.go         fstat
//	dir.go           opendir, readdir, rewinddir, closedir, scandir; user wrappers' dir_*
//	userwrapper.go   stream_wrapper_register, _unregister, _restore; user wrappers
//	strfuncs.go      strlen, md5, bin2hex, in_array
//	constants.go     constant, defined
//	constants_php.go PHP's constants by name (generated by tools/mkconst)
//	constants_go.go  the same as Go constants (generated by tools/mkconst)
//	typed.go         the typed API's conversions, NullInt, DefaultTimeout, ToValue
//	typed_*.go       the typed methods, by subject
package compat
