package phpstream

import (
	"errors"
	"io"
	"slices"
)

// This file is PHP's whole-stream operations (main/streams/streams.c):
// reading everything into memory (stream_get_contents, file_get_contents),
// copying a stream into another (stream_copy_to_stream, copy), passing a
// stream through (fpassthru, readfile) and truncating (ftruncate).

// ErrNoTruncate is a stream that cannot be truncated: PHP's warning
// "Can't truncate this stream!".
var ErrNoTruncate = errors.New("phpstream: the stream cannot be truncated")

// truncater is a backing that can change its size.
type truncater interface{ truncate(size int64) error }

// Truncate is ftruncate: the stream's size becomes size (the position and
// PHP's buffer stay as they are, as in PHP).
func (s *Stream) Truncate(size int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.back.(truncater)
	if !ok {
		return ErrNoTruncate
	}
	return t.truncate(size)
}

// readAllChunk bounds one read of copyToMemBacked (and the memory it
// holds ahead of the bytes read).
const readAllChunk = 1 << 20

// copyToMemBacked is _php_stream_copy_to_mem for a stream that is not a
// socket, reading in PHP's sizes (which its failure notices show): up to
// limit bytes when limit > 0, else everything, in a buffer of the stat
// size left past the position plus 8 KiB that grows by 8 KiB whenever less
// than 2 KiB of it is free. s.mu is held.
func (s *Stream) copyToMemBacked(limit int) []byte {
	const step, minRoom = ChunkSize, ChunkSize / 4
	if limit == 0 {
		return []byte{}
	}
	if limit > 0 {
		// PHP asks for what is left of limit in each read; the buffer
		// grows as bytes come (up to 1 MiB a read), not to limit at once.
		var out []byte
		for len(out) < limit && !s.feof() {
			want := min(limit-len(out), readAllChunk)
			out = slices.Grow(out, want)
			m, ok := s.read(out[len(out) : len(out)+want])
			if !ok || m <= 0 {
				break
			}
			out = out[:len(out)+m]
		}
		if out == nil {
			return []byte{}
		}
		return out
	}
	maxLen := int64(step)
	if st, err := s.back.stat(); err == nil && st.Size > 0 {
		maxLen = max(st.Size-s.position, 0) + step
	}
	// PHP allocates maxLen at once; phpsock asks for the same reads but
	// holds at most readAllChunk more than it has read (a sparse or
	// truncated-up file can report any size).
	var out []byte
	for {
		want := int(min(maxLen-int64(len(out)), readAllChunk))
		out = slices.Grow(out, want)
		m, ok := s.read(out[len(out) : len(out)+want])
		if !ok || m <= 0 {
			break
		}
		out = out[:len(out)+m]
		if int64(len(out))+minRoom >= maxLen {
			maxLen += step
		}
	}
	if out == nil {
		return []byte{}
	}
	return slices.Clip(out)
}

// CopyFrom is _php_stream_copy_to_stream_ex: up to maxlen bytes (all when
// maxlen < 0) read from src in 8 KiB reads and written to s. It returns
// how many bytes were read; an error where PHP fails (a failed read before
// any byte and not at EOF, or a failed write).
func (s *Stream) CopyFrom(src *Stream, maxlen int64) (int64, error) {
	if maxlen == 0 {
		return 0, nil
	}
	if _, user := src.back.(*opsBacking); user {
		// no stat of a user stream here (recorded: userwrapper/log-file-functions)
	} else if st, err := src.Stat(); err == nil && st.Size == 0 && st.Mode&0o170000 == 0o100000 {
		return 0, nil // an empty regular file: nothing to copy
	}
	var buf [ChunkSize]byte
	var have int64
	for maxlen < 0 || have < maxlen {
		chunk := buf[:]
		if maxlen > 0 && maxlen-have < int64(len(chunk)) {
			chunk = chunk[:maxlen-have]
		}
		src.mu.Lock()
		n, ok := src.read(chunk)
		src.readDone()
		if !ok {
			if have == 0 {
				return 0, errCopyRead
			}
			return have, nil
		}
		if n <= 0 {
			return have, nil
		}
		have += int64(n)
		if w, err := s.Fwrite(chunk[:n]); err != nil || w != n {
			return have - int64(n-w), errCopyWrite
		}
	}
	return have, nil
}

var (
	errCopyRead  = errors.New("phpstream: copy: read failed")
	errCopyWrite = errors.New("phpstream: copy: write failed")
)

// Passthru is fpassthru (_php_stream_passthru): it reads the stream to its
// end in 8 KiB reads, writes them to out (PHP's output; nil discards them)
// and returns how many bytes there were, or -1 when the first read fails.
func (s *Stream) Passthru(out io.Writer) int64 {
	var buf [ChunkSize]byte
	var total int64
	for {
		s.mu.Lock()
		n, ok := s.read(buf[:])
		s.readDone()
		switch {
		case !ok && total == 0:
			return -1
		case !ok || n <= 0:
			return total
		}
		if out != nil {
			out.Write(buf[:n]) // PHP's output layer reports no failure back
		}
		total += int64(n)
	}
}
