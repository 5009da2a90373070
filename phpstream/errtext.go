package phpstream

import (
	"syscall"

	"github.com/phpsock/phpsock/errno"
)

// errnoText is strerror(e) as PHP prints it.
func errnoText(e syscall.Errno) string { return errno.Message(e) }
