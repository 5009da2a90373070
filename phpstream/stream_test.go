package phpstream_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

// A Stream is a net.Conn.
var _ net.Conn = (*phpstream.Stream)(nil)

// TestStreamConcurrentReadWrite writes and reads the same stream from two
// goroutines (the race detector checks the stream's state) while a third
// goroutine reads the metadata.
func TestStreamConcurrentReadWrite(t *testing.T) {
	srv := startServer(t, "tcp", "", echo)
	s := dial(t, srv.addr())
	defer s.Close()

	const chunks, size = 200, 1024
	want := make([]byte, 0, chunks*size)
	for i := range chunks {
		want = append(want, bytes.Repeat([]byte{byte('a' + i%26)}, size)...)
	}
	var wg sync.WaitGroup
	var werr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range chunks {
			if _, err := s.Write(want[i*size : (i+1)*size]); err != nil {
				werr = err
				return
			}
		}
	}()
	stop := make(chan struct{})
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				s.Meta()
				s.LocalAddr()
				s.RemoteAddr()
				time.Sleep(time.Millisecond)
			}
		}
	}()
	s.SetReadDeadline(time.Now().Add(generous))
	got := make([]byte, len(want))
	_, rerr := io.ReadFull(s, got)
	close(stop)
	wg.Wait()
	if werr != nil {
		t.Fatalf("Write: %v", werr)
	}
	if rerr != nil {
		t.Fatalf("Read: %v", rerr)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("echoed bytes differ from the written ones")
	}
}

// TestStreamCloseUnblocksRead closes a stream while another goroutine is
// blocked reading it.
func TestStreamCloseUnblocksRead(t *testing.T) {
	for _, method := range []string{"Read", "Fread"} {
		t.Run(method, func(t *testing.T) {
			srv := startServer(t, "tcp", "", hold)
			s := dial(t, srv.addr())
			errc := make(chan error, 1)
			go func() {
				var err error
				if method == "Read" {
					_, err = s.Read(make([]byte, 10))
				} else if _, ok := s.Fread(10); !ok {
					err = errors.New("fread returned false")
				}
				errc <- err
			}()
			time.Sleep(50 * time.Millisecond) // let the read block
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			select {
			case err := <-errc:
				if err == nil {
					t.Fatalf("%s returned no error after Close", method)
				}
				t.Logf("%s unblocked by Close: %v (net.ErrClosed: %v)", method, err, errors.Is(err, net.ErrClosed))
			case <-time.After(generous):
				t.Fatalf("%s still blocked %v after Close", method, generous)
			}
		})
	}
}

// TestStreamCloseUnblocksWrite closes a stream while a Write is blocked on
// a peer that does not read.
func TestStreamCloseUnblocksWrite(t *testing.T) {
	block := make(chan struct{})
	srv := startServer(t, "tcp", "", func(c net.Conn) {
		defer c.Close()
		<-block
	})
	defer close(block)
	s := dial(t, srv.addr())
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 1<<20)
		for {
			if _, err := s.Write(buf); err != nil {
				errc <- err
				return
			}
		}
	}()
	time.Sleep(100 * time.Millisecond) // let the socket buffers fill
	s.Close()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("Write returned no error after Close")
		}
	case <-time.After(generous):
		t.Fatalf("Write still blocked %v after Close", generous)
	}
}

func TestStreamDeadline(t *testing.T) {
	srv := startServer(t, "tcp", "", echo)
	s := dial(t, srv.addr())
	defer s.Close()

	if err := s.SetDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		t.Fatalf("SetDeadline: %v", err)
	}
	var err error
	within(t, "Read with a deadline", func() { _, err = s.Read(make([]byte, 1)) })
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read after the deadline: %v; want os.ErrDeadlineExceeded", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("Read after the deadline: %v has no Timeout() true net.Error in its chain", err)
	}

	// A deadline in the past fails a Write at once.
	s.SetWriteDeadline(time.Now().Add(-time.Second))
	if _, err := s.Write([]byte("x")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Write after the deadline: %v; want os.ErrDeadlineExceeded", err)
	}

	// Clearing the deadlines makes the stream usable again.
	if err := s.SetDeadline(time.Time{}); err != nil {
		t.Fatalf("SetDeadline(zero): %v", err)
	}
	if _, err := s.Write([]byte("ping")); err != nil {
		t.Fatalf("Write: %v", err)
	}
	s.SetReadDeadline(time.Now().Add(generous))
	got := make([]byte, 4)
	if _, err := io.ReadFull(s, got); err != nil || string(got) != "ping" {
		t.Fatalf("Read = %q, %v; want ping", got, err)
	}
}

func TestStreamDoubleClose(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	s := dial(t, srv.addr())
	if err := s.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	err := s.Close()
	if err == nil {
		t.Fatal("second Close returned nil")
	}
	if !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close: %v; want net.ErrClosed", err)
	}
	if !s.Closed() {
		t.Error("Closed() = false after Close")
	}
}

// TestStreamConcurrentClose closes from many goroutines: exactly one
// Close succeeds.
func TestStreamConcurrentClose(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	s := dial(t, srv.addr())
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.Close() == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d Close calls succeeded; want 1", ok)
	}
}

func TestStreamIOAfterClose(t *testing.T) {
	for _, used := range []bool{false, true} {
		name := "unused"
		if used {
			name = "used"
		}
		t.Run(name, func(t *testing.T) {
			srv := startServer(t, "tcp", "", echo)
			s := dial(t, srv.addr())
			if used {
				// Put the socket on the poller first.
				s.Write([]byte("x"))
				s.Read(make([]byte, 1))
			}
			s.Close()
			if _, err := s.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
				t.Errorf("Read after Close: %v; want net.ErrClosed", err)
			}
			if _, err := s.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
				t.Errorf("Write after Close: %v; want net.ErrClosed", err)
			}
			if b, ok := s.Fread(1); ok {
				t.Errorf("Fread after Close = %q, true; want false", b)
			}
			n, err := s.Fwrite([]byte("x"))
			var oe *phpstream.OpError
			if n != 0 || !errors.As(err, &oe) || oe.Op != "write" || !errors.Is(err, net.ErrClosed) {
				t.Errorf("Fwrite after Close = %d, %v; want 0, a write *OpError wrapping net.ErrClosed", n, err)
			}
			if err := s.SetDeadline(time.Now()); err == nil {
				t.Error("SetDeadline after Close: no error")
			}
			if s.Alive() {
				t.Error("Alive after Close")
			}
		})
	}
}

// TestStreamFreadThenRead checks that PHP's buffered fread and net.Conn's
// Read consume one buffer.
func TestStreamFreadThenRead(t *testing.T) {
	srv := startServer(t, "tcp", "", func(c net.Conn) {
		defer c.Close()
		c.Write([]byte("abcdef"))
		io.Copy(io.Discard, c)
	})
	s := dial(t, srv.addr())
	defer s.Close()
	s.SetTimeout(generous)

	var head []byte
	for len(head) < 2 {
		b, ok := s.Fread(2 - len(head))
		if !ok || len(b) == 0 {
			t.Fatalf("Fread = %q, %v", b, ok)
		}
		head = append(head, b...)
	}
	if string(head) != "ab" {
		t.Fatalf("Fread(2) = %q; want ab", head)
	}
	if m := s.Meta(); m.UnreadBytes < 0 || m.UnreadBytes > 4 {
		t.Fatalf("UnreadBytes = %d after reading 2 of 6", m.UnreadBytes)
	}
	s.SetReadDeadline(time.Now().Add(generous))
	rest := make([]byte, 4)
	if _, err := io.ReadFull(s, rest); err != nil {
		t.Fatalf("Read: %v", err)
	}
	if string(rest) != "cdef" {
		t.Fatalf("Read after Fread(2) = %q; want cdef", rest)
	}
	if m := s.Meta(); m.UnreadBytes != 0 {
		t.Errorf("UnreadBytes = %d after reading everything", m.UnreadBytes)
	}
}

// TestStreamReadDrainsBufferFirst reads with a small buffer: the bytes
// Fread read ahead come first, in order.
func TestStreamReadDrainsBufferFirst(t *testing.T) {
	srv := startServer(t, "tcp", "", func(c net.Conn) {
		defer c.Close()
		c.Write([]byte("0123456789"))
		io.Copy(io.Discard, c)
	})
	s := dial(t, srv.addr())
	defer s.Close()
	s.SetTimeout(generous)
	b, ok := s.Fread(1)
	if !ok || string(b) != "0" {
		t.Fatalf("Fread(1) = %q, %v", b, ok)
	}
	s.SetReadDeadline(time.Now().Add(generous))
	var got strings.Builder
	buf := make([]byte, 3)
	for got.Len() < 9 {
		n, err := s.Read(buf)
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		got.Write(buf[:n])
	}
	if got.String() != "123456789" {
		t.Fatalf("Read = %q; want 123456789", got.String())
	}
}

// TestStreamFreadEOF sees the peer's close as PHP's eof.
func TestStreamFreadEOF(t *testing.T) {
	srv := startServer(t, "tcp", "", func(c net.Conn) { c.Close() })
	s := dial(t, srv.addr())
	defer s.Close()
	s.SetTimeout(generous)
	b, ok := s.Fread(10)
	if !ok || len(b) != 0 {
		t.Fatalf("Fread at EOF = %q, %v; want empty, true", b, ok)
	}
	if !s.Meta().EOF {
		t.Error("Meta().EOF = false after EOF")
	}
}

// TestStreamFreadTimeout: PHP's stream timeout makes Fread return false
// and sets timed_out.
func TestStreamFreadTimeout(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	s := dial(t, srv.addr())
	defer s.Close()
	s.SetTimeout(50 * time.Millisecond)
	var ok bool
	within(t, "Fread with a timeout", func() { _, ok = s.Fread(1) })
	if ok {
		t.Error("Fread after the timeout returned true")
	}
	if !s.Meta().TimedOut {
		t.Error("Meta().TimedOut = false after a timeout")
	}
}

// TestStreamFreadHonoursReadDeadline: without a PHP timeout, the net.Conn
// read deadline bounds Fread, and Fread leaves that deadline in place.
func TestStreamFreadHonoursReadDeadline(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	s := dial(t, srv.addr())
	defer s.Close()
	s.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	var ok bool
	within(t, "Fread with a read deadline", func() { _, ok = s.Fread(1) })
	if ok {
		t.Error("Fread past the read deadline returned true")
	}
	if !s.Meta().TimedOut {
		t.Error("Meta().TimedOut = false after the deadline")
	}

	// A PHP timeout longer than the deadline does not extend it, and the
	// deadline is still set after Fread restored it.
	s.SetTimeout(time.Hour)
	within(t, "Fread with a read deadline and a PHP timeout", func() { _, ok = s.Fread(1) })
	if ok {
		t.Error("Fread past the read deadline (PHP timeout 1h) returned true")
	}
	var err error
	within(t, "Read after Fread", func() { _, err = s.Read(make([]byte, 1)) })
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Read after Fread: %v; want the deadline kept", err)
	}
}

func TestStreamNoConnect(t *testing.T) {
	s, err := (&phpstream.Dialer{NoConnect: true}).Dial(t.Context(), "tcp://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	if s.Connected() {
		t.Error("Connected() = true without a connect")
	}
	if _, err := s.Read(make([]byte, 1)); !errors.Is(err, phpstream.ErrNotConnected) {
		t.Errorf("Read: %v; want ErrNotConnected", err)
	}
	if _, err := s.Write([]byte("x")); !errors.Is(err, phpstream.ErrNotConnected) {
		t.Errorf("Write: %v; want ErrNotConnected", err)
	}
	if n, err := s.Fwrite([]byte("x")); n != 0 || err != nil {
		t.Errorf("Fwrite = %d, %v; want 0, nil (PHP writes nothing)", n, err)
	}
	if s.LocalAddr() != nil || s.RemoteAddr() != nil {
		t.Error("addresses of a stream without a socket")
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err == nil {
		t.Error("second Close: no error")
	}
}

func TestStreamAddresses(t *testing.T) {
	srv := startServer(t, "tcp", "", hold)
	s := dial(t, srv.addr())
	defer s.Close()
	ra, ok := s.RemoteAddr().(*net.TCPAddr)
	if !ok || ra.String() != srv.ln.Addr().String() {
		t.Errorf("RemoteAddr = %v; want %v", s.RemoteAddr(), srv.ln.Addr())
	}
	if la, ok := s.LocalAddr().(*net.TCPAddr); !ok || !la.IP.IsLoopback() {
		t.Errorf("LocalAddr = %v", s.LocalAddr())
	}
	if name, ok := s.SocketName(true); !ok || name != srv.ln.Addr().String() {
		t.Errorf("SocketName(true) = %q, %v", name, ok)
	}
	if got := s.Address(); got != srv.addr() {
		t.Errorf("Address() = %q; want %q", got, srv.addr())
	}
	if !s.Alive() {
		t.Error("Alive() = false on an open connection")
	}
}
