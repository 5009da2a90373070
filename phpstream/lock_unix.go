//go:build unix

package phpstream

import (
	"os"
	"syscall"
)

const locksSupported = true

// flockFile is flock(2) of f with PHP's operation op (Flock's), retried
// when a signal interrupts a wait.
func flockFile(f *os.File, op int) error {
	how := syscall.LOCK_SH
	switch op & 3 {
	case LockExclusive:
		how = syscall.LOCK_EX
	case LockUnlock:
		how = syscall.LOCK_UN
	}
	if op&LockNoBlock != 0 {
		how |= syscall.LOCK_NB
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		for {
			if ferr = syscall.Flock(int(fd), how); ferr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return err
	}
	return ferr
}
