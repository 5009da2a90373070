package compat

import (
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// camel is a PHP function's name as its typed method's: stream_get_meta_data
// is StreamGetMetaData ("meta_data" is PHP's word split, kept), md5 Md5.
func camel(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "_") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// TestEveryFunctionIsTyped fails for a function Call knows that has no
// typed method named after it, or one whose last result is not an error.
func TestEveryFunctionIsTyped(t *testing.T) {
	rtType := reflect.TypeOf(&Runtime{})
	errType := reflect.TypeOf((*error)(nil)).Elem()
	names := Functions()
	sort.Strings(names)
	for _, fn := range names {
		m, ok := rtType.MethodByName(camel(fn))
		if !ok {
			t.Errorf("%s has no typed method %s", fn, camel(fn))
			continue
		}
		if n := m.Type.NumOut(); n == 0 || m.Type.Out(n-1) != errType {
			t.Errorf("%s: the last result of %s is not an error", fn, m.Name)
		}
	}
	if len(names) < 71 {
		t.Errorf("Functions() lists %d functions", len(names))
	}
}

// TestPortingTableIsComplete fails when docs/porting.md lacks a typed Go
// line for a function Call knows.
func TestPortingTableIsComplete(t *testing.T) {
	doc, err := os.ReadFile("../docs/porting.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range Functions() {
		if !strings.Contains(string(doc), "rt."+camel(fn)+"(") {
			t.Errorf("docs/porting.md has no line with rt.%s(", camel(fn))
		}
		if !strings.Contains(string(doc), "`rt.Call(\""+fn+"\"") {
			t.Errorf("docs/porting.md has no generic line rt.Call(%q", fn)
		}
	}
}

// TestToValue checks the Go-to-PHP conversion the typed methods apply to
// option values, data and needles.
func TestToValue(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT, "int64(33)"},
		{uint16(7), "int64(7)"},
		{float32(0.5), "float64(0.5)"},
		{"s", `string("s")`},
		{nil, "<nil>(<nil>)"},
		{[]string{"a", "b"}, `[0:string("a") 1:string("b")]`},
		{[]Value{1, "x"}, `[0:int64(1) 1:string("x")]`},
		{map[string]Value{"b": 2, "a": true}, `[a:bool(true) b:int64(2)]`},
		{Options{"ssl": {"z": 1, "a": 2}, "http": {}}, `[http:[] ssl:[a:int64(2) z:int64(1)]]`},
	} {
		if got := dump(ToValue(c.in)); got != c.want {
			t.Errorf("ToValue(%#v) = %s, want %s", c.in, got, c.want)
		}
	}
}

// dump prints a PHP value with its Go type and an array with its keys in order.
func dump(v Value) string {
	a, ok := v.(*Array)
	if !ok {
		if v == nil {
			return "<nil>(<nil>)"
		}
		return fmt.Sprintf("%T(%#v)", v, v)
	}
	parts := make([]string, a.Len())
	for i := range parts {
		k, e := a.At(i)
		parts[i] = fmt.Sprint(k) + ":" + dump(e)
	}
	return "[" + strings.Join(parts, " ") + "]"
}
