// Command lines is the perf harness's "lines" workload ported to phpsock:
// N lines of LINELEN bytes read with fgets($s) until it returns false,
// through the []byte line API (Stream.ReadLineBytes: fgets without a copy).
// With PHPSOCK_LINES_API=string it uses the string-returning fgets
// (Stream.FgetsString, what compat's fgets calls) instead.
//
//	lines ADDR N LINELEN MODE     MODE: fgets
package main

import (
	"fmt"
	"os"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/tools/perf/perfclock"
)

func main() {
	a := perfclock.Args(4, "ADDR N LINELEN MODE")
	addr, n, length, mode := a[0], perfclock.Count(a[1]), perfclock.Count(a[2]), a[3]
	if mode != "fgets" {
		perfclock.Skip("mode %s", mode)
	}
	rt := compat.NewRuntime()
	var errno int
	var errstr string
	t := perfclock.Start()
	s, _ := rt.StreamSocketClient("tcp://"+addr, &errno, &errstr, 10, compat.STREAM_CLIENT_CONNECT, nil)
	if s == nil {
		perfclock.Fatal("connect %s: %d %s", addr, errno, errstr)
	}
	if _, ok, _ := rt.Fwrite(s, fmt.Sprintf("LINES %d %d\n", n, length)); !ok {
		perfclock.Fatal("write failed")
	}
	st := s.Stream()
	count, bytes := 0, 0
	if os.Getenv("PHPSOCK_LINES_API") == "string" {
		for {
			line, ok := st.FgetsString(0)
			if !ok {
				break
			}
			count++
			bytes += len(line)
		}
	} else {
		for {
			line, ok := st.ReadLineBytes()
			if !ok {
				break
			}
			count++
			bytes += len(line)
		}
	}
	if st.Meta().TimedOut {
		perfclock.Fatal("read timed out")
	}
	rt.Fclose(s)
	if count != n || bytes != n*length {
		perfclock.Fatal("got %d lines / %d bytes, want %d / %d", count, bytes, n, n*length)
	}
	t.Report(float64(count), "lines/s", fmt.Sprintf("lines=%d bytes=%d", count, bytes))
}
