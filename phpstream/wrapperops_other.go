//go:build !unix

package phpstream

import (
	"os"
	"syscall"
)

// statPath is stat(2) as far as os.Stat can tell it: the size and whether
// the path is a directory or a regular file.
func statPath(path string) (StatInfo, error) { return statInfoOfFile(os.Stat(path)) }

// lstatPath is lstat(2) as far as os.Lstat can tell it, a link being
// S_IFLNK.
func lstatPath(path string) (StatInfo, error) { return statInfoOfFile(os.Lstat(path)) }

func statInfoOfFile(fi os.FileInfo, err error) (StatInfo, error) {
	if err != nil {
		return StatInfo{}, err
	}
	mode := int64(0o100000)
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		mode = 0o120000
	case fi.IsDir():
		mode = 0o040000
	}
	return StatInfo{Mode: mode | int64(fi.Mode().Perm()), Nlink: 1, Size: fi.Size(), Mtime: fi.ModTime().Unix()}, nil
}

func accessPath(path string) error {
	_, err := os.Stat(path)
	if err != nil {
		return syscall.ENOENT
	}
	return nil
}
