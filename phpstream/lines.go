package phpstream

import "bytes"

// LineReadAhead is the read buffer size ReadLineBytes works with.
const LineReadAhead = 64 << 10

// ReadLineBytes is PHP's fgets($s) without a length, returning a slice of
// PHP's read buffer instead of a copy: the line with its "\n", or what
// there is when a read returns nothing (EOF, a timeout, no data on a
// non-blocking stream). ok is false where fgets returns false (nothing
// read). The slice is valid until the next call of any read method on
// the stream; it must not be modified.
//
// The line stays in one piece in the buffer, which therefore grows to the
// longest line read (PHP's copies partial lines out instead), and the
// buffer is at least LineReadAhead bytes so that one recv fetches many
// lines: the lines returned are fgets's, but unread_bytes can be larger
// than PHP's (up to the buffer size instead of PHP's 8 KiB). Datagram
// streams and a changed chunk size keep PHP's buffer.
func (s *Stream) ReadLineBytes() (line []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) < LineReadAhead && s.chunk == ChunkSize && (s.kind == kindTCP || s.kind == kindUnix) {
		nb := make([]byte, LineReadAhead)
		s.wpos = copy(nb, s.buf[s.rpos:s.wpos])
		s.rpos = 0
		s.buf = nb
	}
	scanned := 0
	for {
		avail := s.buf[s.rpos:s.wpos]
		if i := bytes.IndexByte(avail[scanned:], '\n'); i >= 0 {
			n := scanned + i + 1
			s.rpos += n
			s.position += int64(n)
			return avail[:n:n], true
		}
		scanned = len(avail)
		if s.eof {
			break
		}
		// One more read behind the bytes already buffered (fill compacts
		// or grows the buffer so that at least a chunk is free).
		s.fill(scanned + s.chunk)
		if s.wpos-s.rpos == scanned {
			break
		}
	}
	n := s.wpos - s.rpos
	if n == 0 {
		return nil, false
	}
	line = s.buf[s.rpos:s.wpos:s.wpos]
	s.rpos = s.wpos
	s.position += int64(n)
	return line, true
}
