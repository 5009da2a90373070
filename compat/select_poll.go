//go:build unix && !linux

package compat

import (
	"syscall"
	"time"
)

// parkEntries is not available here: selects wait in poll(2) slices.
func parkEntries(entries []*selectEntry, deadline time.Time, check func() (int, syscall.Errno)) (int, syscall.Errno, bool) {
	return 0, 0, false
}
