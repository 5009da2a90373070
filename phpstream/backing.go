package phpstream

import (
	"errors"
	"net"
)

// This file is the I/O under PHP's buffer of a stream that is not a socket
// (PHP's php_stream_ops for php://memory and php://temp). PHP's generic
// stream layer (phpio.go: the read buffer, fgets, stream_get_line, seeking,
// positions) sits on top of it exactly as it sits on a socket; what differs
// is said here:
//
//   - such streams start unbuffered (PHP_STREAM_FLAG_NO_BUFFER): fread goes
//     to the backing directly, while fgets and stream_get_line still fill
//     PHP's buffer;
//   - a read loops until it has what it asked for or the backing has no
//     more (PHP reads memory, temp and plain files greedily; sockets get
//     one read);
//   - a write first seeks the backing to the stream's position when PHP's
//     buffer holds bytes (they were read ahead of it);
//   - a seek is the backing's, and empties PHP's buffer;
//   - feof is the eof flag alone: there is no liveness to check.

// backing is a non-socket stream's own I/O (a php_stream_ops).
type backing interface {
	// read reads up to len(p) bytes at the backing's position; eof is
	// PHP's stream->eof set by this call; err is PHP's -1.
	read(p []byte) (n int, eof bool, err error)
	// write writes p at the backing's position (its end in append mode);
	// err is PHP's -1 (a read-only stream).
	write(p []byte) (int, error)
	// seek moves the position; pos is PHP's newoffs (-1 after some
	// failures, the position reached after others); ok is PHP's 0.
	seek(offset int64, whence int) (pos int64, ok bool)
	stat() (StatInfo, error)
	close() error
	// streamType is the ops' label (stream_get_meta_data's stream_type).
	streamType() string
	// reportsStatus says whether stream_get_meta_data shows timed_out,
	// blocked and eof (PHP leaves them out where the ops answer the
	// metadata themselves, as php://temp's do).
	reportsStatus() bool
}

// origin is where a stream that is not a socket came from, for
// stream_get_meta_data.
type origin struct {
	wrapperType string // the wrapper's label ("PHP")
	uri         string // the path it was opened with
	mode        string // the mode PHP records ("w+b")
}

// newBackedStream returns a stream over b, as PHP's wrappers return one.
func newBackedStream(b backing, o origin) *Stream {
	s := newStream(DefaultProfile, kindBacked, o.uri)
	s.back, s.origin = b, o
	s.unbuffered = true
	return s
}

// kindBacked is the transport kind of a stream that is not a socket.
const kindBacked = kindGeneric + 1

// Seek origins, as PHP's SEEK_SET, SEEK_CUR and SEEK_END.
const (
	seekSet = 0
	seekCur = 1
	seekEnd = 2
)

// IsSocket reports whether the stream is a socket (opened through a
// transport, accepted or made by stream_socket_pair) rather than a stream a
// wrapper returned, such as php://memory.
func (s *Stream) IsSocket() bool { return s.back == nil }

// SupportsCrypto reports whether stream_socket_enable_crypto can act on
// the stream at all: a TCP socket of a profile with TLS. Any other stream
// answers PHP's "This stream does not support SSL/crypto".
func (s *Stream) SupportsCrypto() bool { return s.kind == kindTCP && s.profile.hasTLS() }

// noticeOf raises the notice a backing's failure carries.
func (s *Stream) noticeOf(err error) {
	if err == nil {
		return // the common case, without errors.As's allocation
	}
	var ne *noticeError
	if errors.As(err, &ne) {
		level := ENotice
		if ne.warning {
			level = EWarning
		}
		s.warn(level, ne.msg)
	}
}

// metaHead is the entries a backing puts at the head of the metadata.
func metaHead(b backing) []MetaField {
	if d, ok := b.(*dataBacking); ok {
		return d.meta
	}
	return nil
}

// errFilteredRead is a read through filters that failed without timing out
// (a filter's fatal error, or the stream's read failing).
var errFilteredRead = errors.New("phpstream: filtered read failed")

// closedBacking replaces a stream's backing once the stream is closed:
// every operation fails, so nothing reaches (or, as php://temp's spill
// would, recreates) what the backing had.
type closedBacking struct {
	typ    string
	status bool
}

func (closedBacking) read([]byte) (int, bool, error) { return 0, true, net.ErrClosed }
func (closedBacking) write([]byte) (int, error)      { return 0, net.ErrClosed }
func (closedBacking) seek(int64, int) (int64, bool)  { return -1, false }
func (closedBacking) stat() (StatInfo, error)        { return StatInfo{}, net.ErrClosed }
func (closedBacking) close() error                   { return net.ErrClosed }
func (b closedBacking) streamType() string           { return b.typ }
func (b closedBacking) reportsStatus() bool          { return b.status }
