package compat_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/phpstream"
)

// FuzzCall calls every function of compat.Functions() through
// Runtime.Call with PHP values built from the input: scalars, strings
// (random, or addresses of the iteration's loopback servers), arrays,
// references, and the iteration's resources (streams on loopback TCP, UDP,
// a socket pair, a listening server, php://memory and php://temp, a
// context, a closed stream, and every resource a call returned). A call
// must not panic, must return a PHP value, and may fail only with
// *compat.Error or *compat.ErrUnsupported.
//
// Only loopback is ever touched: connects go through dial hooks that
// refuse any other address (and unix paths outside the iteration's
// folder) and a resolver that never sends a query; the addresses of
// stream_socket_server and stream_socket_sendto are replaced by loopback
// ones; and file names of every function that is not a socket function
// are rewritten into the iteration's folder, which is also the runtime's
// directory for relative paths (those PHP makes of ints and floats). A call still blocked after
// callWait is ended by closing every resource of the iteration, which must
// make it return.
//
//	go test -run '^$' -fuzz FuzzCall -fuzztime 3m ./compat
func FuzzCall(f *testing.F) {
	for _, seed := range callSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h := newFuzzHarness(t)
		defer h.close()
		h.setup()
		g := &gen{b: data, h: h}
		names := compat.Functions()
		sort.Strings(names)
		for n := 0; n < 6 && g.more(); n++ {
			fn := names[int(g.byte())%len(names)]
			nargs := int(g.byte() % 7)
			args := make([]compat.Value, nargs)
			for i := range args {
				args[i] = g.value(0)
			}
			h.sanitize(fn, args)
			h.call(fn, args...)
		}
	})
}

// callSeeds are inputs that reach each function with plausible arguments.
func callSeeds() [][]byte {
	names := compat.Functions()
	sort.Strings(names)
	var seeds [][]byte
	for i := range names {
		// fn, 3 args: resource #i, small int, template string #i.
		seeds = append(seeds, []byte{byte(i), 3, 10, byte(i), 3, 8, 8, byte(i)})
		seeds = append(seeds, []byte{byte(i), 2, 10, 0, 7, 5, 'h', 'e', 'l', 'l', 'o'})
	}
	return seeds
}

// callWait is how long a call may block before the iteration's resources
// are closed under it; the call must then return within stopWait.
const (
	callWait = 100 * time.Millisecond
	stopWait = 10 * time.Second
)

// fuzzHarness is one iteration's world: a runtime with loopback-only dial
// hooks, loopback TCP and UDP servers, a folder, and every resource seen.
type fuzzHarness struct {
	t   testing.TB
	rt  *compat.Runtime
	tmp string

	ln   net.Listener
	pc   net.PacketConn
	wg   sync.WaitGroup
	mu   sync.Mutex
	conn []net.Conn

	res []*compat.Resource // the pool arguments draw from
	all map[*compat.Resource]bool
}

func newFuzzHarness(t testing.TB) *fuzzHarness {
	h := &fuzzHarness{t: t, all: map[*compat.Resource]bool{}}
	var err error
	if h.tmp, err = os.MkdirTemp("", "phpsock-fuzz-"); err != nil {
		t.Fatal(err)
	}
	if h.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if h.pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	h.wg.Add(2)
	go h.serveTCP()
	go h.serveUDP()
	h.rt = compat.NewRuntime()
	// Relative paths (also those PHP makes of ints and floats) resolve in
	// the iteration's folder.
	h.rt.SetDir(h.tmp)
	h.rt.SetDiagnostics(func(d compat.Diagnostic) {
		if d.Message == "" {
			panic("empty diagnostic")
		}
	})
	h.rt.SetDialHooks(phpstream.Dialer{Resolver: noDNS, Control: h.loopbackOnly})
	return h
}

// noDNS answers names from /etc/hosts only (localhost); a query fails.
var noDNS = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
	return nil, errors.New("no DNS while fuzzing")
}}

// loopbackOnly is the dial Control hook: loopback IPs, and unix paths in
// the iteration's folder.
func (h *fuzzHarness) loopbackOnly(network, address string, _ syscall.RawConn) error {
	if strings.HasPrefix(network, "unix") {
		if filepath.IsAbs(address) && strings.HasPrefix(filepath.Clean(address), h.tmp+"/") {
			return nil
		}
		return fmt.Errorf("fuzzing: unix path %q refused", address)
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("fuzzing: %s %s refused", network, address)
	}
	return nil
}

// serveTCP greets each connection with two lines and reads until EOF.
func (h *fuzzHarness) serveTCP() {
	defer h.wg.Done()
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return
		}
		h.mu.Lock()
		h.conn = append(h.conn, c)
		h.mu.Unlock()
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			c.Write([]byte("hello\nworld\n"))
			io.Copy(io.Discard, c)
			c.Close()
		}()
	}
}

// serveUDP echoes every datagram.
func (h *fuzzHarness) serveUDP() {
	defer h.wg.Done()
	buf := make([]byte, 64<<10)
	for {
		n, addr, err := h.pc.ReadFrom(buf)
		if err != nil {
			return
		}
		h.pc.WriteTo(buf[:n], addr)
	}
}

// setup makes the iteration's first resources.
func (h *fuzzHarness) setup() {
	port := int64(h.ln.Addr().(*net.TCPAddr).Port)
	udp := int64(h.pc.LocalAddr().(*net.UDPAddr).Port)
	mem := h.call("fopen", "php://memory", "w+")
	h.call("fwrite", mem, "line one\nline two\nthree")
	h.call("rewind", mem)
	h.call("fopen", "php://temp/maxmemory:8", "r+")
	h.call("stream_context_create", compat.NewArray())
	h.call("stream_socket_client", fmt.Sprintf("tcp://127.0.0.1:%d", port), &compat.Ref{}, &compat.Ref{}, 1.0)
	h.call("fsockopen", "udp://127.0.0.1", udp, &compat.Ref{}, &compat.Ref{}, 1.0)
	h.call("stream_socket_pair", int64(1), int64(1), int64(0))
	h.call("stream_socket_server", "tcp://127.0.0.1:0", &compat.Ref{}, &compat.Ref{})
	closed := h.call("fopen", "php://memory", "r")
	h.call("fclose", closed)
}

// call runs one call with the checks of FuzzCall and returns its result.
func (h *fuzzHarness) call(fn string, args ...compat.Value) compat.Value {
	type result struct {
		v     compat.Value
		err   error
		panic any
		stack string
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				buf := make([]byte, 64<<10)
				r.panic, r.stack = p, string(buf[:runtime.Stack(buf, false)])
			}
			done <- r
		}()
		r.v, r.err = h.rt.Call(fn, args...)
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(callWait):
		h.closeAll()
		select {
		case r = <-done:
		case <-time.After(stopWait):
			buf := make([]byte, 1<<20)
			h.t.Fatalf("%s(%s) still blocked %v after its resources were closed:\n%s", fn, describe(args), stopWait,
				buf[:runtime.Stack(buf, true)])
		}
	}
	if r.panic != nil {
		h.t.Fatalf("%s(%s) panicked: %v\n%s", fn, describe(args), r.panic, r.stack)
	}
	if r.err != nil {
		var pe *compat.Error
		var ue *compat.ErrUnsupported
		switch {
		case errors.As(r.err, &pe):
			if pe.Class == "" || pe.Message == "" {
				h.t.Fatalf("%s(%s): exception without class or message: %#v", fn, describe(args), pe)
			}
		case errors.As(r.err, &ue):
		default:
			h.t.Fatalf("%s(%s): error %v of type %T, want *compat.Error or *compat.ErrUnsupported", fn, describe(args), r.err, r.err)
		}
	}
	if err := checkValue(r.v, 0); err != nil {
		h.t.Fatalf("%s(%s) returned %v", fn, describe(args), err)
	}
	h.track(r.v)
	for _, a := range args {
		h.track(a)
	}
	return r.v
}

// checkValue reports a result that is not a PHP value of compat.Value.
func checkValue(v compat.Value, depth int) error {
	if depth > 64 {
		return errors.New("an array nested too deeply")
	}
	switch t := v.(type) {
	case nil, bool, int64, float64, string, *compat.Resource, *compat.Object:
		return nil
	case *compat.Array:
		if t == nil {
			return errors.New("a nil *Array")
		}
		for i := range t.Len() {
			k, x := t.At(i)
			switch k.(type) {
			case int64, string:
			default:
				return fmt.Errorf("an array key of type %T", k)
			}
			if err := checkValue(x, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("a value of Go type %T", v)
}

// track adds the resources reachable from v to the pool.
func (h *fuzzHarness) track(v compat.Value) {
	switch t := v.(type) {
	case *compat.Resource:
		if t != nil && !h.all[t] {
			h.all[t] = true
			if len(h.res) < 64 {
				h.res = append(h.res, t)
			}
		}
	case *compat.Ref:
		if t != nil {
			h.track(t.V)
		}
	case *compat.Array:
		if t != nil {
			for i := range t.Len() {
				_, x := t.At(i)
				h.track(x)
			}
		}
	}
}

// closeAll frees every resource seen and closes the runtime (its
// persistent streams); a call blocked on one of them must return.
func (h *fuzzHarness) closeAll() {
	for r := range h.all {
		compat.Free(r)
	}
	h.rt.Close()
}

func (h *fuzzHarness) close() {
	h.closeAll()
	h.ln.Close()
	h.pc.Close()
	h.mu.Lock()
	for _, c := range h.conn {
		c.Close()
	}
	h.mu.Unlock()
	h.wg.Wait()
	removeAll(h.tmp)
}

// removeAll removes dir, first giving back the permissions a fuzzed mkdir
// may have taken from its folders.
func removeAll(dir string) {
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if d != nil && d.IsDir() {
			os.Chmod(path, 0o700)
		}
		return nil
	})
	if err := os.RemoveAll(dir); err != nil {
		panic(err)
	}
}

// socketFuncs are the functions of the contract's version 1 list other
// than fopen: none of them opens a file. Their string arguments are passed
// as generated, except the addresses of stream_socket_server and
// stream_socket_sendto.
var socketFuncs = map[string]bool{}

func init() {
	for _, f := range strings.Fields(`fsockopen pfsockopen stream_socket_client stream_socket_server
		stream_socket_accept stream_socket_enable_crypto stream_socket_get_name stream_socket_shutdown
		stream_socket_recvfrom stream_socket_sendto stream_socket_pair stream_select stream_set_timeout
		socket_set_timeout stream_set_blocking socket_set_blocking stream_set_read_buffer
		stream_set_write_buffer stream_set_chunk_size stream_get_meta_data socket_get_status
		stream_get_contents stream_get_line stream_get_transports stream_is_local stream_isatty
		stream_supports_lock stream_context_create stream_context_set_option stream_context_get_options
		stream_context_get_params stream_context_set_default stream_context_get_default fread fgets fgetc
		fwrite fputs feof fflush fclose ftell fseek rewind fstat get_resource_type is_resource constant
		defined strlen md5 bin2hex in_array`) {
		socketFuncs[f] = true
	}
}

// sanitize keeps the call on loopback and inside the iteration's folder.
func (h *fuzzHarness) sanitize(fn string, args []compat.Value) {
	switch {
	case fn == "stream_socket_server" && len(args) > 0:
		args[0] = h.safeAddress(args[0])
	case fn == "stream_socket_sendto" && len(args) > 3:
		args[3] = h.safeAddress(args[3])
	case !socketFuncs[fn]:
		for i, a := range args {
			args[i] = h.safePath(a)
		}
	}
}

// safeAddress replaces an argument that could name an address (a string,
// directly or by reference, with a ':') by a loopback one of its choice.
func (h *fuzzHarness) safeAddress(v compat.Value) compat.Value {
	if ref, ok := v.(*compat.Ref); ok && ref != nil {
		ref.V = h.safeAddress(ref.V)
		return ref
	}
	s, ok := v.(string)
	if !ok || !strings.Contains(s, ":") {
		return v
	}
	safe := []string{"tcp://127.0.0.1:0", "udp://127.0.0.1:0", "127.0.0.1:0", "tls://[::1]:0",
		"unix://" + h.tmp + "/s.sock", "udg://" + h.tmp + "/d.sock", fmt.Sprintf("127.0.0.1:%d", h.pc.LocalAddr().(*net.UDPAddr).Port)}
	return safe[len(s)%len(safe)]
}

var tempURL = regexp.MustCompile(`^php://temp/maxmemory:[0-9]+$`)

// safePath rewrites a string argument (directly or by reference) into a
// file name in the iteration's folder, unless it opens php://memory,
// php://temp or a data: URL.
func (h *fuzzHarness) safePath(v compat.Value) compat.Value {
	if ref, ok := v.(*compat.Ref); ok && ref != nil {
		ref.V = h.safePath(ref.V)
		return ref
	}
	s, ok := v.(string)
	if !ok {
		return v
	}
	if s == "php://memory" || s == "php://temp" || tempURL.MatchString(s) || strings.HasPrefix(s, "data:") {
		return s
	}
	var b strings.Builder
	for _, c := range []byte(s) {
		if b.Len() >= 32 {
			break
		}
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' {
			b.WriteByte(c)
		}
	}
	return h.tmp + "/f" + b.String()
}

// gen builds PHP values from fuzz input.
type gen struct {
	b []byte
	h *fuzzHarness
}

func (g *gen) more() bool { return len(g.b) > 0 }

func (g *gen) byte() byte {
	if len(g.b) == 0 {
		return 0
	}
	c := g.b[0]
	g.b = g.b[1:]
	return c
}

func (g *gen) bytes(n int) []byte {
	n = min(n, len(g.b))
	out := g.b[:n]
	g.b = g.b[n:]
	return out
}

var specialInts = []int64{0, 1, -1, 2, 3, 4, 8, 10, 60, 100, 1024, 8192, 65535, 65536, math.MaxInt32, math.MaxInt64, math.MinInt64, -65536}

var specialFloats = []float64{0, 0.5, -0.5, 1e-7, 0.001, 0.01, 1.5, -1, 1e20, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, 9.2233720368547758e18}

// templates are strings the functions know: addresses of the iteration's
// servers, modes, option and constant names.
var templates = []string{"tcp://127.0.0.1:{port}", "127.0.0.1", "udp://127.0.0.1:{udp}", "ssl://127.0.0.1:{port}",
	"tls://localhost:{port}", "unix://{tmp}/s.sock", "udg://{tmp}/d.sock", "php://memory", "php://temp/maxmemory:4",
	"r", "w+", "rb", "a+", "x", "c+", "localhost", "[::1]:{port}", "STREAM_CLIENT_CONNECT", "STREAM_CRYPTO_METHOD_TLS_CLIENT",
	"ssl", "socket", "verify_peer", "bindto", "127.0.0.1:0", "\n", "\r\n", "", "data:,hello", "tcp://127.0.0.1:1",
	"SEEK_END", "E_WARNING", "peer_name", "crypto_method", "timeout", "{port}", "0x7f.1:{port}"}

func (g *gen) value(depth int) compat.Value {
	switch g.byte() % 12 {
	case 0:
		return nil
	case 1:
		return false
	case 2:
		return true
	case 3:
		return int64(int8(g.byte()))
	case 4:
		var b [8]byte
		copy(b[:], g.bytes(8))
		return int64(binary.LittleEndian.Uint64(b[:]))
	case 5:
		return specialInts[int(g.byte())%len(specialInts)]
	case 6:
		if c := g.byte(); c < 128 {
			return specialFloats[int(c)%len(specialFloats)]
		}
		var b [8]byte
		copy(b[:], g.bytes(8))
		return math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
	case 7:
		return string(g.bytes(int(g.byte() % 64)))
	case 8:
		s := templates[int(g.byte())%len(templates)]
		s = strings.ReplaceAll(s, "{port}", fmt.Sprint(g.h.ln.Addr().(*net.TCPAddr).Port))
		s = strings.ReplaceAll(s, "{udp}", fmt.Sprint(g.h.pc.LocalAddr().(*net.UDPAddr).Port))
		return strings.ReplaceAll(s, "{tmp}", g.h.tmp)
	case 9:
		a := compat.NewArray()
		if depth >= 3 {
			return a
		}
		for n := int(g.byte() % 5); n > 0; n-- {
			if g.byte()%2 == 0 {
				a.Append(g.value(depth + 1))
			} else {
				k := g.value(depth + 1)
				if _, ok := k.(string); !ok {
					k = int64(int8(g.byte()))
				}
				a.Set(k, g.value(depth+1))
			}
		}
		return a
	case 10:
		if len(g.h.res) == 0 {
			return nil
		}
		return g.h.res[int(g.byte())%len(g.h.res)]
	default:
		if depth >= 3 {
			return &compat.Ref{}
		}
		return &compat.Ref{V: g.value(depth + 1)}
	}
}

// describe renders arguments for failure messages.
func describe(args []compat.Value) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = describeValue(a, 0)
	}
	return strings.Join(parts, ", ")
}

func describeValue(v compat.Value, depth int) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", t)
	case *compat.Ref:
		if t == nil {
			return "&nil"
		}
		return "&" + describeValue(t.V, depth+1)
	case *compat.Resource:
		if t == nil {
			return "resource(nil)"
		}
		return fmt.Sprintf("resource(%s)", t.Type())
	case *compat.Array:
		if t == nil || depth > 4 {
			return "[...]"
		}
		parts := make([]string, 0, t.Len())
		for i := range t.Len() {
			k, x := t.At(i)
			parts = append(parts, fmt.Sprintf("%v => %s", k, describeValue(x, depth+1)))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprintf("%v", v)
}
