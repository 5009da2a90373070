package phpstream

import "errors"

// memoryMode is how a php://memory or php://temp stream may be written
// (php_stream_mode_from_str): a mode with "a" appends, one with "w" or
// "+" reads and writes, any other is read-only (recorded:
// memory/fopen-mode-*).
type memoryMode int

const (
	memoryReadOnly memoryMode = iota
	memoryReadWrite
	memoryAppend
)

func memoryModeOf(mode string) memoryMode {
	for _, c := range []byte(mode) {
		if c == 'a' {
			return memoryAppend
		}
	}
	for _, c := range []byte(mode) {
		if c == 'w' || c == '+' {
			return memoryReadWrite
		}
	}
	return memoryReadOnly
}

// String is the mode PHP records for the stream (stream_get_meta_data).
func (m memoryMode) String() string {
	switch m {
	case memoryReadOnly:
		return "rb"
	case memoryAppend:
		return "a+b"
	}
	return "w+b"
}

// errReadOnly is a write to a read-only memory stream (PHP's -1).
var errReadOnly = errors.New("phpstream: stream is read-only")

// memoryBacking is php://memory: bytes in memory and a position in them,
// with PHP's rules for the position (php_stream_memory_ops).
type memoryBacking struct {
	data []byte
	pos  int64
	mode memoryMode
}

func (m *memoryBacking) read(p []byte) (int, bool, error) {
	if m.pos >= int64(len(m.data)) {
		return 0, true, nil // PHP sets eof when a read starts at the end
	}
	n := copy(p, m.data[m.pos:])
	m.pos += int64(n)
	return n, false, nil
}

func (m *memoryBacking) write(p []byte) (int, error) {
	switch m.mode {
	case memoryReadOnly:
		return 0, errReadOnly
	case memoryAppend:
		m.pos = int64(len(m.data))
	}
	if end := m.pos + int64(len(p)); end > int64(len(m.data)) {
		if end > int64(cap(m.data)) {
			grown := make([]byte, end, max(end, 2*int64(cap(m.data))))
			copy(grown, m.data)
			m.data = grown
		} else {
			m.data = m.data[:end]
		}
	}
	copy(m.data[m.pos:], p)
	m.pos += int64(len(p))
	return len(p), nil
}

// seek is php_stream_memory_seek: a target before the start or past the
// end fails, leaving the position at one end and reporting -1 (recorded:
// memory/seek-memory); an unknown whence fails and reports the position
// unchanged. (PHP's fseek turns SEEK_CUR into SEEK_SET before it gets
// here, so a negative SEEK_SET lands at the end, as PHP compares it
// unsigned.)
func (m *memoryBacking) seek(offset int64, whence int) (int64, bool) {
	size := int64(len(m.data))
	switch whence {
	case seekCur:
		if offset < 0 {
			if m.pos < -offset {
				m.pos = 0
				return -1, false
			}
		} else if offset > size-m.pos {
			m.pos = size
			return -1, false
		}
		m.pos += offset
	case seekSet:
		if offset < 0 || offset > size {
			m.pos = size
			return -1, false
		}
		m.pos = offset
	case seekEnd:
		if offset > 0 {
			m.pos = size
			return -1, false
		}
		if -offset > size || offset == -1<<63 {
			m.pos = 0
			return -1, false
		}
		m.pos = size + offset
	default:
		return m.pos, false
	}
	return m.pos, true
}

// stat is php_stream_memory_stat: a regular file of the data's size, 0666
// (0444 read-only), on PHP's made-up device 12 (recorded: memory/fstat).
func (m *memoryBacking) stat() (StatInfo, error) {
	mode := int64(0o100666)
	if m.mode == memoryReadOnly {
		mode = 0o100444
	}
	return StatInfo{Dev: 0xC, Mode: mode, Nlink: 1, Rdev: -1, Size: int64(len(m.data)), Blksize: -1, Blocks: -1}, nil
}

func (m *memoryBacking) close() error { m.data = nil; return nil }

func (m *memoryBacking) streamType() string  { return "MEMORY" }
func (m *memoryBacking) reportsStatus() bool { return true }

// newMemoryStream is fopen("php://memory", mode): a stream over bytes in
// memory.
func newMemoryStream(mode string) *Stream {
	m := memoryModeOf(mode)
	return newBackedStream(&memoryBacking{mode: m}, origin{wrapperType: "PHP", uri: "php://memory", mode: m.String()})
}

// memoryGrowMax bounds the size ftruncate may grow a memory stream to.
// PHP allocates the new size at once and, past its memory_limit (128 MiB
// by default), dies with "Allowed memory size ... exhausted"; phpsock
// fails the truncation instead (ftruncate's false) rather than let one call
// take the process's memory or crash it.
const memoryGrowMax = 128 << 20

// errMemoryLimit is a truncation past memoryGrowMax.
var errMemoryLimit = errors.New("phpstream: memory stream size past PHP's memory_limit")

// truncate is PHP's memory truncation: a smaller size drops the bytes past
// it (the position comes back to the end if it was beyond), a larger one
// adds zero bytes (up to memoryGrowMax); the position otherwise stays.
func (m *memoryBacking) truncate(size int64) error {
	if m.mode == memoryReadOnly {
		return errReadOnly
	}
	if size > int64(len(m.data)) && size > memoryGrowMax {
		return errMemoryLimit
	}
	if size <= int64(len(m.data)) {
		m.data = m.data[:size]
		m.pos = min(m.pos, size)
		return nil
	}
	grown := make([]byte, size)
	copy(grown, m.data)
	m.data = grown
	return nil
}
