package phpstream

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pollRaw is poll(2) waiting up to ms milliseconds without releasing the
// P. It is only used while no other goroutine exists (see pollRead), so
// there is nothing to hand the P to; a signal (the runtime's preemption)
// ends the wait early with EINTR. poll, unlike ppoll, writes nothing back.
func pollRaw(fds []unix.PollFd, ms int) (int, error) {
	r, _, e := unix.RawSyscall(unix.SYS_POLL, uintptr(unsafe.Pointer(&fds[0])), uintptr(len(fds)), uintptr(ms))
	if e != 0 {
		return 0, syscall.Errno(e)
	}
	return int(r), nil
}
