package phpstream

import (
	"errors"
	"os"
)

// This file is PHP's stream locking (php_stream_supports_lock and
// php_stream_lock) for the streams that have it: plain files, and
// php://temp once its data lives in a temporary file (the temp stream
// passes the option to its inner stream). Sockets, php://memory, data:
// and the http wrapper's streams have none (recorded: file/supports-lock).

// ErrLockUnsupported is LockExclusive on a stream that cannot be locked.
var ErrLockUnsupported = errors.New("phpstream: the stream does not support locking")

// SupportsLock is stream_supports_lock: whether the stream can be locked
// with flock(2).
func (s *Stream) SupportsLock() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lockFile() != nil
}

// LockExclusive takes an exclusive flock(2) lock on the stream's file,
// waiting for it as PHP's php_stream_lock(stream, LOCK_EX) does (the
// wait blocks an OS thread, as flock(2) cannot be polled); Close releases
// it. It fails with ErrLockUnsupported where SupportsLock is false.
func (s *Stream) LockExclusive() error {
	s.mu.Lock()
	f := s.lockFile()
	s.mu.Unlock()
	if f == nil {
		return ErrLockUnsupported
	}
	return flockExclusive(f)
}

// lockFile is the file a lock goes to, nil for a stream without locking.
// s.mu is held.
func (s *Stream) lockFile() *os.File {
	if !locksSupported {
		return nil
	}
	switch b := s.back.(type) {
	case *fileBacking:
		return b.f
	case *tempBacking:
		if b.mem == nil {
			return b.file.f
		}
	}
	return nil
}
