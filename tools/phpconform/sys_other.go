//go:build !linux

package main

import "io"

// openFileLimit is 0 (unknown) outside Linux, where phpconform's fixtures
// are not supported anyway.
func openFileLimit() int { return 0 }

// isTerminal reports false outside Linux: no progress line is shown there.
func isTerminal(w io.Writer) bool { return false }
