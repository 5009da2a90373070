// Command tls is the perf harness's "tls" workload ported to phpsock: N
// connects, each upgraded with stream_socket_enable_crypto (verify peer
// "localhost" against CAFILE), then closed.
//
//	tls ADDR N CAFILE VERSION     VERSION: 1.3 | 1.2
package main

import (
	"fmt"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/tools/perf/perfclock"
)

func main() {
	a := perfclock.Args(4, "ADDR N CAFILE VERSION")
	addr, n, ca, ver := a[0], perfclock.Count(a[1]), a[2], a[3]
	var method int64
	switch ver {
	case "1.3":
		method = 65 // STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT
	case "1.2":
		method = 33 // STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT
	default:
		perfclock.Skip("version %s", ver)
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
	ctx := v.(*compat.Resource)
	var errno int
	var errstr string
	var meta string
	t := perfclock.Start()
	for i := 0; i < n; i++ {
		s, _ := rt.StreamSocketClient("tcp://"+addr, &errno, &errstr, 10, compat.STREAM_CLIENT_CONNECT, ctx)
		if s == nil {
			perfclock.Fatal("connect %d: %d %s", i, errno, errstr)
		}
		ok, err := rt.Call("stream_socket_enable_crypto", s, true, method)
		if err != nil || ok != true {
			perfclock.Fatal("handshake %d failed: %v", i, err)
		}
		if i == 0 {
			ci := s.Stream().Crypto()
			meta = ci.Protocol + " " + ci.CipherName
		}
		rt.Fclose(s)
	}
	t.Report(float64(n), "hs/s", fmt.Sprintf("n=%d %s", n, meta))
}
