package harness_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/harness"
)

// fakeFixtures stands in for a fixture set: fixed endpoints, no servers.
type fakeFixtures struct {
	env    *conformance.Env
	broken error

	mu      sync.Mutex
	clients []int
	closed  int
}

func (f *fakeFixtures) Env() *conformance.Env { return f.env }
func (f *fakeFixtures) Broken() error         { return f.broken }

func (f *fakeFixtures) StartClients(n int) {
	f.mu.Lock()
	f.clients = append(f.clients, n)
	f.mu.Unlock()
}

func (f *fakeFixtures) Close() error {
	f.mu.Lock()
	f.closed++
	f.mu.Unlock()
	return nil
}

// fakeStart gives every alias of the case (servers and ports) a fixed port
// from 40001 up, in sorted order, or a path for unix and udg servers.
func fakeStart(t *testing.T, made *[]*fakeFixtures) func(*conformance.Case, string) (harness.Fixtures, error) {
	var mu sync.Mutex
	return func(c *conformance.Case, certs string) (harness.Fixtures, error) {
		env := &conformance.Env{Endpoints: map[string]conformance.Endpoint{}, Certs: certs, Tmp: "/tmp/case-xyz"}
		var aliases []string
		for a := range c.Servers {
			aliases = append(aliases, a)
		}
		aliases = append(aliases, c.Ports...)
		sortStrings(aliases)
		for i, a := range aliases {
			if s := c.Servers[a]; s != nil && (s.Kind == "unix" || s.Kind == "udg") {
				env.Endpoints[a] = conformance.Endpoint{Path: env.Tmp + "/" + a + ".sock"}
				continue
			}
			env.Endpoints[a] = conformance.Endpoint{Host: "127.0.0.1", Port: 40001 + i}
		}
		f := &fakeFixtures{env: env}
		mu.Lock()
		if made != nil {
			*made = append(*made, f)
		}
		mu.Unlock()
		return f, nil
	}
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

// runnerFunc adapts a function to harness.Runner.
type runnerFunc func(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error)

func (f runnerFunc) RunCase(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error) {
	return f(ctx, c, fx)
}

func parseCases(t *testing.T, text string) []*conformance.Case {
	t.Helper()
	cases, err := conformance.Parse("test.json", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

func str(s string) conformance.Ret { return conformance.Ret{Type: "string", Str: conformance.BStr(s)} }

func arr(kv ...any) conformance.Ret {
	r := conformance.Ret{Type: "array", Elems: []conformance.Elem{}}
	for i := 0; i < len(kv); i += 2 {
		var k conformance.Key
		switch x := kv[i].(type) {
		case int:
			k = conformance.Key{IsInt: true, Int: int64(x)}
		case string:
			k = conformance.Key{Str: conformance.BStr(x)}
		}
		r.Elems = append(r.Elems, conformance.Elem{Key: k, Val: kv[i+1].(conformance.Ret)})
	}
	return r
}

func ptr[T any](v T) *T { return &v }

// TestFinishOrder checks drop, then pick, then ignore, then normalisation.
func TestFinishOrder(t *testing.T) {
	c := parseCases(t, `[{"name": "t/order", "servers": {"s": {"kind": "tcp"}}, "steps": [
		{"call": "stream_get_meta_data", "args": [1], "drop": ["a.x", "0"], "pick": ["a"], "ignore": ["warnings"]},
		{"call": "stream_get_meta_data", "args": [1], "pick": ["a", "x"]},
		{"call": "stream_get_meta_data", "args": [1], "pick": ["0"]},
		{"call": "stream_socket_client", "args": ["tcp://{s.addr}"], "ignore": ["errno", "ret"]},
		{"show": "v", "drop": ["gone"]}
	]}]`)[0]
	env := &conformance.Env{Endpoints: map[string]conformance.Endpoint{"s": {Host: "127.0.0.1", Port: 40123}},
		Certs: "/certs/dir", Tmp: "/tmp/t1"}
	meta := arr("a", arr("x", str("dropped"), "y", str("/tmp/t1/f at 127.0.0.1:40123")), 0, str("int key"))
	raw := []*conformance.Obs{
		{Ret: &meta, Warnings: []conformance.Warning{{Level: "E_WARNING", Message: "ignored"}}},
		{Ret: &meta},
		{Ret: &meta},
		{Ret: &conformance.Ret{Type: "bool"}, Errno: &conformance.OptInt{V: ptr(int64(111))},
			Errstr:   &conformance.OptStr{V: ptr(conformance.BStr("port 40123 in /certs/dir/ca.pem"))},
			Warnings: []conformance.Warning{{Level: "E_WARNING", Message: "x 40123 y 401234 z 40123"}}},
		{Ret: ptr(arr("gone", str("1"), "kept", str("2")))},
	}
	got := harness.Finish(c, env, raw)
	want := &conformance.CaseResult{Steps: []*conformance.Obs{
		{Ret: ptr(arr("y", str("{tmp}/f at 127.0.0.1:{s.port}")))},
		{Ret: ptr(str("dropped"))},
		{Ret: ptr(str("int key"))},
		{Errstr: &conformance.OptStr{V: ptr(conformance.BStr("port {s.port} in {certs}/ca.pem"))},
			Warnings: []conformance.Warning{{Level: "E_WARNING", Message: "x {s.port} y 401234 z {s.port}"}}},
		{Ret: ptr(arr("kept", str("2")))},
	}}
	if d := conformance.DiffCase(want, got); d != "" {
		t.Fatalf("Finish (-want +got):\n%s", d)
	}
	if raw[0].Ret.Elems[0].Val.Elems[0].Val.Str != "dropped" || len(raw[0].Warnings) != 1 {
		t.Fatal("Finish modified its input")
	}
}

// TestEphemeral checks where {ephemeral} applies.
func TestEphemeral(t *testing.T) {
	c := parseCases(t, `[{"name": "t/eph", "servers": {"u": {"kind": "udp"}}, "steps": [
		{"call": "stream_socket_get_name", "args": [1, false]},
		{"call": "stream_socket_get_name", "args": [1, true]},
		{"call": "stream_socket_recvfrom", "args": [1, 10, 0, {"var": "a"}]},
		{"show": "a"},
		{"call": "fread", "args": [{"var": "a"}, 1]},
		{"show": "a"},
		{"let": "a", "value": "127.0.0.1:5555"},
		{"show": "a"},
		{"call": "stream_socket_recvfrom", "args": [1, 10, 0, {"var": "b"}]},
		{"call": "stream_socket_recvfrom", "args": [1, 10, 0, {"var": "b"}], "as": "b"},
		{"show": "b"},
		{"call": "stream_socket_recvfrom", "args": [1, 10, 0, {"var": "c"}]},
		{"call": "stream_socket_recvfrom", "args": [1, 0, 0, {"var": "c"}]},
		{"show": "c"},
		{"call": "fwrite", "args": [1, "127.0.0.1:5555"]},
		{"call": "stream_socket_accept", "args": [1, 1, {"var": "peer"}]},
		{"show": "peer"}
	]}]`)[0]
	env := &conformance.Env{Endpoints: map[string]conformance.Endpoint{"u": {Host: "127.0.0.1", Port: 40500}}}
	addr := str("127.0.0.1:5555")
	ok := &conformance.Obs{Ret: &addr}
	raw := []*conformance.Obs{
		{Ret: ptr(str("127.0.0.1:5555"))},
		{Ret: ptr(str("127.0.0.1:40500"))},
		{Ret: ptr(str("data"))}, ok, ok, ok, {}, ok, ok, ok, ok, ok,
		{Throws: &conformance.Throws{Class: "ValueError", Message: "length"}}, ok, ok, ok, ok,
	}
	got := harness.Finish(c, env, raw)
	eph, plain := "127.0.0.1:{ephemeral}", "127.0.0.1:5555"
	want := []string{eph, "127.0.0.1:{u.port}", "data", eph, plain, eph, "", plain, plain, plain, plain, plain, "", eph, plain, plain, eph}
	for i, w := range want {
		if w == "" {
			continue
		}
		if g := got.Steps[i].Ret; g == nil || string(g.Str) != w {
			t.Errorf("step %d: got %v, want %q", i, g, w)
		}
	}
}

// TestRecordRefusals checks that Record keeps the case order, accepts
// stable cases and refuses cases that differ between runs, fail, or break
// their fixtures.
func TestRecordRefusals(t *testing.T) {
	cases := parseCases(t, `[
		{"name": "t/stable", "steps": [{"call": "feof", "args": [1]}]},
		{"name": "t/flaky", "steps": [{"call": "feof", "args": [1]}]},
		{"name": "t/fails", "steps": [{"call": "feof", "args": [1]}, {"note": "x"}]},
		{"name": "t/broken", "steps": [{"call": "feof", "args": [1]}]},
		{"name": "t/short", "steps": [{"call": "feof", "args": [1]}, {"note": "x"}]},
		{"name": "t/stable2", "steps": [{"note": "x"}]}
	]`)
	var runs sync.Map
	var made []*fakeFixtures
	start := fakeStart(t, &made)
	opt := &harness.Options{Certs: "/certs", Jobs: 3, Start: func(c *conformance.Case, certs string) (harness.Fixtures, error) {
		fx, err := start(c, certs)
		if c.Name == "t/broken" {
			fx.(*fakeFixtures).broken = errors.New("expected STARTTLS")
		}
		return fx, err
	}}
	r := runnerFunc(func(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error) {
		n, _ := runs.LoadOrStore(c.Name, new(atomic.Int32))
		k := n.(*atomic.Int32).Add(1)
		obs := make([]*conformance.Obs, len(c.Steps))
		for i := range obs {
			obs[i] = &conformance.Obs{Ret: &conformance.Ret{Type: "bool", Bool: true}}
		}
		switch c.Name {
		case "t/flaky":
			obs[0].Ret.Bool = k == 1
		case "t/fails":
			return obs[:1], errors.New("php died")
		case "t/short":
			return obs[:1], nil
		}
		return obs, nil
	})
	var log strings.Builder
	opt.Log = &syncWriter{w: &log}
	rec, refused := harness.Record(context.Background(), r, cases, opt)
	if got, want := strings.Join(rec.Order, " "), "t/stable t/stable2"; got != want {
		t.Errorf("recorded %q, want %q", got, want)
	}
	var names []string
	for _, ref := range refused {
		names = append(names, ref.Name)
	}
	if got, want := strings.Join(names, " "), "t/flaky t/fails t/broken t/short"; got != want {
		t.Errorf("refused %q, want %q", got, want)
	}
	for _, want := range []string{"refused t/flaky: the two runs differ", "refused t/fails: first run: php died",
		"refused t/broken: first run: fixture broken: expected STARTTLS", "refused t/short: first run: runner observed 1 of 2"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	// Cases that failed their first run are not run again.
	for name, want := range map[string]int32{"t/stable": 2, "t/flaky": 2, "t/fails": 1, "t/broken": 1} {
		n, _ := runs.Load(name)
		if got := n.(*atomic.Int32).Load(); got != want {
			t.Errorf("%s ran %d times, want %d", name, got, want)
		}
	}
	for _, f := range made {
		if f.closed != 1 {
			t.Errorf("fixtures closed %d times, want once", f.closed)
		}
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// TestLimit checks that a run past its limit is stopped and failed, with
// the fixtures closed and the steps not observed padded.
func TestLimit(t *testing.T) {
	c := parseCases(t, `[{"name": "t/hang", "steps": [{"note": "a"}, {"call": "fgets", "args": [1]}, {"note": "b"}]}]`)[0]
	var made []*fakeFixtures
	opt := &harness.Options{Certs: "/certs", Limit: 100 * time.Millisecond, Start: fakeStart(t, &made)}
	r := runnerFunc(func(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error) {
		<-ctx.Done()
		return []*conformance.Obs{{}}, ctx.Err()
	})
	began := time.Now()
	res, err := harness.RunCase(context.Background(), r, c, opt)
	if !errors.Is(err, harness.ErrLimit) {
		t.Fatalf("err = %v, want ErrLimit", err)
	}
	if time.Since(began) > 3*time.Second {
		t.Errorf("RunCase took %v", time.Since(began))
	}
	if res.Failure == "" || len(res.Steps) != 3 || res.Steps[0].Failure != "" || res.Steps[1].Failure == "" || res.Steps[2].Failure == "" {
		t.Errorf("result %+v: want a failure, step 0 observed and steps 1, 2 padded", res)
	}
	if made[0].closed != 1 {
		t.Errorf("fixtures closed %d times, want once", made[0].closed)
	}
}

// TestRunnerPanic checks that a panicking runner fails the case, not the
// process.
func TestRunnerPanic(t *testing.T) {
	c := parseCases(t, `[{"name": "t/panic", "steps": [{"note": "a"}]}]`)[0]
	r := runnerFunc(func(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error) {
		panic("boom")
	})
	_, err := harness.RunCase(context.Background(), r, c, &harness.Options{Certs: "/c", Start: fakeStart(t, nil)})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want the panic", err)
	}
}

// TestReplaySelf replays the calibration recording through a runner that
// answers every step with the recorded observation (un-picked), and checks
// that the harness reproduces the recording exactly.
func TestReplaySelf(t *testing.T) {
	cases, err := conformance.Load("../../../shared/conformance-sample/cases.json")
	if err != nil {
		t.Skipf("calibration sample not available: %v", err)
	}
	want, err := conformance.ReadRecording("../../../shared/conformance-sample/recorded.json")
	if err != nil {
		t.Fatal(err)
	}
	r := runnerFunc(func(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error) {
		var obs []*conformance.Obs
		for i, o := range want.Cases[c.Name].Steps {
			cp := *o
			if cp.Ret != nil && len(c.Steps[i].Pick) > 0 {
				r := unpick(*cp.Ret, c.Steps[i].Pick)
				cp.Ret = &r
			}
			obs = append(obs, &cp)
		}
		return obs, nil
	})
	var done atomic.Int32
	got, failed := harness.Replay(context.Background(), r, cases, &harness.Options{Certs: "/c", Jobs: 4, Start: fakeStart(t, nil),
		Done: func() { done.Add(1) }})
	if len(failed) > 0 {
		t.Fatalf("failures: %v", failed)
	}
	if n := int(done.Load()); n != len(cases) {
		t.Errorf("Done called %d times for %d cases", n, len(cases))
	}
	if d := conformance.Diff(want, got); len(d) > 0 {
		t.Fatalf("self replay differs: %v", d)
	}
	for i, c := range cases {
		if got.Order[i] != c.Name {
			t.Fatalf("order: %v", got.Order)
		}
	}
}

// unpick wraps r in arrays along path, so that picking path gives r back.
func unpick(r conformance.Ret, path []string) conformance.Ret {
	if r.Type == "absent" {
		return arr()
	}
	for i := len(path) - 1; i >= 0; i-- {
		r = arr(path[i], r)
	}
	return r
}
