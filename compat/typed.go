package compat

import (
	"maps"
	"math"
	"reflect"
	"slices"
)

// The typed API (typed_*.go) follows the conventions the package
// documentation lists under "Typed methods".

// NullInt passed as a nullable int parameter (?int) means PHP's null:
// fgets without a length, stream_select without a timeout, a crypto
// method taken from the context. It is PHP_INT_MIN on 64-bit platforms,
// which a typed method therefore cannot pass to such a parameter (Call
// can).
const NullInt = math.MinInt

// DefaultTimeout passed as a nullable float timeout (?float) means PHP's
// null: default_socket_timeout. It is a NaN, so a typed method never
// passes PHP a NaN timeout (which stream_socket_client refuses with a
// ValueError; Call can).
var DefaultTimeout = nanTimeout()

func nanTimeout() float64 {
	var zero float64
	return zero / zero
}

// timeoutArg is a ?float timeout as a Call argument.
func timeoutArg(t float64) Value {
	if t != t { // DefaultTimeout
		return nil
	}
	return t
}

// nullableInt is a ?int as a Call argument.
func nullableInt(n int) Value {
	if n == NullInt {
		return nil
	}
	return int64(n)
}

// resArg is a *Resource as a Call argument: a nil resource is PHP's false
// (Deref), as a false that ported code passes on.
func resArg(r *Resource) Value { return r }

// nullableRes is a ?resource parameter: a nil resource is PHP's null.
func nullableRes(r *Resource) Value {
	if r == nil {
		return nil
	}
	return r
}

// intRef and stringRef are by-reference parameters for a pointer (nil:
// none); outInt and outString write the variable back.
func intRef(p *int) *Ref {
	if p == nil {
		return nil
	}
	return &Ref{V: int64(*p)}
}

func stringRef(p *string) *Ref {
	if p == nil {
		return nil
	}
	return &Ref{V: *p}
}

func outInt(r *Ref, p *int) {
	if r == nil || p == nil {
		return
	}
	n, _ := r.V.(int64)
	*p = int(n)
}

func outString(r *Ref, p *string) {
	if r == nil || p == nil {
		return
	}
	s, _ := r.V.(string)
	*p = s
}

// refArg is a by-reference parameter as a Call argument: a nil *Ref is
// passed as PHP's null (no output).
func refArg(r *Ref) Value {
	if r == nil {
		return nil
	}
	return r
}

// optionalInts appends the given optional int arguments (NullInt: null).
func optionalInts(args []Value, opt []int) []Value {
	for _, n := range opt {
		args = append(args, nullableInt(n))
	}
	return args
}

// The results of Call as typed results.

func resourceResult(v Value, err error) (*Resource, error) {
	if err != nil {
		return nil, err
	}
	r, _ := v.(*Resource)
	return r, nil
}

func boolResult(v Value, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	b, _ := v.(bool)
	return b, nil
}

func intResult(v Value, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, _ := v.(int64)
	return int(n), nil
}

func intOrFalse(v Value, err error) (int, bool, error) {
	if err != nil {
		return 0, false, err
	}
	n, ok := v.(int64)
	return int(n), ok, nil
}

func stringResult(v Value, err error) (string, error) {
	if err != nil {
		return "", err
	}
	s, _ := v.(string)
	return s, nil
}

func stringOrFalse(v Value, err error) (string, bool, error) {
	if err != nil {
		return "", false, err
	}
	s, ok := v.(string)
	return s, ok, nil
}

// stringList is a list of strings (file, stream_get_transports) as a
// []string, in the array's order.
func stringList(a *Array) []string {
	out := make([]string, 0, a.Len())
	for i := 0; i < a.Len(); i++ {
		_, v := a.At(i)
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

// resourceList is an array of resources (stream_select's, stream_socket_pair's)
// in its order, keys dropped; an element that is no resource is nil.
func resourceList(a *Array) []*Resource {
	out := make([]*Resource, 0, a.Len())
	for i := 0; i < a.Len(); i++ {
		_, v := a.At(i)
		r, _ := v.(*Resource)
		out = append(out, r)
	}
	return out
}

// ToValue converts a Go value to the PHP value Call takes: Go's int and
// uint kinds (CryptoMethod and the other named constants included) become
// int64, float32 float64, named bool and string kinds bool and string,
// []string and []Value lists, map[string]Value and Options arrays with
// their keys sorted (Go maps have no order; an *Array keeps PHP's). PHP
// values (nil, bool, int64, float64, string, *Array, *Resource, *Object,
// *Ref) are returned as they are.
func ToValue(v any) Value {
	switch t := v.(type) {
	case nil, bool, int64, float64, string, *Array, *Resource, *Object, *Ref:
		return v
	case []string:
		a := NewArray()
		for _, s := range t {
			a.Append(s)
		}
		return a
	case []Value:
		a := NewArray()
		for _, e := range t {
			a.Append(ToValue(e))
		}
		return a
	case map[string]Value:
		return sortedArray(t)
	case Options:
		return t.Array()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return int64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Bool:
		return rv.Bool()
	case reflect.String:
		return rv.String()
	}
	return v
}

func sortedArray(m map[string]Value) *Array {
	a := NewArray()
	for _, k := range slices.Sorted(maps.Keys(m)) {
		a.Set(k, ToValue(m[k]))
	}
	return a
}
