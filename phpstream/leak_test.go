package phpstream_test

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

// openFDs counts the process's open descriptors, or -1 where /proc/self/fd
// does not exist.
func openFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents) // includes the directory's own descriptor, every time
}

// settle waits up to a few seconds for f() to drop to want or below, and
// returns its last value: goroutines and descriptors of finished work go
// away asynchronously (handler goroutines, the resolver's singleflight).
func settle(want int, f func() int) int {
	deadline := time.Now().Add(3 * time.Second)
	for {
		n := f()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// steady returns f() once it has kept one value for a few samples in a
// row (or after a few seconds): the baseline of a count.
func steady(f func() int) int {
	deadline := time.Now().Add(3 * time.Second)
	last, same := f(), 0
	for same < 5 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		if n := f(); n == last {
			same++
		} else {
			last, same = n, 0
		}
	}
	return last
}

// TestNoLeaks dials many times, failing in every way and succeeding, and
// checks that no goroutine or descriptor outlives the streams.
func TestNoLeaks(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	dir, err := os.MkdirTemp("", "phps")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	refused := "tcp://127.0.0.1:" + strconv.Itoa(refusedPort(t))
	var resolverCalls atomic.Int32
	failing := failingResolver(&resolverCalls)
	dns := &fakeDNS{addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}

	round := func() {
		ctx := context.Background()
		d := &phpstream.Dialer{Timeout: time.Second}
		for _, addr := range []string{
			refused,             // ECONNREFUSED
			"tcp://127.0.0.1",   // parse error
			"tcp://[::1",        // parse error
			"foo://127.0.0.1:1", // unknown transport
			"unix://" + filepath.Join(dir, "missing"), // ENOENT
		} {
			if s, err := d.Dial(ctx, addr); err == nil {
				s.Close()
				t.Fatalf("Dial(%q) succeeded", addr)
			}
		}
		if _, err := (&phpstream.Dialer{Timeout: time.Second, Resolver: failing}).Dial(ctx, "tcp://leak.phpsock.invalid:1"); err == nil {
			t.Fatal("Dial with a failing resolver succeeded")
		}
		// Successful dials: closed without I/O, after I/O, and by name.
		s := dial(t, srv.addr())
		s.Close()
		s = dial(t, srv.addr())
		s.Write([]byte("x"))
		s.SetReadDeadline(time.Now().Add(time.Millisecond))
		s.Read(make([]byte, 1))
		s.Close()
		s, err := (&phpstream.Dialer{Timeout: time.Second, Resolver: dns.resolver()}).Dial(ctx, "tcp://ok.phpsock.invalid:"+strconv.Itoa(srv.port()))
		if err != nil {
			t.Fatalf("Dial by name: %v", err)
		}
		s.Close()
	}

	round() // warm up: the poller, resolver configuration, /etc/hosts
	baseG := steady(runtime.NumGoroutine)
	baseFD := steady(openFDs)

	for range 20 {
		round()
	}
	dns.wait()

	if g := settle(baseG, runtime.NumGoroutine); g > baseG {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after\n%s", baseG, g, buf[:runtime.Stack(buf, true)])
	}
	if baseFD < 0 {
		t.Log("no /proc/self/fd: descriptor count not checked")
		return
	}
	if fd := settle(baseFD, openFDs); fd > baseFD {
		t.Errorf("descriptors: %d before, %d after", baseFD, fd)
	}
}
