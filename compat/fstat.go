package compat

func init() { functions["fstat"] = fstat }

// fstat(resource $stream): array|false
//
// PHP's array: the thirteen fields of struct stat under 0..12, then the
// same values under their names (dev, ino, mode, nlink, uid, gid, rdev,
// size, atime, mtime, ctime, blksize, blocks). A socket stream reports its
// descriptor's fstat(2).
func fstat(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	st, err := r.stream.Stat()
	if err != nil {
		return false, nil
	}
	fields := []struct {
		name string
		v    int64
	}{
		{"dev", st.Dev}, {"ino", st.Ino}, {"mode", st.Mode}, {"nlink", st.Nlink}, {"uid", st.UID},
		{"gid", st.GID}, {"rdev", st.Rdev}, {"size", st.Size}, {"atime", st.Atime}, {"mtime", st.Mtime},
		{"ctime", st.Ctime}, {"blksize", st.Blksize}, {"blocks", st.Blocks},
	}
	out := NewArray()
	for i, f := range fields {
		out.Set(int64(i), f.v)
	}
	for _, f := range fields {
		out.Set(f.name, f.v)
	}
	return out, nil
}
