package phpstream

import (
	"bytes"
	"context"
	"net"
	"testing"
)

// benchServer serves one connection with an endless stream of chunk,
// until the benchmark ends.
func benchServer(b *testing.B, chunk []byte) *Stream {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		c, err := ln.Accept()
		ln.Close()
		if err != nil {
			return
		}
		defer c.Close()
		block := bytes.Repeat(chunk, max(1, 65536/len(chunk)))
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, err := c.Write(block); err != nil {
				return
			}
		}
	}()
	s, err := (&Dialer{}).Dial(context.Background(), "tcp://"+ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		close(done)
		s.Close()
	})
	return s
}

// BenchmarkFreadInto is fread($s, 8192) into a caller's buffer.
func BenchmarkFreadInto(b *testing.B) {
	s := benchServer(b, []byte("0123456789abcdef"))
	buf := make([]byte, 8192)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		m, ok := s.FreadInto(buf)
		if !ok || m == 0 {
			b.Fatal("fread failed")
		}
		n += m
	}
	b.SetBytes(int64(n / max(b.N, 1)))
}

// BenchmarkReadLineBytes is fgets($s) through the []byte line API on 60-byte lines.
func BenchmarkReadLineBytes(b *testing.B) {
	s := benchServer(b, append(bytes.Repeat([]byte{'x'}, 59), '\n'))
	b.ReportAllocs()
	b.SetBytes(60)
	for b.Loop() {
		line, ok := s.ReadLineBytes()
		if !ok || len(line) != 60 {
			b.Fatalf("line %q", line)
		}
	}
}

// BenchmarkFgetsString is fgets($s) returning a string (a copy per line),
// as ported code that keeps the line uses it.
func BenchmarkFgetsString(b *testing.B) {
	s := benchServer(b, append(bytes.Repeat([]byte{'x'}, 59), '\n'))
	b.ReportAllocs()
	b.SetBytes(60)
	var keep string
	for b.Loop() {
		line, ok := s.ReadLineBytes()
		if !ok {
			b.Fatal("fgets failed")
		}
		keep = string(line)
	}
	_ = keep
}

// BenchmarkFgets is Stream.Fgets (a fresh []byte per line).
func BenchmarkFgets(b *testing.B) {
	s := benchServer(b, append(bytes.Repeat([]byte{'x'}, 59), '\n'))
	b.ReportAllocs()
	b.SetBytes(60)
	for b.Loop() {
		line, ok := s.Fgets(0)
		if !ok || len(line) != 60 {
			b.Fatalf("line %q", line)
		}
	}
}
