package phpstream

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"strings"
)

// This file is the compress.zlib:// wrapper (ext/zlib/zlib_fopen_wrapper.c)
// over an emulation of zlib's gz* file functions: the wrapped path is
// opened through its own wrapper, then read as gzip (transparently as it is
// when it is not gzip) or written as gzip. What the emulation keeps of
// zlib is what PHP shows: a read of gzread's granularity (an error inside
// one read loses all that read, a cut-off file ends quietly), the members
// of a concatenated file read as one, lazy forward seeks (zeros written
// when the next write comes; past the end when reading), no backward seek
// while writing, and no SEEK_END. The compressed bytes written are Go's
// deflate, not zlib's: they decompress to the same data, but are not the
// same bytes (docs/conformance.md).
//
// One place this is better than PHP: after a refused backward seek while
// writing, PHP's position is -1 and a following SEEK_CUR seek makes PHP
// write zeros without end (it fills the disk); here that seek fails as any
// backward one does (TestZlibSeekAfterRefusedSeek).

// ErrEmptyPath is an open of compress.zlib:// with no path after it:
// PHP's ValueError "Path cannot be empty".
var ErrEmptyPath = errors.New("Path cannot be empty")

// gzFetchSize is how much zlib decompresses ahead in one go (twice its
// default buffer of 8 KiB): an error within it loses all of it.
const gzFetchSize = 16 << 10

// openZlib opens compress.zlib://PATH with mode. A mode with '+', a mode
// zlib does not take (no r, w or a) and a path whose own open fails are
// all PHP's "operation failed"; the wrapped open raises nothing of its own
// beyond its wrapper lookup (recorded: zlib/modes, zlib/missing-and-odd-paths).
func openZlib(url, path, mode string, o OpenOptions) (*Stream, error) {
	if path == "" {
		return nil, ErrEmptyPath
	}
	failed := &OpenError{Msg: "operation failed"}
	if strings.Contains(mode, "+") {
		return nil, failed
	}
	opened, err := OpenURL(path, mode, o)
	if err != nil {
		if errors.Is(err, ErrUnsupportedURL) {
			return nil, err
		}
		return nil, failed
	}
	inner := castToDescriptor(opened, o.Diagnostics)
	if inner == nil {
		opened.Close()
		return nil, failed
	}
	var owner *Stream
	if inner != opened {
		owner = opened
	}
	// zlib reads and writes the descriptor itself: the wrapped stream's
	// own notices (a read on a write-only file) are not PHP's here
	// (recorded: zlib/mode-mixed-rw).
	inner.SetDiagnostics(nil)
	b := &zlibBacking{inner: inner, opened: owner, level: gzip.DefaultCompression}
	modeSet := false
	for i := 0; i < len(mode); i++ { // gz_open's reading of the mode
		switch c := mode[i]; {
		case c == 'r':
			b.writing, modeSet = false, true
		case c == 'w' || c == 'a':
			b.writing, modeSet = true, true
		case c == 'T':
			b.direct = true // gz_open's "transparent": writes go out uncompressed
		case '0' <= c && c <= '9':
			b.level = int(c - '0')
		}
	}
	if !modeSet {
		inner.Close()
		return nil, failed
	}
	if !b.writing {
		b.src = bufio.NewReaderSize(streamReader{inner}, 8192)
	}
	return newBackedStream(b, origin{wrapperType: "ZLIB", uri: url, mode: mode}), nil
}

// streamReader reads a stream as PHP's read op does, as an io.Reader.
type streamReader struct{ s *Stream }

func (r streamReader) Read(p []byte) (int, error) {
	n, ok := r.s.FreadInto(p)
	switch {
	case !ok:
		return 0, errInnerRead
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// errInnerRead is a read of the wrapped stream that failed (a file open
// for writing only): zlib's read error, which fails gzread (recorded:
// zlib/mode-mixed-rw).
var errInnerRead = errors.New("phpstream: compress.zlib: the wrapped stream's read failed")

// zlibBacking is a gzFile over the wrapped stream.
type zlibBacking struct {
	inner   *Stream // the stream whose descriptor zlib reads and writes
	opened  *Stream // the stream the path opened, when inner is its cast (a user stream's stream_cast)
	writing bool    // opened with w or a (a appends a new member)
	level   int

	pos      int64 // zlib's x.pos: the uncompressed position
	skipping bool  // a forward skip is pending (zlib's state->seek)
	skip     int64 // its length

	// reading
	src      *bufio.Reader
	zr       *gzip.Reader // kept across rewinds (Reset)
	member   bool         // a gzip member was read since the start
	how      gzHow
	out      []byte // decompressed and not yet read (zlib's x.next/x.have), in fetchBuf
	fetchBuf []byte
	ended    bool  // nothing more will come
	err      error // a data error: every later read fails

	// writing: what is written goes through zw (not in direct mode) into
	// outBuf, zlib's 8 KiB output buffer over the wrapped stream, so a write
	// the file refuses fails only when the buffer goes out (at close).
	direct bool
	zw     *gzip.Writer
	enc    io.Writer // zw, or outBuf in direct mode
	outBuf *bufio.Writer
}

// gzHow is zlib's state->how: what the next fetch does.
type gzHow int

const (
	gzLook gzHow = iota // look for a gzip header
	gzCopy              // not gzip: copy the input as it is
	gzGzip              // decompress the current member
)

func (b *zlibBacking) read(p []byte) (int, bool, error) {
	if b.writing || b.err != nil {
		return 0, false, errNotReadable
	}
	if b.skipping {
		b.skipping = false
		if err := b.skipAhead(b.skip); err != nil {
			b.err = err
			return 0, false, err
		}
	}
	got := 0
	for got < len(p) {
		if len(b.out) > 0 {
			n := copy(p[got:], b.out)
			b.out = b.out[n:]
			got += n
			b.pos += int64(n)
			continue
		}
		if b.ended {
			break
		}
		if err := b.fetch(); err != nil {
			// gzread: an error loses what this read had (recorded:
			// zlib/read-members-and-garbage).
			b.err = err
			return 0, false, err
		}
	}
	// gzeof: the read asked for more than there was.
	return got, got < len(p), nil
}

// errNotReadable is gzread on a gzFile open for writing, and any read after
// a data error: PHP's -1 without a notice.
var errNotReadable = errors.New("phpstream: gzread failed")

// fetch decompresses (or copies) up to gzFetchSize more bytes into b.out,
// stopping at the end of a gzip member.
func (b *zlibBacking) fetch() error {
	// fetch runs only once b.out is used up, so its buffer is reused.
	if b.fetchBuf == nil {
		b.fetchBuf = make([]byte, gzFetchSize)
	}
	buf := b.fetchBuf
	n := 0
	for n < len(buf) && !b.ended {
		switch b.how {
		case gzLook:
			head, err := b.src.Peek(2)
			if errors.Is(err, errInnerRead) {
				return err
			}
			switch {
			case len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b:
				// zlib judges the header bytes as they come: a wrong
				// method or reserved flags fail even in a header cut
				// short (recorded: zlib/read-members-and-garbage).
				if hdr, _ := b.src.Peek(4); (len(hdr) > 2 && hdr[2] != 8) || (len(hdr) > 3 && hdr[3]&0xe0 != 0) {
					return gzip.ErrHeader
				}
				var err error
				if b.zr == nil {
					b.zr, err = gzip.NewReader(b.src)
				} else {
					err = b.zr.Reset(b.src)
				}
				if err != nil {
					if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
						b.ended = true // a header cut short: the end, quietly
						continue
					}
					return err
				}
				b.zr.Multistream(false)
				b.how, b.member = gzGzip, true
			case b.member:
				// After a member, anything but another member is ignored.
				b.ended = true
			default:
				b.how = gzCopy
			}
		case gzCopy:
			m, err := b.src.Read(buf[n:])
			n += m
			if errors.Is(err, errInnerRead) {
				return err
			}
			if err != nil {
				b.ended = true
			}
		case gzGzip:
			m, err := b.zr.Read(buf[n:])
			n += m
			switch {
			case err == io.EOF:
				b.how = gzLook
				b.out = buf[:n]
				return nil // a fetch ends with its member
			case errors.Is(err, io.ErrUnexpectedEOF):
				b.ended = true // zlib's "unexpected end of file" keeps what came
			case err != nil:
				return err // corrupt data, a wrong checksum or length
			}
		}
	}
	b.out = buf[:n]
	return nil
}

// skipAhead reads and drops n bytes (zlib's gz_skip), stopping at the end.
func (b *zlibBacking) skipAhead(n int64) error {
	for n > 0 {
		if len(b.out) > 0 {
			k := min(int64(len(b.out)), n)
			b.out = b.out[k:]
			b.pos += k
			n -= k
			continue
		}
		if b.ended {
			b.pos += n // zlib counts the skip even past the end
			return nil
		}
		if err := b.fetch(); err != nil {
			return err
		}
	}
	return nil
}

func (b *zlibBacking) write(p []byte) (int, error) {
	if !b.writing {
		return 0, nil // gzwrite on a reading gzFile: 0, no error (recorded: zlib/read-seek)
	}
	if err := b.startWriting(); err != nil {
		return 0, err
	}
	if b.skipping {
		b.skipping = false
		if err := b.zeros(b.skip); err != nil {
			return 0, err
		}
	}
	if _, err := b.enc.Write(p); err != nil {
		return 0, err
	}
	b.pos += int64(len(p))
	return len(p), nil
}

func (b *zlibBacking) startWriting() error {
	if b.enc != nil {
		return nil
	}
	b.outBuf = bufio.NewWriterSize(streamWriter{b.inner}, 8192)
	if b.direct {
		b.enc = b.outBuf
		return nil
	}
	zw, err := gzip.NewWriterLevel(b.outBuf, b.level)
	if err != nil {
		return err
	}
	zw.OS = 3 // zlib's OS_CODE on Unix
	b.zw, b.enc = zw, zw
	return nil
}

// zeros writes n zero bytes (zlib's gz_zero for a pending seek).
func (b *zlibBacking) zeros(n int64) error {
	var z [4096]byte
	for n > 0 {
		k := min(n, int64(len(z)))
		if _, err := b.enc.Write(z[:k]); err != nil {
			return err
		}
		b.pos += k
		n -= k
	}
	return nil
}

// streamWriter writes to a stream as PHP's write op does.
type streamWriter struct{ s *Stream }

func (w streamWriter) Write(p []byte) (int, error) { return w.s.Fwrite(p) }

// seek is gzseek: offset is SEEK_SET (PHP turns SEEK_CUR into it), made
// relative to zlib's position; a pending skip is dropped first. Backward
// is refused while writing and rewinds while reading; forward is a skip
// done by the next read or write.
func (b *zlibBacking) seek(offset int64, whence int) (int64, bool) {
	if whence != seekSet {
		return -1, false
	}
	rel := offset - b.pos
	b.skipping = false
	if rel < 0 {
		if b.writing || offset < 0 {
			return -1, false
		}
		if !b.rewind() {
			return -1, false
		}
		rel = offset
	}
	if !b.writing {
		k := min(int64(len(b.out)), rel)
		b.out = b.out[k:]
		b.pos += k
		rel -= k
	}
	if rel > 0 {
		b.skipping, b.skip = true, rel
	}
	return b.pos + rel, true
}

// refusesWhence is php_gziop_seek's own refusal, before zlib is asked:
// PHP warns and leaves the position as it was (recorded: zlib/read-seek).
func (b *zlibBacking) refusesWhence(whence int) (string, bool) {
	if whence == seekEnd {
		return "SEEK_END is not supported", true
	}
	return "", false
}

// rewind is gzrewind: the wrapped stream back to its start, decoding anew.
func (b *zlibBacking) rewind() bool {
	if ok, _ := b.inner.seekPHP(0, seekSet); !ok {
		return false
	}
	b.src.Reset(streamReader{b.inner})
	b.how, b.out, b.ended, b.err, b.pos, b.member = gzLook, nil, false, nil, 0, false
	return true
}

func (b *zlibBacking) stat() (StatInfo, error) {
	return StatInfo{}, errNoStat
}

func (b *zlibBacking) close() error {
	var err error
	if b.writing {
		err = b.startWriting()
		if err == nil && b.skipping {
			b.skipping = false
			err = b.zeros(b.skip)
		}
		if err == nil && b.zw != nil {
			err = b.zw.Close()
		}
		if err == nil {
			err = b.outBuf.Flush()
		}
	}
	if cerr := b.inner.Close(); err == nil {
		err = cerr
	}
	if b.opened != nil {
		b.opened.Close()
	}
	return err
}

// flush is gzflush(Z_SYNC_FLUSH): what is compressed so far goes out.
func (b *zlibBacking) flush() bool {
	if !b.writing || b.enc == nil {
		return true
	}
	if b.zw != nil && b.zw.Flush() != nil {
		return false
	}
	return b.outBuf.Flush() == nil
}

func (b *zlibBacking) streamType() string  { return "ZLIB" }
func (b *zlibBacking) reportsStatus() bool { return true }

// castToDescriptor is php_stream_cast(PHP_STREAM_AS_FD, REPORT_ERRORS) on
// the stream compress.zlib:// opened, which gzdopen reads: s itself when it
// has a descriptor (a socket, a plain file, php://temp, data:), the
// stream a user stream's stream_cast(STREAM_CAST_AS_STREAM) returns, or
// nil after PHP's "Cannot represent a stream of type MEMORY as a File
// Descriptor", or "Cannot cast a filtered stream on this system" for one
// with filters (recorded: zlib/inner-not-castable,
// userwrapper/nested-zlib).
func castToDescriptor(s *Stream, diag DiagnosticFunc) *Stream {
	s.mu.Lock()
	back := s.back
	filtered := len(s.readFilters)+len(s.writeFilters) > 0
	s.mu.Unlock()
	if filtered {
		diag.emit(EWarning, "Cannot cast a filtered stream on this system")
		return nil
	}
	switch b := back.(type) {
	case nil: // a socket
		return s
	case *opsBacking:
		if c, ok := b.ops.(CastOps); ok {
			if t := c.Cast(diag, s, false); t != nil && t != s {
				return castToDescriptor(t, diag)
			}
		}
	case descriptorBacking:
		return s
	}
	diag.emit(EWarning, "Cannot represent a stream of type "+back.streamType()+" as a File Descriptor")
	return nil
}
