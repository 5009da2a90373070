//go:build unix

package compat

import (
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/phpsock/phpsock/internal/streamhook"
)

// pollSlice bounds one poll(2) of a program with one goroutine: the
// descriptors stay referenced (a Close elsewhere waits) only this long, a
// closed stream is noticed, and so is a goroutine started meanwhile.
const pollSlice = 100 * time.Millisecond

// pollEntries waits until one of the entries is ready for what it wants,
// or wait has passed (negative: forever), with select(2)'s view of
// readiness, and sets each entry's ready bits. It returns select's count:
// one per ready (descriptor, set) pair. A non-zero errno is select's
// failure (a descriptor closed under it).
//
// A program with other goroutines waits parked on the runtime poller
// (parkEntries, where the platform has it): no thread is tied up, nothing
// wakes up but the descriptors, and a Close of one of the streams ends
// the wait at once (with EBADF, as a closed descriptor makes select(2)
// fail). A program with one goroutine, a ported PHP script, waits in
// poll(2) in slices of pollSlice, counting its goroutines after each.
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
		if e.want&selRead != 0 && streamhook.Of(e.s).HasReadAhead() {
			ahead = true
			wait = 0
		}
	}
	if ahead {
		deadline = time.Now()
	}
	// check is one poll of up to ms milliseconds and select's count.
	check := func(ms int) (int, syscall.Errno) {
		n, errno := pollOnce(entries, pfds, ignore, ms)
		if errno != 0 || (n == 0 && !ahead) {
			return 0, errno
		}
		return collect(entries, pfds, ignore, ahead), 0
	}
	parked := false
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
		if !last && !parked && runtime.NumGoroutine() != 1 {
			// A look first: usually something is ready and that is all.
			if n, errno := check(0); n > 0 || errno != 0 {
				return n, errno
			}
			if n, errno, ok := parkEntries(entries, deadline, func() (int, syscall.Errno) { return check(0) }); ok {
				return n, errno
			}
			parked = true // could not park: slices, as alone
			continue
		}
		if ms < 0 || ms > int(pollSlice/time.Millisecond) {
			ms, last = int(pollSlice/time.Millisecond), false
		}
		if n, errno := check(ms); n > 0 || errno != 0 {
			return n, errno
		}
		if last {
			return 0, 0
		}
	}
}

// collect sets the ready bits of the entries from a poll's results (and
// the read-ahead, when ahead) and returns select's count.
func collect(entries []*selectEntry, pfds []unix.PollFd, ignore []bool, ahead bool) int {
	count := 0
	for i, e := range entries {
		r := pfds[i].Revents
		if ahead && e.want&selRead != 0 && streamhook.Of(e.s).HasReadAhead() {
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
	return count
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
