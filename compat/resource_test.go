package compat

import (
	"fmt"
	"net"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// outcome is what one call observably did: its result, its exception and
// its diagnostics.
type outcome struct {
	Ret   string
	Err   string
	Diags []string
}

// observe calls fn through rt and records the outcome; a panic fails t.
func observe(t *testing.T, rt *Runtime, diags *[]string, fn string, args ...Value) (o outcome) {
	t.Helper()
	*diags = nil
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s(%v) panicked: %v", fn, args, p)
		}
	}()
	v, err := rt.Call(fn, args...)
	o.Ret = describe(v)
	if err != nil {
		o.Err = err.Error()
	}
	o.Diags = append(o.Diags, *diags...)
	return o
}

// describe is a value as a test compares it: resources by type, arrays by
// their elements.
func describe(v Value) string {
	switch t := v.(type) {
	case *Resource:
		return "resource(" + t.Type() + ")"
	case *Array:
		out := "array("
		for i := 0; i < t.Len(); i++ {
			k, e := t.At(i)
			out += fmt.Sprintf("%v=>%s,", k, describe(e))
		}
		return out + ")"
	}
	return fmt.Sprintf("%T %v", v, v)
}

// argsFor is a plausible argument list for fn with first as its first
// argument: the functions' other parameters get values of their types.
func argsFor(fn string, first Value) []Value {
	switch fn {
	case "fwrite", "fputs", "stream_socket_sendto":
		return []Value{first, "x"}
	case "fread", "stream_get_line", "stream_socket_recvfrom":
		return []Value{first, int64(1)}
	case "stream_set_timeout", "socket_set_timeout", "stream_set_chunk_size", "stream_set_read_buffer",
		"stream_set_write_buffer", "stream_socket_shutdown", "fseek":
		return []Value{first, int64(1)}
	case "stream_set_blocking", "socket_set_blocking", "stream_socket_get_name":
		return []Value{first, true}
	case "stream_socket_enable_crypto":
		return []Value{first, true, int64(9)}
	case "stream_context_set_option":
		return []Value{first, "ssl", "verify_peer", false}
	case "stream_select":
		return []Value{&Ref{V: NewList(first)}, nil, nil, int64(0)}
	}
	return []Value{first}
}

// TestNilResourceIsFalse checks that every function treats a nil *Resource
// (what the typed connect functions return for PHP's false) exactly as it
// treats false, through Call and by reference, and never panics: ported
// code passes a failed connect's result on as PHP code passes false
// (recorded: resource/false-everywhere, resource/failed-connect-result-everywhere).
func TestNilResourceIsFalse(t *testing.T) {
	rt := NewRuntime()
	var diags []string
	rt.SetDiagnostics(func(d Diagnostic) { diags = append(diags, fmt.Sprint(d.Level, d.String())) })
	// fresh is rt before a call of a function that changes the runtime
	// (error_reporting(false) sets it to 0), so each call starts alike.
	fresh := func(fn string) *Runtime {
		if fn == "error_reporting" {
			rt.ErrorReporting(eAll)
		}
		return rt
	}
	var nilRes *Resource
	for _, fn := range Functions() {
		if fn == "stream_select" {
			continue // by-reference arrays: below
		}
		want := observe(t, fresh(fn), &diags, fn, argsFor(fn, false)...)
		for _, arg := range []Value{nilRes, &Ref{V: nilRes}} {
			got := observe(t, fresh(fn), &diags, fn, argsFor(fn, arg)...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s with %T: differs from false (-false +nil):\n%s", fn, arg, diff)
			}
		}
	}
	// stream_select reads its arrays' elements through the same rule.
	want := observe(t, rt, &diags, "stream_select", &Ref{V: NewList(false)}, nil, nil, int64(0))
	got := observe(t, rt, &diags, "stream_select", &Ref{V: NewList(nilRes)}, nil, nil, int64(0))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stream_select with a nil element: differs from false (-false +nil):\n%s", diff)
	}
}

// TestNilPointersAreNull checks that the other Go nil pointers a caller
// can pass (a nil *Ref, *Array or *Object) are PHP's null, not a panic.
func TestNilPointersAreNull(t *testing.T) {
	rt := NewRuntime()
	var diags []string
	rt.SetDiagnostics(func(d Diagnostic) { diags = append(diags, fmt.Sprint(d.Level, d.String())) })
	var (
		nilRef *Ref
		nilArr *Array
		nilObj *Object
	)
	for _, fn := range Functions() {
		want := observe(t, rt, &diags, fn, argsFor(fn, nil)...)
		for _, arg := range []Value{nilRef, nilArr, nilObj} {
			got := observe(t, rt, &diags, fn, argsFor(fn, arg)...)
			if fn == "stream_select" {
				continue // its first argument is the array by reference, always given here
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s with a nil %T: differs from null (-null +nil):\n%s", fn, arg, diff)
			}
		}
	}
	// A nil *Ref where a by-reference output goes is no output.
	if _, err := rt.Call("fsockopen", "127.0.0.1", int64(1), nilRef, nilRef, 0.5); err != nil {
		t.Errorf("fsockopen with nil outputs: %v", err)
	}
}

// TestTypedAPIWithFalse runs the typed methods on the nil *Resource a
// failed connect returns, as ported code does on its error paths.
func TestTypedAPIWithFalse(t *testing.T) {
	rt := NewRuntime()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now: the connect is refused
	var errno int
	var errstr string
	fp, err := rt.Fsockopen("127.0.0.1", port, &errno, &errstr, 1)
	if err != nil || fp != nil {
		t.Fatalf("Fsockopen to a closed port: %v, %v", fp, err)
	}
	// PHP's TypeError for false where a stream is expected.
	if ok, err := rt.Fclose(fp); ok || err == nil || err.Error() != "TypeError: fclose(): Argument #1 ($stream) must be of type resource, bool given" {
		t.Errorf("Fclose(false) = %v, %v", ok, err)
	}
	if _, ok, err := rt.Fwrite(fp, "QUIT\r\n"); ok || err == nil {
		t.Errorf("Fwrite(false) = %v, %v", ok, err)
	}
	if _, ok, err := rt.Fread(fp, 10); ok || err == nil {
		t.Errorf("Fread(false) = %v, %v", ok, err)
	}
	if fp.Stream() != nil || fp.Context() != nil || fp.ID() != 0 || !fp.Closed() || fp.Type() != "Unknown" {
		t.Errorf("nil *Resource accessors: %v %v %d %v %q", fp.Stream(), fp.Context(), fp.ID(), fp.Closed(), fp.Type())
	}
	if v, err := rt.Call("is_resource", fp); v != false || err != nil {
		t.Errorf("is_resource(false) = %v, %v", v, err)
	}
}
