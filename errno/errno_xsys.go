//go:build !linux && (aix || darwin || dragonfly || freebsd || netbsd || openbsd || solaris)

package errno

import (
	"syscall"

	"golang.org/x/sys/unix"
)

func name(e syscall.Errno) string { return unix.ErrnoName(e) }
