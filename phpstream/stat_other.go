//go:build !unix

package phpstream

import "errors"

// fstatFD has no fstat(2) to call: PHP's fstat fails.
func fstatFD(fd uintptr) (StatInfo, error) {
	return StatInfo{}, errors.ErrUnsupported
}
