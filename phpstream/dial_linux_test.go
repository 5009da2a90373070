package phpstream_test

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/phpsock/phpsock/phpstream"
)

// hungListener returns the address of a loopback listener whose accept
// queue is full, so that a new connect stays in SYN_SENT: Linux drops the
// SYNs of a listener with a full queue. It skips the test when the queue
// does not fill.
func hungListener(t *testing.T) string {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 0); err != nil { // room for one connection
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(sa.(*unix.SockaddrInet4).Port)
	for range 8 {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return addr // the queue is full
			}
			t.Skipf("filling the accept queue: %v", err)
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("the accept queue did not fill")
	return ""
}

// TestDialContextWhileConnecting: a context cancelled or expiring during
// a connect that does not complete ends the dial promptly.
func TestDialContextWhileConnecting(t *testing.T) {
	addr := "tcp://" + hungListener(t)

	t.Run("cancelled-before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var err error
		within(t, "Dial", func() { _, err = (&phpstream.Dialer{}).Dial(ctx, addr) })
		if oe := opError(t, err); oe.Errno != syscall.ECANCELED || oe.Text != context.Canceled.Error() {
			t.Errorf("errno %d, %q; want ECANCELED, %q", oe.Errno, oe.Text, context.Canceled)
		}
	})
	t.Run("cancelled-during", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		var err error
		within(t, "Dial", func() { _, err = (&phpstream.Dialer{}).Dial(ctx, addr) })
		if oe := opError(t, err); oe.Errno != syscall.ECANCELED {
			t.Errorf("errno %d (%q); want ECANCELED", oe.Errno, oe.Text)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		var err error
		within(t, "Dial", func() { _, err = (&phpstream.Dialer{}).Dial(ctx, addr) })
		if oe := opError(t, err); oe.Errno != syscall.ECANCELED || oe.Text != context.DeadlineExceeded.Error() {
			t.Errorf("errno %d, %q; want ECANCELED, %q", oe.Errno, oe.Text, context.DeadlineExceeded)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		// PHP's own connect timeout: ETIMEDOUT, "Connection timed out".
		var err error
		start := time.Now()
		within(t, "Dial", func() {
			_, err = (&phpstream.Dialer{Timeout: 100 * time.Millisecond}).Dial(context.Background(), addr)
		})
		oe := opError(t, err)
		if oe.Errno != syscall.ETIMEDOUT || oe.Text != "Connection timed out" || !oe.Timeout() {
			t.Errorf("errno %d, %q, Timeout %v; want ETIMEDOUT", oe.Errno, oe.Text, oe.Timeout())
		}
		if d := time.Since(start); d < 90*time.Millisecond {
			t.Errorf("timed out after %v; want about 100ms", d)
		}
	})
	t.Run("zero-timeout", func(t *testing.T) {
		// A timeout under a millisecond polls once (PHP's timeout 0).
		_, err := (&phpstream.Dialer{Timeout: time.Microsecond}).Dial(context.Background(), addr)
		if oe := opError(t, err); oe.Errno != syscall.ETIMEDOUT {
			t.Errorf("errno %d (%q); want ETIMEDOUT", oe.Errno, oe.Text)
		}
	})
}

// TestStreamFwriteDoesNotBlockRead: net.Conn lets one goroutine read while
// another writes. An Fwrite waiting for socket space must not keep a Read
// (with its own deadline) from running.
func TestStreamFwriteDoesNotBlockRead(t *testing.T) {
	block := make(chan struct{})
	srv := startServer(t, "tcp", "", func(c net.Conn) {
		defer c.Close()
		c.(*net.TCPConn).SetReadBuffer(4096)
		<-block // never reads
	})
	defer close(block)
	s := dial(t, srv.addr())
	defer s.Close()
	rc, err := s.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	rc.Control(func(fd uintptr) { unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_SNDBUF, 4096) })

	fwriteDone := make(chan struct{})
	go func() {
		defer close(fwriteDone)
		s.Fwrite(make([]byte, 64<<20)) // blocks: the peer does not read
	}()
	time.Sleep(100 * time.Millisecond)

	s.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	readDone := make(chan error, 1)
	go func() {
		_, err := s.Read(make([]byte, 1))
		readDone <- err
	}()
	select {
	case err := <-readDone:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("Read during Fwrite: %v; want the read deadline", err)
		}
		s.Close()
		<-fwriteDone
	case <-time.After(2 * time.Second):
		// Release both goroutines before reporting.
		s.Close()
		<-fwriteDone
		<-readDone
		t.Fatal("Read stayed blocked behind a pending Fwrite")
	}
}
