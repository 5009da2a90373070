//go:build !unix

package compat

import (
	"syscall"
	"time"
)

// pollEntries: this platform has no poll(2) over the streams' sockets.
func pollEntries(entries []*selectEntry, wait time.Duration) (int, syscall.Errno) {
	return 0, syscall.ENOSYS
}
