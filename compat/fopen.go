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
// The php:// wrapper's php://memory and php://temp (with /maxmemory:N).
// Other URLs and plain paths are not supported yet: the call fails with
// *ErrUnsupported rather than giving a result PHP would not.
func fopen(c *call) (Value, error) {
	if err := c.arity(2, 4); err != nil {
		return nil, err
	}
	filename, _, err := c.str(0, param{name: "filename"})
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
		// Checked, not used: the php:// wrapper gives its streams no
		// context (recorded: memory/fopen-with-context).
		if _, err = c.context(3, param{name: "context"}); err != nil {
			return nil, err
		}
	}
	if strings.IndexByte(filename, 0) >= 0 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #1 ($filename) must not contain any null bytes"}
	}
	if filename == "" {
		return nil, &Error{Class: "ValueError", Message: "Path cannot be empty"}
	}
	if wrapperOf(filename) != "php" {
		return nil, &ErrUnsupported{Func: c.fn + " of " + filename}
	}
	s, err := phpstream.OpenPHPURL(filename, mode)
	switch {
	case errors.Is(err, phpstream.ErrNegativeMaxMemory):
		// The wrapper names the opening function's second argument.
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($mode) " + err.Error()}
	case errors.Is(err, phpstream.ErrInvalidPHPURL):
		c.rt.warn(c.fn, EWarning, err.Error())
		c.rt.emit(Diagnostic{Level: EWarning, Message: c.fn + "(" + filename + "): Failed to open stream: operation failed"})
		return false, nil
	case err != nil:
		return nil, &ErrUnsupported{Func: c.fn + " of " + filename}
	}
	return newStreamResource(s, false, ""), nil
}

// wrapperOf is the wrapper PHP picks for a path (php_stream_locate_url_wrapper):
// the lowered scheme of "scheme://" or "data:", else "" (a plain file).
func wrapperOf(path string) string {
	n := 0
	for n < len(path) && isSchemeChar(path[n]) {
		n++
	}
	if n > 0 && strings.HasPrefix(path[n:], "://") {
		return strings.ToLower(path[:n])
	}
	if len(path) >= 5 && strings.EqualFold(path[:5], "data:") {
		return "data"
	}
	return ""
}
