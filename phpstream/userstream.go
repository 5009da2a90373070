package phpstream

import (
	"errors"
	"strings"
)

// This file is the engine's side of PHP's user-space streams
// (main/streams/userspace.c): a stream whose I/O another package
// implements (StreamOps; compat maps it to a user wrapper's methods), under
// PHP's generic stream layer as PHP puts it: buffered in chunk_size reads
// (stream_read(8192)), one underlying read per PHP read as on a socket,
// writes in chunk_size pieces until one writes nothing, feof asking the
// stream (stream_eof), a flush before close when something was written
// since the last one (recorded: userwrapper/log-*).

// ErrUserWrapper is OpenURL meeting a wrapper registered at run time
// (Registry.Register) that is no URLOpener: the caller opens those itself
// and wraps their I/O with NewOpsStream.
var ErrUserWrapper = errors.New("phpstream: a run-time wrapper opens its own streams")

// URLOpener is implemented by a wrapper registered at run time that opens
// its own streams (a user wrapper's stream_open): OpenURL calls it for
// every URL of its scheme, also the opens other wrappers make on the way
// (compress.zlib://'s and php://filter's inner stream, an http
// redirect's Location), with the OpenOptions it was given. A failure is
// an *OpenError, as OpenURL's are.
type URLOpener interface {
	OpenURL(url, mode string, o OpenOptions) (*Stream, error)
}

// SeekResult is what a StreamOps seek did.
type SeekResult int

// Results of StreamOps.Seek.
const (
	// SeekDone: the stream moved; the position is the one returned.
	SeekDone SeekResult = iota
	// SeekFailed: PHP's -1, the position unchanged.
	SeekFailed
	// SeekUnsupported: the stream cannot seek at all (no stream_seek):
	// PHP marks it unseekable and only emulates forward seeks from then on.
	SeekUnsupported
)

// Results of StreamOps.SetOption, as PHP's PHP_STREAM_OPTION_RETURN_*.
const (
	OptionOK     = 0
	OptionErr    = -1
	OptionNotImp = -2
)

// Options StreamOps.SetOption receives, as PHP's PHP_STREAM_OPTION_*.
const (
	OptionBlocking    = 1
	OptionReadBuffer  = 2
	OptionWriteBuffer = 3
	OptionReadTimeout = 4
)

// StreamOps is the I/O of a stream implemented outside the package, each
// method being the php_stream_ops entry of PHP's user-space streams. Every
// method receives the DiagnosticFunc its warnings go to: the stream's
// (Stream.SetDiagnostics). The stream serialises the calls.
type StreamOps interface {
	// Read returns at most n bytes (more is the implementation's to warn
	// about and cut); ok false is PHP's -1.
	Read(diag DiagnosticFunc, n int) (data []byte, ok bool)
	// EOF is asked after each successful Read whether the stream ended;
	// ok false (an exception) fails the read, the stream ended.
	EOF(diag DiagnosticFunc) (eof, ok bool)
	// Alive is feof's liveness check when no eof was seen: false ends the
	// stream.
	Alive(diag DiagnosticFunc) bool
	// Write writes p, returning how much it took (0 stops the write); ok
	// false is PHP's -1.
	Write(diag DiagnosticFunc, p []byte) (n int, ok bool)
	// Seek moves to offset from whence (SEEK_SET or SEEK_END: the stream
	// turns SEEK_CUR into SEEK_SET, except for the SEEK_CUR of 0 by which
	// an append-mode open asks where it starts) and reports the position
	// reached.
	Seek(diag DiagnosticFunc, offset int64, whence int) (pos int64, r SeekResult)
	// Flush is fflush: false is PHP's failure.
	Flush(diag DiagnosticFunc) bool
	// Stat is fstat: ok false is a failure.
	Stat(diag DiagnosticFunc) (st StatInfo, ok bool)
	// SetOption is PHP's set_option for stream_set_blocking (Option
	// Blocking, value 0 or 1), stream_set_timeout (OptionReadTimeout,
	// seconds and microseconds), stream_set_read_buffer and
	// stream_set_write_buffer (value 0 for none, 2 for full; arg the size);
	// argNull says arg is PHP's null. It returns OptionOK, OptionErr or
	// OptionNotImp.
	SetOption(diag DiagnosticFunc, option, value int, arg int64, argNull bool) int
	// Truncate is ftruncate to size: supported false when the stream
	// cannot truncate at all (no stream_truncate: PHP's "Can't truncate
	// this stream!"), ok false a failure.
	Truncate(diag DiagnosticFunc, size int64) (supported, ok bool)
	// Close releases the stream (stream_close).
	Close(diag DiagnosticFunc)
}

// UserStreamLabel is the wrapper_type and stream_type of a stream a user
// wrapper opened.
const UserStreamLabel = "user-space"

// NewOpsStream returns a stream over ops, opened with uri and mode, whose
// stream_get_meta_data shows data as its wrapper_data (the wrapper object).
// A stream opened for appending asks where it starts, as PHP's open does
// (a seek of 0 from SEEK_CUR; recorded:
// phpt-userwrapper/userstreams-append-position); diag receives that
// seek's warnings and is the stream's DiagnosticFunc (SetDiagnostics
// changes it).
func NewOpsStream(ops StreamOps, uri, mode string, data any, diag DiagnosticFunc) *Stream {
	s := newStream(DefaultProfile, kindBacked, uri)
	b := &opsBacking{ops: ops, s: s}
	s.back, s.origin = b, origin{wrapperType: UserStreamLabel, uri: uri, mode: mode}
	s.userData = data
	s.SetDiagnostics(diag)
	if strings.IndexByte(mode, 'a') >= 0 {
		switch pos, r := ops.Seek(diag, 0, seekCur); r {
		case SeekDone:
			s.position = pos
		case SeekUnsupported:
			b.noSeek = true
		}
	}
	return s
}

// opsBacking is the backing of NewOpsStream's streams. Its methods run
// with s.mu held.
type opsBacking struct {
	ops     StreamOps
	s       *Stream
	noSeek  bool // PHP_STREAM_FLAG_NO_SEEK: stream_seek is missing
	written bool // PHP_STREAM_FLAG_WAS_WRITTEN
}

var errOpsFailed = errors.New("phpstream: user stream operation failed")

// diag is the stream's DiagnosticFunc, where what the methods raise goes.
func (b *opsBacking) diag() DiagnosticFunc { return b.s.diagnostics() }

func (b *opsBacking) read(p []byte) (int, bool, error) {
	data, ok := b.ops.Read(b.diag(), len(p))
	if !ok {
		return 0, false, errOpsFailed
	}
	n := copy(p, data)
	eof, ok := b.ops.EOF(b.diag())
	if !ok {
		return 0, true, errOpsFailed
	}
	return n, eof, nil
}

// write is _php_stream_write_buffer's loop: chunk_size pieces until one
// writes nothing or fails (recorded: userwrapper/log-write-chunks).
func (b *opsBacking) write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		piece := p[done:]
		if chunk := b.s.chunk; chunk > 0 && len(piece) > chunk {
			piece = piece[:chunk]
		}
		n, ok := b.ops.Write(b.diag(), piece)
		if !ok || n <= 0 {
			if done == 0 && !ok {
				return 0, errOpsFailed
			}
			break
		}
		done += n
	}
	if done > 0 {
		b.written = true
	}
	return done, nil
}

// seek is the backing's seek as the write path uses it (back to PHP's
// position): the position reached, or the stream's own on failure.
func (b *opsBacking) seek(offset int64, whence int) (int64, bool) {
	if b.noSeek {
		return b.s.position, false
	}
	pos, r := b.ops.Seek(b.diag(), offset, whence)
	switch r {
	case SeekDone:
		return pos, true
	case SeekUnsupported:
		b.noSeek = true
	}
	return b.s.position, false
}

func (b *opsBacking) stat() (StatInfo, error) {
	st, ok := b.ops.Stat(b.diag())
	if !ok {
		return StatInfo{}, errOpsFailed
	}
	return st, nil
}

// close is php_stream_free: a flush when something was written since the
// last one, then stream_close.
func (b *opsBacking) close() error {
	if b.written {
		b.ops.Flush(b.diag())
	}
	b.ops.Close(b.diag())
	return nil
}

// truncate is ftruncate (recorded: phpt-userwrapper/userstreams_005-*).
func (b *opsBacking) truncate(size int64) error {
	supported, ok := b.ops.Truncate(b.diag(), size)
	switch {
	case !supported:
		return ErrNoTruncate
	case !ok:
		return errOpsFailed
	}
	return nil
}

func (b *opsBacking) streamType() string { return UserStreamLabel }

// unseekable is the metadata's seekable false once the stream turned out
// to have no stream_seek (recorded: userwrapper/is-local).
func (b *opsBacking) unseekable() bool    { return b.noSeek }
func (b *opsBacking) reportsStatus() bool { return true }

// seekOps is _php_stream_seek past PHP's buffer for a user stream:
// SEEK_CUR becomes SEEK_SET from PHP's position; a stream without
// stream_seek emulates forward SEEK_CUR seeks by reading, and warns
// otherwise (recorded: userwrapper/missing-methods). s.mu is held.
func (s *Stream) seekOps(b *opsBacking, offset int64, whence int) (ok, unsupported bool) {
	if !b.noSeek {
		if whence == seekCur {
			offset, whence = s.position+offset, seekSet
		}
		pos, r := b.ops.Seek(b.diag(), offset, whence)
		switch r {
		case SeekDone:
			s.position = pos
			s.eof = false
			s.rpos, s.wpos = 0, 0
			return true, false
		case SeekFailed:
			s.rpos, s.wpos = 0, 0
			return false, false
		}
		b.noSeek = true
		return false, true // whence is SEEK_SET by now: nothing to emulate
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

// alive is feof's liveness check of a user stream.
func (b *opsBacking) alive() bool { return b.ops.Alive(b.diag()) }

// flush is the backing's part of fflush (Stream.Fflush): stream_flush,
// false where it fails (recorded: userwrapper/flush-failure).
func (b *opsBacking) flush() bool {
	b.written = false
	return b.ops.Flush(b.diag())
}

// SetUserOption passes one of stream_set_blocking, stream_set_timeout,
// stream_set_read_buffer and stream_set_write_buffer to a user stream
// (StreamOps.SetOption), returning its result; handled is false for any
// other stream.
func (s *Stream) SetUserOption(option, value int, arg int64, argNull bool) (result int, handled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.back.(*opsBacking)
	if !ok {
		return 0, false
	}
	return b.ops.SetOption(b.diag(), option, value, arg, argNull), true
}

// UserData is the wrapper_data of a stream a user wrapper opened (the
// wrapper object), nil for any other stream.
func (s *Stream) UserData() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userData
}

// Ops is the StreamOps of a stream NewOpsStream made, nil for any other.
func (s *Stream) Ops() StreamOps {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.back.(*opsBacking); ok {
		return b.ops
	}
	return nil
}
