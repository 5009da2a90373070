package conformance

import (
	"encoding/json"
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
