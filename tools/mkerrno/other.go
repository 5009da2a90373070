//go:build !linux || !cgo

package main

// This file keeps the package buildable (and go vet ./... clean) where the
// generator cannot run: it needs Linux, cgo and the GNU C library.

import (
	"fmt"
	"os"
	"runtime"
)

func main() {
	fmt.Fprintf(os.Stderr, "mkerrno: needs linux with cgo and glibc; this build is %s/%s without cgo support for it\n",
		runtime.GOOS, runtime.GOARCH)
	os.Exit(1)
}
