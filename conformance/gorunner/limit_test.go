package gorunner

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/harness"
)

// TestLimitAbandonsBlockedSteps replays, through the real compat package
// and real fixtures, cases whose steps block far longer than the time
// limit (an accept on the case's own server, a read on a socket pair, a
// read from a fixture that never answers, a step the replayer does not
// support, and a case that does not load) beside a case that runs normally:
// each blocked case is reported failed at the limit, the normal one
// matches, and the whole replay takes about the limit, not the steps'
// hour-long timeouts.
func TestLimitAbandonsBlockedSteps(t *testing.T) {
	// A function of the contract that compat does not have (yet).
	unsupported := ""
	have := map[string]bool{}
	for _, f := range compat.Functions() {
		have[f] = true
	}
	for f := range conformance.Functions {
		if !have[f] && (unsupported == "" || f < unsupported) {
			unsupported = f
		}
	}
	first := `{"note": "compat has every function of the contract"}`
	if unsupported != "" {
		first = `{"call": "` + unsupported + `", "args": ["x"]}`
	}
	cases, err := conformance.Parse("t.json", []byte(`[
	{"name": "t/hang-accept", "ports": ["p1"], "steps": [
		{"call": "stream_socket_server", "args": ["tcp://127.0.0.1:{p1.port}"], "as": "srv"},
		{"call": "stream_socket_accept", "args": [{"var": "srv"}, 3600]},
		{"note": "never reached"}]},
	{"name": "t/hang-pair", "steps": [
		{"call": "stream_socket_pair", "args": [1, 1, 0], "as": "p"},
		{"call": "stream_set_timeout", "args": [{"var": "p", "at": [0]}, 3600]},
		{"call": "fread", "args": [{"var": "p", "at": [0]}, 10]}]},
	{"name": "t/hang-fixture", "servers": {"s": {"kind": "tcp", "script": [{"hang": true}]}}, "steps": [
		{"call": "fsockopen", "args": ["{s.host}", {"port": "s"}], "as": "c"},
		{"call": "stream_set_timeout", "args": [{"var": "c"}, 3600]},
		{"call": "fgets", "args": [{"var": "c"}]}]},
	{"name": "t/unsupported", "steps": [
		`+first+`,
		{"call": "stream_socket_pair", "args": [1, 1, 0], "as": "p"},
		{"call": "fwrite", "args": [{"var": "p", "at": [1]}, "hi"]}]},
	{"name": "t/bad", "steps": [{"call": "exec", "args": ["true"]}]},
	{"name": "t/ok", "steps": [
		{"call": "stream_socket_pair", "args": [1, 1, 0], "as": "p"},
		{"call": "fwrite", "args": [{"var": "p", "at": [1]}, "hello"]},
		{"call": "fread", "args": [{"var": "p", "at": [0]}, 10]}]}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	const limit = 600 * time.Millisecond
	began := time.Now()
	rec, failed := harness.Replay(context.Background(), Runner{}, cases, &harness.Options{Limit: limit, Jobs: len(cases)})
	took := time.Since(began)
	if took > limit+2*time.Second {
		t.Errorf("the replay took %v with a limit of %v", took, limit)
	}
	why := map[string]string{}
	for _, f := range failed {
		why[f.Name] = f.Reason
	}
	for _, name := range []string{"t/hang-accept", "t/hang-pair", "t/hang-fixture"} {
		reason := why[name]
		if !strings.Contains(reason, harness.ErrLimit.Error()) {
			t.Errorf("%s: failure %q, want the time limit", name, reason)
		}
		if strings.Contains(reason, "did not stop") {
			t.Errorf("%s: the runner was not stopped by closing its streams: %s", name, reason)
		}
		if res := rec.Cases[name]; res == nil || res.Failure == "" || res.Steps[0].Failure != "" {
			t.Errorf("%s: result %+v: want a failure, the first step observed", name, res)
		}
	}
	if res := rec.Cases["t/unsupported"]; why["t/unsupported"] != "" || res.Failure != "" ||
		(unsupported != "" && !strings.Contains(res.Steps[0].Failure, unsupported+"() is not supported")) ||
		res.Steps[2].Ret == nil || res.Steps[2].Ret.Int != 2 {
		t.Errorf("t/unsupported: %q %+v: want md5's step failed and the next steps run", why["t/unsupported"], res)
	}
	if res := rec.Cases["t/bad"]; !strings.Contains(why["t/bad"], `unknown call "exec"`) || res == nil || !strings.Contains(res.Failure, `unknown call "exec"`) {
		t.Errorf("t/bad: %q %+v: want the case error", why["t/bad"], res)
	}
	if res := rec.Cases["t/ok"]; why["t/ok"] != "" || res.Steps[2].Ret == nil || string(res.Steps[2].Ret.Str) != "hello" {
		t.Errorf("t/ok: %q %+v", why["t/ok"], res)
	}
	if len(failed) != 4 {
		t.Errorf("failures: %v", failed)
	}
	// Nothing of the abandoned runs stays behind.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the replay, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
