package phpstream_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

// aloneEnv makes the test binary act as a one-goroutine client (the shape
// of a ported PHP script), which waits for data in the kernel without
// releasing its P; see pollRead.
const aloneEnv = "PHPSTREAM_TEST_ALONE_ADDR"

// feederEnv makes the test binary the feeder of the benchmarks' client
// (benchServer in lines_bench_test.go).
const feederEnv = "PHPSTREAM_TEST_FEEDER"

// testChildren are more ways to run the test binary as a child process,
// by the environment variable that selects each; files that only some
// systems build add to it.
var testChildren = map[string]func() int{}

func TestMain(m *testing.M) {
	if addr := os.Getenv(aloneEnv); addr != "" {
		os.Exit(aloneClient(addr))
	}
	if chunk := os.Getenv(feederEnv); chunk != "" {
		os.Exit(runFeeder(chunk))
	}
	if n := os.Getenv(waitersEnv); n != "" {
		os.Exit(runWaiters(n))
	}
	for env, run := range testChildren {
		if os.Getenv(env) != "" {
			os.Exit(run())
		}
	}
	os.Exit(m.Run())
}

// aloneClient runs request/response round trips, a timed-out read and an
// EOF with no other goroutine in the process, and prints what it saw.
func aloneClient(addr string) int {
	s, err := (&phpstream.Dialer{Timeout: time.Second}).Dial(context.Background(), "tcp://"+addr)
	if err != nil {
		fmt.Println("dial:", err)
		return 1
	}
	fmt.Println("goroutines", runtime.NumGoroutine())
	ping := func(i int) bool {
		if _, err := s.Fwrite([]byte(fmt.Sprintf("ping %d\n", i))); err != nil {
			fmt.Println("write:", err)
			return false
		}
		line, ok := s.Fgets(0)
		fmt.Printf("reply %q %v\n", line, ok)
		return true
	}
	for i := range 3 {
		if !ping(i) {
			return 1
		}
	}
	// The waits were recv(2) calls on the descriptor in blocking mode
	// (Linux), which goes back to non-blocking for the runtime poller.
	fmt.Println("descriptor blocking", socketBlocking())
	s.SetTimeout(150 * time.Millisecond)
	s.Fwrite([]byte("quiet\n"))
	start := time.Now()
	line, ok := s.Fgets(0)
	fmt.Printf("timeout %q %v %v, waited the timeout: %v\n", line, ok, s.Meta().TimedOut, time.Since(start) >= 150*time.Millisecond)
	s.SetReadDeadline(time.Now().Add(time.Minute))
	fmt.Println("descriptor blocking", socketBlocking())
	if !ping(3) {
		return 1
	}
	s.Fwrite([]byte("quiet\n"))
	start = time.Now()
	line, ok = s.Fgets(0)
	fmt.Printf("timeout %q %v %v, waited the timeout: %v\n", line, ok, s.Meta().TimedOut, time.Since(start) >= 150*time.Millisecond)
	s.SetTimeout(time.Second)
	s.Fwrite([]byte("bye\n"))
	line, ok = s.Fgets(0)
	fmt.Printf("eof %q %v %v\n", line, ok, s.Feof())
	s.Close()
	return 0
}

// socketBlocking reports whether the process's one socket is in blocking
// mode, from /proc/self/fdinfo (false where that does not exist).
func socketBlocking() bool {
	ents, _ := os.ReadDir("/proc/self/fd")
	for _, e := range ents {
		if link, err := os.Readlink("/proc/self/fd/" + e.Name()); err != nil || !strings.HasPrefix(link, "socket:") {
			continue
		}
		info, err := os.ReadFile("/proc/self/fdinfo/" + e.Name())
		if err != nil {
			return false
		}
		for _, l := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(l, "flags:"); ok {
				flags, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
				return err == nil && flags&syscall.O_NONBLOCK == 0
			}
		}
	}
	return false
}

// TestOneGoroutineClient checks the waits of a process with one goroutine:
// replies arrive, PHP's timeout expires, EOF is seen.
func TestOneGoroutineClient(t *testing.T) {
	srv := startServer(t, "tcp", "", func(c net.Conn) {
		defer c.Close()
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch line {
			case "quiet\n":
			case "bye\n":
				return
			default:
				c.Write([]byte("pong " + line))
			}
		}
	})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), aloneEnv+"="+strings.TrimPrefix(srv.addr(), "tcp://"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("client: %v\n%s", err, out)
	}
	blocking := runtime.GOOS == "linux"
	want := fmt.Sprintf(`goroutines 1
reply "pong ping 0\n" true
reply "pong ping 1\n" true
reply "pong ping 2\n" true
descriptor blocking %v
timeout "" false true, waited the timeout: true
descriptor blocking false
reply "pong ping 3\n" true
timeout "" false true, waited the timeout: true
eof "" false true
`, blocking)
	if string(out) != want {
		t.Errorf("client saw:\n%s\nwant:\n%s", out, want)
	}
}

// runFeeder listens on loopback, prints its address, and writes the
// hex-decoded chunk to its one client until the client goes away.
func runFeeder(hexChunk string) int {
	chunk, err := hex.DecodeString(hexChunk)
	if err != nil || len(chunk) == 0 {
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 1
	}
	fmt.Println(ln.Addr())
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(time.Minute))
	c, err := ln.Accept()
	ln.Close()
	if err != nil {
		return 1
	}
	block := bytes.Repeat(chunk, max(1, 65536/len(chunk)))
	for {
		if _, err := c.Write(block); err != nil {
			return 0
		}
	}
}
