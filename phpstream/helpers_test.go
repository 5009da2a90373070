package phpstream_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

// generous bounds a blocking call by: far above any expected latency, so
// a slow machine does not fail the tests, yet a hang still does.
const generous = 5 * time.Second

// server is a loopback listener whose connections are handled by handler
// in their own goroutines. Cleanup closes the listener and every accepted
// connection and waits for the handlers to return.
type server struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
}

// startServer listens on network ("tcp" on 127.0.0.1:0, or "unix" on
// address) and serves every connection with handler.
func startServer(t testing.TB, network, address string, handler func(net.Conn)) *server {
	t.Helper()
	if network == "tcp" && address == "" {
		address = "127.0.0.1:0"
	}
	ln, err := net.Listen(network, address)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				handler(c)
			}()
		}
	}()
	t.Cleanup(s.close)
	return s
}

func (s *server) close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// addr is the PHP transport address of the server.
func (s *server) addr() string {
	if s.ln.Addr().Network() == "unix" {
		return "unix://" + s.ln.Addr().String()
	}
	return "tcp://" + s.ln.Addr().String()
}

func (s *server) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// echo copies everything back.
func echo(c net.Conn) {
	defer c.Close()
	io.Copy(c, c)
}

// hold keeps the connection open without writing until the peer closes.
func hold(c net.Conn) {
	defer c.Close()
	io.Copy(io.Discard, c)
}

// dial opens a stream with a one second connect timeout.
func dial(t testing.TB, address string) *phpstream.Stream {
	t.Helper()
	s, err := (&phpstream.Dialer{Timeout: time.Second}).Dial(context.Background(), address)
	if err != nil {
		t.Fatalf("Dial(%q): %v", address, err)
	}
	return s
}

// refusedPort returns a loopback port nothing listens on: one just closed.
func refusedPort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// ipv6Loopback reports whether [::1] can be listened on.
func ipv6Loopback() bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// opError returns err as an *OpError or fails the test.
func opError(t testing.TB, err error) *phpstream.OpError {
	t.Helper()
	var oe *phpstream.OpError
	if !errors.As(err, &oe) {
		t.Fatalf("error %v (%T) is not an *OpError", err, err)
	}
	return oe
}

// within runs f in a goroutine and fails the test if it does not return
// within the generous bound.
func within(t testing.TB, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(generous):
		t.Fatalf("%s did not return within %v", what, generous)
	}
}

// A fakeDNS answers the queries of a pure-Go net.Resolver in-process, over
// net.Pipe, so no name ever reaches a real DNS server.
//
// The resolver may go on with a lookup after the Dial that started it
// has returned (a cancelled context ends the wait, not the lookup), so a
// fakeDNS stays usable after its test: it counts its server goroutines
// rather than using a sync.WaitGroup.
type fakeDNS struct {
	addrs  []netip.Addr // the answer for every name
	rcode  byte         // 0, or 3 for NXDOMAIN
	dials  atomic.Int32 // connections the resolver opened
	active atomic.Int32 // server goroutines running
}

// wait waits (a few seconds at most) for the server goroutines started so
// far to end.
func (d *fakeDNS) wait() {
	for deadline := time.Now().Add(generous); d.active.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
}

// resolver returns a Resolver that talks to d.
func (d *fakeDNS) resolver() *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			d.dials.Add(1)
			client, srv := net.Pipe()
			d.active.Add(1)
			go func() {
				defer d.active.Add(-1)
				d.serve(srv)
			}()
			return client, nil
		},
	}
}

// serve answers length-prefixed (TCP-style) DNS queries until c closes.
func (d *fakeDNS) serve(c net.Conn) {
	defer c.Close()
	for {
		var l [2]byte
		if _, err := io.ReadFull(c, l[:]); err != nil {
			return
		}
		q := make([]byte, binary.BigEndian.Uint16(l[:]))
		if _, err := io.ReadFull(c, q); err != nil {
			return
		}
		r := d.answer(q)
		if r == nil {
			return
		}
		if _, err := c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(r))), r...)); err != nil {
			return
		}
	}
}

// answer builds the response to query q: its question and one A or AAAA
// record per address of the queried family.
func (d *fakeDNS) answer(q []byte) []byte {
	if len(q) < 12 {
		return nil
	}
	end := 12
	for end < len(q) && q[end] != 0 {
		end += int(q[end]) + 1
	}
	end += 5 // the root label, QTYPE and QCLASS
	if end > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[end-4:])
	var answers [][]byte
	if d.rcode == 0 {
		for _, a := range d.addrs {
			switch {
			case qtype == 1 && a.Is4():
				b := a.As4()
				answers = append(answers, b[:])
			case qtype == 28 && a.Is6():
				b := a.As16()
				answers = append(answers, b[:])
			}
		}
	}
	r := append([]byte(nil), q[:2]...) // ID
	// QR, AA, RD copied, RA, RCODE.
	r = append(r, 0x84|q[2]&0x01, 0x80|d.rcode)
	r = binary.BigEndian.AppendUint16(r, 1)
	r = binary.BigEndian.AppendUint16(r, uint16(len(answers)))
	r = append(r, 0, 0, 0, 0)
	r = append(r, q[12:end]...)
	for _, rd := range answers {
		r = append(r, 0xc0, 0x0c) // the name of the question
		r = binary.BigEndian.AppendUint16(r, qtype)
		r = binary.BigEndian.AppendUint16(r, 1) // IN
		r = binary.BigEndian.AppendUint32(r, 60)
		r = binary.BigEndian.AppendUint16(r, uint16(len(rd)))
		r = append(r, rd...)
	}
	return r
}

// failingResolver is a pure-Go resolver whose every connection attempt
// fails as if the name server were unreachable. calls counts them.
func failingResolver(calls *atomic.Int32) *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			calls.Add(1)
			return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
		},
	}
}

// isGaiText reports whether text is PHP's getaddrinfo failure text for host.
func isGaiText(text, host string) bool {
	return strings.HasPrefix(text, "php_network_getaddresses: getaddrinfo for "+host+" failed: ")
}
