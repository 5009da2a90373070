// Command rr is the perf harness's "rr" workload ported to phpsock: N
// sequential round trips on one TCP stream, fwrite of a 32-byte request
// line and fgets of the 32-byte reply (the []byte line API).
//
//	rr ADDR N MODE     MODE: fgets
package main

import (
	"bytes"
	"fmt"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/tools/perf/perfclock"
)

const size = 32

func main() {
	a := perfclock.Args(3, "ADDR N MODE")
	addr, n, mode := a[0], perfclock.Count(a[1]), a[2]
	if mode != "fgets" {
		perfclock.Skip("mode %s", mode)
	}
	req := append(bytes.Repeat([]byte{'q'}, size-1), '\n')
	rt := compat.NewRuntime()
	var errno int
	var errstr string
	t := perfclock.Start()
	s, _ := rt.StreamSocketClient("tcp://"+addr, &errno, &errstr, 10, compat.STREAM_CLIENT_CONNECT, nil)
	if s == nil {
		perfclock.Fatal("connect %s: %d %s", addr, errno, errstr)
	}
	if _, ok, _ := rt.Fwrite(s, fmt.Sprintf("ECHO %d\n", size)); !ok {
		perfclock.Fatal("write failed")
	}
	st := s.Stream()
	for i := 0; i < n; i++ {
		if w, err := st.Fwrite(req); w != size || err != nil {
			perfclock.Fatal("write %d failed: %v", i, err)
		}
		line, ok := st.ReadLineBytes()
		if !ok || len(line) != size {
			perfclock.Fatal("reply %d: %q", i, line)
		}
	}
	rt.Fclose(s)
	t.Report(float64(n), "rt/s", fmt.Sprintf("n=%d", n))
}
