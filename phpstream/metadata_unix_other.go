//go:build unix && !linux

package phpstream

import "golang.org/x/sys/unix"

// utimeNow is utime(path, NULL): utimes(2) with a NULL times argument,
// the times set to now with the kernel's permission rule for that case.
func utimeNow(path string) error { return unix.Utimes(path, nil) }
