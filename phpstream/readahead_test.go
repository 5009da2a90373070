package phpstream_test

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/phpsock/phpsock/internal/streamhook"
)

// TestFeofReadAheadServesEveryReader checks that bytes feof took from the
// socket reach each kind of reader in order, and stay out of PHP's buffer.
func TestFeofReadAheadServesEveryReader(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 1000) // 16000 bytes: more than a chunk
	sent := make(chan struct{})
	srv := startServer(t, "tcp", "", func(c net.Conn) {
		defer c.Close()
		c.Write(payload)
		close(sent)
		io.Copy(io.Discard, c)
	})
	s := dial(t, srv.addr())
	defer s.Close()
	<-sent
	time.Sleep(50 * time.Millisecond) // let the bytes arrive

	if s.Feof() {
		t.Fatal("Feof with data waiting = true")
	}
	if got := s.Meta().UnreadBytes; got != 0 {
		t.Errorf("unread_bytes after feof = %d, want 0 (the bytes are still the socket's)", got)
	}
	if !streamhook.Of(s).HasReadAhead() {
		t.Error("hasReadAhead after feof with data = false")
	}
	var got []byte
	buf := make([]byte, 100)
	n, err := s.Read(buf) // net.Conn side
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	got = append(got, buf[:n]...)
	rb := make([]byte, 50)
	k, _, err := s.RecvFrom(rb, 0, false)
	if err != nil {
		t.Fatalf("RecvFrom: %v", err)
	}
	got = append(got, rb[:k]...)
	rest := make([]byte, len(payload))
	for len(got) < len(payload) {
		if s.Feof() {
			t.Fatalf("Feof before all %d bytes were read (got %d)", len(payload), len(got))
		}
		k, ok := s.FreadInto(rest[:min(len(rest), len(payload)-len(got))])
		if !ok {
			t.Fatal("fread failed")
		}
		got = append(got, rest[:k]...)
	}
	if !bytes.Equal(got, payload) {
		t.Fatalf("bytes out of order or lost: got %d bytes, first difference at %d", len(got), firstDiff(got, payload))
	}
	if streamhook.Of(s).HasReadAhead() {
		t.Error("hasReadAhead after everything was read = true")
	}
}

// TestFeofReadAheadSeesEOF checks that the read-ahead reports an orderly
// shutdown as feof does, after the last bytes.
func TestFeofReadAheadSeesEOF(t *testing.T) {
	srv := startServer(t, "tcp", "", func(c net.Conn) {
		c.Write([]byte("last"))
		c.Close()
	})
	s := dial(t, srv.addr())
	defer s.Close()
	time.Sleep(50 * time.Millisecond)
	if s.Feof() {
		t.Fatal("Feof before the last bytes were read = true")
	}
	b, ok := s.Fread(10)
	if !ok || string(b) != "last" {
		t.Fatalf("Fread = %q, %v; want \"last\"", b, ok)
	}
	if !s.Feof() {
		t.Fatal("Feof after the peer closed = false")
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
