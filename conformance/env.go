package conformance

import (
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Endpoint is where a fixture (or a reserved port) lives.
type Endpoint struct {
	Host string // 127.0.0.1 or ::1; empty for unix and udg
	Port int
	Path string // unix and udg servers
}

// Addr is host:port with IPv6 hosts bracketed.
func (e Endpoint) Addr() string {
	return net.JoinHostPort(e.Host, strconv.Itoa(e.Port))
}

// Env is what a running case's placeholders refer to.
type Env struct {
	Endpoints map[string]Endpoint // by alias: servers and reserved ports
	Certs     string              // the certificate folder
	Tmp       string              // the case's fresh folder
}

var placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

// Substitute replaces the placeholders of CONFORMANCE.md in s. Braces that do
// not form a known placeholder name are an error, as the contract asks.
func (e *Env) Substitute(s string) (string, error) {
	if !strings.Contains(s, "{") {
		return s, nil
	}
	var firstErr error
	out := placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
		v, err := e.lookup(m[1 : len(m)-1])
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return m
		}
		return v
	})
	return out, firstErr
}

func (e *Env) lookup(name string) (string, error) {
	switch name {
	case "certs":
		return e.Certs, nil
	case "tmp":
		return e.Tmp, nil
	}
	alias, field, ok := strings.Cut(name, ".")
	if !ok {
		return "", fmt.Errorf("unknown placeholder {%s}", name)
	}
	ep, ok := e.Endpoints[alias]
	if !ok {
		return "", fmt.Errorf("placeholder {%s}: unknown alias %q", name, alias)
	}
	switch field {
	case "host":
		if ep.Path != "" {
			break
		}
		return ep.Host, nil
	case "port":
		if ep.Path != "" {
			break
		}
		return strconv.Itoa(ep.Port), nil
	case "addr":
		if ep.Path != "" {
			break
		}
		return ep.Addr(), nil
	case "path":
		if ep.Path == "" {
			break
		}
		return ep.Path, nil
	default:
		if n, ok := strings.CutPrefix(field, "port+"); ok && ep.Path == "" {
			k, err := strconv.Atoi(n)
			if err == nil && k >= 0 {
				return strconv.Itoa(ep.Port + k), nil
			}
		}
	}
	return "", fmt.Errorf("unknown placeholder {%s}", name)
}

// SubstituteStep returns a copy of st with placeholders replaced in args,
// context (keys included) and preset; {"port"} forms become Ints.
func (e *Env) SubstituteStep(st *Step) (*Step, error) {
	cp := *st
	var err error
	sub := func(v Value) (Value, error) {
		v, err := MapValue(v, e.Substitute)
		if err != nil {
			return nil, err
		}
		return e.resolvePorts(v)
	}
	if st.Args != nil {
		var v Value
		if v, err = sub(List(st.Args)); err != nil {
			return nil, fmt.Errorf("args: %v", err)
		}
		cp.Args = v.(List)
	}
	if st.Context != nil {
		if cp.Context, err = sub(st.Context); err != nil {
			return nil, fmt.Errorf("context: %v", err)
		}
	}
	if st.Value != nil {
		if cp.Value, err = sub(st.Value); err != nil {
			return nil, fmt.Errorf("value: %v", err)
		}
	}
	if st.Preset != nil && st.Preset.Errstr != nil {
		s, err := e.Substitute(*st.Preset.Errstr)
		if err != nil {
			return nil, fmt.Errorf("preset: %v", err)
		}
		cp.Preset = &Preset{Errno: st.Preset.Errno, Errstr: &s}
	}
	return &cp, nil
}

func (e *Env) resolvePorts(v Value) (Value, error) {
	switch t := v.(type) {
	case Port:
		ep, ok := e.Endpoints[string(t)]
		if !ok || ep.Path != "" {
			return nil, fmt.Errorf(`{"port": %q}: unknown alias`, string(t))
		}
		return Int(ep.Port), nil
	case List:
		out := make(List, len(t))
		for i, x := range t {
			y, err := e.resolvePorts(x)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	case Map:
		out := make(Map, len(t))
		for i, x := range t {
			y, err := e.resolvePorts(x.Value)
			if err != nil {
				return nil, err
			}
			out[i] = MapEntry{Key: x.Key, Value: y}
		}
		return out, nil
	}
	return v, nil
}

// A Normalizer rewrites the run-specific parts of observed strings
// (CONFORMANCE.md "Normalisation"). Both recorders use the same one.
type Normalizer struct {
	paths []pathRule // unix socket paths, then {tmp}, then {certs}
	ports map[int]string
	// offsets lists, for each fixture port, the +N forms the case uses.
	offsets map[int]string
}

type pathRule struct{ from, to string }

// NewNormalizer builds the normaliser of one running case. text is the
// case's own source text, used to find the {ALIAS.port+N} forms it uses.
func NewNormalizer(env *Env, c *Case) *Normalizer {
	n := &Normalizer{ports: map[int]string{}, offsets: map[int]string{}}
	aliases := make([]string, 0, len(env.Endpoints))
	for a := range env.Endpoints {
		aliases = append(aliases, a)
	}
	sort.Strings(aliases)
	for _, a := range aliases {
		ep := env.Endpoints[a]
		if ep.Path != "" {
			n.paths = append(n.paths, pathRule{ep.Path, "{" + a + ".path}"})
			continue
		}
		n.ports[ep.Port] = "{" + a + ".port}"
	}
	// Longer paths first, so a path that extends another is rewritten whole.
	sort.SliceStable(n.paths, func(i, j int) bool { return len(n.paths[i].from) > len(n.paths[j].from) })
	if env.Tmp != "" {
		n.paths = append(n.paths, pathRule{env.Tmp, "{tmp}"})
	}
	if env.Certs != "" {
		n.paths = append(n.paths, pathRule{env.Certs, "{certs}"})
	}
	for _, k := range usedOffsets(c) {
		ep, ok := env.Endpoints[k.alias]
		if !ok || ep.Path != "" {
			continue
		}
		p := ep.Port + k.n
		if _, taken := n.ports[p]; !taken {
			n.offsets[p] = fmt.Sprintf("{%s.port+%d}", k.alias, k.n)
		}
	}
	return n
}

type offsetUse struct {
	alias string
	n     int
}

var offsetRE = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\.port\+([0-9]+)\}`)

func usedOffsets(c *Case) []offsetUse {
	if c == nil {
		return nil
	}
	var out []offsetUse
	var walk func(v Value)
	walk = func(v Value) {
		switch t := v.(type) {
		case Str:
			for _, m := range offsetRE.FindAllStringSubmatch(string(t), -1) {
				k, _ := strconv.Atoi(m[2])
				out = append(out, offsetUse{m[1], k})
			}
		case List:
			for _, x := range t {
				walk(x)
			}
		case Map:
			for _, x := range t {
				walk(x.Key)
				walk(x.Value)
			}
		}
	}
	for _, st := range c.Steps {
		walk(List(st.Args))
		if st.Context != nil {
			walk(st.Context)
		}
		if st.Value != nil {
			walk(st.Value)
		}
	}
	return out
}

var digitsRE = regexp.MustCompile(`[0-9]+`)

// String normalises one observed string. ephemeral also rewrites a trailing
// port that is no fixture's to {ephemeral}, as NameResult does (results of
// stream_socket_get_name and addresses written by stream_socket_recvfrom).
func (n *Normalizer) String(s string, ephemeral bool) string {
	if ephemeral {
		return n.NameResult(s)
	}
	for _, r := range n.paths {
		if r.from != "" {
			s = strings.ReplaceAll(s, r.from, r.to)
		}
	}
	if len(n.ports) == 0 && len(n.offsets) == 0 {
		return s
	}
	return digitsRE.ReplaceAllStringFunc(s, func(d string) string {
		if len(d) > 5 {
			return d
		}
		p, _ := strconv.Atoi(d)
		if name, ok := n.ports[p]; ok {
			return name
		}
		if name, ok := n.offsets[p]; ok {
			return name
		}
		return d
	})
}

// NameResult normalises a stream_socket_get_name result or a recvfrom
// address: fixture ports by name, any other port as {ephemeral}.
func (n *Normalizer) NameResult(s string) string {
	s = n.String(s, false)
	i := strings.LastIndexByte(s, ':')
	if i < 0 || strings.HasPrefix(s, "/") {
		return s
	}
	port := s[i+1:]
	if port != "" && strings.Trim(port, "0123456789") == "" {
		return s[:i+1] + "{ephemeral}"
	}
	return s
}
