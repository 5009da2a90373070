package conformance

import (
	"encoding/json"
	"fmt"
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
