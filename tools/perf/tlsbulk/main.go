// Command tlsbulk is the perf harness's "tlsbulk" workload ported to
// phpsock: one TLS 1.3 stream (stream_socket_enable_crypto), BYTES read
// with fread($s, 8192) into a reused buffer, or with stream_get_contents.
//
//	tlsbulk ADDR BYTES CAFILE MODE     MODE: fread | getcontents
package main

import (
	"fmt"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/tools/perf/perfclock"
)

func main() {
	a := perfclock.Args(4, "ADDR BYTES CAFILE MODE")
	addr, want, ca, mode := a[0], perfclock.Count(a[1]), a[2], a[3]
	if mode != "fread" && mode != "getcontents" {
		perfclock.Skip("mode %s", mode)
	}
	rt := compat.NewRuntime()
	ssl := compat.NewArray()
	ssl.Set("cafile", ca)
	ssl.Set("verify_peer", true)
	ssl.Set("verify_peer_name", true)
	ssl.Set("peer_name", "localhost")
	opts := compat.NewArray()
	opts.Set("ssl", ssl)
	v, err := rt.Call("stream_context_create", opts)
	if err != nil {
		perfclock.Fatal("context: %v", err)
	}
	var errno int
	var errstr string
	t := perfclock.Start()
	s, _ := rt.StreamSocketClient("tcp://"+addr, &errno, &errstr, 10, compat.STREAM_CLIENT_CONNECT, v.(*compat.Resource))
	if s == nil {
		perfclock.Fatal("connect: %d %s", errno, errstr)
	}
	if ok, err := rt.Call("stream_socket_enable_crypto", s, true, int64(65)); err != nil || ok != true {
		perfclock.Fatal("handshake failed: %v", err)
	}
	if _, ok, _ := rt.Fwrite(s, fmt.Sprintf("BULK %d\n", want)); !ok {
		perfclock.Fatal("write failed")
	}
	got := 0
	st := s.Stream()
	if mode == "fread" {
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
	} else {
		got = len(st.GetContents(-1))
	}
	rt.Fclose(s)
	if got != want {
		perfclock.Fatal("got %d bytes, want %d", got, want)
	}
	t.Report(float64(got)/1e6, "MB/s", fmt.Sprintf("bytes=%d", got))
}
