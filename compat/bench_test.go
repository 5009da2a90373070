package compat

import (
	"net"
	"testing"
)

func benchListener(b *testing.B) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	b.Cleanup(func() { ln.Close() })
	return ln
}

// BenchmarkFsockopen is connect+close through the typed fsockopen.
func BenchmarkFsockopen(b *testing.B) {
	ln := benchListener(b)
	port := ln.Addr().(*net.TCPAddr).Port
	rt := NewRuntime()
	var errno int
	var errstr string
	b.ReportAllocs()
	for b.Loop() {
		s, _ := rt.Fsockopen("127.0.0.1", port, &errno, &errstr, 10)
		if s == nil {
			b.Fatal(errno, errstr)
		}
		rt.Fclose(s)
	}
}

// BenchmarkStreamSocketClient is connect+close through the generic entry point.
func BenchmarkStreamSocketClient(b *testing.B) {
	ln := benchListener(b)
	addr := "tcp://" + ln.Addr().String()
	rt := NewRuntime()
	e, s := &Ref{}, &Ref{}
	b.ReportAllocs()
	for b.Loop() {
		r, err := rt.Call("stream_socket_client", addr, e, s, 10.0)
		if err != nil || r == false {
			b.Fatal(err, e.V, s.V)
		}
		Free(r)
	}
}
