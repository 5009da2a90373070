package phpstream

import (
	"context"
	"net"
	"testing"
)

// acceptAndClose serves a listener that closes every connection at once,
// until the listener is closed.
func acceptAndClose(tb testing.TB) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
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
	tb.Cleanup(func() { ln.Close() })
	return ln
}

// BenchmarkDial is the connect+close workload: dial a loopback listener
// through the PHP connect path and close the stream.
func BenchmarkDial(b *testing.B) {
	ln := acceptAndClose(b)
	addr := "tcp://" + ln.Addr().String()
	d := &Dialer{Timeout: 10e9}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		s, err := d.Dial(ctx, addr)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkNetDial is the same through net.Dialer, for comparison.
func BenchmarkNetDial(b *testing.B) {
	ln := acceptAndClose(b)
	addr := ln.Addr().String()
	d := &net.Dialer{KeepAlive: -1}
	b.ReportAllocs()
	for b.Loop() {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}
