//go:build !unix

package phpstream

import (
	"os"
	"time"
)

// chmodPath is chmod as far as os.Chmod can: the permission bits.
func chmodPath(path string, mode int64) error {
	return os.Chmod(path, os.FileMode(mode)&os.ModePerm)
}

// chownPath is os.Chown (which fails where there are no owners).
func chownPath(path string, uid, gid int) error { return os.Chown(path, uid, gid) }

// utimePath is os.Chtimes: t nil sets both times to now.
func utimePath(path string, t *FileTimes) error {
	if t == nil {
		now := time.Now()
		return os.Chtimes(path, now, now)
	}
	return os.Chtimes(path, time.Unix(t.Atime, 0), time.Unix(t.Mtime, 0))
}
