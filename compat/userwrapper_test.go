package compat

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// memClass is a wrapper class implemented in Go: every URL of it is one
// shared buffer; methods named in missing do not exist; throw makes
// stream_read throw.
type memClass struct {
	data    []byte
	calls   []string
	missing map[string]bool
	throw   bool
}

func (m *memClass) Name() string { return "MemWrapper" }

func (m *memClass) New(rt *Runtime, ctx *Resource) (WrapperObject, error) {
	return &memObject{class: m}, nil
}

type memObject struct {
	class *memClass
	pos   int
}

func (o *memObject) CallMethod(name string, args ...Value) (Value, bool, error) {
	m := o.class
	if m.missing[name] {
		return nil, false, nil
	}
	m.calls = append(m.calls, name)
	switch name {
	case "stream_open":
		return true, true, nil
	case "stream_read":
		if m.throw {
			return nil, true, &Error{Class: "RuntimeException", Message: "no reading"}
		}
		n := int(args[0].(int64))
		end := min(o.pos+n, len(m.data))
		out := string(m.data[o.pos:end])
		o.pos = end
		return out, true, nil
	case "stream_write":
		s := args[0].(string)
		m.data = append(m.data[:o.pos], s...)
		o.pos += len(s)
		return int64(len(s)), true, nil
	case "stream_eof":
		return o.pos >= len(m.data), true, nil
	case "stream_seek":
		o.pos = int(args[0].(int64))
		return true, true, nil
	case "stream_tell":
		return int64(o.pos), true, nil
	case "stream_close", "stream_flush":
		return true, true, nil
	case "stream_stat":
		st := NewArray()
		st.Set("size", int64(len(m.data)))
		return st, true, nil
	}
	return nil, false, nil
}

// A wrapper implemented in Go serves PHP's functions through the typed
// registration, under PHP's buffer (8192-byte stream_read calls, as
// recorded in userwrapper/log-fopen-read), and leaves the table again.
func TestGoWrapper(t *testing.T) {
	rt := NewRuntime()
	var diags []string
	rt.SetDiagnostics(func(d Diagnostic) { diags = append(diags, d.String()) })
	m := &memClass{}
	if ok, err := rt.StreamWrapperRegister("mem", m, 0); !ok || err != nil {
		t.Fatalf("register: %v %v", ok, err)
	}
	if ok, _ := rt.StreamWrapperRegister("mem", m, 0); ok {
		t.Fatal("registered mem twice")
	}
	names, _ := rt.Call("stream_get_wrappers")
	a := names.(*Array)
	if k, last := a.At(a.Len() - 1); k != int64(a.Len()-1) || last != "mem" {
		t.Fatalf("mem is not last in %v", a)
	}
	n, err := rt.Call("file_put_contents", "mem://x", "hello\nworld\n")
	if err != nil || n != int64(12) {
		t.Fatalf("file_put_contents = %v, %v", n, err)
	}
	fp, err := rt.Call("fopen", "mem://x", "r")
	if err != nil {
		t.Fatal(err)
	}
	if line, _ := rt.Call("fgets", fp); line != "hello\n" {
		t.Fatalf("fgets = %q", line)
	}
	if !slices.Contains(m.calls, "stream_read") {
		t.Fatalf("calls %v", m.calls)
	}
	if rest, _ := rt.Call("stream_get_contents", fp); rest != "world\n" {
		t.Fatalf("stream_get_contents = %q", rest)
	}
	rt.Call("fclose", fp)
	if m.calls[len(m.calls)-1] != "stream_close" {
		t.Fatalf("last call %q, want stream_close", m.calls[len(m.calls)-1])
	}
	if ok, _ := rt.StreamWrapperUnregister("mem"); !ok {
		t.Fatal("unregister failed")
	}
	if v, _ := rt.Call("fopen", "mem://x", "r"); v != false {
		t.Fatalf("fopen after unregister = %v", v)
	}
	if len(diags) != 3 || !strings.Contains(diags[0], "already defined") || !strings.Contains(diags[1], `Unable to find the wrapper "mem"`) || !strings.Contains(diags[2], "Failed to open stream") {
		t.Fatalf("diagnostics %q", diags)
	}
	// The runtime's table is its own: another runtime never saw mem.
	other, _ := NewRuntime().Call("stream_get_wrappers")
	for i := 0; i < other.(*Array).Len(); i++ {
		if _, v := other.(*Array).At(i); v == "mem" {
			t.Fatal("another runtime lists mem")
		}
	}
}

// An exception a method throws is the PHP function's, later diagnostics
// of that call are not raised (PHP calls no error handler while it is
// pending: userwrapper/throw-*), and the next call starts clean.
func TestWrapperException(t *testing.T) {
	rt := NewRuntime()
	var diags []string
	rt.SetDiagnostics(func(d Diagnostic) { diags = append(diags, d.String()) })
	m := &memClass{data: []byte("abc"), throw: true}
	rt.StreamWrapperRegister("mem", m, 0)
	_, err := rt.Call("file_get_contents", "mem://x")
	var e *Error
	if !errors.As(err, &e) || e.Class != "RuntimeException" || e.Message != "no reading" {
		t.Fatalf("file_get_contents error %v", err)
	}
	if len(diags) != 0 {
		t.Fatalf("diagnostics %q", diags)
	}
	m.throw = false
	if v, err := rt.Call("file_get_contents", "mem://x"); v != "abc" || err != nil {
		t.Fatalf("second file_get_contents = %v, %v", v, err)
	}
}

// Missing methods give PHP's warnings (texts recorded in
// userwrapper/missing-methods) and no panic; a nil class is a TypeError.
func TestWrapperMissingMethods(t *testing.T) {
	rt := NewRuntime()
	var diags []string
	rt.SetDiagnostics(func(d Diagnostic) { diags = append(diags, d.String()) })
	m := &memClass{missing: map[string]bool{"stream_read": true, "stream_eof": true, "url_stat": true}}
	rt.StreamWrapperRegister("mem", m, 0)
	fp, _ := rt.Call("fopen", "mem://x", "r")
	if v, _ := rt.Call("fread", fp, int64(3)); v != false {
		t.Fatalf("fread = %v", v)
	}
	if v, _ := rt.Call("feof", fp); v != true {
		t.Fatalf("feof = %v", v)
	}
	if v, _ := rt.Call("file_exists", "mem://x"); v != false {
		t.Fatalf("file_exists = %v", v)
	}
	want := []string{
		"fread(): MemWrapper::stream_read is not implemented!",
		"feof(): MemWrapper::stream_eof is not implemented! Assuming EOF",
		"file_exists(): MemWrapper::url_stat is not implemented!",
	}
	if !slices.Equal(diags, want) {
		t.Fatalf("diagnostics %q, want %q", diags, want)
	}
	if _, err := rt.StreamWrapperRegister("x", nil, 0); err == nil {
		t.Fatal("nil class registered")
	}
}
