//go:build unix

package phpstream

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// dupFD duplicates the process's descriptor fd, close-on-exec, as an
// *os.File; on failure the errno PHP reports.
func dupFD(fd int) (*os.File, syscall.Errno) {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		e, _ := err.(syscall.Errno)
		if e == 0 {
			e = syscall.EBADF
		}
		return nil, e
	}
	return os.NewFile(uintptr(nfd), "fd"), 0
}

// descriptorLimit is getdtablesize(): the soft limit of open files.
func descriptorLimit() int64 {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil || rl.Cur > 1<<31-1 {
		return 1<<31 - 1
	}
	return int64(rl.Cur)
}
