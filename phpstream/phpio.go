package phpstream

import (
	"bytes"
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/phpsock/phpsock/internal/openssl"
)

// This file is PHP's read buffer and socket I/O (main/streams/streams.c
// and xp_socket.c of PHP 8.2) on top of the Stream's socket:
//
//   - lowRead is php_sockop_read: on a blocking stream it waits up to the
//     timeout for data (timed_out is cleared when the wait starts and set
//     when it expires), then reads once; EOF and hard errors set eof;
//   - fill is php_stream_fill_read_buffer: one lowRead into a buffer that
//     grows and compacts by chunk_size, as PHP's does, so unread_bytes and
//     the size of each read are PHP's;
//   - the exported methods are PHP's functions on socket streams.
//
// Every method here takes s.mu: PHP operations on one stream are serialised.

// errTimedOut reports that a PHP read or write wait expired.
var errTimedOut = errors.New("phpstream: timed out")

// lowRead is php_sockop_read. failed is PHP's -1 (a timeout or a hard
// error); n == 0 without failure is EOF (eof set) or no data on a
// non-blocking stream.
func (s *Stream) lowRead(p []byte) (n int, failed bool) {
	if s.back != nil {
		if len(p) == 0 {
			return 0, false
		}
		n, eof, err := s.back.read(p)
		if eof {
			s.eof = true
		}
		s.noticeOf(err)
		return n, err != nil
	}
	if s.sock == nil || len(p) == 0 {
		return 0, s.sock == nil
	}
	if s.tls != nil {
		return s.tlsRead(p)
	}
	c, err := s.ioConn()
	if err != nil {
		return 0, true
	}
	if s.blocking {
		s.timedOut = false
	}
	if s.wrote.Load() && s.wrote.Swap(false) && s.blocking && s.timeout != 0 && !s.hasAhead.Load() {
		n, err = s.waitRead(c, p)
	} else {
		n, err = s.readNow(c, p)
		if err == syscall.EAGAIN && s.blocking {
			n, err = s.waitRead(c, p)
		}
	}
	switch {
	case n > 0:
		return n, false
	case err == nil || err == io.EOF:
		s.eof = true
		return 0, false
	case err == errTimedOut:
		s.timedOut = true
		return 0, true
	case err == syscall.EAGAIN || err == syscall.EINTR:
		return 0, false
	}
	s.eof = true
	return 0, true
}

// waitRead waits for data up to PHP's timeout (and the net.Conn read
// deadline, whichever is first) and reads once.
func (s *Stream) waitRead(c sysConn, p []byte) (int, error) {
	if s.timeout == 0 {
		return 0, errTimedOut
	}
	user := s.userDeadline(false)
	if n, err, ok := s.pollRead(c, p, s.timeout, user); ok {
		return n, err
	}
	deadline := user
	if s.timeout > 0 {
		if t := time.Now().Add(s.timeout); deadline.IsZero() || t.Before(deadline) {
			deadline = t
		}
	}
	if !deadline.Equal(user) {
		c.SetReadDeadline(deadline)
		defer func() { c.SetReadDeadline(s.userDeadline(false)) }()
	}
	n, err := c.Read(p)
	if n > 0 {
		return n, nil
	}
	switch {
	case err == nil || err == io.EOF:
		return 0, io.EOF
	case errors.Is(err, os.ErrDeadlineExceeded):
		return 0, errTimedOut
	}
	return 0, toErrnoAny(err)
}

// fill is php_stream_fill_read_buffer for a socket stream: if fewer than
// size bytes are buffered, compact or grow the buffer by chunk_size and read
// once into all of its free space. false is PHP's FAILURE.
func (s *Stream) fill(size int) bool {
	if len(s.readFilters) > 0 {
		return s.fillFiltered(size)
	}
	if s.wpos-s.rpos >= size {
		return true
	}
	s.bufStorage()
	if len(s.buf)-s.wpos < s.chunk {
		if s.wpos > s.rpos {
			copy(s.buf, s.buf[s.rpos:s.wpos])
		}
		s.wpos -= s.rpos
		s.rpos = 0
	}
	if len(s.buf)-s.wpos < s.chunk {
		nb := newBuf(len(s.buf) + s.chunk)
		copy(nb, s.buf[:s.wpos])
		putBuf(s.buf)
		s.buf = nb
	}
	n, failed := s.lowRead(s.buf[s.wpos:])
	if failed {
		return false
	}
	s.wpos += n
	return true
}

// PHP's read buffer holds memory only while it holds bytes. A PHP read
// that leaves it empty (readDone) gives its memory back to a pool and
// makes buf a slice of idleBuf of the same length, so that its length
// (PHP's readbuflen) and the positions stay exactly as PHP has them: where
// the next read goes and how much it asks for are unchanged. fill gives
// buf memory again (bufStorage) before it reads. idleBuf is never read or
// written, as every slice of it in use is empty, so it costs no memory.
var idleBuf [maxLineReadAhead]byte

// chunkBufs are buffers of the default size not in use.
var chunkBufs = sync.Pool{New: func() any { return new([ChunkSize]byte) }}

// newBuf returns a read buffer of n bytes, from chunkBufs for ChunkSize.
func newBuf(n int) []byte {
	if n == ChunkSize {
		return chunkBufs.Get().(*[ChunkSize]byte)[:]
	}
	return make([]byte, n)
}

// putBuf gives b back to chunkBufs if it came from there.
func putBuf(b []byte) {
	if len(b) == ChunkSize && cap(b) == ChunkSize {
		chunkBufs.Put((*[ChunkSize]byte)(b))
	}
}

// bufIdle reports whether buf has no memory of its own (a slice of idleBuf).
func (s *Stream) bufIdle() bool {
	return len(s.buf) > 0 && unsafe.SliceData(s.buf) == &idleBuf[0]
}

// bufStorage gives buf memory of its length again if it is idle.
func (s *Stream) bufStorage() {
	if s.bufIdle() {
		s.buf = newBuf(len(s.buf))
	}
}

// readDone ends a PHP read: an empty buffer gives its memory back (up to
// idleBuf's size), then s.mu is released. ReadLineBytes does not call it:
// the line it returns is in the buffer.
func (s *Stream) readDone() {
	if s.rpos == s.wpos && len(s.buf) > 0 && len(s.buf) <= len(idleBuf) && !s.bufIdle() {
		putBuf(s.buf)
		s.buf = idleBuf[:len(s.buf)]
	}
	s.mu.Unlock()
}

// read is _php_stream_read: buffered bytes first, then one underlying
// read, or reads until dst is full or one brings nothing where PHP reads
// greedily (readsGreedily). ok is false where PHP returns -1.
func (s *Stream) read(dst []byte) (n int, ok bool) {
	didread := 0
	for {
		if s.wpos > s.rpos {
			t := copy(dst[didread:], s.buf[s.rpos:s.wpos])
			s.rpos += t
			didread += t
		}
		rest := dst[didread:]
		if len(rest) == 0 {
			break
		}
		var t int
		if len(s.readFilters) == 0 && (s.unbuffered || s.chunk == 1) {
			var failed bool
			if t, failed = s.lowRead(rest); failed {
				if didread == 0 {
					return 0, false
				}
				break
			}
		} else {
			if !s.fill(len(rest)) {
				if didread == 0 {
					return 0, false
				}
				break
			}
			t = copy(rest, s.buf[s.rpos:s.wpos])
			s.rpos += t
		}
		if t <= 0 {
			break // EOF, or no data on a non-blocking stream
		}
		didread += t
		if !s.readsGreedily() {
			break
		}
	}
	s.position += int64(didread)
	return didread, true
}

// FreadInto is PHP's fread into a caller's buffer: it returns how many bytes
// were read into p; ok is false where PHP's fread returns false (a timeout
// or an error with nothing read). n == 0 with ok is EOF or no data on a
// non-blocking stream.
func (s *Stream) FreadInto(p []byte) (n int, ok bool) {
	s.mu.Lock()
	n, ok = s.read(p)
	s.readDone()
	return n, ok
}

// Fread is PHP's fread($s, n): at most n bytes, with at most one
// underlying read. The result is a new slice the caller owns.
func (s *Stream) Fread(n int) ([]byte, bool) {
	s.mu.Lock()
	defer s.readDone()
	avail := s.wpos - s.rpos
	if avail == 0 && n > 0 && !s.unbuffered && s.chunk != 1 && s.back == nil {
		// read's way with nothing buffered: one fill, then a result of
		// the size it got, so that nothing of n bytes is held while the
		// fill waits.
		if !s.fill(n) {
			return nil, false
		}
		avail = min(s.wpos-s.rpos, n)
		out := make([]byte, avail)
		copy(out, s.buf[s.rpos:])
		s.rpos += avail
		s.position += int64(avail)
		return out, true
	}
	if avail >= n {
		out := bytes.Clone(s.buf[s.rpos : s.rpos+n])
		s.rpos += n
		s.position += int64(n)
		return out, true
	}
	out := make([]byte, n)
	m, ok := s.read(out)
	if !ok {
		return nil, false
	}
	return out[:m:m], true
}

// Fgetc is PHP's fgetc: one byte, ok false where PHP returns false.
func (s *Stream) Fgetc() (byte, bool) {
	var b [1]byte
	s.mu.Lock()
	n, ok := s.read(b[:])
	s.readDone()
	return b[0], ok && n == 1
}

// Fgets is PHP's fgets: a line including its "\n", or what there is at
// EOF or when a read times out or would block. maxlen > 0 returns at most
// maxlen-1 bytes (PHP's fgets($s, $length)); 0 means no limit. ok is false
// where PHP returns false (nothing read).
func (s *Stream) Fgets(maxlen int) ([]byte, bool) {
	s.mu.Lock()
	defer s.readDone()
	line, ok := s.getLine(nil, maxlen)
	return line, ok
}

// getLine is _php_stream_get_line, appending to dst.
func (s *Stream) getLine(dst []byte, maxlen int) ([]byte, bool) {
	grow := maxlen == 0
	total := 0
	for {
		if avail := s.wpos - s.rpos; avail > 0 {
			chunk := s.buf[s.rpos:s.wpos]
			cpy, done := avail, false
			if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
				cpy, done = i+1, true
			}
			if !grow && cpy >= maxlen-1 {
				cpy, done = maxlen-1, true
			}
			dst = append(dst, chunk[:cpy]...)
			s.rpos += cpy
			s.position += int64(cpy)
			total += cpy
			if !grow {
				maxlen -= cpy
			}
			if done {
				break
			}
		} else if s.eof {
			break
		} else {
			toread := s.chunk
			if !grow && maxlen-1 < toread {
				toread = maxlen - 1
			}
			s.fill(toread)
			if s.wpos == s.rpos {
				break
			}
		}
	}
	if total == 0 {
		return dst, false
	}
	return dst, true
}

// GetLine is PHP's stream_get_line($s, maxlen, ending): up to maxlen bytes,
// ending before the delimiter, which is consumed. maxlen 0 means 8192.
func (s *Stream) GetLine(maxlen int, delim []byte) ([]byte, bool) {
	if maxlen == 0 {
		maxlen = ChunkSize
	}
	s.mu.Lock()
	defer s.readDone()
	found := s.searchDelim(maxlen, 0, delim)
	buffered := s.wpos - s.rpos
	for found < 0 && buffered < maxlen {
		toReadNow := min(maxlen-buffered, s.chunk)
		s.fill(buffered + toReadNow)
		justRead := (s.wpos - s.rpos) - buffered
		if justRead == 0 {
			break
		}
		if len(delim) > 0 {
			skip := 0
			if buffered >= len(delim)-1 {
				skip = buffered - (len(delim) - 1)
			}
			if found = s.searchDelim(maxlen, skip, delim); found >= 0 {
				break
			}
		}
		buffered += justRead
	}
	var n int
	amount := s.wpos - s.rpos
	switch {
	case found >= 0:
		n = found
	case len(delim) == 0 && amount >= maxlen:
		n = maxlen
	case amount < maxlen && !s.eof:
		return nil, false
	case amount == 0 && s.eof:
		return nil, false
	default:
		n = min(amount, maxlen)
	}
	out := bytes.Clone(s.buf[s.rpos : s.rpos+n])
	s.rpos += n
	s.position += int64(n)
	if found >= 0 {
		s.rpos += len(delim)
		s.position += int64(len(delim))
	}
	return out, true
}

// searchDelim is _php_stream_search_delim: the offset of delim within the
// first maxlen buffered bytes, skipping skip bytes, or -1.
func (s *Stream) searchDelim(maxlen, skip int, delim []byte) int {
	if len(delim) == 0 {
		return -1
	}
	seek := min(s.wpos-s.rpos, maxlen)
	if seek <= skip {
		return -1
	}
	i := bytes.Index(s.buf[s.rpos+skip:s.rpos+seek], delim)
	if i < 0 {
		return -1
	}
	return skip + i
}

// GetContents is PHP's stream_get_contents($s, maxlen): everything until
// EOF (or a read that returns nothing), in one buffer. maxlen < 0 means all.
func (s *Stream) GetContents(maxlen int) []byte {
	s.mu.Lock()
	defer s.readDone()
	if s.back != nil {
		return s.copyToMemBacked(maxlen)
	}
	if maxlen == 0 {
		return []byte{}
	}
	if maxlen > 0 && maxlen < 4*ChunkSize {
		out := make([]byte, maxlen)
		n := 0
		for n < maxlen && !s.feof() {
			m, ok := s.read(out[n:])
			if !ok || m <= 0 {
				break
			}
			n += m
		}
		return out[:n]
	}
	return s.readAll(maxlen)
}

// Sizes of the buffer readAll collects into: it starts at contentsStart
// bytes and grows eightfold; pages are prefaulted contentsStep bytes ahead
// of the reads, so that capacity never reached costs no memory.
const (
	contentsStart = 32 << 10
	contentsGrow  = 8
	contentsStep  = 2 << 20
)

// readAll reads until EOF, a timeout or no data (at most limit bytes when
// limit > 0) and returns it in one buffer, as PHP's _php_stream_copy_to_mem
// does. Bytes go from PHP's buffer first, then straight from the socket
// into the result. What makes a large read slow is fresh memory, not the
// copy: the pages are prefaulted in steps just ahead of the reads, and the
// buffer grows by a factor of eight, so that little is copied (writing to
// memory never used before is what costs, on virtual machines above all).
// The result may have spare capacity; a small result is returned exact.
func (s *Stream) readAll(limit int) []byte {
	if len(s.readFilters) > 0 {
		return s.readAllFiltered(limit)
	}
	size := contentsStart
	if have := s.wpos - s.rpos; have+s.chunk > size {
		size = have + s.chunk
	}
	if limit > 0 && limit < size {
		size = limit
	}
	// The first contentsStart bytes are collected in a pooled buffer that
	// is already mapped: a small result (most of them) is then one exact
	// allocation, with no system call to map pages and no 32 KiB of garbage
	// per call.
	var start *[contentsStart]byte
	var out []byte
	ready := 0 // prefaulted bytes of out
	if size == contentsStart {
		start = contentsBufs.Get().(*[contentsStart]byte)
		out, ready = start[:0], contentsStart
		defer contentsBufs.Put(start)
	} else {
		out = make([]byte, 0, size)
	}
	var probe []byte
	for limit <= 0 || len(out) < limit {
		if len(out) == cap(out) {
			// Full: read into a small buffer first, so that a result that
			// ends exactly here is not copied into a larger one.
			if probe == nil {
				probe = make([]byte, s.chunk)
			}
			p := probe
			if limit > 0 {
				p = p[:min(len(p), limit-len(out))]
			}
			m, failed := s.lowRead(p)
			if failed || m == 0 {
				break
			}
			size = cap(out) * contentsGrow
			if limit > 0 && size > limit {
				size = limit
			}
			nb := make([]byte, len(out), size)
			prefault(nb[:len(out)+m])
			copy(nb, out)
			out = append(nb, p[:m]...)
			ready = len(out)
			continue
		}
		if ready < len(out)+s.chunk && ready < cap(out) {
			end := min(cap(out), max(ready, len(out))+contentsStep)
			prefault(out[ready:end])
			ready = end
		}
		dst := out[len(out):ready]
		if limit > 0 && len(dst) > limit-len(out) {
			dst = dst[:limit-len(out)]
		}
		var m int
		if s.wpos > s.rpos {
			m = copy(dst, s.buf[s.rpos:s.wpos])
			s.rpos += m
		} else {
			var failed bool
			m, failed = s.lowRead(dst)
			if failed || m == 0 {
				break
			}
		}
		out = out[:len(out)+m]
	}
	s.position += int64(len(out))
	if start != nil && cap(out) == contentsStart {
		return bytes.Clone(out) // out is the pooled buffer
	}
	if cap(out) > 2*len(out) && len(out) <= contentsStep {
		return bytes.Clone(out)
	}
	return out
}

// contentsBufs holds readAll's starting buffers.
var contentsBufs = sync.Pool{New: func() any { return new([contentsStart]byte) }}

// Feof is PHP's feof: false while PHP's buffer holds bytes; otherwise the
// eof flag, after a zero-timeout liveness check (a one-byte MSG_PEEK).
func (s *Stream) Feof() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.feof()
}

func (s *Stream) feof() bool {
	if s.wpos > s.rpos {
		return false
	}
	if b, user := s.back.(*opsBacking); user && !s.eof {
		if !b.alive() {
			s.eof = true
		}
		return s.eof
	}
	if !s.eof && s.back == nil { // a backing has no liveness to check
		alive := false
		if s.tls != nil {
			alive = s.tlsAlive()
		} else {
			alive = s.alive()
		}
		if !alive {
			s.eof = true
		}
	}
	return s.eof
}

// writeError is the failure of a PHP write on a socket after count bytes
// could not be sent: Errno and Text are PHP's notice, "Send of <count>
// bytes failed with errno=<errno> <strerror>", Err the cause.
func (s *Stream) writeError(count int, e syscall.Errno, cause error) *OpError {
	text := "Send of " + itoaInt(count) + " bytes failed with errno=" + itoaInt(int(e)) + " " + errnoText(e)
	return &OpError{Op: "write", Net: s.transport(), Address: s.address, Errno: e, Text: text, Err: cause}
}

// Fwrite is PHP's fwrite on a socket stream. A blocking stream writes all
// of p, waiting up to the timeout whenever the socket is full; a
// non-blocking one writes what fits now (possibly 0). A failure on a
// socket returns what was written before it and an *OpError with Op
// "write" whose Errno and Text are PHP's notice ("Send of 5 bytes failed
// with errno=32 Broken pipe") and whose Err is the cause (the errno,
// os.ErrDeadlineExceeded when PHP's timeout or the write deadline
// expired, net.ErrClosed); PHP's fwrite returns false when n == 0 and
// err != nil. A stream that is not a socket and refuses the write returns
// ErrNotWritable. Fwrite neither keeps nor changes p, as io.Writer's
// contract says.
func (s *Stream) Fwrite(p []byte) (int, error) {
	if s.back != nil && len(p) > 0 {
		return s.backWrite(p)
	}
	if len(p) == 0 || s.sock == nil {
		return 0, nil
	}
	n, err := s.sockWrite(p)
	if n > 0 {
		// PHP's position counts the bytes written to a socket too (ftell
		// after fwrite; recorded: io/ftell-counts-socket-writes).
		s.mu.Lock()
		s.position += int64(n)
		s.mu.Unlock()
	}
	return n, err
}

// sockWrite is Fwrite's write to the socket, in full when blocking.
func (s *Stream) sockWrite(p []byte) (int, error) {
	c, err := s.ioConn()
	if err != nil {
		return 0, s.writeError(len(p), syscall.EBADF, causeOf(err))
	}
	// Writes serialise among themselves, not with reads: a write waiting
	// for socket space must not hold up a reader of the same stream.
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.tls != nil {
		return s.tlsWrite(p)
	}
	n, err := s.writeNow(c, p)
	if n == len(p) {
		if !s.wrote.Load() {
			s.wrote.Store(true)
		}
		return n, nil
	}
	if err == syscall.EAGAIN || (err == nil && n < len(p)) {
		s.mu.Lock()
		blocking, timeout := s.blocking, s.timeout
		if blocking {
			s.timedOut = false
		}
		s.mu.Unlock()
		if !blocking {
			return n, nil
		}
		m, werr := s.waitWrite(c, p[n:], timeout)
		n += m
		err = werr
		if err == errTimedOut {
			s.mu.Lock()
			s.timedOut = true
			s.mu.Unlock()
			return n, s.writeError(len(p)-n, syscall.EAGAIN, os.ErrDeadlineExceeded)
		}
	}
	if err == nil {
		return n, nil
	}
	err = causeOf(err)
	return n, s.writeError(len(p)-n, toErrnoAny(err), err)
}

// ErrNotWritable is the failure of a write to a stream that is not a socket
// and refuses it (php://memory opened read-only): PHP's fwrite returns
// false, without a notice.
var ErrNotWritable = errors.New("phpstream: stream is not writable")

// backWrite is _php_stream_write_buffer on a backing: bytes PHP's buffer
// read ahead of the stream's position are dropped and the backing sought
// back to that position, so the write lands where PHP's would.
func (s *Stream) backWrite(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.writeFilters) > 0 {
		return s.writeFiltered(p, filterNormal)
	}
	return s.backWriteRaw(p)
}

// backWriteRaw is backWrite below the write filters; s.mu is held.
func (s *Stream) backWriteRaw(p []byte) (int, error) {
	if s.rpos != s.wpos {
		s.rpos, s.wpos = 0, 0
		s.position, _ = s.back.seek(s.position, seekSet)
	}
	n, err := s.back.write(p)
	if err != nil {
		s.noticeOf(err)
		return 0, ErrNotWritable
	}
	s.position += int64(n)
	return n, nil
}

// waitWrite writes p, waiting for room up to PHP's timeout (and the
// net.Conn write deadline, whichever is first).
func (s *Stream) waitWrite(c sysConn, p []byte, timeout time.Duration) (int, error) {
	if c == nil {
		// The wait is the runtime poller's (unix: the raw calls had no need of it).
		var err error
		if c, err = s.conn(); err != nil {
			return 0, err
		}
	}
	user := s.userDeadline(true)
	deadline := user
	if timeout >= 0 {
		if timeout == 0 {
			return 0, errTimedOut
		}
		if t := time.Now().Add(timeout); deadline.IsZero() || t.Before(deadline) {
			deadline = t
		}
	}
	if !deadline.Equal(user) {
		c.SetWriteDeadline(deadline)
		defer c.SetWriteDeadline(user)
	}
	n, err := c.Write(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		return n, errTimedOut
	}
	if err != nil {
		return n, causeOf(err)
	}
	return n, nil
}

// SetTimeout is stream_set_timeout: PHP's read/write timeout, negative for
// none. It clears timed_out.
func (s *Stream) SetTimeout(d time.Duration) {
	s.mu.Lock()
	s.timeout = d
	s.timedOut = false
	s.mu.Unlock()
}

// SetBlocking is stream_set_blocking. The socket stays non-blocking for
// Go's poller; the flag decides PHP's semantics.
func (s *Stream) SetBlocking(on bool) {
	s.mu.Lock()
	s.blocking = on
	s.mu.Unlock()
}

// SetChunkSize is stream_set_chunk_size; it returns the previous size.
func (s *Stream) SetChunkSize(n int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.chunk
	s.chunk = n
	return old
}

// SetReadBuffering is stream_set_read_buffer: false reads straight from
// the socket with the caller's size.
func (s *Stream) SetReadBuffering(on bool) {
	s.mu.Lock()
	s.unbuffered = !on
	s.mu.Unlock()
}

// Position is ftell: bytes consumed through PHP reads.
func (s *Stream) Position() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.position
}

func itoaInt(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// seekPHP is PHP's _php_stream_seek on a socket stream, which cannot seek:
// a forward seek inside PHP's buffer skips buffered bytes, a forward
// SEEK_CUR is emulated by reading and discarding, anything else fails.
// unsupported reports that PHP warns "Stream does not support seeking".
func (s *Stream) seekPHP(offset int64, whence int) (ok, unsupported bool) {
	s.mu.Lock()
	defer s.readDone()
	buffered := int64(s.wpos - s.rpos)
	if !s.unbuffered {
		switch whence {
		case seekCur:
			if offset > 0 && offset <= buffered {
				s.rpos += int(offset)
				s.position += offset
				s.eof = false
				return true, false
			}
		case seekSet:
			if offset > s.position && offset <= s.position+buffered {
				s.rpos += int(offset - s.position)
				s.position = offset
				s.eof = false
				return true, false
			}
		}
	}
	if b, user := s.back.(*opsBacking); user {
		return s.seekOps(b, offset, whence)
	}
	if s.back != nil && !backingUnseekable(s.back) {
		if r, ok := s.back.(whenceRefuser); ok {
			if msg, refused := r.refusesWhence(whence); refused {
				s.warn(EWarning, msg)
				return false, false
			}
		}
		s.flushWriteFilters(filterFlushInc)
		// The backing seeks, from PHP's position rather than its own (PHP's
		// buffer may be ahead of it); the position becomes what it reports,
		// -1 included (ftell is then false: recorded memory/seek-memory).
		if whence == seekCur {
			offset, whence = s.position+offset, seekSet
		}
		pos, ok := s.back.seek(offset, whence)
		s.position = pos
		if ok {
			s.eof = false
		}
		s.rpos, s.wpos = 0, 0
		return ok, false
	}
	if whence == seekCur && offset >= 0 {
		var tmp [1024]byte
		for offset > 0 {
			n, ok := s.read(tmp[:min(offset, int64(len(tmp)))])
			if !ok || n <= 0 {
				return false, false
			}
			offset -= int64(n)
		}
		s.eof = false
		return true, false
	}
	return false, true
}

// tlsWrite is Fwrite with crypto on: SSL_write with PHP's timeout.
func (s *Stream) tlsWrite(p []byte) (int, error) {
	s.mu.Lock()
	n, err := s.tlsIO(p, true)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) && s.blocking {
		s.timedOut = true
	}
	if err != nil && n == 0 {
		if t := openssl.ReadErrorText(err); t != "" {
			s.warn(EWarning, t)
		}
	}
	s.mu.Unlock()
	if err != nil && n == 0 {
		cause := err
		var oe *OpError
		if errors.As(err, &oe) {
			cause = oe.Err // the socket's own failure, under crypto/tls's wrapper
		}
		return 0, s.writeError(len(p), toErrnoAny(err), cause)
	}
	return n, nil
}

// unseekableBacking is a backing that may not seek at all (a pipe,
// php://output): stream_get_meta_data's seekable is false, and fseek is a
// socket's (a forward SEEK_CUR reads; anything else warns "Stream does not
// support seeking"; recorded: memory/php-output).
type unseekableBacking interface{ unseekable() bool }

// whenceRefuser is a backing that refuses some seeks itself, with a
// warning, before anything moves (compress.zlib's SEEK_END).
type whenceRefuser interface {
	refusesWhence(whence int) (msg string, refused bool)
}

// readsGreedily is _php_stream_read's test for going on after a read: only
// a stream of the plain files wrapper or with php://memory's or
// php://temp's ops is read until the request is met. Any other returns
// what one read brought: a socket, a user stream, php://stdin and
// php://fd (plain file ops, the php wrapper) and php://filter over a
// plain file (recorded: file/fread-greedy-by-wrapper).
func (s *Stream) readsGreedily() bool {
	if s.origin.wrapperType == "plainfile" {
		return true
	}
	m, ok := s.back.(memoryOps)
	return ok && m.hasMemoryOps()
}

// memoryOps is a backing that may have PHP's memory or temp stream ops:
// php://memory and php://temp do, data: (built on php://temp here) has
// ops of its own.
type memoryOps interface{ hasMemoryOps() bool }

func (*memoryBacking) hasMemoryOps() bool { return true }
func (*tempBacking) hasMemoryOps() bool   { return true }
func (*dataBacking) hasMemoryOps() bool   { return false }
