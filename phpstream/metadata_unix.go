//go:build unix

package phpstream

import "golang.org/x/sys/unix"

// chmodPath is chmod(2) with PHP's (mode_t) of mode.
func chmodPath(path string, mode int64) error { return unix.Chmod(path, uint32(mode)) }

// chownPath is chown(2); -1 leaves an id unchanged.
func chownPath(path string, uid, gid int) error { return unix.Chown(path, uid, gid) }

// utimePath is utime(2): t nil sets both times to now (utimeNow).
func utimePath(path string, t *FileTimes) error {
	if t == nil {
		return utimeNow(path)
	}
	return unix.UtimesNano(path, []unix.Timespec{{Sec: t.Atime}, {Sec: t.Mtime}})
}
