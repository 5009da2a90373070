//go:build !unix

package phpstream

import "os"

// locksSupported is false where phpsock has no flock(2): no plain file
// reports lock support.
const locksSupported = false

func flockFile(*os.File, int) error { return ErrLockUnsupported }
