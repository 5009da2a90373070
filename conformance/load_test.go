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
