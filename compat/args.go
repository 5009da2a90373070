package compat

import (
	"fmt"
	"github.com/phpsock/phpsock/internal/phpvalue"
	"math"
	"strconv"
)

// This file is PHP 8's parameter parsing for internal functions in
// coercive typing mode (strict_types=0): the conversions, deprecations,
// TypeErrors and ArgumentCountErrors PHP applies before a function runs.

// argType is a parameter's declared type.
type argType int

const (
	tString argType = iota
	tInt
	tFloat
	tBool
	tStream      // resource of type stream
	tContext     // resource of type stream-context
	tStreamOrCtx // stream_context_get_options: a stream or a context
	tArray
	tMixed
	tRef // by-reference output; not converted
)

// param describes one parameter.
type param struct {
	name     string
	typ      argType
	nullable bool
}

// call is one invocation being parsed.
type call struct {
	rt   *Runtime
	fn   string
	args []Value
	// openCtx is the context argument of a function that opens URLs
	// (nil: none given), for openURL.
	openCtx *Resource
	// useIncludePath is fopen's $use_include_path, for a user wrapper's
	// stream_open.
	useIncludePath bool
}

// deprecated raises an E_DEPRECATED PHP raises without php_error_docref's
// prefix (zend_error).
func (c *call) deprecated(msg string) {
	c.rt.emit(Diagnostic{Level: EDeprecated, Message: msg})
}

// nullDeprecated is zend_null_arg_deprecated: PHP's text names the
// function itself ("fwrite(): Passing null to parameter #2 ...").
func (c *call) nullDeprecated(msg string) {
	c.rt.emit(Diagnostic{Level: EDeprecated, Func: c.fn, Message: msg, Prefixed: true})
}

// typeError is PHP's TypeError for argument n.
func (c *call) typeError(n int, p param, want string, v Value) error {
	return &Error{Class: "TypeError", Message: fmt.Sprintf("%s(): Argument #%d ($%s) must be of type %s, %s given", c.fn, n, p.name, want, typeName(v))}
}

// typeName is zend_zval_type_name: what PHP says was given.
func typeName(v Value) string {
	switch t := Deref(v).(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "string"
	case *Array:
		return "array"
	case *Resource:
		return "resource"
	case *Object:
		return t.Class
	}
	return "mixed"
}

// arity checks the argument count: min required, max accepted.
func (c *call) arity(min, max int) error {
	n := len(c.args)
	if n >= min && n <= max {
		return nil
	}
	var which string
	var want int
	switch {
	case min == max:
		which, want = "exactly", min
	case n < min:
		which, want = "at least", min
	default:
		which, want = "at most", max
	}
	plural := "s"
	if want == 1 {
		plural = ""
	}
	return &Error{Class: "ArgumentCountError", Message: fmt.Sprintf("%s() expects %s %d argument%s, %d given", c.fn, which, want, plural, n)}
}

// has reports whether argument i (0-based) was passed.
func (c *call) has(i int) bool { return i < len(c.args) }

// arg returns argument i by value (a *Ref is dereferenced).
func (c *call) arg(i int) Value {
	if i < len(c.args) {
		return Deref(c.args[i])
	}
	return nil
}

// ref returns argument i as a *Ref, or nil when not passed by reference.
func (c *call) ref(i int) *Ref {
	if i < len(c.args) {
		if r, ok := c.args[i].(*Ref); ok && r != nil {
			return r
		}
	}
	return nil
}

// str converts argument i to string as zend_parse_arg_str does.
func (c *call) str(i int, p param) (string, bool, error) {
	v := c.arg(i)
	switch t := v.(type) {
	case string:
		return t, true, nil
	case nil:
		if p.nullable {
			return "", false, nil
		}
		c.nullDeprecated(fmt.Sprintf("Passing null to parameter #%d ($%s) of type string is deprecated", i+1, p.name))
		return "", true, nil
	case bool:
		if t {
			return "1", true, nil
		}
		return "", true, nil
	case int64:
		return strconv.FormatInt(t, 10), true, nil
	case float64:
		return phpvalue.FloatString(t), true, nil
	}
	want := "string"
	if p.nullable {
		want = "?string"
	}
	return "", false, c.typeError(i+1, p, want, v)
}

// integer converts argument i to int as zend_parse_arg_long does.
func (c *call) integer(i int, p param) (int64, bool, error) {
	v := c.arg(i)
	want := "int"
	if p.nullable {
		want = "?int"
	}
	switch t := v.(type) {
	case int64:
		return t, true, nil
	case bool:
		if t {
			return 1, true, nil
		}
		return 0, true, nil
	case nil:
		if p.nullable {
			return 0, false, nil
		}
		c.nullDeprecated(fmt.Sprintf("Passing null to parameter #%d ($%s) of type int is deprecated", i+1, p.name))
		return 0, true, nil
	case float64:
		n, ok := c.floatToInt(t, fmt.Sprintf("float %s", phpvalue.FloatRepr(t)))
		if !ok {
			return 0, false, c.typeError(i+1, p, want, v)
		}
		return n, true, nil
	case string:
		iv, fv, isInt, ok := phpvalue.NumericString(t)
		if !ok {
			return 0, false, c.typeError(i+1, p, want, v)
		}
		if isInt {
			return iv, true, nil
		}
		n, ok := c.floatToInt(fv, fmt.Sprintf("float-string \"%s\"", t))
		if !ok {
			return 0, false, c.typeError(i+1, p, want, v)
		}
		return n, true, nil
	}
	return 0, false, c.typeError(i+1, p, want, v)
}

// floatToInt is the float-to-int rule of parameter parsing: non-finite or
// out-of-range floats are refused; a fraction is deprecated and dropped.
func (c *call) floatToInt(f float64, what string) (int64, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < -9.223372036854775808e18 || f >= 9.223372036854775808e18 {
		return 0, false
	}
	n := int64(f)
	if float64(n) != f {
		c.deprecated(fmt.Sprintf("Implicit conversion from %s to int loses precision", what))
	}
	return n, true
}

// float converts argument i to float as zend_parse_arg_double does.
func (c *call) float(i int, p param) (float64, bool, error) {
	v := c.arg(i)
	want := "float"
	if p.nullable {
		want = "?float"
	}
	switch t := v.(type) {
	case float64:
		return t, true, nil
	case int64:
		return float64(t), true, nil
	case bool:
		if t {
			return 1, true, nil
		}
		return 0, true, nil
	case nil:
		if p.nullable {
			return 0, false, nil
		}
		c.nullDeprecated(fmt.Sprintf("Passing null to parameter #%d ($%s) of type float is deprecated", i+1, p.name))
		return 0, true, nil
	case string:
		iv, fv, isInt, ok := phpvalue.NumericString(t)
		if !ok {
			return 0, false, c.typeError(i+1, p, want, v)
		}
		if isInt {
			return float64(iv), true, nil
		}
		return fv, true, nil
	}
	return 0, false, c.typeError(i+1, p, want, v)
}

// boolean converts argument i to bool as zend_parse_arg_bool does.
func (c *call) boolean(i int, p param) (bool, bool, error) {
	v := c.arg(i)
	switch t := v.(type) {
	case bool:
		return t, true, nil
	case int64, float64, string:
		return phpvalue.Bool(t), true, nil
	case nil:
		if p.nullable {
			return false, false, nil
		}
		c.nullDeprecated(fmt.Sprintf("Passing null to parameter #%d ($%s) of type bool is deprecated", i+1, p.name))
		return false, true, nil
	}
	want := "bool"
	if p.nullable {
		want = "?bool"
	}
	return false, false, c.typeError(i+1, p, want, v)
}

// stream fetches a stream resource argument.
func (c *call) stream(i int, p param) (*Resource, error) {
	v := c.arg(i)
	r, ok := v.(*Resource)
	if !ok {
		return nil, c.typeError(i+1, p, "resource", v)
	}
	if r.closed.Load() || r.kind != kindStream {
		return nil, &Error{Class: "TypeError", Message: c.fn + "(): supplied resource is not a valid stream resource"}
	}
	return r, nil
}

// context fetches an optional context argument (?resource).
func (c *call) context(i int, p param) (*Resource, error) {
	v := c.arg(i)
	switch r := v.(type) {
	case nil:
		return nil, nil
	case *Resource:
		if r.closed.Load() || r.kind != kindContext {
			return nil, &Error{Class: "TypeError", Message: c.fn + "(): supplied resource is not a valid Stream-Context resource"}
		}
		return r, nil
	}
	return nil, &Error{Class: "TypeError", Message: fmt.Sprintf("%s(): Argument #%d ($%s) must be of type resource or null, %s given", c.fn, i+1, p.name, typeName(v))}
}
