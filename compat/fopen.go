package compat

import (
	"errors"
	"strings"

	"github.com/phpsock/phpsock/phpstream"
)

func init() { functions["fopen"] = fopen }

// fopen(string $filename, string $mode, bool $use_include_path = false,
// ?resource $context = null): resource|false
//
// Plain files (paths and file://), php://memory and php://temp. Other
// wrappers are not supported yet: the call fails with *ErrUnsupported
// rather than giving a result PHP would not.
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
		if _, _, err := c.boolean(2, param{name: "use_include_path"}); err != nil {
			return nil, err
		}
	}
	if c.has(3) {
		// Checked; no wrapper phpsock opens uses a context yet (php://
		// gives its streams none: recorded memory/fopen-with-context).
		if _, err = c.context(3, param{name: "context"}); err != nil {
			return nil, err
		}
	}
	s, v, err := c.openURL(filename, mode)
	if s == nil {
		return v, err
	}
	return newStreamResource(s, false, ""), nil
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
	s, err := phpstream.OpenURL(url, mode, phpstream.OpenOptions{Dir: c.rt.workDir(), Diagnostics: c.diagnostics()})
	var oe *phpstream.OpenError
	switch {
	case err == nil:
		return s, nil, nil
	case errors.As(err, &oe):
		c.rt.emit(Diagnostic{Level: EWarning, Message: c.fn + "(" + url + "): " + oe.Error()})
		return nil, false, nil
	case errors.Is(err, phpstream.ErrNoFilterResource):
		return nil, nil, &Error{Class: "Error", Message: err.Error()}
	case errors.Is(err, phpstream.ErrNegativeMaxMemory):
		// php://temp/maxmemory:-1: the wrapper names the opening
		// function's second argument, whatever it is.
		return nil, nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 (" + secondParam[c.fn] + ") " + err.Error()}
	}
	return nil, nil, &ErrUnsupported{Func: c.fn + " of " + url}
}

// secondParam is the name of the second parameter of each function that
// opens a URL, for the ValueError php://temp raises in its name.
var secondParam = map[string]string{
	"fopen": "$mode", "file_get_contents": "$use_include_path", "file_put_contents": "$data",
	"file": "$flags", "readfile": "$use_include_path", "copy": "$to",
}

// diagnostics is a DiagnosticFunc raising PHP's diagnostics as c's
// function (php_error_docref's prefix).
func (c *call) diagnostics() phpstream.DiagnosticFunc {
	return func(d phpstream.Diagnostic) { c.rt.warn(c.fn, d.Level, d.Message) }
}

// takeStreamDiagnostics raises what s's I/O queued (a plain file's failed
// read) as c's own, for a stream no argument of c names.
func (c *call) takeStreamDiagnostics(s *phpstream.Stream) {
	for _, d := range s.TakeDiagnostics() {
		c.rt.warn(c.fn, d.Level, d.Message)
	}
}

// workDir is the runtime's directory for relative paths.
func (rt *Runtime) workDir() string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.dir
}
