package phpstream

import "sync"

// This file is the read-ahead under PHP's buffer on TCP streams. PHP reads
// a socket in chunks (8 KiB for fread and fgets) and peeks at it for feof,
// one system call each. phpsock reads up to aheadSize bytes at once into a
// second buffer and serves those calls from it, while keeping the bytes
// where PHP would still have them: in the socket, as far as anything
// observable goes.
//
//   - A PHP read of n bytes gets exactly what its one recv(n) would have:
//     the read-ahead bytes, and when they do not fill n, a non-blocking
//     read of the rest (bytes that arrived since were in the socket for
//     PHP too).
//   - unread_bytes counts PHP's buffer only; stream_select counts the
//     read-ahead as data waiting in the socket.
//   - Every reader of the socket takes the read-ahead first: PHP's reads,
//     net.Conn Read, recvfrom (MSG_PEEK included), the TLS layer.
//   - An error the socket reports after read-ahead bytes is kept and
//     returned once they are gone, as the socket would.
//
// A stream starts reading as PHP does; it reads ahead from the first read
// that fills all the space it was given (bytes are streaming in) or the
// first feof that checks the socket (aheadOn). The buffer comes from a
// pool for each such read and goes back as soon as it holds nothing, so a
// stream holds one only while it has bytes read ahead. Datagram and unix
// sockets are read as PHP reads them.

// aheadSize is the size of the read-ahead buffer.
const aheadSize = 64 << 10

// aheadBufs are the read-ahead buffers not in use.
var aheadBufs = sync.Pool{New: func() any { return new([aheadSize]byte) }}

// keepAhead keeps b[from:to] (bytes read from the socket into b, a buffer
// of aheadBufs, past what a PHP read took) as read-ahead, or gives b back
// if that is empty. The caller holds aheadMu.
func (s *Stream) keepAhead(b *[aheadSize]byte, from, to int) {
	if from == to {
		aheadBufs.Put(b)
		return
	}
	s.dropAheadBuf()
	s.aheadBuf = b
	s.ahead = b[from:to]
	s.hasAhead.Store(true)
}

// dropAheadBuf gives the read-ahead buffer back, once ahead no longer
// holds bytes of it. The caller holds aheadMu.
func (s *Stream) dropAheadBuf() {
	if s.aheadBuf != nil {
		aheadBufs.Put(s.aheadBuf)
		s.aheadBuf = nil
	}
}

// takeAhead copies read-ahead bytes into p, removing them unless consume
// is false. When the bytes have run out it returns the error the socket
// reported behind them, if any (and then n == 0).
func (s *Stream) takeAhead(p []byte, consume bool) (n int, err error) {
	s.aheadMu.Lock()
	defer s.aheadMu.Unlock()
	n = copy(p, s.ahead)
	if !consume {
		return n, nil
	}
	s.ahead = s.ahead[n:]
	if len(s.ahead) > 0 {
		return n, nil
	}
	s.ahead = nil
	s.dropAheadBuf()
	if s.aheadErr != nil {
		if n > 0 {
			return n, nil // the bytes now, the error on the next read
		}
		err, s.aheadErr = s.aheadErr, nil
	}
	s.hasAhead.Store(false)
	return n, err
}

// keepAheadError records an error the socket reported after read-ahead
// bytes were taken, to be returned by the next read.
func (s *Stream) keepAheadError(err error) {
	s.aheadMu.Lock()
	s.aheadErr = err
	s.hasAhead.Store(true)
	s.aheadMu.Unlock()
}

// hasReadAhead reports whether bytes read ahead of PHP's buffer are
// waiting: for stream_select they are data in the socket, ready to be read.
func (s *Stream) hasReadAhead() bool {
	if !s.hasAhead.Load() {
		return false
	}
	s.aheadMu.Lock()
	defer s.aheadMu.Unlock()
	return len(s.ahead) > 0 || s.aheadErr != nil
}
