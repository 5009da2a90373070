package compat_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phpsock/phpsock/compat"
)

// FuzzStreamOps drives a socket stream with a random sequence of PHP calls
// (fread, fgets, fgetc, fwrite, feof, stream_get_line, stream_get_contents,
// stream_select, stream_set_timeout, stream_set_blocking, buffer and chunk
// sizes, shutdown, fclose, ...) against a loopback server (TCP or unix)
// that sends a known byte pattern in random pieces with pauses, and may
// shut its write side, close or reset at any point. Checked: no panic;
// only PHP exceptions as errors; what the reads return is the pattern, in
// order, without gaps (until a stream_get_line may have eaten a delimiter);
// fgets and stream_get_line results have the shape PHP gives them; no call
// blocks much past the stream's timeout (at most 20 ms here); and once the
// stream and server are closed, no goroutine of phpsock or of the test and
// no descriptor is left.
//
//	go test -run '^$' -fuzz FuzzStreamOps -fuzztime 3m ./compat
func FuzzStreamOps(f *testing.F) {
	for _, s := range [][]byte{
		{0, 3, 0, 20, 1, 3, 0, 200, 4, 0, 1, 5, 2, 10, 3, 4, 7, 1},
		{1, 2, 0, 255, 2, 0, 5, 50, 1, 16, 2, 2, 3, 8, 100, 9, 0, 0},
		{0, 5, 0, 10, 1, 5, 0, 10, 1, 5, 3, 0, 8, 0, 1, 9, 1, 2, 0, 1, 0, 2, 100, 10, 1, 11, 0, 12, 1, 0, 50},
		{1, 4, 5, 3, 0, 40, 4, 0, 6, 3, 7, 2, 8, 1, 7, 0, 13, 0, 0, 5},
		{0, 1, 0, 255, 6, 10, 12, 1, 1, 0, 20, 0, 1, 4, 1, 3, 2, 0, 64},
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		baseFDs := countFDs()
		runStreamOps(t, data)
		checkNoLeaks(t, baseFDs)
	})
}

// streamPattern is what the server sends: lines of varying length with
// \r\n, \n and '|' in them, so that line reads and delimiters meet.
var streamPattern = func() []byte {
	alphabet := []byte("ab\ncd\r\nefg|hij|klm\nnopqrst\nuvw\r\n|xyz")
	out := make([]byte, 256<<10)
	for i := range out {
		out[i] = alphabet[(i*7+i/13)%len(alphabet)]
	}
	return out
}()

type serverAct struct {
	op int // 0 send, 1 pause, 2 close_write, 3 reset, 4 close, 5 send big
	n  int
}

func runStreamOps(t *testing.T, data []byte) {
	g := &gen{b: data}
	unix := g.byte()%2 == 1
	var plan []serverAct
	total := 0
	for n := int(g.byte() % 12); n > 0; n-- {
		a := serverAct{op: int(g.byte() % 6), n: int(g.byte())}
		switch a.op {
		case 0:
			a.n++
		case 5:
			a.op, a.n = 0, (a.n+1)*400
		case 1:
			a.n %= 8
		}
		if a.op == 0 {
			a.n = min(a.n, len(streamPattern)-total)
			total += a.n
		}
		plan = append(plan, a)
	}

	tmp, err := os.MkdirTemp("", "phpsock-fuzz-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	var ln net.Listener
	var address string
	if unix {
		path := filepath.Join(tmp, "s.sock")
		ln, err = net.Listen("unix", path)
		address = "unix://" + path
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			address = "tcp://" + ln.Addr().String()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conn net.Conn
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		mu.Lock()
		conn = c
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(io.Discard, c)
		}()
		sent := 0
		for _, a := range plan {
			switch a.op {
			case 0:
				if _, err := c.Write(streamPattern[sent : sent+a.n]); err != nil {
					return
				}
				sent += a.n
			case 1:
				select {
				case <-time.After(time.Duration(a.n) * time.Millisecond):
				case <-stop:
					return
				}
			case 2:
				if cw, ok := c.(interface{ CloseWrite() error }); ok {
					cw.CloseWrite()
				}
			case 3:
				if tc, ok := c.(*net.TCPConn); ok {
					tc.SetLinger(0)
				}
				c.Close()
				return
			case 4:
				c.Close()
				return
			}
		}
	}()
	defer func() {
		close(stop)
		ln.Close()
		mu.Lock()
		if conn != nil {
			conn.Close()
		}
		mu.Unlock()
		wg.Wait()
	}()

	rt := compat.NewRuntime()
	defer rt.Close()
	errno, errstr := &compat.Ref{}, &compat.Ref{}
	s := mustCall(t, rt, "stream_socket_client", address, errno, errstr, 2.0)
	res, ok := s.(*compat.Resource)
	if !ok {
		// A server that resets at once may do so before the connect is
		// checked, which then fails as PHP's does.
		if e, _ := errno.V.(int64); (e != 104 && e != 32) || s != false {
			t.Fatalf("stream_socket_client(%s) = %v, errno %v, errstr %v", address, describeValue(s, 0), errno.V, errstr.V)
		}
		return
	}
	defer compat.Free(res)
	mustCall(t, rt, "stream_set_timeout", res, int64(0), int64(20000))

	st := &readState{total: total, synced: true}
	for n := 0; n < 24 && g.more(); n++ {
		op := g.byte() % 15
		switch op {
		case 0:
			st.got(t, "fread", mustCall(t, rt, "fread", res, int64(g.byte())*int64(g.byte()%8+1)+1))
		case 1:
			length := int64(g.byte() % 64)
			var v compat.Value
			if length == 0 {
				v = mustCall(t, rt, "fgets", res)
			} else {
				v = mustCall(t, rt, "fgets", res, length)
			}
			if str, ok := v.(string); ok {
				if i := strings.IndexByte(str, '\n'); i >= 0 && i != len(str)-1 {
					t.Fatalf("fgets returned %q: a newline before the end", str)
				}
				if length > 0 && int64(len(str)) > length-1 && length > 1 {
					t.Fatalf("fgets(%d) returned %d bytes", length, len(str))
				}
			}
			st.got(t, "fgets", v)
		case 2:
			st.got(t, "fgetc", mustCall(t, rt, "fgetc", res))
		case 3:
			mustCall(t, rt, "fwrite", res, strings.Repeat("w", int(g.byte())*int(g.byte()%16+1)))
		case 4:
			mustCall(t, rt, "feof", res)
		case 5:
			maxlen := int64(g.byte()%128) + 1
			delim := []string{"\n", "\r\n", "|", "", "xyz", "q"}[g.byte()%6]
			v := mustCall(t, rt, "stream_get_line", res, maxlen, delim)
			if str, ok := v.(string); ok {
				if delim != "" && strings.Contains(str, delim) {
					t.Fatalf("stream_get_line(%d, %q) returned %q, holding the delimiter", maxlen, delim, str)
				}
				if int64(len(str)) > maxlen {
					t.Fatalf("stream_get_line(%d) returned %d bytes", maxlen, len(str))
				}
			}
			st.got(t, "stream_get_line", v)
			if str, ok := v.(string); ok && delim != "" && st.synced {
				// Whether the delimiter after the line was consumed depends
				// on where the line ended; stop comparing bytes then.
				if bytes.HasPrefix(streamPattern[st.pos:st.total], []byte(delim)) || len(str) == 0 {
					st.synced = false
				}
			}
		case 6:
			st.got(t, "stream_get_contents", mustCall(t, rt, "stream_get_contents", res, int64(g.byte())*16+1))
		case 7:
			r := &compat.Ref{V: compat.NewList(res)}
			mustCall(t, rt, "stream_select", r, &compat.Ref{}, &compat.Ref{}, int64(0), int64(g.byte()%20)*1000)
		case 8:
			mustCall(t, rt, "stream_set_timeout", res, int64(0), int64(g.byte()%20)*1000+1)
		case 9:
			mustCall(t, rt, "stream_set_blocking", res, g.byte()%2 == 0)
		case 10:
			meta := mustCall(t, rt, "stream_get_meta_data", res)
			if a, ok := meta.(*compat.Array); ok {
				if u, ok := a.Get("unread_bytes"); ok {
					n, _ := u.(int64)
					if n < 0 || (st.synced && st.pos+int(n) > st.total) {
						t.Fatalf("unread_bytes %v with %d of %d bytes read", u, st.pos, st.total)
					}
				}
			}
		case 11:
			mustCall(t, rt, "stream_set_read_buffer", res, []int64{0, 1, 8192}[g.byte()%3])
		case 12:
			mustCall(t, rt, "stream_set_chunk_size", res, int64(g.byte())+1)
		case 13:
			mustCall(t, rt, "stream_socket_shutdown", res, int64(g.byte()%3))
		case 14:
			if g.byte()%4 == 0 {
				mustCall(t, rt, "fclose", res)
				return
			}
			mustCall(t, rt, "fflush", res)
		}
	}
}

// readState follows the pattern through what the reads return.
type readState struct {
	pos, total int
	synced     bool
}

func (st *readState) got(t *testing.T, fn string, v compat.Value) {
	str, ok := v.(string)
	if !ok || !st.synced {
		return
	}
	if st.pos+len(str) > st.total || !bytes.Equal([]byte(str), streamPattern[st.pos:st.pos+len(str)]) {
		want := streamPattern[st.pos:min(st.total, st.pos+len(str))]
		t.Fatalf("%s returned %q at byte %d of %d; the server sent %q there", fn, str, st.pos, st.total, want)
	}
	st.pos += len(str)
}

// mustCall calls fn, failing on a panic, an error that is not a PHP
// exception, a result that is not a PHP value, or a call that takes over
// 3 s (every wait here is bounded by a 20 ms timeout).
func mustCall(t *testing.T, rt *compat.Runtime, fn string, args ...compat.Value) compat.Value {
	t.Helper()
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
		r.v, r.err = rt.Call(fn, args...)
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(3 * time.Second):
		buf := make([]byte, 1<<20)
		t.Fatalf("%s(%s) blocked for 3 s:\n%s", fn, describe(args), buf[:runtime.Stack(buf, true)])
	}
	if r.panic != nil {
		t.Fatalf("%s(%s) panicked: %v\n%s", fn, describe(args), r.panic, r.stack)
	}
	var pe *compat.Error
	if r.err != nil && !errors.As(r.err, &pe) {
		t.Fatalf("%s(%s): error %v (%T), want a PHP exception", fn, describe(args), r.err, r.err)
	}
	if err := checkValue(r.v, 0); err != nil {
		t.Fatalf("%s(%s) returned %v", fn, describe(args), err)
	}
	return r.v
}

// countFDs is the number of open descriptors of the process (-1 where
// /proc/self/fd is not available).
func countFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// checkNoLeaks waits up to 2 s for the descriptors to come back to base
// and for every goroutine of phpsock or of this test to end.
func checkNoLeaks(t *testing.T, base int) {
	deadline := time.Now().Add(2 * time.Second)
	for {
		leaked := leakedGoroutines()
		fds := countFDs()
		if leaked == "" && fds <= base {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("leak: %d descriptors, %d before; goroutines:\n%s", fds, base, leaked)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// leakedGoroutines are the stacks of goroutines, other than the caller's,
// running code of phpsock or of runStreamOps.
func leakedGoroutines() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i == 0 {
			continue // this goroutine
		}
		if strings.Contains(g, "phpsock/phpstream.") || strings.Contains(g, "phpsock/compat.") || strings.Contains(g, "runStreamOps") {
			out = append(out, g)
		}
	}
	return strings.Join(out, "\n\n")
}
