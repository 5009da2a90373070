package phpstream

import (
	"errors"
	"slices"
	"testing"
)

// The table's rules as recorded in userwrapper/register-*,
// userwrapper/unregister-*, userwrapper/restore-cases and
// userwrapper/scheme-case-lookup.
func TestRegistry(t *testing.T) {
	r := NewRegistry()
	if err := r.Register("a_b", 1); !errors.Is(err, ErrInvalidScheme) {
		t.Fatalf("a_b: %v", err)
	}
	if err := r.Register("a+b-c.d", 1); err != nil {
		t.Fatalf("a+b-c.d: %v", err)
	}
	if err := r.Register("http", 1); !errors.Is(err, ErrWrapperExists) {
		t.Fatalf("http: %v", err)
	}
	if !r.Unregister("http") || r.Unregister("http") {
		t.Fatal("unregister http")
	}
	if res := r.Restore("nope"); res != NeverExisted {
		t.Fatalf("restore nope: %v", res)
	}
	if res := r.Restore("php"); res != NeverChanged {
		t.Fatalf("restore php: %v", res)
	}
	if res := r.Restore("http"); res != Restored {
		t.Fatalf("restore http: %v", res)
	}
	names := r.Names()
	if names[len(names)-1] != "http" || names[len(names)-2] != "a+b-c.d" {
		t.Fatalf("names %v", names)
	}
	// Lookup: exact case first, then lower case.
	r.Register("Mixed", "M")
	if l, ok := r.Locate("Mixed://x", nil, true); !ok || l.User != "M" {
		t.Fatalf("Mixed: %+v %v", l, ok)
	}
	var warned []string
	diag := DiagnosticFunc(func(d Diagnostic) { warned = append(warned, d.Message) })
	if l, ok := r.Locate("mixed://x", diag, true); !ok || l.User != nil || len(warned) != 1 {
		t.Fatalf("mixed: %+v %v %q", l, ok, warned)
	}
	// Without plain files, a path has no wrapper.
	r.Unregister("file")
	warned = nil
	if _, ok := r.Locate("x.txt", diag, true); ok || !slices.Equal(warned, []string{"file:// wrapper is disabled in the server configuration"}) {
		t.Fatalf("x.txt without file: %v %q", ok, warned)
	}
	// The global table never changes.
	if slices.Contains((*Registry)(nil).Names(), "Mixed") {
		t.Fatal("global table changed")
	}
}

// TestRegisterRefusesUncomparable checks that a run-time wrapper rename
// could not compare (a slice, a map) is refused, not a later panic.
func TestRegisterRefusesUncomparable(t *testing.T) {
	r := NewRegistry()
	for _, w := range []any{nil, []int{1}, map[string]int{}} {
		if err := r.Register("x", w); !errors.Is(err, ErrWrapperNotComparable) {
			t.Errorf("Register(%#v) = %v; want ErrWrapperNotComparable", w, err)
		}
	}
	if err := r.Register("x", &struct{ m map[string]int }{}); err != nil {
		t.Errorf("Register of a pointer: %v", err)
	}
}
