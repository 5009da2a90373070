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
	// Output is PHP's output, where php://output writes (readfile and
	// fpassthru write to it too, in compat); nil discards it.
	Output io.Writer
	// HTTPResponseHeader, if not nil, receives what PHP assigns to
	// $http_response_header when an http:// open gets as far as sending
	// its request (a failed open too, then possibly an empty list): the
	// status and header lines of every response, redirects included. It
	// is left alone when PHP leaves the variable alone (a failed connect).
	HTTPResponseHeader *[]string
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

// locate is php_stream_locate_url_wrapper: the wrapper's name ("" for
// plain files) and the path to open with it. ok is false where PHP finds
// no wrapper at all (file://host/...: "no suitable wrapper could be
// found", with a warning when report is set, as for an open).
func locate(path string, diag DiagnosticFunc, report bool) (wrapper, open string, ok bool) {
	scheme, isURL := wrapperScheme(path)
	if isURL {
		lower := strings.ToLower(scheme)
		if !knownWrapper(lower) {
			name := scheme
			if len(name) > 31 {
				name = name[:31]
			}
			diag.emit(EWarning, `Unable to find the wrapper "`+name+`" - did you forget to enable it when you configured PHP?`)
			return "", path, true // PHP falls back to a plain file of that name
		}
		if lower != "file" {
			return lower, path, true
		}
		// file://: "file://localhost/p" and "file:///p" are /p.
		rest := path[len(scheme)+3:]
		if hasPrefixFold(path, "file://localhost/") {
			rest = path[16:]
		} else if rest != "" && rest[0] != '/' {
			if report {
				diag.emit(EWarning, "Remote host file access not supported, "+path)
			}
			return "", "", false
		}
		return "", rest, true
	}
	return "", path, true
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
	wrapper, path, ok := locate(url, o.Diagnostics, true)
	if !ok {
		return nil, &OpenError{Msg: "no suitable wrapper could be found"}
	}
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
