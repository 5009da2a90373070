package conformance

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestSampleRoundTrip(t *testing.T) {
	cases, err := Load("../../shared/conformance-sample/cases.json")
	if err != nil {
		t.Skipf("sample not available: %v", err)
	}
	if len(cases) != 9 {
		t.Fatalf("got %d cases", len(cases))
	}
	rec, err := ReadRecording("../../shared/conformance-sample/recorded.json")
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var back Recording
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if d := Diff(rec, &back); len(d) != 0 {
		t.Fatalf("round trip differs: %v", d)
	}
}

func TestNullOutputsRoundTrip(t *testing.T) {
	var o Obs
	if err := json.Unmarshal([]byte(`{"ret":{"type":"bool","value":false},"errno":null,"errstr":null}`), &o); err != nil {
		t.Fatal(err)
	}
	if o.Errno == nil || o.Errno.V != nil || o.Errstr == nil || o.Errstr.V != nil {
		t.Fatalf("null errno/errstr read as %+v / %+v, want present nulls", o.Errno, o.Errstr)
	}
	out, err := json.Marshal(&o)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ret":{"type":"bool","value":false},"errno":null,"errstr":null}`; string(out) != want {
		t.Fatalf("marshalled %s, want %s", out, want)
	}
	var absent Obs
	if err := json.Unmarshal([]byte(`{"ret":{"type":"null","value":null}}`), &absent); err != nil {
		t.Fatal(err)
	}
	if absent.Errno != nil || absent.Errstr != nil {
		t.Fatalf("absent errno/errstr read as present")
	}
}

// TestPickIntegerKeys checks that pick and drop take JSON integers beside
// strings (CONFORMANCE.md 1.1), kept as their decimal strings, and refuse
// other numbers.
func TestPickIntegerKeys(t *testing.T) {
	cases, err := Parse("t.json", []byte(`[{"name": "g/p", "steps": [
		{"call": "fstat", "args": [1], "pick": [2, "mode", -1], "drop": [0, "a.b"]},
		{"show": "x", "pick": [13]}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	st := cases[0].Steps
	if got := fmt.Sprint(st[0].Pick, st[0].Drop, st[1].Pick); got != "[2 mode -1] [0 a.b] [13]" {
		t.Errorf("keys: %s", got)
	}
	for _, bad := range []string{`[1.5]`, `[true]`, `[[1]]`, `[]`} {
		cases, err := Parse("t.json", []byte(`[{"name": "g/p", "steps": [{"show": "x", "pick": `+bad+`}]}]`))
		if err != nil || cases[0].Err == nil {
			t.Errorf("pick %s: loaded (%v)", bad, err)
		}
	}
}

// TestRepeatBounds checks that {"repeat"} cannot exhaust memory: one value
// is at most 64 MiB, a whole file's at most maxRepeatFile (past it, the
// case is that case's error), and a count whose product with the length
// overflows is refused rather than panicking.
func TestRepeatBounds(t *testing.T) {
	step := func(s string, n int64) string {
		return fmt.Sprintf(`{"let": "x", "value": {"repeat": [%q, %d]}}`, s, n)
	}
	for _, tt := range []struct {
		steps string
		ok    bool
	}{
		{step("ab", 3), true},
		{step("x", 64<<20), true},
		{step("x", 64<<20+1), false},
		{step("abcd", 1<<62), false},
		{step("ab", 1<<62+1), false},
		{step("", 1<<62), true},
	} {
		cases, err := Parse("t.json", []byte(`[{"name": "g/r", "steps": [`+tt.steps+`]}]`))
		if err != nil {
			t.Fatal(err)
		}
		if (cases[0].Err == nil) != tt.ok {
			t.Errorf("%.80s: error %v, want ok %v", tt.steps, cases[0].Err, tt.ok)
		}
	}
	defer func(n int64) { maxRepeatFile = n }(maxRepeatFile)
	maxRepeatFile = 1000
	cases, err := Parse("t.json", []byte(`[{"name": "g/a", "steps": [`+step("x", 400)+`, `+step("y", 500)+`]},
		{"name": "g/b", "steps": [`+step("z", 101)+`]}, {"name": "g/c", "steps": [`+step("z", 100)+`]}]`))
	if err != nil {
		t.Fatal(err)
	}
	if cases[0].Err != nil || cases[1].Err == nil || !strings.Contains(cases[1].Err.Error(), "repeated strings pass 1000 bytes") ||
		cases[2].Err != nil {
		t.Errorf("errors %v, %v, %v", cases[0].Err, cases[1].Err, cases[2].Err)
	}
}
