//go:build windows

package phpstream

import "errors"

// On Windows sockets come from net.Dialer and are on the poller already.
func pollerConn(fd int) (sysConn, error) {
	return nil, errors.New("phpstream: raw descriptors are not used on windows")
}

func closeFD(fd int) error { return nil }
