//go:build unix

package compat

import (
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// pollSlice bounds one poll(2): the descriptors stay referenced (a Close
// elsewhere waits) only this long, and a closed stream is noticed.
const pollSlice = 100 * time.Millisecond

// pollEntries waits until one of the entries is ready for what it wants,
// or wait has passed (negative: forever), with select(2)'s view of
// readiness, and sets each entry's ready bits. It returns select's count:
// one per ready (descriptor, set) pair. A non-zero errno is select's
// failure (a descriptor closed under it).
func pollEntries(entries []*selectEntry, wait time.Duration) (int, syscall.Errno) {
	var deadline time.Time
	if wait >= 0 {
		deadline = time.Now().Add(wait)
	}
	pfds := make([]unix.PollFd, len(entries))
	for i, e := range entries {
		if e.want&selRead != 0 {
			pfds[i].Events |= unix.POLLIN
		}
		if e.want&selWrite != 0 {
			pfds[i].Events |= unix.POLLOUT
		}
		if e.want&selExcept != 0 {
			pfds[i].Events |= unix.POLLPRI
		}
	}
	ignore := make([]bool, len(entries)) // reported only what select ignores
	// Bytes a stream's feof read ahead are data in its socket for PHP: the
	// stream is readable now, so the poll only collects the others' state.
	ahead := false
	for _, e := range entries {
		if e.want&selRead != 0 && e.s.HasReadAhead() {
			ahead = true
			wait = 0
		}
	}
	if ahead {
		deadline = time.Now()
	}
	for {
		ms := -1
		last := false
		if wait >= 0 {
			rem := time.Until(deadline)
			if rem <= 0 {
				rem, last = 0, true
			}
			ms = int((rem + time.Millisecond - 1) / time.Millisecond)
		}
		if ms < 0 || ms > int(pollSlice/time.Millisecond) {
			ms, last = int(pollSlice/time.Millisecond), false
		}
		n, errno := pollOnce(entries, pfds, ignore, ms)
		if errno != 0 {
			return 0, errno
		}
		if n > 0 || ahead {
			count := 0
			for i, e := range entries {
				r := pfds[i].Revents
				if ahead && e.want&selRead != 0 && e.s.HasReadAhead() {
					r |= unix.POLLIN
				}
				if e.want&selRead != 0 && r&(unix.POLLIN|unix.POLLHUP|unix.POLLERR) != 0 {
					e.ready |= selRead
					count++
				}
				if e.want&selWrite != 0 && r&(unix.POLLOUT|unix.POLLERR) != 0 {
					e.ready |= selWrite
					count++
				}
				if e.want&selExcept != 0 && r&unix.POLLPRI != 0 {
					e.ready |= selExcept
					count++
				}
				if r != 0 && e.ready == 0 {
					ignore[i] = true // e.g. POLLHUP on a write-only entry
				}
			}
			if count > 0 {
				return count, 0
			}
		}
		if last {
			return 0, 0
		}
	}
}

// pollOnce polls the entries' descriptors for up to ms milliseconds,
// holding each descriptor (RawConn.Control) for the duration so none can
// be closed and reused under the poll.
func pollOnce(entries []*selectEntry, pfds []unix.PollFd, ignore []bool, ms int) (int, syscall.Errno) {
	var n int
	var perr error
	var hold func(i int) error
	hold = func(i int) error {
		if i == len(entries) {
			for {
				n, perr = unix.Poll(pfds, ms)
				if perr != unix.EINTR {
					break
				}
				ms = 0 // an interrupted wait is retried by the caller's loop
			}
			return nil
		}
		var inner error
		err := entries[i].rc.Control(func(fd uintptr) {
			pfds[i].Fd = int32(fd)
			if ignore[i] {
				pfds[i].Fd = -1
			}
			inner = hold(i + 1)
		})
		if err != nil {
			return err
		}
		return inner
	}
	for i := range pfds {
		pfds[i].Revents = 0
	}
	if err := hold(0); err != nil {
		return 0, syscall.EBADF
	}
	if perr != nil {
		if e, ok := perr.(syscall.Errno); ok {
			return 0, e
		}
		return 0, syscall.EINVAL
	}
	for i := range pfds {
		if pfds[i].Revents&unix.POLLNVAL != 0 {
			return 0, syscall.EBADF
		}
	}
	return n, 0
}
