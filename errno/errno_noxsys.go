//go:build !linux && !(aix || darwin || dragonfly || freebsd || netbsd || openbsd || solaris)

package errno

import "syscall"

// name knows no names here: golang.org/x/sys/unix does not support this
// platform.
func name(syscall.Errno) string { return "" }
