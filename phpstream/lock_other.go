//go:build !unix

package phpstream

import "os"

// locksSupported is false where phpsock has no flock(2): no stream
// reports lock support.
const locksSupported = false

func flockExclusive(*os.File) error { return ErrLockUnsupported }
