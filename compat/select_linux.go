package compat

import (
	"errors"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/phpsock/phpsock/internal/streamhook"
)

// parkEntries waits on the runtime poller for any of the entries'
// descriptors, until check (a zero-timeout poll of them all, with
// select's count) reports one ready or a failure, deadline passes (zero:
// none) or one of the streams is closed; then it returns check's result
// (at the deadline too: what is ready then counts). ok is false when it
// could not wait this way (nothing was waited for).
//
// Go's poller waits for one descriptor per goroutine, so the wait is on
// an epoll instance watching the entries' descriptors (level-triggered,
// for what each entry wants): it is readable while any of them is ready
// and, non-blocking, goes on the poller like a socket. One goroutine is
// parked, whatever the number of descriptors, and it wakes only on their
// events; check decides, so readiness is poll(2)'s, exactly as select's
// slices have it (POLLHUP and POLLERR count, POLLNVAL is EBADF). A stream
// closed by another goroutine leaves the epoll set silently, so each
// stream wakes the wait from its Close (Stream.AfterClose), and check then
// finds its descriptor gone (EBADF).
func parkEntries(entries []*selectEntry, deadline time.Time, check func() (int, syscall.Errno)) (int, syscall.Errno, bool) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return 0, 0, false
	}
	if err := unix.SetNonblock(epfd, true); err != nil {
		unix.Close(epfd)
		return 0, 0, false
	}
	for _, e := range entries {
		var ev unix.EpollEvent
		if e.want&selRead != 0 {
			ev.Events |= unix.EPOLLIN
		}
		if e.want&selWrite != 0 {
			ev.Events |= unix.EPOLLOUT
		}
		if e.want&selExcept != 0 {
			ev.Events |= unix.EPOLLPRI
		}
		var cerr error
		err := e.rc.Control(func(fd uintptr) {
			ev.Fd = int32(fd)
			cerr = unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, int(fd), &ev)
		})
		if err != nil || cerr != nil {
			// Closed meanwhile (check reports it) or not pollable.
			unix.Close(epfd)
			if n, errno := check(); n > 0 || errno != 0 {
				return n, errno, true
			}
			return 0, 0, false
		}
	}
	f := os.NewFile(uintptr(epfd), "stream_select")
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, 0, false
	}
	if !deadline.IsZero() {
		f.SetReadDeadline(deadline)
	}
	for _, e := range entries {
		defer streamhook.Of(e.s).AfterClose(func() { f.SetReadDeadline(time.Unix(1, 0)) })()
	}
	var n int
	var errno syscall.Errno
	err = rc.Read(func(uintptr) bool {
		n, errno = check()
		return n > 0 || errno != 0
	})
	switch {
	case err == nil:
		return n, errno, true
	case errors.Is(err, os.ErrDeadlineExceeded): // the deadline, or a Close
		n, errno = check()
		return n, errno, true
	}
	return 0, 0, false
}
