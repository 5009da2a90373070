//go:build !linux

package phpstream

// prefault is a no-op where madvise(MADV_POPULATE_WRITE) does not exist;
// pages are then mapped by faults on first write.
func prefault(b []byte) {}
