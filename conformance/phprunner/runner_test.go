package phprunner_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/harness"
	"github.com/phpsock/phpsock/conformance/phprunner"
)

const sampleDir = "../../../shared/conformance-sample/"

// php returns the php binary to test with, or skips the test.
func php(t *testing.T) string {
	t.Helper()
	p := os.Getenv("PHPSOCK_PHP")
	if p == "" {
		p = "php"
	}
	path, err := exec.LookPath(p)
	if err != nil {
		t.Skipf("php is not installed (%v); set PHPSOCK_PHP to run this test", err)
	}
	return path
}

func TestMain(m *testing.M) {
	code := m.Run()
	harness.RemoveEmbeddedCerts()
	os.Exit(code)
}

// TestCalibration records the calibration sample with real PHP, twice as
// the contract asks, and requires the reference recording's cases exactly.
func TestCalibration(t *testing.T) {
	r := &phprunner.Runner{PHP: php(t)}
	cases, err := conformance.Load(sampleDir + "cases.json")
	if err != nil {
		t.Skipf("calibration sample not available: %v", err)
	}
	want, err := conformance.ReadRecording(sampleDir + "recorded.json")
	if err != nil {
		t.Fatal(err)
	}
	got, refused := harness.Record(context.Background(), r, cases, &harness.Options{Jobs: 4})
	for _, ref := range refused {
		t.Errorf("refused %s: %s", ref.Name, ref.Reason)
	}
	for _, d := range conformance.Diff(want, got) {
		t.Errorf("case %s differs from the reference recording (-want +got):\n%s", d.Name, d.Diff)
	}
	// The cases objects must be equal as JSON too, not only as Go values.
	gotJSON, err := got.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, err := os.ReadFile(sampleDir + "recorded.json")
	if err != nil {
		t.Fatal(err)
	}
	if g, w := casesObject(t, gotJSON), casesObject(t, wantJSON); !reflect.DeepEqual(g, w) {
		t.Errorf("cases objects differ as JSON:\n got %v\nwant %v", g, w)
	}
	if len(got.Order) != len(cases) {
		t.Errorf("recording has %d cases, want %d", len(got.Order), len(cases))
	}
	for i, c := range cases {
		if i < len(got.Order) && got.Order[i] != c.Name {
			t.Errorf("case %d is %s, want %s (case file order)", i, got.Order[i], c.Name)
		}
	}
}

// casesObject is the "cases" member of a recording as generic JSON.
func casesObject(t *testing.T, data []byte) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m["cases"]
}

func TestInfo(t *testing.T) {
	r := &phprunner.Runner{PHP: php(t)}
	info, err := r.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Version == "" || info.OS == "" || info.Major < 5 {
		t.Fatalf("implausible info %+v", info)
	}
	t.Logf("%+v, profile %s", info, info.Profile())
}

// fakeFixtures has no servers; it records client starts.
type fakeFixtures struct {
	env     *conformance.Env
	clients []int
}

func (f *fakeFixtures) Env() *conformance.Env { return f.env }
func (f *fakeFixtures) StartClients(n int)    { f.clients = append(f.clients, n) }
func (f *fakeFixtures) Broken() error         { return nil }
func (f *fakeFixtures) Close() error          { return nil }

func runText(t *testing.T, r *phprunner.Runner, text string, limit time.Duration) (*fakeFixtures, *conformance.CaseResult, error) {
	t.Helper()
	cases, err := conformance.Parse("t.json", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	fx := &fakeFixtures{env: &conformance.Env{Endpoints: map[string]conformance.Endpoint{"p": {Host: "127.0.0.1", Port: 40999}},
		Certs: "/certs", Tmp: t.TempDir()}}
	opt := &harness.Options{Certs: "/certs", Limit: limit, Start: func(*conformance.Case, string) (harness.Fixtures, error) { return fx, nil }}
	res, err := harness.RunCase(context.Background(), r, cases[0], opt)
	return fx, res, err
}

// TestFatalError checks that a PHP fatal error in the middle of a case
// yields the steps before it and a failure quoting PHP.
func TestFatalError(t *testing.T) {
	r := &phprunner.Runner{PHP: php(t)}
	_, res, err := runText(t, r, `[{"name": "t/fatal", "ini": {"memory_limit": "4M"}, "steps": [
		{"call": "fopen", "args": ["php://memory", "r"], "as": "m"},
		{"call": "fread", "args": [{"var": "m"}, 50000000]},
		{"show": "m"}
	]}]`, 0)
	if err == nil || !strings.Contains(err.Error(), "after 1 of 3 steps") || !strings.Contains(err.Error(), "Allowed memory size") {
		t.Fatalf("err = %v, want a failure after step 0 quoting PHP", err)
	}
	if res.Steps[0] == nil || res.Steps[0].Failure != "" || res.Steps[1].Failure == "" || res.Steps[2].Failure == "" {
		t.Fatalf("steps %+v", res.Steps)
	}
}

// TestNoInjection checks that case text never becomes PHP code.
func TestNoInjection(t *testing.T) {
	r := &phprunner.Runner{PHP: php(t)}
	evil := `'); echo "pwned"; exit; ?><?php /* " . "\" ${x $x */ \\` + "\n\x00é"
	text := `[{"name": "t/evil", "steps": [
		{"let": "a", "value": {"map": [[` + jsonString(evil) + `, ` + jsonString(evil) + `]]}},
		{"show": "a"}
	]}]`
	_, res, err := runText(t, r, text, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := res.Steps[1].Ret
	if got == nil || len(got.Elems) != 1 || string(got.Elems[0].Key.Str) != evil || string(got.Elems[0].Val.Str) != evil {
		t.Fatalf("show = %v, want the string back", got)
	}
	for _, bad := range []string{
		`[{"name": "t/ini", "ini": {"auto_prepend_file": "/etc/passwd"}, "steps": []}]`,
		`[{"name": "t/ini2", "ini": {"precision": "1\nauto_prepend_file=/x"}, "steps": []}]`,
	} {
		if _, _, err := runText(t, r, bad, 0); err == nil || !strings.Contains(err.Error(), "ini.") {
			t.Errorf("%s: err = %v, want an ini case error", bad, err)
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestClientHandshake checks that the script pauses for the clients of
// the steps that have them, in order.
func TestClientHandshake(t *testing.T) {
	r := &phprunner.Runner{PHP: php(t)}
	fx, _, err := runText(t, r, `[{"name": "t/clients", "ports": ["p"],
		"clients": {"a": {"connect": "tcp://{p.addr}", "after_step": -1}, "b": {"connect": "tcp://{p.addr}", "after_step": 1},
			"c": {"connect": "tcp://{p.addr}", "after_step": 1}},
		"steps": [{"note": "0"}, {"note": "1"}, {"note": "2"}]}]`, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(fx.clients); got != "[-1 1]" {
		t.Fatalf("clients started after %s, want [-1 1]", got)
	}
}

// TestLimitKillsPHP checks that a case past its limit is stopped promptly.
func TestLimitKillsPHP(t *testing.T) {
	r := &phprunner.Runner{PHP: php(t)}
	began := time.Now()
	_, _, err := runText(t, r, `[{"name": "t/slow", "steps": [{"note": "a"}, {"sleep_ms": 30000}]}]`, 500*time.Millisecond)
	if !errors.Is(err, harness.ErrLimit) {
		t.Fatalf("err = %v, want ErrLimit", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
}

// TestScriptShape checks the generated PHP of a connect call with a context
// and of a by-reference element.
func TestScriptShape(t *testing.T) {
	cases, err := conformance.Parse("t.json", []byte(`[{"name": "t/shape", "steps": [
		{"call": "stream_socket_client", "args": ["tcp://x:1"], "as": "s", "context": {"ssl": {"verify_peer": false}}, "preset": {"errno": 7}},
		{"call": "stream_select", "args": [{"var": "r", "at": [0, "k"]}, null, null, 0]}
	]}]`))
	if err != nil {
		t.Fatal(err)
	}
	script, err := phprunner.Script(cases[0], cases[0].Steps)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"$__errno = 7;",
		"$__a1 = null;",
		"$__a2 = \\constant('STREAM_CLIENT_CONNECT');",
		"$__a3 = stream_context_create([base64_decode('c3Ns') => [base64_decode('dmVyaWZ5X3BlZXI=') => false]]);",
		"$s = stream_socket_client($__a0, $__errno, $__errstr, $__a1, $__a2, $__a3);",
		"$__r = stream_select($r[0][base64_decode('aw==')], $__a1, $__a2, $__a3);",
	} {
		if !strings.Contains(string(script), want) {
			t.Errorf("script lacks %s", want)
		}
	}
	if t.Failed() {
		t.Log(string(script))
	}
}

// TestLetKeepsWarningsBeforeThrow checks that a let that throws still
// reports what it raised before, and keeps the variable's value.
func TestLetKeepsWarningsBeforeThrow(t *testing.T) {
	r := &phprunner.Runner{PHP: php(t)}
	_, res, err := runText(t, r, `[{"name": "t/let", "steps": [
		{"let": "a", "value": 1},
		{"let": "a", "value": [{"var": "zz"}, {"const": "NOPE"}]},
		{"show": "a"}
	]}]`, 0)
	if err != nil {
		t.Fatal(err)
	}
	o := res.Steps[1]
	if o.Throws == nil || len(o.Warnings) != 1 || o.Warnings[0].Message != "Undefined variable $zz" {
		t.Errorf("let: %+v", o)
	}
	if r := res.Steps[2].Ret; r == nil || r.Type != "int" || r.Int != 1 {
		t.Errorf("show: %v, want 1", r)
	}
}
