package phpstream_test

import (
	"context"
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

	"github.com/phpsock/phpsock/phpstream"
)

// waitersEnv makes the test binary start that many streams waiting in
// Fread on silent loopback connections, with other goroutines in the
// process, and print how many OS threads it has meanwhile (runWaiters).
const waitersEnv = "PHPSTREAM_TEST_WAITERS"

// runWaiters is the child of TestWaitsPinNoThreads: n streams, half of
// them checked with Feof first (which reads ahead), each waiting in
// Fread(8192) with a long timeout in its own goroutine; once they wait,
// the thread count; then Close from this goroutine, which must end every
// wait. It prints "threads T gomaxprocs P returned R".
func runWaiters(arg string) int {
	n, err := strconv.Atoi(arg)
	if err != nil {
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return 1
	}
	defer ln.Close()
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // silent: nothing is ever sent
		}
	}()
	d := &phpstream.Dialer{Timeout: 10 * time.Second}
	streams := make([]*phpstream.Stream, n)
	for i := range streams {
		s, err := d.Dial(context.Background(), "tcp://"+ln.Addr().String())
		if err != nil {
			fmt.Println("dial:", err)
			return 1
		}
		s.SetTimeout(time.Hour)
		streams[i] = s
	}
	var started, done sync.WaitGroup
	returned := make(chan bool, n)
	for i, s := range streams {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			if i%2 == 1 && s.Feof() {
				fmt.Println("feof on a live stream")
			}
			started.Done()
			b, ok := s.Fread(8192)
			returned <- len(b) == 0 && !ok
		}()
	}
	started.Wait()
	time.Sleep(200 * time.Millisecond) // long enough for every goroutine to be waiting
	threads := procThreads()
	for _, s := range streams {
		s.Close()
	}
	done.Wait()
	close(returned)
	ended := 0
	for failed := range returned {
		if failed {
			ended++
		}
	}
	fmt.Printf("threads %d gomaxprocs %d returned %d\n", threads, runtime.GOMAXPROCS(0), ended)
	return 0
}

// procThreads is the process's thread count (/proc/self/status), -1 where
// that does not exist.
func procThreads() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Threads:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return -1
}

// TestWaitsPinNoThreads checks that PHP-style waits in a program with
// other goroutines are parked on the runtime poller: 200 streams waiting
// in Fread (half after a Feof) leave the process with about GOMAXPROCS
// threads, not one per stream, and Close ends each wait with fread's
// false.
func TestWaitsPinNoThreads(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread count from /proc/self/status")
	}
	const n = 200
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), waitersEnv+"="+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var threads, procs, returned int
	if _, err := fmt.Sscanf(string(out), "threads %d gomaxprocs %d returned %d\n", &threads, &procs, &returned); err != nil {
		t.Fatalf("child output %q: %v", out, err)
	}
	if threads > procs+16 {
		t.Errorf("%d streams waiting: %d threads, want at most GOMAXPROCS+16 = %d", n, threads, procs+16)
	}
	if returned != n {
		t.Errorf("after Close, %d of %d freads returned false, want all", returned, n)
	}
}

// TestCloseEndsWait checks that Close from another goroutine ends a
// pending PHP read at once: fread returns false.
func TestCloseEndsWait(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	s := dial(t, srv.addr())
	s.SetTimeout(time.Hour)
	got := make(chan bool)
	go func() {
		_, ok := s.Fread(8192)
		got <- ok
	}()
	time.Sleep(50 * time.Millisecond) // let the read start waiting
	s.Close()
	select {
	case ok := <-got:
		if ok {
			t.Error("fread after Close = ok, want false")
		}
	case <-time.After(generous):
		t.Fatal("fread still waiting after Close")
	}
}
