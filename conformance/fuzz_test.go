package conformance_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/harness"
	"github.com/phpsock/phpsock/conformance/phprunner"
)

// FuzzParse fuzzes the case-file loader: Parse never panics; a file-level
// error comes alone; every case it returns has a unique name and its file,
// and is either a case error (a *CaseError naming the file, no steps) or a
// case whose placeholders substitute in a running environment, whose
// results finish, and whose PHP script (phprunner.Script) calls nothing but
// the contract's functions and the recorder's helpers, with no case text
// turned into PHP code. Seeds: testdata/fuzz/FuzzParse and the ones below.
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 3m ./conformance
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`[]`, `{}`, `[1]`, `[null]`, `[{}]`, `[{"name": ""}]`,
		`[{"name": "g/a", "steps": [{"call": "fsockopen", "args": ["{s.host}", {"port": "s"}, 1.5]}],
		  "servers": {"s": {"kind": "tcp", "script": [{"send": "hi\n"}, {"expect_b64": "aGk="}, {"close": true}]}}}]`,
		`[{"name": "g/b", "ports": ["p1"], "ini": {"default_socket_timeout": 5}, "steps": [
		  {"call": "stream_socket_server", "args": ["tcp://{p1.addr}"], "as": "srv"},
		  {"call": "stream_socket_accept", "args": [{"var": "srv"}, 1, {"var": "peer"}]}, {"show": "peer", "pick": [0]}],
		  "clients": {"c": {"connect": "tcp://{p1.addr}", "after_step": 0, "script": [{"tls": {"verify": true}}]}}}]`,
		`[{"name": "g/c", "steps": [{"let": "x", "value": {"map": [[1, {"repeat": ["ab", 3]}], ["k", {"b64": "/w=="}]]}},
		  {"call": "stream_select", "args": [{"var": "x", "at": [1]}, null, null, 0], "drop": ["a.b"], "ignore": ["warnings"]},
		  {"call": "constant", "args": [{"const": ["A", "B"]}]}, {"sleep_ms": 1}, {"note": "n"}]}]`,
		`[{"name": "g/d", "servers": {"u": {"kind": "udg"}, "t": {"kind": "tls", "ipv6": true, "script": [{"tls": {"min": "1.0", "ciphers": ["AES128-SHA"]}}, {"send_info": true}]}},
		  "steps": [{"call": "stream_socket_client", "args": ["udg://{u.path}"], "context": {"ssl": {"cafile": "{certs}/ca.pem"}}, "preset": {"errno": 1, "errstr": "{tmp}"}}],
		  "divergence": "why"}]`,
		`[{"name": "g/e", "steps": [{"call": "exec", "args": ["id"]}]}, {"name": "g/f", "steps": [{"call": "md5", "args": ["';system('id');'"]}]}]`,
		`[{"name": "g/g", "steps": [{"call": "fopen", "args": ["{nope}"]}]}, {"name": "g/g", "steps": []}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cases, err := conformance.Parse("f.json", data)
		if err != nil {
			var ce *conformance.CaseError
			if !errors.As(err, &ce) || ce.File != "f.json" || cases != nil {
				t.Fatalf("file error %v (%T) with %d cases", err, err, len(cases))
			}
			return
		}
		names := map[string]bool{}
		for _, c := range cases {
			if c.Name == "" || names[c.Name] || c.File != "f.json" {
				t.Fatalf("case %q of %q: empty, duplicate or misfiled", c.Name, c.File)
			}
			names[c.Name] = true
			if c.Err != nil {
				var ce *conformance.CaseError
				if !errors.As(c.Err, &ce) || ce.File != "f.json" || len(c.Steps) != 0 {
					t.Fatalf("case %q: error %v (%T) with %d steps", c.Name, c.Err, c.Err, len(c.Steps))
				}
				continue
			}
			checkLoaded(t, c)
		}
	})
}

// callRE finds what the script calls: a name followed by "(".
var callRE = regexp.MustCompile(`([A-Za-z_\\][A-Za-z0-9_\\]*)\s*\(`)

// scriptCalls are the names the recorder's own code around the steps calls.
var scriptCalls = map[string]bool{`\constant`: true, "base64_decode": true, "catch": true, "unset": true, "usleep": true,
	"__phpsock_capture": true, "__phpsock_case": true, "__phpsock_clients": true, "__phpsock_emit": true,
	"__phpsock_enc": true, "__phpsock_stop": true, "__phpsock_thrown": true}

// checkLoaded runs a loaded case through what every runner does before
// running it: substitution in an environment, the PHP script, Finish.
func checkLoaded(t *testing.T, c *conformance.Case) {
	env := &conformance.Env{Endpoints: map[string]conformance.Endpoint{}, Certs: "/certs", Tmp: "/tmp/case"}
	port := 20001
	for a, s := range c.Servers {
		if s.Kind == "unix" || s.Kind == "udg" {
			env.Endpoints[a] = conformance.Endpoint{Path: "/tmp/case/" + a + ".sock"}
			continue
		}
		env.Endpoints[a] = conformance.Endpoint{Host: "::1", Port: port}
		port++
	}
	for _, a := range c.Ports {
		env.Endpoints[a] = conformance.Endpoint{Host: "127.0.0.1", Port: port}
		port++
	}
	steps := make([]*conformance.Step, len(c.Steps))
	for i, st := range c.Steps {
		s, err := env.SubstituteStep(st)
		if err != nil {
			t.Fatalf("case %q loaded, but steps[%d] does not substitute: %v", c.Name, i, err)
		}
		steps[i] = s
	}
	for a, cl := range c.Clients {
		if _, err := env.Substitute(cl.Connect); err != nil {
			t.Fatalf("case %q loaded, but client %s does not substitute: %v", c.Name, a, err)
		}
	}
	script, err := phprunner.Script(c, steps)
	if err != nil {
		// The recorder may refuse what it cannot write (it is then that
		// case's failure), but never by panicking.
		return
	}
	start := bytes.Index(script, []byte("function __phpsock_case() {"))
	if start < 0 {
		t.Fatalf("case %q: no case function in the script", c.Name)
	}
	body := script[start:]
	if bytes.ContainsAny(body, "`") || bytes.Contains(body, []byte("?>")) || bytes.Contains(body, []byte("<?")) {
		t.Fatalf("case %q: the script's steps hold PHP syntax from case text:\n%s", c.Name, body)
	}
	for _, m := range callRE.FindAllSubmatch(body, -1) {
		name := string(m[1])
		if !conformance.Functions[name] && !scriptCalls[name] {
			t.Fatalf("case %q: the script calls %s:\n%s", c.Name, name, body)
		}
	}
	for _, line := range strings.Split(string(body), "\n") {
		// Case strings reach PHP only as base64 inside single quotes.
		for _, q := range regexp.MustCompile(`'[^']*'`).FindAllString(line, -1) {
			if !regexp.MustCompile(`^'[A-Za-z0-9+/=_ ]*'$`).MatchString(q) {
				t.Fatalf("case %q: quoted text %s in the script", c.Name, q)
			}
		}
	}
	raw := make([]*conformance.Obs, len(c.Steps))
	for i := range raw {
		raw[i] = &conformance.Obs{}
	}
	harness.Finish(c, env, raw)
}
