package phpstream

import "errors"

// StatInfo is what PHP's fstat reports of a stream: the fields of struct
// stat in the order of PHP's array, times in whole seconds.
type StatInfo struct {
	Dev, Ino, Mode, Nlink, UID, GID, Rdev, Size int64
	Atime, Mtime, Ctime, Blksize, Blocks        int64
}

// errWrapperNoStat is the failure of a wrapper's stream_stat.
var errWrapperNoStat = errors.New("phpstream: the wrapper's stream_stat fails")

// Stat is PHP's fstat on a socket stream (php_sockop_stat): fstat(2) of its
// descriptor. It fails for a stream without a socket or once closed.
func (s *Stream) Stat() (StatInfo, error) {
	s.mu.Lock()
	w := s.origin.wrapperType
	s.mu.Unlock()
	if w == "http" || w == "ftp" {
		// php_stream_stat asks the wrapper's stream_stat first, and the
		// http and ftp wrappers' always fail (recorded: ftp/meta-after-eof,
		// http/fstat-fails).
		return StatInfo{}, errWrapperNoStat
	}
	if s.back != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.back.stat()
	}
	if s.sock == nil {
		return StatInfo{}, ErrNotConnected
	}
	var st StatInfo
	var serr error
	if err := s.sock.control(func(fd uintptr) { st, serr = fstatFD(fd) }); err != nil {
		return StatInfo{}, err
	}
	return st, serr
}
