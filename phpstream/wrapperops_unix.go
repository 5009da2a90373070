//go:build unix

package phpstream

import "golang.org/x/sys/unix"

func statPath(path string) (StatInfo, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return StatInfo{}, err
	}
	return statInfoOf(&st), nil
}

func accessPath(path string) error { return unix.Access(path, unix.F_OK) }

// lstatPath is lstat(2): a symbolic link itself.
func lstatPath(path string) (StatInfo, error) {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return StatInfo{}, err
	}
	return statInfoOf(&st), nil
}
