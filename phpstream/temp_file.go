package phpstream

import (
	"io"
	"os"
	"sync"
	"syscall"
)

// tempFile is php://temp's temporary file once the stream has spilled to
// one: a plain file as PHP's inner stream is, read and written through a
// window of tempWindow bytes so that a loop of fwrite(8192) or fread(8192)
// costs one write(2) or read(2) per window instead of one per call
// (tools/perf/tempbulk: PHP makes one system call per call, and Go's
// system calls cost more than C's).
//
// The window holds either bytes read ahead of the stream's position
// (win[off:]; the descriptor's offset is past them) or bytes written and
// not yet in the file (all of win, dirty; they go at the descriptor's
// offset). Whatever uses the descriptor's offset or the file's bytes
// settles the window first: written bytes go out, read-ahead bytes are
// given back with a seek.
//
// The file is private (named only while the stream lives, removed on
// close), so what the window changes is only when a write error shows:
// a full disk fails the call that writes the window out (an fwrite, an
// fread, fflush) where PHP fails the fwrite whose bytes did not fit, and
// the bytes still in the window are lost, as PHP loses those of its
// failing fwrites. A seek, fstat or ftruncate that meets the error keeps it
// for the next read or write to report. close drops the window: its file
// is removed unread.
type tempFile struct {
	f     *os.File
	fd    int // f's descriptor (fileDescriptor)
	win   []byte
	off   int  // read-ahead: win[off:] are unread
	dirty bool // win holds written bytes
	err   error
	// buf is the pooled array win is in while the window holds bytes:
	// an empty window gives it back (release), so an idle stream keeps
	// none unless its last call left written bytes in it.
	buf *[tempWindow]byte
}

// tempWindows are the arrays of the temp files' windows.
var tempWindows = sync.Pool{New: func() any { return new([tempWindow]byte) }}

// tempWindow is the size of a spilled php://temp's window.
const tempWindow = 128 << 10

// window returns the window's buffer, empty, taken from the pool if it
// had been given back.
func (t *tempFile) window() []byte {
	if t.buf == nil {
		t.buf = tempWindows.Get().(*[tempWindow]byte)
	}
	return t.buf[:0]
}

// release gives the window's array back to the pool; the window is empty.
func (t *tempFile) release() {
	if t.buf != nil {
		tempWindows.Put(t.buf)
		t.buf = nil
	}
	t.win, t.off = nil, 0
}

// takeErr returns and forgets the kept write-out error.
func (t *tempFile) takeErr() error {
	err := t.err
	t.err = nil
	return err
}

// settle empties the window: written bytes go to the file, read-ahead
// bytes are given back. A write-out error is PHP's notice for writing
// count bytes.
func (t *tempFile) settle(count int) error {
	if t.dirty {
		_, err := fileWriteAll(t.f, t.fd, t.win)
		t.dirty = false
		t.release()
		if err != nil {
			return ioNotice("Write", count, err)
		}
		return nil
	}
	left := len(t.win) - t.off
	t.release()
	if left > 0 {
		if _, err := t.f.Seek(-int64(left), io.SeekCurrent); err != nil {
			return err
		}
	}
	return nil
}

// settleQuietly settles for a call that cannot report a write-out error;
// the next read or write reports it.
func (t *tempFile) settleQuietly() {
	if err := t.settle(len(t.win)); err != nil && t.err == nil {
		t.err = err
	}
}

func (t *tempFile) write(p []byte) (int, error) {
	if err := t.takeErr(); err != nil {
		return 0, err
	}
	if !t.dirty || len(t.win)+len(p) > tempWindow {
		if err := t.settle(len(p)); err != nil {
			return 0, err
		}
	}
	if len(p) >= tempWindow {
		if _, err := fileWriteAll(t.f, t.fd, p); err != nil {
			return 0, ioNotice("Write", len(p), err)
		}
		return len(p), nil
	}
	if !t.dirty {
		t.win, t.dirty = t.window(), true
	}
	t.win = append(t.win, p...)
	return len(p), nil
}

// read reads to len(p) or the end of the file, as PHP reads a plain file;
// eof is whether the end came first.
func (t *tempFile) read(p []byte) (int, bool, error) {
	if err := t.takeErr(); err != nil {
		return 0, false, err
	}
	if t.dirty {
		if err := t.settle(len(t.win)); err != nil {
			return 0, false, err
		}
	}
	n := copy(p, t.win[t.off:])
	t.off += n
	if t.off == len(t.win) {
		t.release() // read to its end
	}
	if n == len(p) {
		return n, false, nil
	}
	rest := p[n:]
	if len(rest) >= tempWindow {
		m, eof, err := fileReadFull(t.f, t.fd, rest)
		return n + m, eof, err
	}
	win := t.window()
	m, _, err := fileReadFull(t.f, t.fd, win[:cap(win)])
	t.win, t.off = win[:m], copy(rest, win[:m])
	n += t.off
	if t.off == len(t.win) {
		t.release()
	}
	return n, n < len(p), err
}

// seek and stat are the plain file's (fileBacking), once the window has
// settled.
func (t *tempFile) seek(offset int64, whence int) (int64, bool) {
	t.settleQuietly()
	return (&fileBacking{f: t.f}).seek(offset, whence)
}

func (t *tempFile) stat() (StatInfo, error) {
	t.settleQuietly()
	return (&fileBacking{f: t.f}).stat()
}

func (t *tempFile) truncate(size int64) error {
	t.settleQuietly()
	return t.f.Truncate(size)
}

// flush writes the window out: fflush's false is a failed write.
func (t *tempFile) flush() bool {
	if err := t.takeErr(); err != nil {
		return false
	}
	if t.dirty {
		return t.settle(len(t.win)) == nil
	}
	return true
}

// close closes and removes the file, dropping what the window holds.
func (t *tempFile) close() error {
	t.dirty = false
	t.release()
	err := t.f.Close()
	os.Remove(t.f.Name())
	return err
}

// selectable is the descriptor stream_select polls (a regular file is
// always ready, whatever the window holds).
func (t *tempFile) selectable() (syscall.RawConn, error) { return t.f.SyscallConn() }
