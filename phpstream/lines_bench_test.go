package phpstream

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// benchServer starts a feeder process (this test binary, see TestMain)
// that sends chunk over and over on one connection until the benchmark
// ends, and returns the client stream. The feeder runs in its own process
// so that the benchmark's CPU time (reported as cpu-ns/op, comparable to
// the perf harness's client CPU per operation) is the client's alone.
func benchServer(b *testing.B, chunk []byte) *Stream {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), feederEnv+"="+hex.EncodeToString(chunk))
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		b.Fatalf("feeder: %v", err)
	}
	s, err := (&Dialer{}).Dial(context.Background(), "tcp://"+strings.TrimSpace(addr))
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		b.Fatal(err)
	}
	b.Cleanup(func() {
		s.Close()
		cmd.Wait()
	})
	return s
}

// feederEnv makes the test binary a feeder (TestMain, alone_test.go).
const feederEnv = "PHPSTREAM_TEST_FEEDER"

// cpuClock reports the process's CPU time per benchmark operation.
type cpuClock struct{ start time.Duration }

func startCPU(b *testing.B) *cpuClock {
	b.ResetTimer()
	return &cpuClock{processCPU()}
}

func (c *cpuClock) report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(processCPU()-c.start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkFreadInto is fread($s, 8192) into a caller's buffer.
func BenchmarkFreadInto(b *testing.B) {
	s := benchServer(b, []byte("0123456789abcdef"))
	buf := make([]byte, 8192)
	b.ReportAllocs()
	n := 0
	clock := startCPU(b)
	defer clock.report(b)
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
	clock := startCPU(b)
	defer clock.report(b)
	for b.Loop() {
		line, ok := s.ReadLineBytes()
		if !ok || len(line) != 60 {
			b.Fatalf("line %q", line)
		}
	}
}

// BenchmarkFgetsString is fgets($s) returning a string, as PHP's does and
// as compat's fgets uses it, with PHP's buffer exactly.
func BenchmarkFgetsString(b *testing.B) {
	s := benchServer(b, append(bytes.Repeat([]byte{'x'}, 59), '\n'))
	b.ReportAllocs()
	b.SetBytes(60)
	clock := startCPU(b)
	defer clock.report(b)
	var keep string
	for b.Loop() {
		line, ok := s.FgetsString(0)
		if !ok || len(line) != 60 {
			b.Fatalf("line %q", line)
		}
		keep = line
	}
	_ = keep
}

// BenchmarkFgets is Stream.Fgets (a fresh []byte per line).
func BenchmarkFgets(b *testing.B) {
	s := benchServer(b, append(bytes.Repeat([]byte{'x'}, 59), '\n'))
	b.ReportAllocs()
	b.SetBytes(60)
	clock := startCPU(b)
	defer clock.report(b)
	for b.Loop() {
		line, ok := s.Fgets(0)
		if !ok || len(line) != 60 {
			b.Fatalf("line %q", line)
		}
	}
}
