package compat

import (
	"strings"
	"testing"
)

// TestFwriteLeavesTheStringAlone: fwrite hands the string's own bytes to
// the stream (no copy), so nothing below may change them. The dechunk
// filter decodes in place; through a write filter chain it must work on a
// copy, or the caller's immutable string would change under it.
func TestFwriteLeavesTheStringAlone(t *testing.T) {
	rt := NewRuntime()
	v, err := rt.Call("fopen", "php://filter/write=dechunk/resource=php://memory", "w+")
	f, ok := v.(*Resource)
	if err != nil || !ok {
		t.Fatalf("fopen: %v %v", v, err)
	}
	defer rt.Call("fclose", f)
	data := string([]byte("5\r\nhello\r\n0\r\n\r\n")) // on the heap, not a literal in read-only memory
	want := strings.Clone(data)
	if n, err := rt.Call("fwrite", f, data); err != nil || n != int64(len(data)) {
		t.Fatalf("fwrite = %v, %v", n, err)
	}
	if data != want {
		t.Fatalf("fwrite changed its argument: %q, was %q", data, want)
	}
}
