package phpstream_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/phpsock/phpsock/errno"
	"github.com/phpsock/phpsock/phpstream"
)

func TestDialRefused(t *testing.T) {
	port := refusedPort(t)
	addr := "tcp://127.0.0.1:" + strconv.Itoa(port)
	s, err := (&phpstream.Dialer{Timeout: time.Second}).Dial(t.Context(), addr)
	if err == nil {
		s.Close()
		t.Fatalf("Dial(%q) succeeded; want connection refused", addr)
	}
	oe := opError(t, err)
	if oe.Errno != syscall.ECONNREFUSED {
		t.Errorf("Errno = %d (%v); want ECONNREFUSED", oe.Errno, oe.Errno)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("errors.Is(%v, ECONNREFUSED) = false", err)
	}
	if want := errno.Message(syscall.ECONNREFUSED); oe.Text != want {
		t.Errorf("Text = %q; want %q", oe.Text, want)
	}
	if oe.Op != "connect" || oe.Address != addr {
		t.Errorf("Op, Address = %q, %q; want connect, %q", oe.Op, oe.Address, addr)
	}
	if oe.Timeout() {
		t.Error("Timeout() = true for a refused connect")
	}
}

func TestDialRefusedText(t *testing.T) {
	if !onGlibcErrnoTable() {
		t.Skip("texts are glibc's only on Linux")
	}
	port := refusedPort(t)
	_, err := (&phpstream.Dialer{Timeout: time.Second}).Dial(t.Context(), "tcp://127.0.0.1:"+strconv.Itoa(port))
	if oe := opError(t, err); oe.Text != "Connection refused" {
		t.Errorf("Text = %q; want %q", oe.Text, "Connection refused")
	}
}

// onGlibcErrnoTable reports whether errno.Message gives glibc's texts.
func onGlibcErrnoTable() bool { return errno.Message(syscall.ECONNREFUSED) == "Connection refused" }

// TestDialParseErrors: errors PHP reports before any socket exists carry
// no errno.
func TestDialParseErrors(t *testing.T) {
	tests := []struct {
		addr, text string
	}{
		{"tcp://127.0.0.1", `Failed to parse address "127.0.0.1"`},
		{"127.0.0.1:", `Failed to parse address "127.0.0.1:"`},
		{"tcp://[::1]", `Failed to parse IPv6 address "[::1]"`},
		{"udp://[::1", `Failed to parse IPv6 address "[::1"`},
		{"tcp://127.0.0.1:80\x00", "The hostname must not contain null bytes"},
		{"foo://127.0.0.1:80", `Unable to find the socket transport "foo" - did you forget to enable it when you configured PHP?`},
		{"TCP://127.0.0.1:80", `Unable to find the socket transport "TCP" - did you forget to enable it when you configured PHP?`},
		{"tcp://:80", "php_network_getaddresses: getaddrinfo for  failed: " + errno.GaiMessage(errno.EAI_NONAME)},
	}
	for _, tt := range tests {
		s, err := (&phpstream.Dialer{Timeout: time.Second}).Dial(t.Context(), tt.addr)
		if err == nil {
			s.Close()
			t.Errorf("Dial(%q) succeeded", tt.addr)
			continue
		}
		oe := opError(t, err)
		if oe.Text != tt.text || oe.Errno != 0 {
			t.Errorf("Dial(%q) = errno %d, %q; want 0, %q", tt.addr, oe.Errno, oe.Text, tt.text)
		}
		if errors.Unwrap(err) != nil {
			t.Errorf("Dial(%q): Unwrap = %v; want nil without an errno", tt.addr, errors.Unwrap(err))
		}
	}
}

func TestDialUnix(t *testing.T) {
	dir, err := os.MkdirTemp("", "phps")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "s.sock")
	srv := startServer(t, "unix", path, echo)
	s := dial(t, srv.addr())
	defer s.Close()
	if srv.addr() != "unix://"+path {
		t.Fatalf("server address %q", srv.addr())
	}
	if _, err := s.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	s.SetReadDeadline(time.Now().Add(generous))
	got := make([]byte, 5)
	if _, err := io.ReadFull(s, got); err != nil || string(got) != "hello" {
		t.Fatalf("Read = %q, %v", got, err)
	}
	if ra, ok := s.RemoteAddr().(*net.UnixAddr); !ok || ra.Name != path {
		t.Errorf("RemoteAddr = %#v; want %q", s.RemoteAddr(), path)
	}
	if name, ok := s.SocketName(true); !ok || name != path {
		t.Errorf("SocketName(true) = %q, %v; want %q", name, ok, path)
	}
	if m := s.Meta(); m.StreamType != "unix_socket" {
		t.Errorf("StreamType = %q; want unix_socket", m.StreamType)
	}

	// A missing path fails with ENOENT.
	_, err = (&phpstream.Dialer{Timeout: time.Second}).Dial(t.Context(), "unix://"+filepath.Join(dir, "missing"))
	if oe := opError(t, err); oe.Errno != syscall.ENOENT || oe.Text != errno.Message(syscall.ENOENT) {
		t.Errorf("missing path: errno %d, %q; want ENOENT", oe.Errno, oe.Text)
	}
}

func TestDialUDP(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(append([]byte("re:"), buf[:n]...), from)
		}
	}()
	s := dial(t, "udp://"+pc.LocalAddr().String())
	defer s.Close()
	if _, err := s.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	s.SetReadDeadline(time.Now().Add(generous))
	buf := make([]byte, 100)
	n, err := s.Read(buf)
	if err != nil || string(buf[:n]) != "re:ping" {
		t.Fatalf("Read = %q, %v; want re:ping", buf[:n], err)
	}
	if _, ok := s.RemoteAddr().(*net.UDPAddr); !ok {
		t.Errorf("RemoteAddr = %#v; want a *net.UDPAddr", s.RemoteAddr())
	}
	if m := s.Meta(); m.StreamType != "udp_socket" {
		t.Errorf("StreamType = %q; want udp_socket", m.StreamType)
	}
}

// controlCall is one call of Dialer.Control.
type controlCall struct{ network, address string }

// recordControl returns a Control hook that records its calls and
// returns err.
func recordControl(calls *[]controlCall, mu *sync.Mutex, err error) func(string, string, syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		var fd uintptr
		c.Control(func(f uintptr) { fd = f })
		mu.Lock()
		*calls = append(*calls, controlCall{network, address})
		mu.Unlock()
		if fd == 0 {
			return errors.New("no descriptor")
		}
		return err
	}
}

func TestDialerControl(t *testing.T) {
	dir, err := os.MkdirTemp("", "phps")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	unixPath := filepath.Join(dir, "c.sock")
	tcp := startServer(t, "tcp", "", hold)
	uds := startServer(t, "unix", unixPath, hold)
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()

	tests := []struct {
		addr string
		want controlCall
	}{
		{tcp.addr(), controlCall{"tcp4", tcp.ln.Addr().String()}},
		{"127.1:" + strconv.Itoa(tcp.port()), controlCall{"tcp4", tcp.ln.Addr().String()}},
		{"udp://" + pc.LocalAddr().String(), controlCall{"udp4", pc.LocalAddr().String()}},
		{uds.addr(), controlCall{"unix", unixPath}},
	}
	if ipv6Loopback() {
		tcp6 := startServer(t, "tcp", "[::1]:0", hold)
		tests = append(tests, struct {
			addr string
			want controlCall
		}{"tcp://" + tcp6.ln.Addr().String(), controlCall{"tcp6", tcp6.ln.Addr().String()}})
	}
	for _, tt := range tests {
		var calls []controlCall
		var mu sync.Mutex
		d := &phpstream.Dialer{Timeout: time.Second, Control: recordControl(&calls, &mu, nil)}
		s, err := d.Dial(t.Context(), tt.addr)
		if err != nil {
			t.Errorf("Dial(%q): %v", tt.addr, err)
			continue
		}
		s.Close()
		if len(calls) != 1 || calls[0] != tt.want {
			t.Errorf("Dial(%q): Control calls %v; want one %v", tt.addr, calls, tt.want)
		}

		// An error from Control fails the dial.
		calls = nil
		d.Control = recordControl(&calls, &mu, syscall.EPERM)
		s, err = d.Dial(t.Context(), tt.addr)
		if err == nil {
			s.Close()
			t.Errorf("Dial(%q) with a failing Control succeeded", tt.addr)
			continue
		}
		oe := opError(t, err)
		if oe.Errno != syscall.EPERM || !errors.Is(err, syscall.EPERM) || oe.Text != errno.Message(syscall.EPERM) {
			t.Errorf("Dial(%q) with a failing Control: %#v; want EPERM", tt.addr, oe)
		}
		if len(calls) != 1 {
			t.Errorf("Dial(%q) with a failing Control: %d calls; want 1", tt.addr, len(calls))
		}
	}
}

// TestDialerControlEachAddress: a name with two addresses is tried
// address by address, with one Control call each.
func TestDialerControlEachAddress(t *testing.T) {
	if !ipv6Loopback() {
		t.Skip("no IPv6 loopback")
	}
	dns := &fakeDNS{addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")}}
	defer dns.wait()
	var calls []controlCall
	var mu sync.Mutex
	d := &phpstream.Dialer{
		Timeout:  time.Second,
		Resolver: dns.resolver(),
		Control:  recordControl(&calls, &mu, syscall.EACCES),
	}
	_, err := d.Dial(t.Context(), "tcp://two.phpsock.invalid:7")
	if oe := opError(t, err); oe.Errno != syscall.EACCES {
		t.Fatalf("Dial: %v; want the Control error EACCES", err)
	}
	slices.SortFunc(calls, func(a, b controlCall) int {
		if a.network < b.network {
			return -1
		}
		if a.network > b.network {
			return 1
		}
		return 0
	})
	want := []controlCall{{"tcp4", "127.0.0.1:7"}, {"tcp6", "[::1]:7"}}
	if !slices.Equal(calls, want) {
		t.Fatalf("Control calls %v; want %v (any order)", calls, want)
	}
}

// TestDialerResolver: names go to Dialer.Resolver, numeric hosts never do.
func TestDialerResolver(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	port := strconv.Itoa(srv.port())

	var calls atomic.Int32
	var diags []phpstream.Diagnostic
	d := &phpstream.Dialer{
		Timeout:     time.Second,
		Resolver:    failingResolver(&calls),
		Diagnostics: func(dg phpstream.Diagnostic) { diags = append(diags, dg) },
	}
	for _, host := range []string{"127.0.0.1", "127.1", "0x7f000001", "2130706433"} {
		s, err := d.Dial(t.Context(), "tcp://"+host+":"+port)
		if err != nil {
			t.Errorf("Dial(%s): %v", host, err)
			continue
		}
		s.Close()
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("numeric hosts called the resolver %d times", n)
	}
	if len(diags) != 0 {
		t.Fatalf("numeric hosts raised %v", diags)
	}

	const name = "phpsock-test.invalid"
	_, err := d.Dial(t.Context(), "tcp://"+name+":"+port)
	oe := opError(t, err)
	if calls.Load() == 0 {
		t.Fatal("the resolver was not used for a name")
	}
	// glibc reports an unreachable name server as EAI_AGAIN.
	want := "php_network_getaddresses: getaddrinfo for " + name + " failed: " + errno.GaiMessage(errno.EAI_AGAIN)
	if oe.Text != want || oe.Errno != 0 {
		t.Errorf("Dial(%s) = errno %d, %q; want 0, %q", name, oe.Errno, oe.Text, want)
	}
	if len(diags) != 1 || diags[0].Level != phpstream.EWarning || diags[0].Message != want {
		t.Errorf("diagnostics %v; want one warning %q", diags, want)
	}
}

// TestDialerResolverAnswers resolves through an in-process DNS server.
func TestDialerResolverAnswers(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	port := strconv.Itoa(srv.port())

	found := &fakeDNS{addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}
	defer found.wait()
	s, err := (&phpstream.Dialer{Timeout: time.Second, Resolver: found.resolver()}).Dial(t.Context(), "tcp://found.phpsock.invalid:"+port)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	s.Close()
	if found.dials.Load() == 0 {
		t.Error("the fake DNS server was not asked")
	}

	missing := &fakeDNS{rcode: 3}
	defer missing.wait()
	const name = "missing.phpsock.invalid"
	_, err = (&phpstream.Dialer{Timeout: time.Second, Resolver: missing.resolver()}).Dial(t.Context(), "tcp://"+name+":"+port)
	want := "php_network_getaddresses: getaddrinfo for " + name + " failed: " + errno.GaiMessage(errno.EAI_NONAME)
	if oe := opError(t, err); oe.Text != want {
		t.Errorf("NXDOMAIN: %q; want %q", oe.Text, want)
	}
}

// TestDialSequentialFallback: the first address refuses, the second one
// connects, as PHP's loop over getaddrinfo's results does.
func TestDialSequentialFallback(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	port := srv.port()
	// The refusing address is ::1 on srv's port, where nothing listens.
	// (The resolver orders its answers by RFC 6724, which puts ::1 first.)
	if !ipv6Loopback() {
		t.Skip("no IPv6 loopback")
	}
	if l6, err := net.Listen("tcp6", fmt.Sprintf("[::1]:%d", port)); err == nil {
		l6.Close() // free on ::1: it refuses
	} else {
		t.Skipf("port %d is busy on ::1", port)
	}
	dns := &fakeDNS{addrs: []netip.Addr{netip.MustParseAddr("::1"), netip.MustParseAddr("127.0.0.1")}}
	defer dns.wait()
	var calls []controlCall
	var mu sync.Mutex
	d := &phpstream.Dialer{Timeout: time.Second, Resolver: dns.resolver(), Control: recordControl(&calls, &mu, nil)}
	s, err := d.Dial(t.Context(), "tcp://both.phpsock.invalid:"+strconv.Itoa(port))
	if err != nil {
		t.Fatalf("Dial: %v (Control calls %v)", err, calls)
	}
	defer s.Close()
	if ra := s.RemoteAddr().(*net.TCPAddr); !ra.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("connected to %v; want 127.0.0.1", ra)
	}
	switch {
	case len(calls) == 2 && calls[0].network == "tcp6" && calls[1].network == "tcp4":
		// ::1 refused, then 127.0.0.1 connected.
	case len(calls) == 1 && calls[0].network == "tcp4":
		t.Logf("the resolver put 127.0.0.1 first: no fallback exercised")
	default:
		t.Errorf("Control calls %v; want tcp6 then tcp4", calls)
	}
}

// TestDialCancelledContext: a cancelled context does not make Dial hang,
// whatever happens to the connect.
func TestDialCancelledContext(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var s *phpstream.Stream
	var err error
	within(t, "Dial with a cancelled context", func() {
		s, err = (&phpstream.Dialer{}).Dial(ctx, srv.addr())
	})
	if err == nil {
		s.Close()
		t.Fatal("Dial with a cancelled context succeeded")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Dial with a cancelled context: %v; want context.Canceled in the chain", err)
	}
	// A name is not resolved with a cancelled context.
	dns := &fakeDNS{addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}
	defer dns.wait()
	within(t, "Dial of a name with a cancelled context", func() {
		s, err = (&phpstream.Dialer{Resolver: dns.resolver()}).Dial(ctx, "tcp://c.phpsock.invalid:"+strconv.Itoa(srv.port()))
	})
	if err == nil {
		s.Close()
		t.Fatal("Dial of a name with a cancelled context succeeded")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Dial of a name with a cancelled context: %v; want context.Canceled in the chain", err)
	}
}

func TestDialerTimeoutMillis(t *testing.T) {
	// A timeout under a millisecond still connects to a loopback listener
	// that accepts at once (PHP's timeout 0 polls once).
	srv := startServer(t, "tcp", "", hold)
	s, err := (&phpstream.Dialer{Timeout: time.Microsecond}).Dial(t.Context(), srv.addr())
	if err != nil {
		t.Skipf("loopback connect not complete at once here: %v", err)
	}
	s.Close()
}
