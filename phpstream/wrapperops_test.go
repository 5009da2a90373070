package phpstream

import (
	"errors"
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWrapperOpsErrors checks the one error shape of the wrapper
// operations: an *OpError naming the operation and the URL, reaching the
// errno or the sentinel, with PHP's warning given to Diagnostics once
// (the texts themselves are the recorded cases': file/other-wrappers-ops,
// file/rename-file-url-message).
func TestWrapperOpsErrors(t *testing.T) {
	dir := t.TempDir()
	var got []Diagnostic
	o := OpenOptions{Dir: dir, Diagnostics: func(d Diagnostic) { got = append(got, d) }}
	cleared := 0
	o.ClearStatCache = func() { cleared++ }
	for _, tc := range []struct {
		name  string
		run   func() error
		op    string
		cause error
		warns int
	}{
		{"unlink missing", func() error { return Unlink("nope", o) }, "unlink", syscall.ENOENT, 1},
		{"rmdir missing", func() error { return Rmdir("file://"+filepath.Join(dir, "nope"), o) }, "rmdir", fs.ErrNotExist, 1},
		{"mkdir twice", func() error { _ = Mkdir("d", 0o700, false, o); return Mkdir("d", 0o700, false, o) }, "mkdir", syscall.EEXIST, 1},
		{"rename across", func() error { return Rename("a", "data:,x", o) }, "rename", ErrCrossWrapper, 1},
		{"rename php", func() error { return Rename("php://memory", "php://temp", o) }, "rename", ErrNotSupported, 1},
		{"unlink data", func() error { return Unlink("data:,x", o) }, "unlink", ErrNotSupported, 1},
		{"rmdir php", func() error { return Rmdir("php://memory", o) }, "rmdir", ErrNotSupported, 0},
		{"unlink remote file", func() error { return Unlink("file://host/x", o) }, "unlink", ErrNoWrapper, 1},
		{"stat php", func() error { _, err := URLStat("php://memory", 0, o); return err }, "stat", ErrNotSupported, 0},
	} {
		got = nil
		err := tc.run()
		var oe *OpError
		if !errors.As(err, &oe) || oe.Op != tc.op {
			t.Errorf("%s: %v, want an *OpError of %s", tc.name, err, tc.op)
			continue
		}
		if !errors.Is(err, tc.cause) {
			t.Errorf("%s: %v is not %v", tc.name, err, tc.cause)
		}
		if len(got) != tc.warns {
			t.Errorf("%s: %d diagnostics %v, want %d", tc.name, len(got), got, tc.warns)
		}
	}
	if cleared != 0 {
		t.Errorf("failures cleared the stat cache %d times", cleared)
	}
	if err := Rmdir("d", o); err != nil || cleared != 1 {
		t.Errorf("rmdir: %v, stat cache cleared %d times, want nil and 1", err, cleared)
	}
}

// fakeOps is a run-time wrapper with URLOps that records its calls.
type fakeOps struct{ calls []string }

func (f *fakeOps) URLStat(url string, flags int, o OpenOptions) (StatInfo, bool) {
	f.calls = append(f.calls, "stat "+url)
	return StatInfo{Size: 7}, true
}
func (f *fakeOps) Unlink(url string, o OpenOptions) bool {
	f.calls = append(f.calls, "unlink "+url)
	return false
}
func (f *fakeOps) Rename(from, to string, o OpenOptions) bool {
	f.calls = append(f.calls, "rename "+from+" "+to)
	return true
}
func (f *fakeOps) Mkdir(url string, perm uint32, recursive bool, o OpenOptions) bool {
	f.calls = append(f.calls, "mkdir "+url)
	return true
}
func (f *fakeOps) Rmdir(url string, o OpenOptions) bool {
	f.calls = append(f.calls, "rmdir "+url)
	return true
}

// TestWrapperOpsRunTime checks the dispatch to a run-time wrapper's
// URLOps, and PHP's refusals for one without them.
func TestWrapperOpsRunTime(t *testing.T) {
	r := NewRegistry()
	f := &fakeOps{}
	if err := r.Register("fake", f); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("bare", struct{}{}); err != nil {
		t.Fatal(err)
	}
	var warns []string
	o := OpenOptions{Registry: r, Diagnostics: func(d Diagnostic) { warns = append(warns, d.Message) }}
	if st, err := URLStat("fake://a", URLStatQuiet, o); err != nil || st.Size != 7 {
		t.Errorf("URLStat: %v %v", st, err)
	}
	if err := Unlink("fake://a", o); !errors.Is(err, ErrOpFailed) {
		t.Errorf("Unlink: %v, want ErrOpFailed", err)
	}
	if err := Rename("fake://a", "fake://b", o); err != nil {
		t.Errorf("Rename: %v", err)
	}
	if err := Rename("fake://a", "/tmp/b", o); !errors.Is(err, ErrCrossWrapper) {
		t.Errorf("Rename across: %v", err)
	}
	if err := Mkdir("fake://d", 0o777, true, o); err != nil {
		t.Errorf("Mkdir: %v", err)
	}
	if err := Rmdir("fake://d", o); err != nil {
		t.Errorf("Rmdir: %v", err)
	}
	want := []string{"stat fake://a", "unlink fake://a", "rename fake://a fake://b", "mkdir fake://d", "rmdir fake://d"}
	if len(f.calls) != len(want) {
		t.Fatalf("calls %q, want %q", f.calls, want)
	}
	for i := range want {
		if f.calls[i] != want[i] {
			t.Errorf("call %d: %q, want %q", i, f.calls[i], want[i])
		}
	}
	warns = nil
	if err := Unlink("bare://a", o); !errors.Is(err, ErrNotSupported) || len(warns) != 1 {
		t.Errorf("Unlink without URLOps: %v %q", err, warns)
	}
}
