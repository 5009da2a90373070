//go:build unix

package phpstream

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/phpsock/phpsock/internal/openssl"
)

// OpenSSL (without read-ahead, as PHP uses it) reads a record's header,
// then exactly its body. These tests check that after a handshake the
// socket holds, as far as PHP can tell, what OpenSSL leaves there: bytes
// phpsock has read ahead (readahead.go) count as still in the socket.

// enableClient dials addr and runs a blocking client handshake verifying
// "localhost" against pki's CA.
func enableClient(t *testing.T, addr string, pki *benchPKI, method int64) (*Stream, error) {
	t.Helper()
	ctx := NewContext()
	ctx.SetOption("ssl", "cafile", pki.caFile)
	ctx.SetOption("ssl", "peer_name", "localhost")
	s, err := (&Dialer{Timeout: 5 * time.Second, Context: ctx}).Dial(context.Background(), "tcp://"+addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	_, _, err = s.EnableCrypto(context.Background(), method, TLSClientOptions{Context: ctx})
	return s, err
}

// socketHolds reports how many bytes the stream's socket holds unread,
// read-ahead bytes included.
func socketHolds(t *testing.T, s *Stream) int {
	t.Helper()
	rc, err := s.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var rerr error
	s.aheadMu.Lock()
	ahead := len(s.ahead)
	s.aheadMu.Unlock()
	b := make([]byte, 64<<10)
	rc.Control(func(fd uintptr) { n, _, rerr = unix.Recvfrom(int(fd), b, unix.MSG_PEEK|unix.MSG_DONTWAIT) })
	if rerr != nil {
		return ahead
	}
	return ahead + n
}

// servePeer runs handle for each connection to a loopback listener, in a
// goroutine of its own (i counts the connections from 0), closes the
// connection when handle returns, and returns the listener's address.
// Cleanup closes the listener and the connections and waits for handle.
func servePeer(t *testing.T, handle func(i int, c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(i, c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// holdConn passes its first write through and holds the later ones until
// release, which sends them in one write.
type holdConn struct {
	net.Conn
	writes int
	held   []byte
}

func (c *holdConn) Write(b []byte) (int, error) {
	if c.writes++; c.writes == 1 {
		return c.Conn.Write(b)
	}
	c.held = append(c.held, b...)
	return len(b), nil
}

func (c *holdConn) release() error {
	_, err := c.Conn.Write(c.held)
	return err
}

// TestHandshakeLeavesLaterRecords: a TLS 1.2 server's last flight (its
// ChangeCipherSpec and Finished) arrives in one piece with an application
// data record. OpenSSL reads the handshake records only, so after the
// handshake the data record is still in the socket (stream_select reports
// the stream readable), and a read gets it.
func TestHandshakeLeavesLaterRecords(t *testing.T) {
	pki := newBenchPKI(t)
	cfg := &tls.Config{Certificates: []tls.Certificate{pki.server}, SessionTicketsDisabled: true}
	addr := servePeer(t, func(_ int, c net.Conn) {
		hc := &holdConn{Conn: c}
		tc := tls.Server(hc, cfg)
		if tc.Handshake() != nil {
			return
		}
		tc.Write([]byte("hello"))
		hc.release()
		io.Copy(io.Discard, c)
	})
	s, err := enableClient(t, addr, pki, CryptoMethodTLSv12Client)
	if err != nil {
		t.Fatal(err)
	}
	// 34 bytes: the header, the 8-byte explicit nonce, "hello" and the tag.
	if n := socketHolds(t, s); n != 34 {
		t.Fatalf("after the handshake the socket holds %d bytes, want the 34 of the data record", n)
	}
	s.SetReadDeadline(time.Now().Add(5 * time.Second))
	b := make([]byte, 16)
	n, err := io.ReadAtLeast(s, b, 5)
	if got := string(b[:n]); got != "hello" {
		t.Fatalf("read %q, %v", got, err)
	}
}

// TestHandshakeFailureLeavesRest: a server answers the ClientHello with a
// malformed ServerHello record and more bytes in the same write. OpenSSL
// reads the record (header and body) and fails; the rest stays in the
// socket for plain reads.
func TestHandshakeFailureLeavesRest(t *testing.T) {
	pki := newBenchPKI(t)
	addr := servePeer(t, func(_ int, c net.Conn) {
		var hdr [5]byte
		if _, err := io.ReadFull(c, hdr[:]); err != nil {
			return
		}
		io.ReadFull(c, make([]byte, int(hdr[3])<<8|int(hdr[4])))
		c.Write([]byte("\x16\x03\x03\x00\x04\x02\x00\x00\x00TAIL"))
		io.Copy(io.Discard, c)
	})
	s, err := enableClient(t, addr, pki, CryptoMethodTLSv12Client)
	if err == nil {
		t.Fatal("handshake with a malformed ServerHello succeeded")
	}
	s.SetReadDeadline(time.Now().Add(5 * time.Second))
	b := make([]byte, 16)
	n, err := s.Read(b)
	if string(b[:n]) != "TAIL" {
		t.Fatalf("after the failed handshake the socket held %q (%v), want \"TAIL\"", b[:n], err)
	}
}

// slowConn writes in small pieces with pauses, so that the client sees
// partial record headers and bodies.
type slowConn struct{ net.Conn }

func (c slowConn) Write(b []byte) (int, error) {
	done := 0
	for done < len(b) {
		k := min(len(b)-done, 3+done%11)
		n, err := c.Conn.Write(b[done : done+k])
		done += n
		if err != nil {
			return done, err
		}
		if done%5 == 0 {
			time.Sleep(20 * time.Microsecond)
		}
	}
	return done, nil
}

// chainSize is the bytes of a certificate chain's DER certificates.
func chainSize(chain [][]byte) int {
	n := 0
	for _, c := range chain {
		n += len(c)
	}
	return n
}

// TestHandshakePiecesAndLargeRecord: server flights that arrive in pieces,
// and a certificate record larger than PHP's chunk.
func TestHandshakePiecesAndLargeRecord(t *testing.T) {
	large := newBenchPKI(t, 12)
	if n := chainSize(large.server.Certificate); n <= ChunkSize {
		t.Fatalf("certificate chain of %d bytes is not larger than a chunk", n)
	}
	small := newBenchPKI(t)
	for _, v := range []struct {
		name   string
		method int64
		pki    *benchPKI
		slow   bool
	}{
		{"1.3-large", CryptoMethodTLSv13Client, large, false}, {"1.2-large", CryptoMethodTLSv12Client, large, false},
		{"1.3-pieces", CryptoMethodTLSv13Client, small, true}, {"1.2-pieces", CryptoMethodTLSv12Client, small, true},
	} {
		t.Run(v.name, func(t *testing.T) {
			cfg := &tls.Config{Certificates: []tls.Certificate{v.pki.server}, SessionTicketsDisabled: true}
			addr := servePeer(t, func(_ int, c net.Conn) {
				var raw net.Conn = c
				if v.slow {
					raw = slowConn{c}
				}
				tc := tls.Server(raw, cfg)
				if tc.Handshake() != nil {
					return
				}
				tc.Write([]byte("hello"))
				io.Copy(io.Discard, tc)
			})
			s, err := enableClient(t, addr, v.pki, v.method)
			if err != nil {
				t.Fatal(err)
			}
			s.SetReadDeadline(time.Now().Add(5 * time.Second))
			b := make([]byte, 16)
			n, err := io.ReadAtLeast(s, b, 5)
			if got := string(b[:n]); got != "hello" {
				t.Fatalf("read %q, %v", got, err)
			}
			if !strings.HasPrefix(s.Crypto().Protocol, "TLSv1.") {
				t.Fatalf("protocol %q", s.Crypto().Protocol)
			}
		})
	}
}

// TestHandshakeBudget: PHP's handshake budget ends a handshake the peer
// never answers with "SSL: Handshake timed out", and once a handshake has
// succeeded its deadline no longer applies to the stream.
func TestHandshakeBudget(t *testing.T) {
	pki := newBenchPKI(t)
	cfg := &tls.Config{Certificates: []tls.Certificate{pki.server}}
	addr := servePeer(t, func(i int, c net.Conn) {
		if i == 0 { // the first client gets no answer
			io.Copy(io.Discard, c)
			return
		}
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		time.Sleep(1200 * time.Millisecond) // past the handshake's budget
		tc.Write([]byte("late"))
		io.Copy(io.Discard, tc)
	})
	ctx := NewContext()
	ctx.SetOption("ssl", "cafile", pki.caFile)
	ctx.SetOption("ssl", "peer_name", "localhost")
	dial := func(budget time.Duration) *Stream {
		s, err := (&Dialer{Timeout: budget, Context: ctx}).Dial(context.Background(), "tcp://"+addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}

	s := dial(300 * time.Millisecond)
	var warnings []string
	start := time.Now()
	s.SetDiagnostics(func(d Diagnostic) { warnings = append(warnings, d.Message) })
	_, _, err := s.EnableCrypto(context.Background(), CryptoMethodTLSClient, TLSClientOptions{Context: ctx})
	if !errors.Is(err, openssl.ErrHandshakeTimeout) || len(warnings) != 1 || warnings[0] != "SSL: Handshake timed out" {
		t.Fatalf("handshake without answer: %v, warnings %q", err, warnings)
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 5*time.Second {
		t.Fatalf("handshake gave up after %v, budget 300ms", d)
	}
	if s.Meta().Blocked {
		t.Fatal("stream still blocking after the handshake timed out")
	}

	s = dial(time.Second)
	if _, _, err := s.EnableCrypto(context.Background(), CryptoMethodTLSClient, TLSClientOptions{Context: ctx}); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	n, err := s.Read(b)
	if string(b[:n]) != "late" {
		t.Fatalf("read after the budget: %q, %v", b[:n], err)
	}
}

// TestSelectCastBesideNetConnRead runs stream_select's cast over and over
// on a TLS stream that another goroutine reads with net.Conn Read: no data
// race (under -race), and the reader never meets the cast's pending-only
// reads as a spurious timeout.
func TestSelectCastBesideNetConnRead(t *testing.T) {
	const lines = 200
	pki := newBenchPKI(t)
	cfg := &tls.Config{Certificates: []tls.Certificate{pki.server}}
	addr := servePeer(t, func(_ int, c net.Conn) {
		tc := tls.Server(c, cfg)
		defer tc.Close()
		for i := 0; i < lines; i++ {
			if _, err := fmt.Fprintf(tc, "line %d\n", i); err != nil {
				return
			}
			if i%10 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
		io.Copy(io.Discard, tc)
	})
	s, err := enableClient(t, addr, pki, 121)
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.selectCast(); err != nil {
				return
			}
		}
	}()
	var got []byte
	buf := make([]byte, 64)
	last := []byte(fmt.Sprintf("line %d\n", lines-1))
	for !bytes.Contains(got, last) {
		s.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := s.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("Read after %d bytes: %v", len(got), err)
		}
	}
	close(stop)
	<-done
}
