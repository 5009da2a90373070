// Command bulk is the perf harness's "bulk" workload ported to phpsock:
// BYTES sent by the server over plain TCP, read until EOF with
// fread($s, 8192) into a reused buffer, with while(!feof) fread, or with
// stream_get_contents (one buffer of BYTES bytes).
//
//	bulk ADDR BYTES MODE     MODE: fread | feof_fread | getcontents
package main

import (
	"fmt"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/tools/perf/perfclock"
)

func main() {
	a := perfclock.Args(3, "ADDR BYTES MODE")
	addr, want, mode := a[0], perfclock.Count(a[1]), a[2]
	if mode != "fread" && mode != "feof_fread" && mode != "getcontents" {
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
	if _, ok, _ := rt.Fwrite(s, fmt.Sprintf("BULK %d\n", want)); !ok {
		perfclock.Fatal("write failed")
	}
	st := s.Stream()
	got := 0
	switch mode {
	case "fread":
		buf := make([]byte, 8192)
		for {
			n, ok := st.FreadInto(buf)
			if !ok {
				perfclock.Fatal("fread failed")
			}
			if n == 0 {
				break
			}
			got += n
		}
	case "feof_fread":
		buf := make([]byte, 8192)
		for !st.Feof() {
			n, ok := st.FreadInto(buf)
			if !ok {
				perfclock.Fatal("fread failed")
			}
			got += n
		}
	case "getcontents":
		d := st.GetContents(-1)
		got = len(d)
	}
	if st.Meta().TimedOut {
		perfclock.Fatal("read timed out")
	}
	rt.Fclose(s)
	if got != want {
		perfclock.Fatal("got %d bytes, want %d", got, want)
	}
	t.Report(float64(got)/1e6, "MB/s", fmt.Sprintf("bytes=%d", got))
}
