package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// openFileLimit is the soft limit on open descriptors (which the Go runtime
// has already raised to the hard limit), or 0 when it is unlimited or
// cannot be read.
func openFileLimit() int {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil || rl.Cur > 1<<30 {
		return 0
	}
	return int(rl.Cur)
}

// isTerminal reports whether w is a terminal: an *os.File whose terminal
// attributes can be read.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
