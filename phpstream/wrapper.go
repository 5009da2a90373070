package phpstream

import (
	"errors"
	"io"
	"strings"
	"time"
)

// This file is PHP's wrapper lookup (php_stream_locate_url_wrapper) and
// fopen's dispatch to a wrapper. The wrappers phpsock opens so far are
// php:// (memory, temp and filter), data:, http:// and https:// (http.go)
// and plain files (file:// and paths); glob:// refuses every open as
// PHP's does; the others PHP 8.2 registers are listed (Wrappers) but open
// with ErrUnsupportedURL.

// Wrappers is what stream_get_wrappers returns on Debian's php8.2-cli, in
// PHP's order (recorded: file/wrappers-list).
var Wrappers = []string{"https", "ftps", "compress.zlib", "php", "file", "glob", "data", "http", "ftp", "phar"}

// OpenError is a failed open as PHP reports it: Msg follows "Failed to
// open stream: " in the warning of the opening function.
type OpenError struct{ Msg string }

func (e *OpenError) Error() string { return "Failed to open stream: " + e.Msg }

// OpenOptions are what opening a URL needs besides the URL and the mode.
type OpenOptions struct {
	// Dir is the working directory relative plain paths start from; ""
	// is the process's.
	Dir string
	// Diagnostics receives the warnings PHP raises during the lookup and
	// the open; the stream OpenURL returns reports its own to it too
	// (Stream.SetDiagnostics changes that).
	Diagnostics DiagnosticFunc

	// Context is the open's stream context: the "http" options of
	// http:// and https://, and the "socket" and "ssl" options of the
	// connection they make. nil: none.
	Context *Context
	// Dialer connects the sockets of network wrappers (http://): its
	// Profile, Resolver, Control, Diagnostics, CAFile, CAPath and OnCrypto
	// are used; Timeout and Context are set for each connect. nil: a zero
	// Dialer reporting to Diagnostics.
	Dialer *Dialer
	// DefaultSocketTimeout is PHP's default_socket_timeout, the connect
	// and read timeout of http:// without a "timeout" option; negative is
	// none, 0 polls once.
	DefaultSocketTimeout time.Duration
	// UserAgent and From are the user_agent and from ini settings, the
	// User-Agent and From headers of http:// requests ("": none).
	UserAgent, From string
	// Registry is the request's wrapper table; nil: PHP's built-in one.
	Registry *Registry
	// Output is PHP's output, where php://output writes (readfile and
	// fpassthru write to it too, in compat); nil discards it.
	Output io.Writer
	// HTTPResponseHeader, if not nil, receives what PHP assigns to
	// $http_response_header when an http:// open gets as far as sending
	// its request (a failed open too, then possibly an empty list): the
	// status and header lines of every response, redirects included. It
	// is left alone when PHP leaves the variable alone (a failed connect).
	HTTPResponseHeader *[]string
	// ClearStatCache, if not nil, is called where a wrapper operation
	// clears PHP's stat cache (php_clear_stat_cache): after the plain
	// files and ftp wrappers' unlink, rename and rmdir succeed, and the
	// plain files' stream_metadata (a file:// URL's touch, chmod, chown,
	// chgrp); a user wrapper's operations leave the cache alone (recorded:
	// wrapperops/user-unlink-stat-cache, wrapperops/plain-stat-cache-ops).
	ClearStatCache func()
	// Caller is handed untouched to a run-time wrapper's operations
	// (URLOps): what its implementation needs of the code calling
	// (compat's PHP function call).
	Caller any
}

// wrapperScheme is the scheme PHP looks a wrapper up by: the characters
// [A-Za-z0-9+.-] before "://" (at least two), or "data" for "data:".
func wrapperScheme(path string) (scheme string, ok bool) {
	n := 0
	for n < len(path) && isSchemeChar(path[n]) {
		n++
	}
	if n > 1 && n < len(path) && path[n] == ':' && (strings.HasPrefix(path[n+1:], "//") || (n == 4 && strings.HasPrefix(path, "data:"))) {
		return path[:n], true
	}
	return "", false
}

// locate is php_stream_locate_url_wrapper in PHP's global table: the
// wrapper's name ("" for plain files) and the path to open with it. ok is
// false where PHP finds no wrapper at all (file://host/...: "no suitable
// wrapper could be found", with a warning when report is set, as for an
// open). Registry.Locate is the same lookup in a request's table.
func locate(path string, diag DiagnosticFunc, report bool) (wrapper, open string, ok bool) {
	l, ok := (*Registry)(nil).Locate(path, diag, report)
	return l.Wrapper, l.Path, ok
}

func knownWrapper(name string) bool {
	for _, w := range Wrappers {
		if w == name {
			return true
		}
	}
	return false
}

// OpenURL is PHP's fopen of a URL or path (php_stream_open_wrapper): the
// wrapper its scheme names, or plain files. A failure is an *OpenError
// (PHP's "Failed to open stream: ..."), ErrNegativeMaxMemory (PHP's
// ValueError) or ErrUnsupportedURL (a wrapper phpsock does not have yet).
func OpenURL(url, mode string, o OpenOptions) (*Stream, error) {
	s, err := openURL(url, mode, o)
	if s != nil {
		s.SetDiagnostics(o.Diagnostics)
	}
	return s, err
}

// openURL is OpenURL before the stream gets its DiagnosticFunc.
func openURL(url, mode string, o OpenOptions) (*Stream, error) {
	l, ok := o.Registry.Locate(url, o.Diagnostics, true)
	if !ok {
		return nil, &OpenError{Msg: "no suitable wrapper could be found"}
	}
	if l.User != nil {
		if op, ok := l.User.(URLOpener); ok {
			return op.OpenURL(url, mode, o)
		}
		return nil, ErrUserWrapper // the caller opens its own wrappers
	}
	wrapper, path := l.Wrapper, l.Path
	switch wrapper {
	case "":
		s, err := openPlainFile(url, path, o.Dir, mode)
		if err != nil {
			var oe *OpenError
			if errors.As(err, &oe) {
				return nil, err
			}
			return nil, &OpenError{Msg: errnoTextOf(err)}
		}
		return s, nil
	case "data":
		return openDataURL(url, mode)
	case "compress.zlib":
		return openZlib(url, path[len("compress.zlib://"):], mode, o)
	case "glob":
		// The glob wrapper lists directories only (recorded:
		// file/wrapper-ops-glob).
		return nil, &OpenError{Msg: "wrapper does not support stream open"}
	case "http", "https":
		return openHTTP(url, mode, o)
	case "ftp", "ftps":
		return openFTP(url, mode, o)
	case "php":
		if rest := url[6:]; hasPrefixFold(rest, "filter/") {
			return openFilterURL(url, rest, mode, o)
		}
		s, err := openPHPURL(url, mode, o)
		if errors.Is(err, ErrInvalidPHPURL) {
			o.Diagnostics.emit(EWarning, ErrInvalidPHPURL.Error())
			return nil, &OpenError{Msg: "operation failed"}
		}
		return s, err
	}
	return nil, ErrUnsupportedURL
}

// errnoTextOf is strerror of the errno behind err, as PHP's plain files
// report a failed open.
func errnoTextOf(err error) string {
	return errnoText(toErrnoAny(err))
}

// URLScheme is the scheme PHP looks a wrapper up by in path ("http" for
// "http://x", "data" for "data:..."); ok is false for a plain path.
func URLScheme(path string) (scheme string, ok bool) { return wrapperScheme(path) }

// IsLocalURL is stream_is_local for a path: false when its wrapper is a
// URL wrapper (http, https, ftp, ftps, data) or when PHP finds no wrapper
// at all (file://host/...), true otherwise. An unknown scheme raises PHP's
// warning on diag and counts as a plain file (recorded: io/is-local-strings,
// io/is-local-file-hosts).
func IsLocalURL(path string, diag DiagnosticFunc) bool {
	w, _, ok := locate(path, diag, false)
	if !ok {
		return false
	}
	switch w {
	case "http", "https", "ftp", "ftps", "data":
		return false
	}
	return true
}
