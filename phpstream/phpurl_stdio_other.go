//go:build !unix

package phpstream

import (
	"os"
	"syscall"
)

// dupFD is unavailable off Unix: every php://fd/N fails as for a
// descriptor that does not exist.
func dupFD(fd int) (*os.File, syscall.Errno) { return nil, syscall.EBADF }

// descriptorLimit is PHP's FD_SETSIZE-like bound where getdtablesize is missing.
func descriptorLimit() int64 { return 1 << 31 }
