//go:build unix

package phpstream

import "os"

// pollerConn hands a non-blocking descriptor to the runtime poller.
func pollerConn(fd int) (sysConn, error) { return os.NewFile(uintptr(fd), "socket"), nil }

func closeFD(fd int) error { return closeRaw(fd) }
