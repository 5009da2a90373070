package compat

import (
	"bytes"
	"testing"
)

// TestOutputGoesToSetOutput: readfile, fpassthru and php://output write to
// the runtime's output, in call order; without one they write nowhere and
// return the same counts.
func TestOutputGoesToSetOutput(t *testing.T) {
	for _, withOutput := range []bool{true, false} {
		rt := NewRuntime()
		var out bytes.Buffer
		if withOutput {
			rt.SetOutput(&out)
		}
		if n, err := rt.Call("readfile", "data:,one-"); err != nil || n != int64(4) {
			t.Fatalf("readfile = %v, %v", n, err)
		}
		v, err := rt.Call("fopen", "data:,two-", "r")
		if err != nil {
			t.Fatal(err)
		}
		if n, err := rt.Call("fpassthru", v); err != nil || n != int64(4) {
			t.Fatalf("fpassthru = %v, %v", n, err)
		}
		if n, err := rt.Call("file_put_contents", "php://output", "three"); err != nil || n != int64(5) {
			t.Fatalf("file_put_contents(php://output) = %v, %v", n, err)
		}
		want := "one-two-three"
		if !withOutput {
			want = ""
		}
		if out.String() != want {
			t.Errorf("output %q, want %q", out.String(), want)
		}
	}
}
