package phpstream

// This file is the read-ahead behind feof on plain TCP streams. PHP's
// feof with an empty buffer asks the socket whether it is alive with a
// zero-timeout one-byte MSG_PEEK, and the fread that usually follows
// makes a second system call for the same bytes. phpsock reads them at
// once instead (up to a chunk), and keeps them where PHP would still
// have them: in the socket, as far as anything observable goes. Every
// read of the socket (PHP's reads, net.Conn Read, recvfrom, the TLS
// handshake) takes them first, and stream_select counts them as data
// waiting in the socket.

// takeAhead copies read-ahead bytes into p, removing them unless consume
// is false. When the bytes run out it returns the error the socket
// reported behind them, if any. more reports that the bytes ran out and
// the read that fetched them filled its buffer: the socket may hold
// further bytes, which one PHP read of len(p) would also have returned.
func (s *Stream) takeAhead(p []byte, consume bool) (n int, more bool, err error) {
	s.aheadMu.Lock()
	defer s.aheadMu.Unlock()
	n = copy(p, s.ahead)
	if !consume {
		return n, s.aheadFull && n == len(s.ahead) && n < len(p), nil
	}
	s.ahead = s.ahead[n:]
	if len(s.ahead) > 0 {
		return n, false, nil
	}
	if s.aheadErr != nil {
		if n > 0 {
			return n, false, nil // the bytes now, the error on the next read
		}
		err, s.aheadErr = s.aheadErr, nil
	}
	s.hasAhead.Store(false)
	return n, s.aheadFull && n < len(p), err
}

// keepAheadError records an error the socket reported after read-ahead
// bytes were taken, to be returned by the next read.
func (s *Stream) keepAheadError(err error) {
	s.aheadMu.Lock()
	s.aheadErr = err
	s.hasAhead.Store(true)
	s.aheadMu.Unlock()
}

// HasReadAhead reports whether bytes feof read ahead are waiting: for
// stream_select they are data in the socket, ready to be read.
func (s *Stream) HasReadAhead() bool {
	if !s.hasAhead.Load() {
		return false
	}
	s.aheadMu.Lock()
	defer s.aheadMu.Unlock()
	return len(s.ahead) > 0 || s.aheadErr != nil
}
