//go:build linux

package phpstream_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/phpsock/phpsock/errno"
	"github.com/phpsock/phpsock/phpstream"
)

// These tests check the one error shape of the package on every path:
// each failure is an *OpError naming the operation, the transport and the
// address, whose Error names the cause, and errors.Is / errors.As reach
// the cause a Go caller tests for. They run on Linux, whose errnos for
// these failures they name.

// checkShape asserts that err is an *OpError with op, transport and
// address, that errors.Is finds target in it, and that Error names the
// operation, the address and the cause.
func checkShape(t *testing.T, err error, op, transport, address string, target error) *phpstream.OpError {
	t.Helper()
	oe := opError(t, err)
	if oe.Op != op || oe.Net != transport || oe.Address != address {
		t.Errorf("%v: Op, Net, Address = %q, %q, %q; want %q, %q, %q", err, oe.Op, oe.Net, oe.Address, op, transport, address)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("errors.Is(%v, %v) = false", err, target)
	}
	msg := err.Error()
	if !strings.Contains(msg, " "+op+" ") || !strings.Contains(msg, address) {
		t.Errorf("Error() = %q does not name the operation %q and the address %q", msg, op, address)
	}
	if oe.Err != nil && !strings.HasSuffix(msg, ": "+oe.Err.Error()) {
		t.Errorf("Error() = %q does not end with the cause %q", msg, oe.Err)
	}
	if oe.Err == nil && oe.Text == "" && oe.Errno == 0 {
		t.Errorf("%v carries no cause", err)
	}
	return oe
}

func TestErrorDialRefused(t *testing.T) {
	addr := "tcp://127.0.0.1:" + strconv.Itoa(refusedPort(t))
	_, err := (&phpstream.Dialer{Timeout: generous}).Dial(context.Background(), addr)
	oe := checkShape(t, err, "connect", "tcp", addr, syscall.ECONNREFUSED)
	// PHP's $errno and $errstr stay on their own.
	if oe.Errno != syscall.ECONNREFUSED || oe.Text != errno.Message(syscall.ECONNREFUSED) {
		t.Errorf("Errno, Text = %d, %q; want PHP's ECONNREFUSED", oe.Errno, oe.Text)
	}
	// An address without a scheme is tcp; Error names the transport then.
	bare := "127.0.0.1:" + strconv.Itoa(refusedPort(t))
	_, err = (&phpstream.Dialer{Timeout: generous}).Dial(context.Background(), bare)
	checkShape(t, err, "connect", "tcp", bare, syscall.ECONNREFUSED)
	if !strings.Contains(err.Error(), "connect tcp "+bare) {
		t.Errorf("Error() = %q; want the transport before the address", err)
	}
}

func TestErrorDialUnixMissing(t *testing.T) {
	for _, transport := range []string{"unix", "udg"} {
		addr := transport + "://" + filepath.Join(t.TempDir(), "missing.sock")
		_, err := (&phpstream.Dialer{}).Dial(context.Background(), addr)
		oe := checkShape(t, err, "connect", transport, addr, syscall.ENOENT)
		if oe.Errno != syscall.ENOENT || oe.Text != errno.Message(syscall.ENOENT) {
			t.Errorf("%s: Errno, Text = %d, %q; want PHP's ENOENT", transport, oe.Errno, oe.Text)
		}
	}
}

// TestErrorDialUnixQueueFull: a unix listener whose queue is full refuses
// the connect with EAGAIN, as PHP reports it (recorded:
// connect/unix-backlog-full).
func TestErrorDialUnixQueueFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "full.sock")
	ln, err := (&phpstream.ListenConfig{Context: backlogZero()}).Listen(context.Background(), "unix://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	first := dial(t, "unix://"+path) // the one connection the queue holds
	defer first.Close()
	_, err = (&phpstream.Dialer{Timeout: generous}).Dial(context.Background(), "unix://"+path)
	if oe := checkShape(t, err, "connect", "unix", "unix://"+path, syscall.EAGAIN); oe.Errno != syscall.EAGAIN {
		t.Errorf("Errno = %d; want EAGAIN", oe.Errno)
	}
}

func backlogZero() *phpstream.Context {
	ctx := phpstream.NewContext()
	ctx.SetOption("socket", "backlog", int64(0))
	return ctx
}

// TestErrorDialCanceled cancels the context while the connect is under
// way: from the Control hook, which runs after the socket is made and
// before connect, on tcp, unix and udg; and while a tcp connect waits on
// a listener whose accept queue is full.
func TestErrorDialCanceled(t *testing.T) {
	tcp := startServer(t, "tcp", "", hold)
	path := filepath.Join(t.TempDir(), "s.sock")
	unixSrv := startServer(t, "unix", path, hold)
	gram := filepath.Join(t.TempDir(), "g.sock")
	pc, err := net.ListenPacket("unixgram", gram)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	for _, addr := range []string{tcp.addr(), unixSrv.addr(), "udg://" + gram} {
		ctx, cancel := context.WithCancel(context.Background())
		d := &phpstream.Dialer{Control: func(string, string, syscall.RawConn) error { cancel(); return nil }}
		s, err := d.Dial(ctx, addr)
		if err == nil {
			s.Close()
			t.Errorf("Dial(%s) with the context cancelled during the connect succeeded", addr)
			continue
		}
		scheme, _ := phpstream.SplitScheme(addr)
		oe := checkShape(t, err, "connect", scheme, addr, context.Canceled)
		if oe.Errno != syscall.ECANCELED || oe.Timeout() {
			t.Errorf("%s: Errno %d, Timeout %v; want ECANCELED, false", addr, oe.Errno, oe.Timeout())
		}
	}

	addr := "tcp://" + hungListener(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	within(t, "Dial", func() { _, err = (&phpstream.Dialer{}).Dial(ctx, addr) })
	checkShape(t, err, "connect", "tcp", addr, context.Canceled)

	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	within(t, "Dial", func() { _, err = (&phpstream.Dialer{}).Dial(ctx, addr) })
	if oe := checkShape(t, err, "connect", "tcp", addr, context.DeadlineExceeded); !oe.Timeout() {
		t.Errorf("%v: Timeout() = false for the context's deadline", err)
	}

	// PHP's own connect timeout: ETIMEDOUT for PHP, a deadline for Go.
	within(t, "Dial", func() { _, err = (&phpstream.Dialer{Timeout: 50 * time.Millisecond}).Dial(context.Background(), addr) })
	oe := checkShape(t, err, "connect", "tcp", addr, os.ErrDeadlineExceeded)
	if !oe.Timeout() || oe.Errno != syscall.ETIMEDOUT || !errors.Is(err, syscall.ETIMEDOUT) {
		t.Errorf("%v: Timeout %v, Errno %d; want true, ETIMEDOUT", err, oe.Timeout(), oe.Errno)
	}
}

// TestErrorWriteAfterPeerClosed writes to a connection the peer has
// closed: EPIPE on unix, EPIPE or ECONNRESET on tcp (the peer's reset
// comes first or not), through fwrite and through net.Conn's Write.
func TestErrorWriteAfterPeerClosed(t *testing.T) {
	closer := func(c net.Conn) {
		c.Read(make([]byte, 1)) // the client's first byte: it is connected
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0) // a reset, at once
		}
		c.Close()
	}
	path := filepath.Join(t.TempDir(), "s.sock")
	for _, srv := range []*server{startServer(t, "tcp", "", closer), startServer(t, "unix", path, closer)} {
		for _, viaFwrite := range []bool{true, false} {
			addr := srv.addr()
			s := dial(t, addr)
			if _, err := s.Write([]byte("x")); err != nil {
				t.Fatal(err)
			}
			// Wait for the peer's close to arrive.
			if b, ok := s.Fread(1); ok && len(b) > 0 {
				t.Fatalf("read %q from a peer that only closes", b)
			}
			var err error
			for range 100 {
				if viaFwrite {
					_, err = s.Fwrite([]byte("data"))
				} else {
					_, err = s.Write([]byte("data"))
				}
				if err != nil {
					break
				}
				time.Sleep(time.Millisecond)
			}
			s.Close()
			scheme, _ := phpstream.SplitScheme(addr)
			oe := checkShape(t, err, "write", scheme, addr, nil)
			switch {
			case errors.Is(err, syscall.EPIPE):
			case scheme == "tcp" && errors.Is(err, syscall.ECONNRESET):
			default:
				t.Errorf("%s: %v; want EPIPE (or ECONNRESET on tcp)", addr, err)
			}
			if viaFwrite {
				// PHP's notice: "Send of 4 bytes failed with errno=32 Broken pipe".
				want := "Send of 4 bytes failed with errno=" + strconv.Itoa(int(oe.Errno)) + " " + errno.Message(oe.Errno)
				if oe.Text != want || (oe.Errno != syscall.EPIPE && oe.Errno != syscall.ECONNRESET) {
					t.Errorf("Fwrite's Errno, Text = %d, %q; want %q", oe.Errno, oe.Text, want)
				}
			}
		}
	}
}

// TestErrorTimeouts: a net.Conn read past its deadline, an fwrite past
// PHP's timeout and an accept past its wait all time out with
// os.ErrDeadlineExceeded, and Timeout reports it.
func TestErrorTimeouts(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	srv := startServer(t, "tcp", "", func(c net.Conn) {
		defer c.Close()
		c.(*net.TCPConn).SetReadBuffer(4096)
		<-block // neither reads nor writes
	})
	s := dial(t, srv.addr())
	defer s.Close()
	s.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err := s.Read(make([]byte, 1))
	oe := checkShape(t, err, "read", "tcp", srv.addr(), os.ErrDeadlineExceeded)
	var ne net.Error
	if !oe.Timeout() || !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("%v: Timeout() = false", err)
	}

	s.SetTimeout(50 * time.Millisecond)
	var n int
	within(t, "Fwrite", func() { n, err = s.Fwrite(make([]byte, 16<<20)) })
	oe = checkShape(t, err, "write", "tcp", srv.addr(), os.ErrDeadlineExceeded)
	if !oe.Timeout() || oe.Errno != syscall.EAGAIN || !s.Meta().TimedOut {
		t.Errorf("%v: Timeout %v, Errno %d, timed_out %v; want true, EAGAIN, true", err, oe.Timeout(), oe.Errno, s.Meta().TimedOut)
	}
	if want := "Send of " + strconv.Itoa(16<<20-n) + " bytes failed with errno=11 " + errno.Message(syscall.EAGAIN); oe.Text != want {
		t.Errorf("Text = %q; want %q", oe.Text, want)
	}

	ln, err := (&phpstream.ListenConfig{}).Listen(context.Background(), "tcp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, _, err = ln.AcceptStream(context.Background(), phpstream.AcceptOptions{Timeout: 20 * time.Millisecond})
	oe = checkShape(t, err, "accept", "tcp", "tcp://127.0.0.1:0", os.ErrDeadlineExceeded)
	if !oe.Timeout() || oe.Errno != syscall.ETIMEDOUT || oe.Text != errno.Message(syscall.ETIMEDOUT) {
		t.Errorf("%v: Timeout %v, Errno %d, Text %q; want PHP's ETIMEDOUT", err, oe.Timeout(), oe.Errno, oe.Text)
	}
}

// TestErrorAfterClose: reads, writes, deadlines and a second Close on a
// closed stream of every transport, and an accept on a closed server, all
// wrap net.ErrClosed.
func TestErrorAfterClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.sock")
	tcp := startServer(t, "tcp", "", hold)
	unixSrv := startServer(t, "unix", path, hold)
	gram := filepath.Join(t.TempDir(), "g.sock")
	pc, err := net.ListenPacket("unixgram", gram)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	for _, addr := range []string{tcp.addr(), unixSrv.addr(), "udg://" + gram, "udp://" + udp.LocalAddr().String()} {
		scheme, _ := phpstream.SplitScheme(addr)
		s := dial(t, addr)
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		_, err := s.Read(make([]byte, 1))
		checkShape(t, err, "read", scheme, addr, net.ErrClosed)
		_, err = s.Write([]byte("x"))
		checkShape(t, err, "write", scheme, addr, net.ErrClosed)
		_, err = s.Fwrite([]byte("x"))
		if oe := checkShape(t, err, "write", scheme, addr, net.ErrClosed); oe.Text == "" {
			t.Errorf("%s: Fwrite after Close has no PHP notice", addr)
		}
		checkShape(t, s.SetReadDeadline(time.Now()), "set", scheme, addr, net.ErrClosed)
		checkShape(t, s.Close(), "close", scheme, addr, net.ErrClosed)
	}

	for _, addr := range []string{"tcp://127.0.0.1:0", "unix://" + filepath.Join(t.TempDir(), "l.sock")} {
		scheme, _ := phpstream.SplitScheme(addr)
		ln, err := (&phpstream.ListenConfig{}).Listen(context.Background(), addr)
		if err != nil {
			t.Fatal(err)
		}
		// A Close during the wait ends it with net.ErrClosed...
		time.AfterFunc(50*time.Millisecond, func() { ln.Close() })
		within(t, "Accept", func() { _, err = ln.Accept() })
		checkShape(t, err, "accept", scheme, addr, net.ErrClosed)
		// ... and so does an accept after it, with PHP's EBADF.
		_, _, err = ln.AcceptStream(context.Background(), phpstream.AcceptOptions{Timeout: -1})
		if oe := checkShape(t, err, "accept", scheme, addr, net.ErrClosed); oe.Errno != syscall.EBADF {
			t.Errorf("%v: Errno %d; want EBADF", err, oe.Errno)
		}
	}
}

// TestErrorDatagrams: a udp peer that is not there refuses what was
// sent (the ICMP error arrives on the next read), a udg peer that went
// away refuses the next send.
func TestErrorDatagrams(t *testing.T) {
	addr := "udp://127.0.0.1:" + strconv.Itoa(refusedPort(t))
	s := dial(t, addr)
	defer s.Close()
	if _, err := s.Write([]byte("ping")); err != nil {
		t.Fatalf("first Write: %v", err)
	}
	s.SetReadDeadline(time.Now().Add(generous))
	_, err := s.Read(make([]byte, 16))
	checkShape(t, err, "read", "udp", addr, syscall.ECONNREFUSED)

	gram := filepath.Join(t.TempDir(), "g.sock")
	pc, err := net.ListenPacket("unixgram", gram)
	if err != nil {
		t.Fatal(err)
	}
	s = dial(t, "udg://"+gram)
	defer s.Close()
	pc.Close()
	_, err = s.Fwrite([]byte("ping"))
	oe := checkShape(t, err, "write", "udg", "udg://"+gram, syscall.ECONNREFUSED)
	if oe.Errno != syscall.ECONNREFUSED {
		t.Errorf("Fwrite's Errno = %d; want ECONNREFUSED", oe.Errno)
	}
}

// certServer serves TLS with the conformance suite's certificate cert
// (conformance/testdata/certs) until the test ends.
func certServer(t *testing.T, cert string) string {
	t.Helper()
	dir := "../conformance/testdata/certs"
	kp, err := tls.LoadX509KeyPair(filepath.Join(dir, cert+".pem"), filepath.Join(dir, cert+".key"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{kp}}
	srv := startServer(t, "tcp", "", func(c net.Conn) {
		defer c.Close()
		tc := tls.Server(c, cfg)
		if tc.Handshake() == nil {
			io.Copy(io.Discard, tc)
		}
	})
	return srv.ln.Addr().String()
}

// TestErrorTLSVerification: a failed verification is a handshake
// *OpError that errors.As takes to crypto/x509's error type, for the
// chain (unknown authority, expired) and for PHP's peer name check
// (x509.HostnameError), on Dial's tls:// and on EnableCrypto.
func TestErrorTLSVerification(t *testing.T) {
	cafile := "../conformance/testdata/certs/ca.pem"
	for _, tt := range []struct {
		name, cert, cafile, peer string
		check                    func(error) bool
	}{
		{"unknown-authority", "localhost", "", "localhost",
			func(err error) bool { return errors.As(err, new(x509.UnknownAuthorityError)) }},
		{"expired", "expired", cafile, "localhost", func(err error) bool {
			var ce x509.CertificateInvalidError
			return errors.As(err, &ce) && ce.Reason == x509.Expired
		}},
		{"peer-name", "localhost", cafile, "elsewhere.test", func(err error) bool {
			var he x509.HostnameError
			return errors.As(err, &he) && he.Host == "elsewhere.test" && he.Certificate != nil
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			host := certServer(t, tt.cert)
			ctx := phpstream.NewContext()
			ctx.SetOption("ssl", "peer_name", tt.peer)
			if tt.cafile != "" {
				ctx.SetOption("ssl", "cafile", tt.cafile)
			}
			var warnings []string
			diag := func(d phpstream.Diagnostic) { warnings = append(warnings, d.Message) }
			addr := "tls://" + host
			_, err := (&phpstream.Dialer{Timeout: generous, Context: ctx, Diagnostics: diag}).Dial(context.Background(), addr)
			if err == nil {
				t.Fatalf("Dial(%s) verified", addr)
			}
			oe := checkShape(t, err, "handshake", "tls", addr, nil)
			if !tt.check(err) {
				t.Errorf("Dial: %v (cause %T) does not unwrap to the x509 error", err, oe.Err)
			}
			// PHP reports no errstr for a failed handshake (its warnings
			// went to the diagnostics).
			if oe.Text != "" || oe.Errno != 0 || len(warnings) == 0 {
				t.Errorf("Errno, Text = %d, %q, warnings %q; want 0, \"\" and PHP's warnings", oe.Errno, oe.Text, warnings)
			}

			plain := "tcp://" + host
			s := dial(t, plain)
			defer s.Close()
			_, _, err = s.EnableCrypto(context.Background(), phpstream.CryptoMethodTLSClient, phpstream.TLSClientOptions{Context: ctx})
			checkShape(t, err, "handshake", "tcp", plain, nil)
			if !tt.check(err) {
				t.Errorf("EnableCrypto: %v does not unwrap to the x509 error", err)
			}
		})
	}
}

// TestErrorTLSChecks: stream_socket_enable_crypto's own refusals carry
// PHP's warning as Text and match their sentinel.
func TestErrorTLSChecks(t *testing.T) {
	gram := filepath.Join(t.TempDir(), "g.sock")
	pc, err := net.ListenPacket("unixgram", gram)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	s := dial(t, "udg://"+gram)
	defer s.Close()
	_, _, err = s.EnableCrypto(context.Background(), phpstream.CryptoMethodTLSClient, phpstream.TLSClientOptions{})
	oe := checkShape(t, err, "handshake", "udg", "udg://"+gram, phpstream.ErrCryptoUnsupported)
	if oe.Text != phpstream.ErrCryptoUnsupported.Error() {
		t.Errorf("Text = %q; want PHP's %q", oe.Text, phpstream.ErrCryptoUnsupported)
	}
}

// TestErrorTLSHandshakeTimeout: PHP's handshake budget running out is a
// timeout too.
func TestErrorTLSHandshakeTimeout(t *testing.T) {
	srv := startServer(t, "tcp", "", hold) // accepts, never answers
	addr := "ssl://" + srv.ln.Addr().String()
	var err error
	within(t, "Dial", func() {
		_, err = (&phpstream.Dialer{Timeout: 100 * time.Millisecond}).Dial(context.Background(), addr)
	})
	oe := checkShape(t, err, "handshake", "ssl", addr, os.ErrDeadlineExceeded)
	if !oe.Timeout() {
		t.Errorf("%v: Timeout() = false", err)
	}
}

// TestErrorAcceptHandshake: a tls:// server whose handshake with the
// client fails reports a handshake *OpError with the peer's name, and
// net.Listener's Accept goes on to the next connection.
func TestErrorAcceptHandshake(t *testing.T) {
	dir := "../conformance/testdata/certs"
	ctx := phpstream.NewContext()
	ctx.SetOption("ssl", "local_cert", filepath.Join(dir, "localhost.pem"))
	ctx.SetOption("ssl", "local_pk", filepath.Join(dir, "localhost.key"))
	ln, err := (&phpstream.ListenConfig{Context: ctx}).Listen(context.Background(), "tls://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ln.SetTimeout(generous)
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("GET / HTTP/1.0\r\n\r\n")) // not TLS
	defer c.Close()
	_, peer, err := ln.AcceptStream(context.Background(), phpstream.AcceptOptions{Timeout: generous})
	oe := checkShape(t, err, "handshake", "tls", "tls://127.0.0.1:0", nil)
	if peer != c.LocalAddr().String() || oe.Err == nil {
		t.Errorf("peer %q, cause %v; want %q and the handshake's error", peer, oe.Err, c.LocalAddr())
	}
}
