//go:build linux

package compat_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phpsock/phpsock/compat"
)

// selectWaitersEnv makes the test binary run selectWaiters: that many
// goroutines, each in stream_select on a silent stream of its own.
const selectWaitersEnv = "COMPAT_TEST_SELECT_WAITERS"

func TestMain(m *testing.M) {
	if n := os.Getenv(selectWaitersEnv); n != "" {
		os.Exit(selectWaiters(n))
	}
	os.Exit(m.Run())
}

// silentServer listens on loopback and holds every connection without a
// word until the returned stop is called.
func silentServer() (addr string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	return "tcp://" + ln.Addr().String(), func() {
		ln.Close()
		mu.Lock()
		for _, c := range held {
			c.Close()
		}
		mu.Unlock()
	}, nil
}

// selectWaiters is the child of TestSelectWaitsPinNoThreads. Once the
// selects wait it prints the thread count, then closes every stream from
// this goroutine and counts the selects that ended with false (EBADF):
// "threads T gomaxprocs P failed F".
func selectWaiters(arg string) int {
	n, _ := strconv.Atoi(arg)
	addr, stop, err := silentServer()
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer stop()
	streams := make([]*compat.Resource, n)
	var wg sync.WaitGroup
	results := make(chan compat.Value, n)
	for i := range streams {
		rt := compat.NewRuntime()
		v, err := rt.Call("stream_socket_client", addr)
		r, ok := v.(*compat.Resource)
		if err != nil || !ok {
			fmt.Println("connect:", v, err)
			return 1
		}
		streams[i] = r
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _ := rt.Call("stream_select", &compat.Ref{V: compat.NewList(r)}, nil, nil, int64(3600))
			results <- v
		}()
	}
	time.Sleep(200 * time.Millisecond) // long enough for every select to wait
	threads := procThreads()
	for _, r := range streams {
		r.Stream().Close()
	}
	wg.Wait()
	close(results)
	failed := 0
	for v := range results {
		if v == false {
			failed++
		}
	}
	fmt.Printf("threads %d gomaxprocs %d failed %d\n", threads, runtime.GOMAXPROCS(0), failed)
	return 0
}

func procThreads() int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Threads:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return -1
}

// TestSelectWaitsPinNoThreads checks that stream_select in a program with
// other goroutines is parked on the runtime poller: 200 selects waiting
// leave the process with about GOMAXPROCS threads, and closing a stream
// ends its select at once with false (select's EBADF).
func TestSelectWaitsPinNoThreads(t *testing.T) {
	const n = 200
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), selectWaitersEnv+"="+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var threads, procs, failed int
	if _, err := fmt.Sscanf(string(out), "threads %d gomaxprocs %d failed %d\n", &threads, &procs, &failed); err != nil {
		t.Fatalf("child output %q: %v", out, err)
	}
	if threads > procs+16 {
		t.Errorf("%d selects waiting: %d threads, want at most GOMAXPROCS+16 = %d", n, threads, procs+16)
	}
	if failed != n {
		t.Errorf("after Close, %d of %d selects returned false, want all", failed, n)
	}
}

// TestSelectCloseWarning checks what a select whose stream is closed by
// another goroutine reports: false and select(2)'s EBADF warning.
func TestSelectCloseWarning(t *testing.T) {
	addr, stop, err := silentServer()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	rt := compat.NewRuntime()
	var warnings []string
	rt.SetDiagnostics(func(d compat.Diagnostic) { warnings = append(warnings, d.String()) })
	v, err := rt.Call("stream_socket_client", addr)
	r, ok := v.(*compat.Resource)
	if err != nil || !ok {
		t.Fatalf("connect: %v %v", v, err)
	}
	got := make(chan compat.Value)
	go func() {
		v, _ := rt.Call("stream_select", &compat.Ref{V: compat.NewList(r)}, nil, nil, int64(3600))
		got <- v
	}()
	time.Sleep(50 * time.Millisecond) // let the select wait
	r.Stream().Close()
	select {
	case v := <-got:
		if v != false {
			t.Errorf("stream_select = %v, want false", v)
		}
		if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "stream_select(): Unable to select [9]: Bad file descriptor") {
			t.Errorf("warnings %q, want select's EBADF", warnings)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("stream_select still waiting after Close")
	}
}
