//go:build unix

package phpstream

import "golang.org/x/sys/unix"

func fstatFD(fd uintptr) (StatInfo, error) {
	var st unix.Stat_t
	if err := unix.Fstat(int(fd), &st); err != nil {
		return StatInfo{}, err
	}
	return statInfoOf(&st), nil
}

// statInfoOf is a struct stat as PHP's stat array reports it.
func statInfoOf(st *unix.Stat_t) StatInfo {
	return StatInfo{
		Dev: int64(st.Dev), Ino: int64(st.Ino), Mode: int64(st.Mode), Nlink: int64(st.Nlink),
		UID: int64(st.Uid), GID: int64(st.Gid), Rdev: int64(st.Rdev), Size: st.Size,
		Atime: int64(st.Atim.Sec), Mtime: int64(st.Mtim.Sec), Ctime: int64(st.Ctim.Sec),
		Blksize: int64(st.Blksize), Blocks: st.Blocks,
	}
}
