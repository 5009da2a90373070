//go:build unix

package phpstream

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// rawReader is the proposed allocation-free readNow: the RawConn and the
// callback are made once per stream (stored next to the socket) instead of
// on every read, where os.File.SyscallConn and the capturing closure cost
// four allocations.
type rawReader struct {
	rc  syscall.RawConn
	p   []byte
	n   int
	err error
	fn  func(uintptr)
}

func newRawReader(rc syscall.RawConn) *rawReader {
	r := &rawReader{rc: rc}
	r.fn = r.read
	return r
}

func (r *rawReader) read(fd uintptr) {
	for {
		r.n, r.err = unix.Read(int(fd), r.p)
		if r.err != unix.EINTR {
			break
		}
	}
}

// readNow is readNow without allocations.
func (r *rawReader) readNow(p []byte) (int, error) {
	r.p = p
	cerr := r.rc.Control(r.fn)
	n, err := r.n, r.err
	r.p, r.err = nil, nil
	if cerr != nil {
		return 0, cerr
	}
	if n < 0 {
		n = 0
	}
	return n, errnoOf(err)
}

// BenchmarkFreadIntoProto is FreadInto's path (PHP buffer, one recv per
// fill, copy out) with the allocation-free readNow.
func BenchmarkFreadIntoProto(b *testing.B) {
	s := benchServer(b, []byte("0123456789abcdef"))
	c, err := s.conn()
	if err != nil {
		b.Fatal(err)
	}
	rc, err := c.SyscallConn()
	if err != nil {
		b.Fatal(err)
	}
	r := newRawReader(rc)
	buf := make([]byte, 8192)
	s.buf = make([]byte, ChunkSize)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		s.mu.Lock()
		// fill + copy, as read() does when PHP's buffer is empty.
		s.rpos, s.wpos = 0, 0
		m, err := r.readNow(s.buf)
		if err == syscall.EAGAIN {
			m, err = s.waitRead(c, s.buf)
		}
		if err != nil || m == 0 {
			s.mu.Unlock()
			b.Fatal("read failed", err)
		}
		s.wpos = m
		t := copy(buf, s.buf[:m])
		s.rpos = t
		s.mu.Unlock()
		n += t
	}
	b.SetBytes(int64(n / max(b.N, 1)))
}
