package phpstream

import (
	"bytes"
	"unsafe"
)

// lineReadAhead is the read buffer size ReadLineBytes starts with; it
// doubles, up to maxLineReadAhead, while reads keep filling it (a peer
// streaming lines faster than they are consumed).
const (
	lineReadAhead    = 64 << 10
	maxLineReadAhead = 256 << 10
)

// ReadLineBytes is PHP's fgets($s) without a length, returning a slice of
// PHP's read buffer instead of a copy: the line with its "\n", or what
// there is when a read returns nothing (EOF, a timeout, no data on a
// non-blocking stream). ok is false where fgets returns false (nothing
// read). The slice is valid until the next call of any read method on
// the stream; it must not be modified.
//
// The line stays in one piece in the buffer, which therefore grows to the
// longest line read (PHP's copies partial lines out instead), and the
// buffer is at least lineReadAhead bytes so that one recv fetches many
// lines: the lines returned are fgets's, but unread_bytes can be larger
// than PHP's (up to the buffer size instead of PHP's 8 KiB). Datagram
// streams and a changed chunk size keep PHP's buffer.
func (s *Stream) ReadLineBytes() (line []byte, ok bool) {
	s.mu.Lock()
	// The common case first: a whole line is buffered.
	if avail := s.buf[s.rpos:s.wpos]; len(avail) > 0 {
		if i := bytes.IndexByte(avail, '\n'); i >= 0 {
			n := i + 1
			s.rpos += n
			s.position += int64(n)
			s.mu.Unlock()
			return avail[:n:n], true
		}
	}
	defer s.mu.Unlock()
	readAhead := s.chunk == ChunkSize && (s.kind == kindTCP || s.kind == kindUnix)
	if readAhead && len(s.buf) < lineReadAhead {
		s.resizeBuffer(lineReadAhead)
	}
	if readAhead && s.rpos == s.wpos {
		// Reads start at the front again while lines are consumed as they
		// come (a request/response exchange), so the same few cache lines
		// take every reply.
		s.rpos, s.wpos = 0, 0
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
		before := len(s.buf)
		s.fill(scanned + s.chunk)
		got := s.wpos - s.rpos - scanned
		if got == 0 {
			break
		}
		if readAhead && s.wpos == len(s.buf) && len(s.buf) == before && len(s.buf) < maxLineReadAhead && got >= len(s.buf)/2 {
			s.resizeBuffer(2 * len(s.buf))
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

// resizeBuffer moves the unread bytes to the start of a new buffer of size n.
func (s *Stream) resizeBuffer(n int) {
	nb := newBuf(n)
	s.wpos = copy(nb, s.buf[s.rpos:s.wpos])
	s.rpos = 0
	if !s.bufIdle() {
		putBuf(s.buf)
	}
	s.buf = nb
}

// FgetsString is PHP's fgets returning a string, with PHP's buffer exactly
// as Fgets keeps it (maxlen as for Fgets). The strings of short lines are
// cut from shared 4 KiB blocks instead of one allocation each, so keeping
// one such line keeps its block alive; a line is never written after it is
// returned.
func (s *Stream) FgetsString(maxlen int) (string, bool) {
	s.mu.Lock()
	if avail := s.buf[s.rpos:s.wpos]; len(avail) > 0 {
		limit := len(avail)
		if maxlen > 0 {
			limit = min(limit, maxlen-1)
		}
		if i := bytes.IndexByte(avail[:limit], '\n'); i >= 0 {
			n := i + 1
			line := s.lines.cut(avail[:n])
			s.rpos += n
			s.position += int64(n)
			s.readDone()
			return line, true
		}
	}
	defer s.readDone()
	line, ok := s.getLine(nil, maxlen)
	if !ok {
		return "", false
	}
	// line is a fresh slice nobody else holds.
	return unsafe.String(unsafe.SliceData(line), len(line)), true
}

// stringBlocks hands out copies of short byte strings as strings cut from
// a shared block, one allocation per block instead of one per string.
type stringBlocks struct {
	block []byte
}

const (
	stringBlockSize = 4 << 10
	stringBlockMax  = 512 // longer strings get an allocation of their own
)

func (a *stringBlocks) cut(b []byte) string {
	if len(b) > stringBlockMax {
		return string(b)
	}
	if cap(a.block)-len(a.block) < len(b) {
		a.block = make([]byte, 0, stringBlockSize)
	}
	off := len(a.block)
	a.block = append(a.block, b...)
	return unsafe.String(&a.block[off], len(b))
}
