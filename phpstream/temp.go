package phpstream

import (
	"errors"
	"io"
	"os"
	"runtime"
	"syscall"
)

// DefaultTempMemory is how many bytes php://temp keeps in memory before it
// moves them to a temporary file (PHP_STREAM_MAX_MEM, 2 MiB).
const DefaultTempMemory = 2 << 20

// tempBacking is php://temp (php_stream_temp_ops): a memory stream until a
// write would end at maxMemory bytes or further from the inner stream's
// position, then a temporary file holding the same bytes, at that position,
// as PHP's inner streams are. The file is a plain file as far as PHP can
// tell: writable whatever the mode (recorded: memory/temp-spill-stat),
// seekable past its end, and removed when the stream closes.
//
// pos is the inner memory stream's own position, which PHP decides by: it
// counts what was read and written (an append that lands at the end
// counts its length from where it started) and is -1 after a failed seek
// (recorded: memory/temp-append-after-spill).
type tempBacking struct {
	mem       *memoryBacking // nil once spilled
	pos       int64
	file      *tempFile // once spilled
	maxMemory int64
	mode      memoryMode
}

func (t *tempBacking) read(p []byte) (int, bool, error) {
	if t.mem != nil {
		// PHP reads its inner stream greedily: to len(p) or the end.
		n, eof, _ := t.mem.read(p)
		if n > 0 && n < len(p) {
			_, eof, _ = t.mem.read(p[n:])
		}
		t.pos += int64(n)
		return n, eof, nil
	}
	return t.file.read(p)
}

func (t *tempBacking) write(p []byte) (int, error) {
	if t.mem != nil && t.pos+int64(len(p)) >= t.maxMemory {
		if err := t.spill(); err != nil {
			return 0, err
		}
	}
	if t.mem != nil {
		n, err := t.mem.write(p)
		if err == nil {
			t.pos += int64(n)
		}
		return n, err
	}
	return t.file.write(p)
}

// spill moves the bytes to a temporary file, at the inner position (a
// position of -1 leaves the file's at its end, as PHP's failing seek does).
func (t *tempBacking) spill() error {
	f, err := os.CreateTemp("", "php")
	if err != nil {
		return err
	}
	if _, err = f.Write(t.mem.data); err == nil && t.pos >= 0 {
		_, err = f.Seek(t.pos, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	t.file, t.mem = &tempFile{f: f, fd: fileDescriptor(f)}, nil
	// The file stays named while the stream lives (PHP's fstat shows one
	// link: recorded memory/temp-spill-stat), is removed by close, and by
	// this cleanup if the stream is dropped unclosed.
	runtime.AddCleanup(t, func(name string) { os.Remove(name) }, f.Name())
	return nil
}

// seek is the inner stream's seek (a spilled stream's is its file's).
func (t *tempBacking) seek(offset int64, whence int) (int64, bool) {
	if t.mem != nil {
		pos, ok := t.mem.seek(offset, whence)
		t.pos = pos
		return pos, ok
	}
	return t.file.seek(offset, whence)
}

func (t *tempBacking) stat() (StatInfo, error) {
	if t.mem != nil {
		return t.mem.stat()
	}
	return t.file.stat()
}

// flush is fflush's: a spilled stream writes out what its file's window
// holds.
func (t *tempBacking) flush() bool {
	if t.mem != nil {
		return true
	}
	return t.file.flush()
}

func (t *tempBacking) close() error {
	if t.file == nil {
		return nil
	}
	return t.file.close()
}

func (t *tempBacking) streamType() string  { return "TEMP" }
func (t *tempBacking) reportsStatus() bool { return false }

// selectable is PHP's cast of a temp stream for select: a stream still in
// memory moves to its temporary file, whose descriptor select then polls
// (a regular file is always ready; recorded:
// memory/socket-functions-temp).
func (t *tempBacking) selectable() (syscall.RawConn, error) {
	if t.mem != nil {
		if err := t.spill(); err != nil {
			return nil, err
		}
	}
	return t.file.selectable()
}

// newTempStream is fopen("php://temp", mode) with maxMemory bytes kept in
// memory at most (php://temp/maxmemory:N); the URL it was opened with is
// what stream_get_meta_data reports as its uri.
func newTempStream(url, mode string, maxMemory int64) (*Stream, error) {
	if maxMemory < 0 {
		return nil, errors.New("phpstream: php://temp's maxmemory must be >= 0")
	}
	m := memoryModeOf(mode)
	t := &tempBacking{mem: &memoryBacking{mode: m}, maxMemory: maxMemory, mode: m}
	return newBackedStream(t, origin{wrapperType: "PHP", uri: url, mode: m.String()}), nil
}

// truncate is the inner stream's.
func (t *tempBacking) truncate(size int64) error {
	if t.mem != nil {
		return t.mem.truncate(size)
	}
	return t.file.truncate(size)
}
