package compat

// The typed error-handling and ini functions (see the package
// documentation for the conventions). SetErrorHandler, RestoreErrorHandler
// and Silence, which take Go functions or return views, are in
// errhandling.go.

// ErrorReporting is PHP's
//
//	error_reporting(?int $error_level = null): int
//
// It returns the level in effect (4437 on a Silence view while the
// runtime's includes more, as error_reporting() returns during @) and,
// given a level, makes it the runtime's (PHP CLI's built-in one is E_ALL).
// level is optional (NullInt is PHP's null).
func (rt *Runtime) ErrorReporting(level ...int) (int, error) {
	return intResult(rt.Call("error_reporting", optionalInts(nil, level)...))
}

// ErrorGetLast is PHP's
//
//	error_get_last(): ?array
//
// The last diagnostic PHP's standard handling took (one no handler took
// or a handler passed on by returning false, whatever error_reporting
// says); ok is false where PHP returns null (none since the start or
// ErrorClearLast). PHP's array (what Call returns) is made from this
// Diagnostic: type is d.Level, message d.String(); a Go caller has no
// script file or line.
func (rt *Runtime) ErrorGetLast() (d Diagnostic, ok bool, err error) {
	d, ok = rt.lastError()
	return d, ok, nil
}

// ErrorClearLast is PHP's
//
//	error_clear_last(): void
func (rt *Runtime) ErrorClearLast() error {
	_, err := rt.Call("error_clear_last")
	return err
}

// IniGet is PHP's
//
//	ini_get(string $option): string|false
//
// ok is false for a setting this package does not know (PHP's false for
// an unknown name). Known are default_socket_timeout, user_agent, from,
// display_errors, error_reporting, openssl.cafile, openssl.capath and
// allow_url_fopen, with PHP CLI's built-in defaults.
func (rt *Runtime) IniGet(option string) (string, bool, error) {
	return stringOrFalse(rt.Call("ini_get", option))
}

// IniSet is PHP's
//
//	ini_set(string $option, string|int|float|bool|null $value): string|false
//
// It sets the setting and returns its old value; ok is false (PHP's false)
// for an unknown setting or one ini_set may not change (openssl.cafile,
// openssl.capath: PHP_INI_PERDIR; allow_url_fopen: PHP_INI_SYSTEM). SetIni
// sets those as php -d does. Setting error_reporting sets ErrorReporting.
func (rt *Runtime) IniSet(option, value string) (string, bool, error) {
	return stringOrFalse(rt.Call("ini_set", option, value))
}
