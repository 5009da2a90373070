//go:build unix

package phpstream

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLockExclusiveHoldsUntilClose checks that the lock is a real flock(2):
// another descriptor of the file cannot take it while the stream holds it,
// and can once the stream is closed.
func TestLockExclusiveHoldsUntilClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked")
	s, err := OpenURL(path, "cb", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.SupportsLock() {
		t.Fatal("a plain file does not support locking")
	}
	if err := s.Flock(LockExclusive); err != nil {
		t.Fatal(err)
	}
	other, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := syscall.Flock(int(other.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); !errors.Is(err, syscall.EWOULDBLOCK) {
		t.Fatalf("flock of another descriptor while the stream holds the lock: %v; want EWOULDBLOCK", err)
	}
	s.Close()
	if err := syscall.Flock(int(other.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatalf("flock after Close: %v", err)
	}
}

// TestLockExclusiveUnsupported checks the streams without locking.
func TestLockExclusiveUnsupported(t *testing.T) {
	s, err := OpenURL("php://memory", "w+", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.SupportsLock() {
		t.Error("php://memory supports locking")
	}
	if err := s.Flock(LockExclusive); !errors.Is(err, ErrLockUnsupported) {
		t.Errorf("LockExclusive on php://memory: %v; want ErrLockUnsupported", err)
	}
}
