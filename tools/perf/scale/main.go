//go:build linux

// Command scale measures many streams waiting at once in one Go program
// (issue #12): N goroutines, each with its own loopback stream to a
// silent server, each waiting in a PHP-style read, beside the same with
// plain Go net in the same run. For each client it reports the OS
// threads, the RSS per stream, the CPU the idle waits cost, the connects
// that failed, and the wake-up latency (p50/p99) when the server then
// sends every stream one line.
//
//	scale [-n 1000,10000] [-impl net,fread,feof] [-tls CERTDIR] [-idle 3s] [-runs 3]
//
// impl: net (net.Conn or tls.Conn Read into an 8 KiB buffer), fread
// (phpstream Stream.Fread(8192) with SetTimeout(1h)), feof (the same
// after a Feof). With -tls the streams are TLS (tls:// with PHP's peer
// verification against CERTDIR/ca.pem; plain Go: tls.Dial with that CA).
//
// Each client runs in a process of its own, and so does its server (the
// open files limit is per process): the command re-executes itself as
// "scale client ..." and the client as "scale serve ...". Only loopback
// addresses are used. SCALE_VERBOSE=1 reports each client's progress on
// stderr; SCALE_CPUPROFILE=FILE profiles a client while the lines arrive.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "serve":
			serve(os.Args[2:])
			return
		case "client":
			client(os.Args[2:])
			return
		}
	}
	drive()
}

// result is what one client reports.
type result struct {
	Impl          string  `json:"impl"`
	N             int     `json:"n"`
	TLS           bool    `json:"tls"`
	Threads       int     `json:"threads"`
	RSSPerStream  float64 `json:"rss_per_stream_kib"`
	IdleCPU       float64 `json:"idle_cpu_pct"`
	ConnectFailed int     `json:"connect_failed"`
	Received      int     `json:"received"`
	P50ms         float64 `json:"p50_ms"`
	P99ms         float64 `json:"p99_ms"`
	WakeCPU       float64 `json:"wake_cpu_us"` // client CPU per stream while the lines arrive
	GOMAXPROCS    int     `json:"gomaxprocs"`
}

// drive runs every (N, impl) client runs times, interleaved (the order
// reverses every round, so that drift hits every client alike), and
// prints a table of the medians.
func drive() {
	ns := flag.String("n", "1000,10000", "stream counts")
	impls := flag.String("impl", "net,fread,feof", "clients: net, fread, feof")
	certs := flag.String("tls", "", "TLS: the certificate directory (ca.pem, localhost.pem, localhost.key)")
	idle := flag.Duration("idle", 3*time.Second, "how long the idle CPU is measured")
	runs := flag.Int("runs", 3, "runs of each client")
	flag.Parse()
	fmt.Printf("| streams | TLS | client | OS threads | RSS/stream | idle CPU | connects failed | received | wake-up p50 | wake-up p99 | CPU per wake-up |\n")
	fmt.Printf("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	tlsCol := "no"
	if *certs != "" {
		tlsCol = "yes"
	}
	for _, n := range strings.Split(*ns, ",") {
		order := strings.Split(*impls, ",")
		all := map[string][]result{}
		for round := 0; round < *runs; round++ {
			for _, impl := range order {
				if r, ok := runClient(impl, n, *certs, *idle); ok {
					all[impl] = append(all[impl], r)
				}
			}
			slices.Reverse(order)
		}
		for _, impl := range strings.Split(*impls, ",") {
			rs := all[impl]
			if len(rs) == 0 {
				continue
			}
			med := func(f func(r result) float64) float64 {
				v := make([]float64, len(rs))
				for i, r := range rs {
					v[i] = f(r)
				}
				slices.Sort(v)
				return v[len(v)/2]
			}
			worst := func(f func(r result) int) int {
				m := 0
				for _, r := range rs {
					m = max(m, f(r))
				}
				return m
			}
			fmt.Printf("| %s | %s | %s | %d | %.1f KiB | %.2f %% | %d | %d/%d | %.2f ms | %.2f ms | %.1f µs |\n",
				n, tlsCol, label(impl), worst(func(r result) int { return r.Threads }),
				med(func(r result) float64 { return r.RSSPerStream }), med(func(r result) float64 { return r.IdleCPU }),
				worst(func(r result) int { return r.ConnectFailed }),
				int(med(func(r result) float64 { return float64(r.Received) })), rs[0].N,
				med(func(r result) float64 { return r.P50ms }), med(func(r result) float64 { return r.P99ms }),
				med(func(r result) float64 { return r.WakeCPU }))
		}
	}
	fmt.Printf("\n%d runs of each client, interleaved: medians; threads and failed connects: the most seen.\n", *runs)
}

// runClient runs one client process and returns its result.
func runClient(impl, n, certs string, idle time.Duration) (result, bool) {
	args := []string{"client", "-impl", impl, "-n", n, "-idle", idle.String()}
	if certs != "" {
		args = append(args, "-tls", certs)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var r result
	if err == nil {
		err = json.Unmarshal(out, &r)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "client %s %s: %v: %s\n", impl, n, err, out)
		return r, false
	}
	return r, true
}

func label(impl string) string {
	switch impl {
	case "net":
		return "Go net (Read 8 KiB)"
	case "fread":
		return "phpsock Fread(8192)"
	case "feof":
		return "phpsock Feof + Fread(8192)"
	}
	return impl
}

// client is one measured process: it starts its server, opens n streams
// from n goroutines, lets them wait, measures, has the server send each
// stream a line, and prints a result as JSON.
func client(args []string) {
	fs := flag.NewFlagSet("client", flag.ExitOnError)
	impl := fs.String("impl", "fread", "net, fread or feof")
	n := fs.Int("n", 1000, "streams")
	certs := fs.String("tls", "", "certificate directory")
	idle := fs.Duration("idle", 3*time.Second, "idle CPU window")
	fs.Parse(args)

	srvArgs := []string{"serve"}
	if *certs != "" {
		srvArgs = append(srvArgs, "-tls", *certs)
	}
	srv := exec.Command(os.Args[0], srvArgs...)
	srv.Stderr = os.Stderr
	toSrv, _ := srv.StdinPipe()
	fromSrv, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		fatal("server: %v", err)
	}
	defer srv.Process.Kill()
	srvOut := bufio.NewReader(fromSrv)
	addr, err := srvOut.ReadString('\n')
	if err != nil {
		fatal("server address: %v", err)
	}
	addr = strings.TrimSpace(addr)

	dial := dialer(*impl, *certs)
	debug.FreeOSMemory()
	baseRSS := rss()

	var failed, got, ended atomic.Int64
	var dialed, done sync.WaitGroup
	lat := make([]float64, *n)
	release := make(chan struct{})
	var mu sync.Mutex
	var streams []io.Closer
	for i := 0; i < *n; i++ {
		dialed.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			read, closer, err := dial(addr)
			if err != nil {
				failed.Add(1)
				dialed.Done()
				return
			}
			mu.Lock()
			streams = append(streams, closer)
			mu.Unlock()
			dialed.Done()
			line, err := read()
			now := time.Now().UnixNano()
			if sent, perr := strconv.ParseInt(strings.TrimSpace(string(line)), 10, 64); err == nil && perr == nil {
				lat[i] = float64(now-sent) / 1e6
				got.Add(1)
			}
			ended.Add(1)
			<-release
		}()
	}
	start := time.Now()
	dialed.Wait()
	logf("%s n=%d: connected in %v", *impl, *n, time.Since(start).Round(time.Millisecond))
	time.Sleep(time.Second) // every goroutine reaches its read
	debug.FreeOSMemory()
	r := result{Impl: *impl, N: *n, TLS: *certs != "", GOMAXPROCS: runtime.GOMAXPROCS(0)}
	r.ConnectFailed = int(failed.Load())
	r.RSSPerStream = float64(rss()-baseRSS) / float64(*n)
	cpu0, t0 := processCPU(), time.Now()
	time.Sleep(*idle)
	r.IdleCPU = 100 * float64(processCPU()-cpu0) / float64(time.Since(t0))
	r.Threads = threads()

	if name := os.Getenv("SCALE_CPUPROFILE"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			fatal("profile: %v", err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	cpu0 = processCPU()
	fmt.Fprintln(toSrv, "SEND")
	finished := make(chan struct{})
	go func() {
		for ended.Load()+failed.Load() < int64(*n) {
			time.Sleep(5 * time.Millisecond)
		}
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(60 * time.Second):
	}
	r.Received = int(got.Load())
	r.WakeCPU = float64(processCPU()-cpu0) / float64(time.Microsecond) / float64(*n)
	logf("%s n=%d: received", *impl, *n)
	var ls []float64
	for _, l := range lat {
		if l > 0 {
			ls = append(ls, l)
		}
	}
	slices.Sort(ls)
	if len(ls) > 0 {
		r.P50ms = ls[len(ls)/2]
		r.P99ms = ls[len(ls)*99/100]
	}
	close(release)
	mu.Lock()
	for _, c := range streams {
		c.Close()
	}
	mu.Unlock()
	logf("%s n=%d: closed", *impl, *n)
	json.NewEncoder(os.Stdout).Encode(r)
	toSrv.Close()
}

// logf reports progress on stderr when SCALE_VERBOSE is set.
func logf(format string, a ...any) {
	if os.Getenv("SCALE_VERBOSE") != "" {
		fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05.000")+" "+format+"\n", a...)
	}
}

// dialer returns how impl connects: the returned read waits for one
// line's worth of bytes the way impl reads.
func dialer(impl, certs string) func(addr string) (read func() ([]byte, error), c io.Closer, err error) {
	switch impl {
	case "net":
		var cfg *tls.Config
		if certs != "" {
			pool := x509.NewCertPool()
			pem, err := os.ReadFile(filepath.Join(certs, "ca.pem"))
			if err != nil || !pool.AppendCertsFromPEM(pem) {
				fatal("CA: %v", err)
			}
			cfg = &tls.Config{RootCAs: pool, ServerName: "localhost"}
		}
		return func(addr string) (func() ([]byte, error), io.Closer, error) {
			d := &net.Dialer{Timeout: 10 * time.Second}
			var c net.Conn
			var err error
			if cfg != nil {
				c, err = tls.DialWithDialer(d, "tcp", addr, cfg)
			} else {
				c, err = d.Dial("tcp", addr)
			}
			if err != nil {
				return nil, nil, err
			}
			return func() ([]byte, error) {
				buf := make([]byte, 8192)
				n, err := c.Read(buf)
				return buf[:n], err
			}, c, nil
		}
	case "fread", "feof":
		d := &phpstream.Dialer{Timeout: 10 * time.Second}
		scheme := "tcp://"
		if certs != "" {
			ctx := phpstream.NewContext()
			ctx.SetOption("ssl", "cafile", filepath.Join(certs, "ca.pem"))
			ctx.SetOption("ssl", "peer_name", "localhost")
			d.Context = ctx
			scheme = "tls://"
		}
		return func(addr string) (func() ([]byte, error), io.Closer, error) {
			s, err := d.Dial(context.Background(), scheme+addr)
			if err != nil {
				return nil, nil, err
			}
			s.SetTimeout(time.Hour)
			return func() ([]byte, error) {
				if impl == "feof" && s.Feof() {
					return nil, io.EOF
				}
				b, ok := s.Fread(8192)
				if !ok || len(b) == 0 {
					return nil, io.EOF
				}
				return b, nil
			}, s, nil
		}
	}
	fatal("unknown client %q", impl)
	return nil
}

// serve is the silent server: it prints its address, holds every
// connection (TLS: after the handshake) without a word, and on a "SEND"
// line on stdin writes each one line, its send time in Unix nanoseconds.
// It exits when stdin closes.
func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	certs := fs.String("tls", "", "certificate directory")
	fs.Parse(args)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal("listen: %v", err)
	}
	var cfg *tls.Config
	if *certs != "" {
		cert, err := tls.LoadX509KeyPair(filepath.Join(*certs, "localhost.pem"), filepath.Join(*certs, "localhost.key"))
		if err != nil {
			fatal("certificate: %v", err)
		}
		cfg = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if cfg != nil {
				tc := tls.Server(c, cfg)
				go func() {
					if tc.Handshake() == nil {
						mu.Lock()
						conns = append(conns, tc)
						mu.Unlock()
					}
				}()
				continue
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	fmt.Println(ln.Addr())
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() != "SEND" {
			continue
		}
		mu.Lock()
		for _, c := range conns {
			c.Write([]byte(strconv.FormatInt(time.Now().UnixNano(), 10) + "\n"))
		}
		mu.Unlock()
	}
}

// rss is the process's resident set in KiB (/proc/self/status VmRSS).
func rss() int { return procStatus("VmRSS:") }

// threads is the process's OS thread count (/proc/self/status Threads).
func threads() int { return procStatus("Threads:") }

func procStatus(key string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, key); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return -1
}

// processCPU is the process's user+system time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func fatal(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "scale: "+format+"\n", a...)
	os.Exit(1)
}
