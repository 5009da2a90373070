package phpstream

import (
	"errors"
	"os"
)

// This file is PHP's stream locking (php_stream_supports_lock and
// php_stream_lock, flock and stream_supports_lock) for the streams that
// have it: plain files, php://temp once its data lives in a temporary
// file (the temp stream passes the option to its inner stream), and
// streams whose StreamOps implement LockOps (user wrappers' stream_lock).
// Sockets, php://memory, data: and the http wrapper's streams have none
// (recorded: file/supports-lock).

// Errors of Flock.
var (
	// ErrLockUnsupported is Flock on a stream that cannot be locked (PHP's
	// silent false).
	ErrLockUnsupported = errors.New("phpstream: the stream does not support locking")
	// ErrLockOperation is a Flock operation that is none of LockShared,
	// LockExclusive and LockUnlock: PHP's ValueError "must be one of
	// LOCK_SH, LOCK_EX, or LOCK_UN".
	ErrLockOperation = errors.New("phpstream: the lock operation is not LOCK_SH, LOCK_EX or LOCK_UN")
)

// Flock's operations, PHP's LOCK_SH, LOCK_EX, LOCK_UN and LOCK_NB.
const (
	LockShared    = 1
	LockExclusive = 2
	LockUnlock    = 3
	// LockNoBlock, or-ed in, fails at once with syscall.EWOULDBLOCK where
	// the lock is held elsewhere, instead of waiting.
	LockNoBlock = 4
)

// LockOps is implemented by a StreamOps whose stream can be locked: PHP's
// set_option PHP_STREAM_OPTION_LOCKING of a user stream.
type LockOps interface {
	// Lock is stream_lock with PHP's operation: LockShared, LockExclusive
	// or LockUnlock with LockNoBlock or-ed in, or 0 when
	// stream_supports_lock asks whether the stream can be locked at all.
	// false is a failure (for 0: no locking).
	Lock(diag DiagnosticFunc, op int) (ok bool)
}

// SupportsLock is stream_supports_lock: whether the stream can be locked
// (a user stream answers its stream_lock(0)).
func (s *Stream) SupportsLock() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.lockOps(); l != nil {
		return l.Lock(s.diagnostics(), 0)
	}
	return s.lockFile() != nil
}

// Flock is flock (php_flock_common): op is LockShared, LockExclusive or
// LockUnlock, with LockNoBlock or-ed in (PHP looks at op&3 and op&4 only;
// op&3 == 0 is ErrLockOperation). A plain file takes or drops a flock(2)
// lock, waiting for it without LockNoBlock (the wait blocks an OS thread,
// as flock(2) cannot be polled); Close releases it. A held lock with
// LockNoBlock is syscall.EWOULDBLOCK, PHP's $would_block. A user stream's
// stream_lock receives op&7 (recorded: meta/user-lock-log). A stream
// without locking is ErrLockUnsupported.
func (s *Stream) Flock(op int) error {
	if op&3 == 0 {
		return ErrLockOperation
	}
	op &= 7
	s.mu.Lock()
	if l := s.lockOps(); l != nil {
		defer s.mu.Unlock()
		if !l.Lock(s.diagnostics(), op) {
			return errOpsFailed
		}
		return nil
	}
	f := s.lockFile()
	s.mu.Unlock()
	if f == nil {
		return ErrLockUnsupported
	}
	return flockFile(f, op)
}

// lockOps is a user stream's locking, nil for any other stream. s.mu is
// held.
func (s *Stream) lockOps() LockOps {
	if b, ok := s.back.(*opsBacking); ok {
		l, _ := b.ops.(LockOps)
		return l
	}
	return nil
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
