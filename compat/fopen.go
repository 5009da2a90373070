package compat

import (
	"errors"
	"strings"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

func init() { functions["fopen"] = fopen }

// fopen(string $filename, string $mode, bool $use_include_path = false,
// ?resource $context = null): resource|false
//
// Plain files (paths and file://), php://memory, php://temp, php://filter,
// data:, http://, https://, ftp:// and ftps://. Other wrappers are not supported yet: the
// call fails with *ErrUnsupported rather than giving a result PHP would
// not.
func fopen(c *call) (Value, error) {
	if err := c.arity(2, 4); err != nil {
		return nil, err
	}
	filename, err := c.path(0, "filename")
	if err != nil {
		return nil, err
	}
	mode, _, err := c.str(1, param{name: "mode"})
	if err != nil {
		return nil, err
	}
	if c.has(2) {
		if c.useIncludePath, _, err = c.boolean(2, param{name: "use_include_path"}); err != nil {
			return nil, err
		}
	}
	if c.has(3) {
		// php:// gives its streams no context (recorded
		// memory/fopen-with-context); http:// uses it.
		if c.openCtx, err = c.context(3, param{name: "context"}); err != nil {
			return nil, err
		}
	}
	s, v, err := c.openURL(filename, mode)
	if s == nil {
		return v, err
	}
	r := newStreamResource(s, false, "")
	if _, ok := s.WrapperData(); ok {
		r.ctx = c.rt.contextFor(c.openCtx, false) // php_stream_context_set
	}
	return r, nil
}

// path fetches a path argument (Z_PARAM_PATH): a string without NUL bytes.
func (c *call) path(i int, name string) (string, error) {
	p, _, err := c.str(i, param{name: name})
	if err != nil {
		return "", err
	}
	if strings.IndexByte(p, 0) >= 0 {
		return "", &Error{Class: "ValueError", Message: c.fn + "(): Argument #" + itoa(int64(i+1)) + " ($" + name + ") must not contain any null bytes"}
	}
	return p, nil
}

// openURL is php_stream_open_wrapper_ex with REPORT_ERRORS for c: the
// stream, or what the call returns instead (false after PHP's warnings, or
// the exception PHP throws).
func (c *call) openURL(url, mode string) (*phpstream.Stream, Value, error) {
	if url == "" {
		return nil, nil, &Error{Class: "ValueError", Message: "Path cannot be empty"}
	}
	o := c.openOptions()
	var headers []string
	if mayConnect(url) {
		// ftp:// sets $http_response_header too when its proxy option
		// hands the open to the http wrapper, and so does an http://
		// opened inside another wrapper (recorded: zlib/inner-http).
		c.httpOptions(&o, &headers)
	}
	s, err := phpstream.OpenURL(url, mode, o)
	if headers != nil {
		c.rt.setHTTPResponseHeader(headers)
	}
	var oe *phpstream.OpenError
	switch {
	case err == nil:
		return s, nil, nil
	case errors.As(err, &oe):
		c.rt.emit(Diagnostic{Level: EWarning, Func: c.fn, Param: phpstream.StripURLPassword(url), Message: oe.Error(), Prefixed: true})
		return nil, false, nil
	case errors.Is(err, phpstream.ErrEmptyPath):
		// compress.zlib:// with nothing after it (recorded: zlib/missing-and-odd-paths).
		return nil, nil, &Error{Class: "ValueError", Message: err.Error()}
	case errors.Is(err, phpstream.ErrNoFilterResource):
		return nil, nil, &Error{Class: "Error", Message: err.Error()}
	case errors.Is(err, phpstream.ErrNegativeMaxMemory):
		// php://temp/maxmemory:-1: the wrapper names the opening
		// function's second argument, whatever it is.
		return nil, nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 (" + secondParam[c.fn] + ") " + err.Error()}
	}
	return nil, nil, &ErrUnsupported{Func: c.fn + " of " + url}
}

// mayConnect reports whether opening url may connect: a URL of any scheme
// but file:// (http, https, ftp, ftps, or a wrapper that opens one inside:
// compress.zlib://http://..., php://filter/resource=ftp://..., a user
// wrapper), which gets the connecting wrappers' options (connectOptions).
// Plain paths, the common case, make no dialer.
func mayConnect(url string) bool {
	scheme, ok := phpstream.URLScheme(url)
	return ok && !strings.EqualFold(scheme, "file")
}

// openOptions are what every open and wrapper operation of c takes from
// the runtime: the working directory, c's diagnostics (also where what a
// stream opened here raises on closing goes, such as the ftp wrapper's
// "FTP server error"), PHP's output, the wrapper table, and c itself for
// a user wrapper's methods.
func (c *call) openOptions() phpstream.OpenOptions {
	return phpstream.OpenOptions{Dir: c.rt.workDir(), Diagnostics: c.diagnostics(), Output: c.rt.output(), Registry: c.rt.wrapperTable(), Caller: c}
}

// httpOptions fills what an http:// open needs: the call's context (the
// default context when none was given) and the rest of connectOptions.
func (c *call) httpOptions(o *phpstream.OpenOptions, headers *[]string) {
	c.connectOptions(o, c.rt.contextFor(c.openCtx, false), headers)
}

// connectOptions fills what a wrapper that connects (http, https, ftp,
// ftps) takes: the context ctx (nil: none), where the peer certificates
// of a TLS handshake go (ctx), a dialer of the runtime's,
// default_socket_timeout, user_agent and from, and where
// $http_response_header goes.
func (c *call) connectOptions(o *phpstream.OpenOptions, ctx *phpstream.Context, headers *[]string) {
	o.Context = ctx
	o.Dialer = c.rt.dialer(c.fn)
	o.Dialer.OnCrypto = func(info *phpstream.CryptoInfo) { capturePeer(ctx, info) }
	if sec := c.rt.defaultSocketTimeout(); sec < 0 {
		o.DefaultSocketTimeout = -1
	} else {
		o.DefaultSocketTimeout = time.Duration(sec) * time.Second
	}
	o.UserAgent, o.From = c.rt.ini1("user_agent"), c.rt.ini1("from")
	o.HTTPResponseHeader = headers
}

// HTTPResponseHeader returns what PHP's $http_response_header holds after
// the last http:// or https:// open that sent its request (fopen,
// file_get_contents, file, readfile, copy): the status and header lines of
// every response, redirects included; nil before any. A new array is made
// by each open, so a caller can tell two opens apart by identity. (PHP
// sets the variable in the calling scope; a binding of the interpreter
// copies this value there after each call.)
func (rt *Runtime) HTTPResponseHeader() *Array {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.httpHeaders == nil && rt.httpLines != nil {
		// Built when asked for, not on every open: most programs never
		// look, and the array is most of a small GET's allocations.
		a := NewArray()
		for _, l := range *rt.httpLines {
			a.Append(l)
		}
		rt.httpHeaders = a
	}
	return rt.httpHeaders
}

func (rt *Runtime) setHTTPResponseHeader(lines []string) {
	rt.mu.Lock()
	rt.httpLines, rt.httpHeaders = &lines, nil
	rt.mu.Unlock()
}

// secondParam is the name of the second parameter of each function that
// opens a URL, for the ValueError php://temp raises in its name.
var secondParam = map[string]string{
	"fopen": "$mode", "file_get_contents": "$use_include_path", "file_put_contents": "$data",
	"file": "$flags", "readfile": "$use_include_path", "copy": "$to",
}

// workDir is the runtime's directory for relative paths.
func (rt *Runtime) workDir() string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.dir
}
