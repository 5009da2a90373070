package errno

import (
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// glibcErrno reports whether Name and Message answer from the generated
// glibc table.
const glibcErrno = genericArch

func name(e syscall.Errno) string {
	if !genericArch {
		return unix.ErrnoName(e)
	}
	if e < syscall.Errno(len(errnoTable)) {
		return errnoTable[e].name
	}
	return ""
}

func message(e syscall.Errno) string {
	if !genericArch {
		return e.Error()
	}
	n := int32(e) // what strerror(int) sees
	if n >= 0 && int(n) < len(errnoTable) {
		if t := errnoTable[n].text; t != "" {
			return t
		}
	}
	return unknownErrno(n)
}

// unknownErrno formats n as glibc's strerror does for a number it does not
// know.
func unknownErrno(n int32) string {
	var buf [len(unknownErrnoPrefix) + len("-2147483648")]byte
	b := append(buf[:0], unknownErrnoPrefix...)
	return string(strconv.AppendInt(b, int64(n), 10))
}

func gaiMessage(code int) string {
	c := int(int32(code)) // what gai_strerror(int) sees
	// Binary search: gaiTable is sorted by code.
	lo, hi := 0, len(gaiTable)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if gaiTable[m].code < c {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(gaiTable) && gaiTable[lo].code == c {
		return gaiTable[lo].text
	}
	return unknownGaiText
}
