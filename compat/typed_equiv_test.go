package compat

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
)

// typedEnv is what a typedCase works on, made afresh for each of the two
// runs (typed and Call) so that both start from the same state.
type typedEnv struct {
	mem     *Resource // php://memory holding "one\ntwo\n", rewound
	mem2    *Resource // an empty php://memory
	sock    *Resource // a TCP client of echoServer, its greeting unread
	pair    [2]*Resource
	closed  *Resource // an fclose'd php://memory
	ctx     *Resource // a context with one ssl option
	srv     *Resource // a listening stream_socket_server
	addr    string    // echoServer's host:port
	port    int
	tlsAddr string // a server that starts TLS at once
	refused int    // a port nothing listens on
	dir     string // a directory holding f.txt ("a\nb\n") and sub/
}

// typedCase is one call made both ways: typed returns the typed method's
// results then its by-reference outputs (outs of them), call Call's value
// and error then the same outputs.
type typedCase struct {
	fn    string
	name  string
	outs  int
	typed func(rt *Runtime, e *typedEnv) []any
	call  func(rt *Runtime, e *typedEnv) []any
}

// pv is a typed result already turned into PHP's value (a method whose
// results do not follow the (T, ok, error) shape).
type pv struct{ v Value }

func res(vals ...any) []any { return vals }

// echoServer greets each connection with "hello\r\n" and echoes every line.
func echoServer(t *testing.T) (string, int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	conns := &connSet{}
	t.Cleanup(func() { ln.Close(); conns.closeAll(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.add(c)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.Write([]byte("hello\r\n"))
				in := bufio.NewReader(c)
				for {
					l, err := in.ReadString('\n')
					if err != nil {
						return
					}
					c.Write([]byte(l))
				}
			}()
		}
	}()
	return ln.Addr().String(), ln.Addr().(*net.TCPAddr).Port
}

// tlsServer starts TLS on each connection at once (localhost.pem) and
// echoes lines.
func tlsServer(t *testing.T) string {
	cert, err := tls.LoadX509KeyPair(filepath.Join(certDir, "localhost.pem"), filepath.Join(certDir, "localhost.key"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	conns := &connSet{}
	t.Cleanup(func() { ln.Close(); conns.closeAll(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.add(c)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				in := bufio.NewReader(c)
				for {
					l, err := in.ReadString('\n')
					if err != nil {
						return
					}
					c.Write([]byte(l))
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// connSet is a server's open connections, closed when the test ends
// (the clients, streams of a runtime, may never close theirs).
type connSet struct {
	mu     sync.Mutex
	conns  []net.Conn
	closed bool
}

func (s *connSet) add(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return
	}
	s.conns = append(s.conns, c)
}

func (s *connSet) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for _, c := range s.conns {
		c.Close()
	}
}

func refusedPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return p
}

func mustCall(t *testing.T, rt *Runtime, fn string, args ...Value) Value {
	t.Helper()
	v, err := rt.Call(fn, args...)
	if err != nil {
		t.Fatalf("%s: %v", fn, err)
	}
	return v
}

func newTypedEnv(t *testing.T, rt *Runtime) *typedEnv {
	e := &typedEnv{}
	e.addr, e.port = echoServer(t)
	e.tlsAddr = tlsServer(t)
	e.refused = refusedPort(t)
	e.dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(e.dir, "f.txt"), []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(e.dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	e.mem = mustCall(t, rt, "fopen", "php://memory", "w+").(*Resource)
	mustCall(t, rt, "fwrite", e.mem, "one\ntwo\n")
	mustCall(t, rt, "rewind", e.mem)
	e.mem2 = mustCall(t, rt, "fopen", "php://memory", "w+").(*Resource)
	e.closed = mustCall(t, rt, "fopen", "php://memory", "w+").(*Resource)
	mustCall(t, rt, "fclose", e.closed)
	e.sock = mustCall(t, rt, "stream_socket_client", "tcp://"+e.addr).(*Resource)
	pair := mustCall(t, rt, "stream_socket_pair", int64(STREAM_PF_UNIX), int64(STREAM_SOCK_STREAM), int64(0)).(*Array)
	for i := range e.pair {
		_, v := pair.At(i)
		e.pair[i] = v.(*Resource)
	}
	e.ctx = mustCall(t, rt, "stream_context_create", Options{"ssl": {"peer_name": "localhost"}}.Array()).(*Resource)
	e.srv = mustCall(t, rt, "stream_socket_server", "tcp://127.0.0.1:0").(*Resource)
	return e
}

// back turns a typed method's results (the error last) into the PHP value
// and exception Call gives.
func back(results []any) (Value, error) {
	n := len(results)
	err, _ := results[n-1].(error)
	vals := results[:n-1]
	if len(vals) == 2 {
		if ok, _ := vals[1].(bool); !ok {
			return false, err
		}
	}
	return toPHP(vals[0]), err
}

func toPHP(v any) Value {
	switch t := v.(type) {
	case pv:
		return t.v
	case *Resource:
		if t == nil {
			return false
		}
		return t
	case int:
		return int64(t)
	case []string:
		return ToValue(t)
	case []*Resource:
		a := NewArray()
		for _, r := range t {
			a.Append(toPHP(r))
		}
		return a
	case MetaData:
		return t.Array
	case Stat:
		a := NewArray()
		vals := []int{t.Dev, t.Ino, t.Mode, t.Nlink, t.UID, t.GID, t.Rdev, t.Size, t.Atime, t.Mtime, t.Ctime, t.Blksize, t.Blocks}
		names := []string{"dev", "ino", "mode", "nlink", "uid", "gid", "rdev", "size", "atime", "mtime", "ctime", "blksize", "blocks"}
		for i, n := range vals {
			a.Set(i, int64(n))
		}
		for i, n := range vals {
			a.Set(names[i], int64(n))
		}
		return a
	case Options:
		return t.Array()
	case ContextParams:
		a := NewArray()
		if t.Notification != nil {
			a.Set("notification", t.Notification)
		}
		a.Set("options", t.Options.Array())
		return a
	}
	return v
}

var portRE = regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\]):\d+|Resource id #\d+`)

// norm is a PHP value as comparable text: the run's directory and ports
// hidden, a resource by its type, an int-keyed array by its values in
// order (a typed slice renumbers the keys Call keeps), string keys sorted
// (Options have no order).
func (e *typedEnv) norm(v Value) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", e.text(t))
	case *Resource:
		if t == nil {
			return "false"
		}
		return "resource(" + t.Type() + ")"
	case *Object:
		return "object(" + t.Class + ")"
	case *Array:
		var ints, strs []string
		for i := 0; i < t.Len(); i++ {
			k, v := t.At(i)
			if s, ok := k.(string); ok {
				strs = append(strs, s+"=>"+e.norm(v))
			} else {
				ints = append(ints, e.norm(v))
			}
		}
		sort.Strings(strs)
		return "[" + strings.Join(append(ints, strs...), ", ") + "]"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

func (e *typedEnv) text(s string) string {
	s = strings.ReplaceAll(s, e.dir, "DIR")
	return portRE.ReplaceAllString(s, "ADDR")
}

// typedOutcome is one run's observable result.
type typedOutcome struct {
	value, err string
	outs       []string
	diags      []string
	failed     bool // false, -1, an exception or a diagnostic
}

func runTypedCase(t *testing.T, c typedCase, typed bool) typedOutcome {
	rt := NewRuntime()
	t.Cleanup(func() { rt.Close() })
	e := newTypedEnv(t, rt)
	var o typedOutcome
	rt.SetDiagnostics(func(d Diagnostic) { o.diags = append(o.diags, fmt.Sprintf("%s: %s", d.Level, e.text(d.String()))) })
	var v Value
	var err error
	var outs []any
	if typed {
		r := c.typed(rt, e)
		v, err = back(r[:len(r)-c.outs])
		outs = r[len(r)-c.outs:]
	} else {
		r := c.call(rt, e)
		v, _ = r[0].(Value)
		err, _ = r[1].(error)
		outs = r[2:]
	}
	o.value = e.norm(v)
	if err != nil {
		o.value = "(thrown)" // a function that throws returns nothing
		o.err = err.Error()
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %T is not a PHP exception", c.name, err)
		}
	}
	for _, out := range outs {
		if r, ok := out.(*Ref); ok {
			out = r.V
		}
		o.outs = append(o.outs, e.norm(ToValue(toPHP(out))))
	}
	o.failed = v == false || v == int64(-1) || err != nil || len(o.diags) > 0
	return o
}

// TestTypedIsCall runs every case through the typed method and through
// Call and compares what is observable: the value, the exception, the
// by-reference outputs, the diagnostics. Every function of Functions()
// must have a case, and one that fails (false, -1, an exception or a
// warning) unless no Go-typed input can make it fail.
func TestTypedIsCall(t *testing.T) {
	cannotFail := map[string]bool{"bin2hex": true, "strlen": true, "stream_get_transports": true,
		"stream_get_wrappers": true, "stream_context_create": true, "stream_context_set_default": true,
		"error_get_last": true, "error_clear_last": true}
	covered, failing := map[string]bool{}, map[string]bool{}
	for _, c := range typedCases() {
		t.Run(c.fn+"/"+c.name, func(t *testing.T) {
			want := runTypedCase(t, c, false)
			got := runTypedCase(t, c, true)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("typed: %+v\nCall:  %+v", got, want)
			}
			covered[c.fn] = true
			if want.failed {
				failing[c.fn] = true
			}
		})
	}
	for _, fn := range Functions() {
		if !covered[fn] {
			t.Errorf("%s: no case compares its typed method with Call", fn)
		} else if !failing[fn] && !cannotFail[fn] {
			t.Errorf("%s: no case makes it fail", fn)
		}
	}
}
