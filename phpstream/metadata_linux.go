package phpstream

import "golang.org/x/sys/unix"

// utimeNow is utime(path, NULL): the times set to now by the kernel, with
// its permission rule for that case (write access suffices).
func utimeNow(path string) error {
	return unix.UtimesNanoAt(unix.AT_FDCWD, path, []unix.Timespec{{Nsec: unix.UTIME_NOW}, {Nsec: unix.UTIME_NOW}}, 0)
}
