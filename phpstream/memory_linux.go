package phpstream

import (
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// noPopulate is set once madvise(MADV_POPULATE_WRITE) has been refused
// (kernels before 5.14), so that it is not tried again.
var noPopulate atomic.Bool

// prefault maps the pages under b in one system call instead of one page
// fault per 4 KiB page on first write. Large reads into fresh memory are
// dominated by those faults (under gVisor a fault costs more than
// receiving the page's bytes); the contents of b are unchanged.
func prefault(b []byte) {
	if uintptr(len(b)) < 2*pageSize || noPopulate.Load() {
		return
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (p + pageSize - 1) &^ (pageSize - 1)
	end := (p + uintptr(len(b))) &^ (pageSize - 1)
	if end <= start {
		return
	}
	if err := unix.Madvise(b[start-p:end-p], unix.MADV_POPULATE_WRITE); err == unix.EINVAL || err == unix.ENOSYS {
		noPopulate.Store(true)
	}
}

var pageSize = uintptr(unix.Getpagesize())
