package compat

import (
	"fmt"
	"strconv"
)

// A Value is a PHP value as the generic entry point (Runtime.Call) sees it:
//
//	nil        null
//	bool       bool
//	int64      int
//	float64    float
//	string     string (a byte string; need not be UTF-8)
//	*Array     array
//	*Resource  resource (a stream or a stream context)
//	*Object    object (e.g. OpenSSLCertificate)
//	*Ref       a by-reference argument; functions read and write through it
//
// Arrays passed to a function are never modified in place: a function that
// changes an array argument (stream_select) stores a new *Array in the *Ref.
type Value = any

// Ref is a PHP variable passed by reference.
type Ref struct{ V Value }

// Deref returns the value behind a *Ref, or v itself, as a PHP value: a
// nil *Resource is PHP's false (what the typed methods return for it, so
// ported code can pass it on as PHP code passes false), and a
// nil *Array, *Object or *Ref is null. Every function reads its arguments
// through Deref, so none of them meets a nil pointer.
func Deref(v Value) Value {
	if r, ok := v.(*Ref); ok {
		if r == nil {
			return nil
		}
		v = r.V
	}
	switch t := v.(type) {
	case *Resource:
		if t == nil {
			return false
		}
	case *Array:
		if t == nil {
			return nil
		}
	case *Object:
		if t == nil {
			return nil
		}
	case *Ref:
		return Deref(t) // a reference to a reference: PHP has none, read through it
	}
	return v
}

// Key is a PHP array key: an int64 or a string.
type Key = any

// Array is PHP's ordered array with int and string keys.
type Array struct {
	keys  []Key
	vals  []Value
	index map[Key]int
	next  int64
}

// NewArray returns an empty array.
func NewArray() *Array { return &Array{index: map[Key]int{}} }

// NewList returns a list (keys 0..n-1) of the values.
func NewList(vals ...Value) *Array {
	a := NewArray()
	for _, v := range vals {
		a.Append(v)
	}
	return a
}

// NormalizeKey applies PHP's key rules: canonical decimal strings become
// ints, bools and floats become ints, null becomes "".
func NormalizeKey(k any) Key {
	switch t := k.(type) {
	case int64:
		return t
	case int:
		return int64(t)
	case string:
		if i, err := strconv.ParseInt(t, 10, 64); err == nil && strconv.FormatInt(i, 10) == t {
			return i
		}
		return t
	case bool:
		if t {
			return int64(1)
		}
		return int64(0)
	case float64:
		return int64(t)
	case nil:
		return ""
	}
	return fmt.Sprint(k)
}

// Set stores v under k (normalised), keeping the position of an existing key.
func (a *Array) Set(k any, v Value) {
	key := NormalizeKey(k)
	if i, ok := a.index[key]; ok {
		a.vals[i] = v
		return
	}
	a.index[key] = len(a.keys)
	a.keys = append(a.keys, key)
	a.vals = append(a.vals, v)
	if i, ok := key.(int64); ok && i >= a.next {
		a.next = i + 1
	}
}

// Append adds v under the next integer key.
func (a *Array) Append(v Value) { a.Set(a.next, v) }

// Get returns the value under k.
func (a *Array) Get(k any) (Value, bool) {
	if a == nil {
		return nil, false
	}
	i, ok := a.index[NormalizeKey(k)]
	if !ok {
		return nil, false
	}
	return a.vals[i], true
}

// Len is the number of elements.
func (a *Array) Len() int {
	if a == nil {
		return 0
	}
	return len(a.keys)
}

// At returns the i-th key and value in order.
func (a *Array) At(i int) (Key, Value) { return a.keys[i], a.vals[i] }

// Copy returns a shallow copy (PHP's value semantics for the outer array).
func (a *Array) Copy() *Array {
	b := &Array{keys: append([]Key(nil), a.keys...), vals: append([]Value(nil), a.vals...),
		index: make(map[Key]int, len(a.index)), next: a.next}
	for k, v := range a.index {
		b.index[k] = v
	}
	return b
}

// Object is a PHP object seen from Go; Class is its class name and Data
// what it wraps (an *x509.Certificate for OpenSSLCertificate).
type Object struct {
	Class string
	Data  any
}

// Error is a PHP exception thrown by a function (TypeError, ValueError,
// ArgumentCountError, Error). The message is PHP's, function prefix included.
type Error struct {
	Class   string
	Message string
}

func (e *Error) Error() string { return e.Class + ": " + e.Message }
