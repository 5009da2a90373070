//go:build linux && !amd64

package phpstream

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pollRaw is ppoll(2) (these platforms have no poll(2)) waiting up to ms
// milliseconds without releasing the P; see the amd64 version.
func pollRaw(fds []unix.PollFd, ms int) (int, error) {
	ts := unix.NsecToTimespec(int64(ms) * 1e6)
	r, _, e := unix.RawSyscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&fds[0])), uintptr(len(fds)), uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
	if e != 0 {
		return 0, syscall.Errno(e)
	}
	return int(r), nil
}
