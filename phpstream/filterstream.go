package phpstream

import "bytes"

// This file runs a stream's filter chains (filter.go) as PHP's stream layer
// does: _php_stream_fill_read_buffer with read filters and
// _php_stream_write_filtered, php_stream_filter_append on the read chain, and
// the read to the end through it.

// runChain passes data through chain; feedMe is a filter holding on to
// everything, err a filter's fatal error.
func runChain(chain []streamFilter, data []byte, flags filterFlags) (out []byte, feedMe bool, err error) {
	for _, f := range chain {
		if data, feedMe, err = f.filter(data, flags); err != nil || feedMe {
			return nil, feedMe, err
		}
	}
	return data, false, nil
}

// fillFiltered is the read buffer's fill through the read filters: chunks
// read from the stream one at a time, each run through the chain and its
// output appended to PHP's buffer, until the buffer has min(size, chunk)
// bytes or the stream ends. false is PHP's FAILURE (a read that failed
// with nothing buffered, or a filter's fatal error, which also ends the
// stream). s.mu is held.
func (s *Stream) fillFiltered(size int) bool {
	toReadNow := min(size, s.chunk)
	// One chunk buffer for the stream's filtered reads, not one a fill:
	// every filter copies what it passes on.
	if len(s.filterChunk) != s.chunk {
		s.filterChunk = make([]byte, s.chunk)
	}
	chunk := s.filterChunk
	for !s.eof && s.wpos-s.rpos < toReadNow {
		n, failed := s.lowRead(chunk)
		if failed && s.wpos == s.rpos {
			return false
		}
		flags := filterFlushInc
		var in []byte
		if n > 0 {
			in, flags = chunk[:n], filterNormal
		}
		if s.eof {
			flags = filterFlushClose
		}
		out, feedMe, err := runChain(s.readFilters, in, flags)
		switch {
		case err != nil:
			s.noticeOf(err)
			s.eof = true
			return false
		case feedMe && n > 0:
			continue
		case !feedMe:
			s.appendBuffered(out)
		}
		if n <= 0 {
			break
		}
	}
	return true
}

// appendBuffered puts b behind what PHP's buffer holds, compacting or
// growing it as PHP does for a filter's output.
func (s *Stream) appendBuffered(b []byte) {
	if len(b) == 0 {
		return
	}
	s.bufStorage()
	if len(s.buf)-s.wpos < len(b) {
		if s.wpos > s.rpos {
			copy(s.buf, s.buf[s.rpos:s.wpos])
		}
		s.wpos -= s.rpos
		s.rpos = 0
	}
	if len(s.buf)-s.wpos < len(b) {
		nb := newBuf(len(s.buf) + len(b))
		copy(nb, s.buf[:s.wpos])
		putBuf(s.buf)
		s.buf = nb
	}
	s.wpos += copy(s.buf[s.wpos:], b)
}

// writeFiltered is _php_stream_write_filtered: p through the write chain,
// what comes out written to the stream; it reports p as consumed (PHP's
// fwrite result), or fails when a filter or the write does. s.mu is held.
func (s *Stream) writeFiltered(p []byte, flags filterFlags) (int, error) {
	// Filters may work in place (dechunk does); the caller's bytes are not
	// ours to change (io.Writer), so the chain gets a copy.
	out, feedMe, err := runChain(s.writeFilters, bytes.Clone(p), flags)
	if err != nil {
		s.noticeOf(err)
		return 0, ErrNotWritable
	}
	if !feedMe && len(out) > 0 {
		if _, err := s.backWriteRaw(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// closeFilters ends what filters hold beyond the stream (the zlib
// decompressor's goroutine) when the stream closes. s.mu is held.
func (s *Stream) closeFilters() {
	for _, chain := range [][]streamFilter{s.readFilters, s.writeFilters} {
		for _, f := range chain {
			if c, ok := f.(interface{ close() }); ok {
				c.close()
			}
		}
	}
}

// flushWriteFilters pushes what the write filters hold to the stream (a
// seek flushes, a close flushes for the last time). s.mu is held.
func (s *Stream) flushWriteFilters(flags filterFlags) {
	if len(s.writeFilters) > 0 {
		s.writeFiltered(nil, flags)
	}
}

// appendReadFilter is php_stream_filter_append on the read chain: what
// PHP's buffer holds already goes through the filter at once and replaces
// it. s.mu is held.
func (s *Stream) appendReadFilter(f streamFilter) {
	s.readFilters = append(s.readFilters, f)
	if s.wpos > s.rpos {
		out, feedMe, _ := f.filter(append([]byte(nil), s.buf[s.rpos:s.wpos]...), filterNormal)
		s.rpos, s.wpos = 0, 0
		if !feedMe {
			s.appendBuffered(out)
		}
	}
}

// readAllFiltered is readAll on a filtered stream: PHP's reads through
// the buffer (each a filtered fill) until one brings nothing. s.mu is
// held.
func (s *Stream) readAllFiltered(limit int) []byte {
	out := make([]byte, 0, contentsStart)
	for limit <= 0 || len(out) < limit {
		if len(out) == cap(out) {
			out = append(out, 0)[:len(out)]
		}
		dst := out[len(out):cap(out)]
		if limit > 0 && len(dst) > limit-len(out) {
			dst = dst[:limit-len(out)]
		}
		n, ok := s.read(dst) // counts the position
		if !ok || n == 0 {
			break
		}
		out = out[:len(out)+n]
	}
	return out
}

// Fflush is PHP's fflush (_php_stream_flush): what the write filters hold
// goes on to the stream, then the stream's own flush runs. It reports
// false where that flush fails (php://input's always does; recorded:
// memory/php-input); sockets, memory and files have nothing to flush.
func (s *Stream) Fflush() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushWriteFilters(filterFlushInc)
	if f, ok := s.back.(flushingBacking); ok {
		return f.flush()
	}
	return true
}

// flushingBacking is a backing with a flush operation of its own.
type flushingBacking interface{ flush() bool }
