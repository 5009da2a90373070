// Command connect is the perf harness's "connect" workload ported to
// phpsock: N sequential connects, each stream closed at once.
//
//	connect ADDR N MODE     MODE: fsockopen | stream_socket_client
package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/tools/perf/perfclock"
)

func main() {
	a := perfclock.Args(3, "ADDR N MODE")
	addr, n, mode := a[0], perfclock.Count(a[1]), a[2]
	i := strings.LastIndexByte(addr, ':')
	host := addr[:i]
	port, _ := strconv.Atoi(addr[i+1:])
	rt := compat.NewRuntime()
	var errno int
	var errstr string
	switch mode {
	case "fsockopen":
		t := perfclock.Start()
		for i := 0; i < n; i++ {
			s, _ := rt.Fsockopen(host, port, &errno, &errstr, 10)
			if s == nil {
				perfclock.Fatal("connect %d: %d %s", i, errno, errstr)
			}
			rt.Fclose(s)
		}
		t.Report(float64(n), "conn/s", fmt.Sprintf("n=%d", n))
	case "stream_socket_client":
		t := perfclock.Start()
		for i := 0; i < n; i++ {
			s, _ := rt.StreamSocketClient("tcp://"+addr, &errno, &errstr, 10, compat.STREAM_CLIENT_CONNECT, nil)
			if s == nil {
				perfclock.Fatal("connect %d: %d %s", i, errno, errstr)
			}
			rt.Fclose(s)
		}
		t.Report(float64(n), "conn/s", fmt.Sprintf("n=%d", n))
	default:
		perfclock.Skip("mode %s", mode)
	}
}
