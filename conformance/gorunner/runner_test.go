package gorunner

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/harness"
)

// fakeRT is a scripted stand-in for compat.Runtime that records calls.
type fakeRT struct {
	mu     sync.Mutex
	diag   compat.ErrorHandler
	ini    map[string]string
	calls  []string
	freed  []*compat.Resource
	names  map[*compat.Resource]string
	closed bool
}

func newFakeRT() *fakeRT {
	return &fakeRT{ini: map[string]string{}, names: map[*compat.Resource]string{}}
}

func (f *fakeRT) SetErrorHandler(h compat.ErrorHandler, _ int) compat.ErrorHandler {
	f.diag = h
	return nil
}
func (f *fakeRT) SetIni(name, value string) error { f.ini[name] = value; return nil }
func (f *fakeRT) Close() error                    { f.closed = true; return nil }
func (f *fakeRT) SetDir(string)                   {}

func (f *fakeRT) Constant(name string) (compat.Value, error) {
	v, ok := map[string]compat.Value{"STREAM_CLIENT_CONNECT": int64(4), "STREAM_SERVER_BIND": int64(4),
		"STREAM_SERVER_LISTEN": int64(8)}[name]
	if !ok {
		return nil, &compat.Error{Class: "Error", Message: "Undefined constant \"" + name + "\""}
	}
	return v, nil
}

func (f *fakeRT) res(name string) *compat.Resource {
	r := &compat.Resource{}
	f.names[r] = name
	return r
}

// describe renders an argument list for comparison.
func (f *fakeRT) describe(args []compat.Value) string {
	var parts []string
	for _, a := range args {
		parts = append(parts, f.value(a))
	}
	return strings.Join(parts, ", ")
}

func (f *fakeRT) value(v compat.Value) string {
	switch t := v.(type) {
	case *compat.Ref:
		return "&" + f.value(t.V)
	case *compat.Resource:
		return "res:" + f.names[t]
	case *compat.Array:
		var parts []string
		for i := range t.Len() {
			k, x := t.At(i)
			parts = append(parts, fmt.Sprintf("%v=>%s", k, f.value(x)))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case string:
		return fmt.Sprintf("%q", t)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

func (f *fakeRT) Call(name string, args ...compat.Value) (compat.Value, error) {
	f.calls = append(f.calls, name+"("+f.describe(args)+")")
	switch name {
	case "stream_context_create":
		return f.res("ctx"), nil
	case "fsockopen":
		args[2].(*compat.Ref).V = int64(111)
		args[3].(*compat.Ref).V = "Connection refused"
		f.diag(nil, compat.Diagnostic{Level: compat.EWarning, Func: "fsockopen", Message: "Unable to connect", Prefixed: true})
		return false, nil
	case "stream_socket_client":
		args[1].(*compat.Ref).V = int64(0)
		args[2].(*compat.Ref).V = ""
		return f.res("client"), nil
	case "stream_socket_pair":
		return compat.NewList(f.res("p0"), f.res("p1")), nil
	case "stream_select":
		for _, a := range args[:3] {
			ref := a.(*compat.Ref)
			if arr, ok := ref.V.(*compat.Array); ok && arr.Len() > 0 {
				_, first := arr.At(0)
				ref.V = compat.NewList(first)
			}
		}
		return int64(1), nil
	case "stream_socket_recvfrom":
		args[3].(*compat.Ref).V = "127.0.0.1:5555"
		return "data", nil
	case "fopen":
		return f.res(fmt.Sprint("fopen", len(f.calls))), nil
	case "fgetc":
		return nil, &compat.Error{Class: "TypeError", Message: "fgetc(): Argument #1 ($stream) must be of type resource, null given"}
	}
	return nil, &compat.ErrUnsupported{Func: name}
}

type fakeFixtures struct {
	env     *conformance.Env
	clients []int
}

func (f *fakeFixtures) Env() *conformance.Env { return f.env }
func (f *fakeFixtures) StartClients(n int)    { f.clients = append(f.clients, n) }
func (f *fakeFixtures) Broken() error         { return nil }
func (f *fakeFixtures) Close() error          { return nil }

var _ harness.Fixtures = (*fakeFixtures)(nil)

func TestSemantics(t *testing.T) {
	cases, err := conformance.Parse("t.json", []byte(`[{"name": "t/semantics", "ini": {"default_socket_timeout": "5"},
	 "servers": {"c": {"kind": "closed"}}, "steps": [
		{"call": "fsockopen", "args": ["{c.host}", {"port": "c"}, 2]},
		{"call": "fsockopen", "args": ["{c.host}"], "preset": {"errno": 5}},
		{"call": "stream_socket_client", "args": ["tcp://{c.addr}"], "as": "s", "context": {"ssl": {"cafile": "{certs}/ca.pem"}}},
		{"call": "stream_socket_pair", "args": [1, 1, 0], "as": "pair"},
		{"let": "r", "value": [{"var": "pair", "at": [0]}, {"var": "pair", "at": [1]}]},
		{"let": "w", "value": null},
		{"call": "stream_select", "args": [{"var": "r"}, {"var": "w"}, {"var": "e"}, 0]},
		{"show": "e"},
		{"show": "r"},
		{"call": "stream_socket_recvfrom", "args": [{"var": "s"}, 10, 0, {"var": "addr"}]},
		{"show": "addr"},
		{"call": "fopen", "args": ["php://memory", "r"]},
		{"call": "fopen", "args": ["php://memory", "r"], "as": "m"},
		{"call": "fgetc", "args": [{"var": "nope"}]},
		{"call": "stream_select", "args": [{"var": "sets", "at": ["x"]}, {"var": "w"}, {"var": "w"}, 0]},
		{"show": "sets"},
		{"let": "k", "value": {"const": "NO_SUCH_CONSTANT"}},
		{"let": "k", "value": {"const": ["STREAM_SERVER_BIND", "STREAM_SERVER_LISTEN"]}},
		{"show": "k"},
		{"let": "u", "value": [{"var": "pair", "at": [7]}, {"var": "unset", "at": ["a"]}]},
		{"call": "feof", "args": [{"var": "m"}]},
		{"call": "stream_select", "args": [[{"var": "m"}], null, null, 0]},
		{"sleep_ms": 1}
	]}]`))
	if err != nil {
		t.Fatal(err)
	}
	c := cases[0]
	fx := &fakeFixtures{env: &conformance.Env{Endpoints: map[string]conformance.Endpoint{"c": {Host: "127.0.0.1", Port: 40999}},
		Certs: "/certs", Tmp: "/tmp/x"}}
	rt := newFakeRT()
	rn := Runner{newRuntime: func() phpRuntime { return rt }, free: func(v compat.Value) {
		rt.freed = append(rt.freed, v.(*compat.Resource))
	}}
	obs, err := rn.RunCase(context.Background(), c, fx)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != len(c.Steps) {
		t.Fatalf("%d observations for %d steps", len(obs), len(c.Steps))
	}

	wantCalls := []string{
		`fsockopen("127.0.0.1", 40999, &null, &null, 2)`,
		`fsockopen("127.0.0.1", -1, &5, &null)`,
		`stream_context_create([ssl=>[cafile=>"/certs/ca.pem"]])`,
		`stream_socket_client("tcp://127.0.0.1:40999", &null, &null, null, 4, res:ctx)`,
		`stream_socket_pair(1, 1, 0)`,
		`stream_select(&[0=>res:p0 1=>res:p1], &null, &null, 0)`,
		`stream_socket_recvfrom(res:client, 10, 0, &null)`,
		`fopen("php://memory", "r")`,
		`fopen("php://memory", "r")`,
		`fgetc(null)`,
		`stream_select(&null, &null, &null, 0)`,
		`feof(res:fopen9)`,
		`stream_select(&[0=>res:fopen9], &null, &null, 0)`,
	}
	if got := strings.Join(rt.calls, "\n"); got != strings.Join(wantCalls, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", got, strings.Join(wantCalls, "\n"))
	}
	if rt.ini["default_socket_timeout"] != "5" {
		t.Errorf("ini not set: %v", rt.ini)
	}

	enc := func(o *conformance.Obs) string {
		var b strings.Builder
		if o.Ret != nil {
			fmt.Fprintf(&b, "ret=%v ", o.Ret)
		}
		if o.Throws != nil {
			fmt.Fprintf(&b, "throws=%s:%s ", o.Throws.Class, o.Throws.Message)
		}
		if o.Errno != nil {
			if o.Errno.V == nil {
				b.WriteString("errno=null ")
			} else {
				fmt.Fprintf(&b, "errno=%d ", *o.Errno.V)
			}
		}
		if o.Errstr != nil {
			if o.Errstr.V == nil {
				b.WriteString("errstr=null ")
			} else {
				fmt.Fprintf(&b, "errstr=%q ", *o.Errstr.V)
			}
		}
		for _, w := range o.Warnings {
			fmt.Fprintf(&b, "%s:%s ", w.Level, w.Message)
		}
		if o.Failure != "" {
			b.WriteString("failure")
		}
		return strings.TrimSpace(b.String())
	}
	want := []string{
		`ret=false errno=111 errstr="Connection refused" E_WARNING:fsockopen(): Unable to connect`,
		`ret=false errno=111 errstr="Connection refused" E_WARNING:fsockopen(): Unable to connect`,
		`ret=resource(stream) errno=0 errstr=""`,
		`ret=[0 => resource(stream), 1 => resource(stream)]`,
		``,
		``,
		`ret=1`,
		`ret=null`,
		`ret=[0 => resource(stream)]`,
		`ret="data"`,
		`ret="127.0.0.1:5555"`,
		`ret=resource(stream)`,
		`ret=resource(stream)`,
		`throws=TypeError:fgetc(): Argument #1 ($stream) must be of type resource, null given E_WARNING:Undefined variable $nope`,
		`ret=1`,
		`ret=["x" => null]`,
		`throws=Error:Undefined constant "NO_SUCH_CONSTANT"`,
		``,
		`ret=12`,
		`E_WARNING:Undefined array key 7 E_WARNING:Undefined variable $unset E_WARNING:Trying to access array offset on value of type null`,
		`failure`,
		`ret=1`,
		``,
	}
	for i, w := range want {
		if got := enc(obs[i]); got != w {
			t.Errorf("step %d: got  %s\n        want %s", i, got, w)
		}
	}

	// Freed: the context temporary (step 2), the unbound fopen (step 11);
	// at the end every variable's resources: client, p0, p1, fopen(m).
	freed := map[string]int{}
	for _, r := range rt.freed {
		freed[rt.names[r]]++
	}
	for _, name := range []string{"ctx", "fopen8", "client", "p0", "p1", "fopen9"} {
		if freed[name] != 1 {
			t.Errorf("%s freed %d times, want once (freed: %v)", name, freed[name], freed)
		}
	}
	if !rt.closed {
		t.Error("runtime not closed")
	}
	wantClients := "-1 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22"
	if got := strings.Trim(fmt.Sprint(fx.clients), "[]"); got != wantClients {
		t.Errorf("StartClients calls %s, want %s", got, wantClients)
	}
}

// TestFreeKeepsHeld checks that a result still held by a variable is not
// freed: stream_context_get_default-like results and arrays holding it.
func TestFreeKeepsHeld(t *testing.T) {
	rt := newFakeRT()
	var freed []*compat.Resource
	r := &run{rt: rt, free: func(v compat.Value) { freed = append(freed, v.(*compat.Resource)) }, vars: map[string]*compat.Ref{}}
	a, b := rt.res("a"), rt.res("b")
	r.vars["list"] = &compat.Ref{V: compat.NewList(compat.NewList(a))}
	r.release(a, compat.NewList(b))
	if len(freed) != 1 || freed[0] != b {
		t.Fatalf("freed %v, want only b", freed)
	}
}

// TestRealCompat runs a case through the real compat package: whatever it
// supports, the runner must not crash and must observe every step.
func TestRealCompat(t *testing.T) {
	cases, err := conformance.Parse("t.json", []byte(`[{"name": "t/real", "steps": [
		{"call": "stream_get_transports"},
		{"call": "fsockopen", "args": ["gopher://x", 1, 1]},
		{"let": "a", "value": {"const": "NO_SUCH_CONSTANT"}},
		{"show": "a"}
	]}]`))
	if err != nil {
		t.Fatal(err)
	}
	fx := &fakeFixtures{env: &conformance.Env{Endpoints: map[string]conformance.Endpoint{}, Tmp: t.TempDir()}}
	obs, err := Runner{}.RunCase(context.Background(), cases[0], fx)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 4 {
		t.Fatalf("%d observations", len(obs))
	}
	if obs[2].Throws == nil || obs[2].Throws.Message != `Undefined constant "NO_SUCH_CONSTANT"` {
		t.Errorf("unknown constant: %+v", obs[2])
	}
	if obs[3].Ret == nil || obs[3].Ret.Type != "null" {
		t.Errorf("show of unset: %+v", obs[3])
	}
}
