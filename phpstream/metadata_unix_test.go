//go:build unix

package phpstream

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"testing"
)

func (f *fakeOps) Metadata(url string, option int, value any, o OpenOptions) bool {
	f.calls = append(f.calls, "metadata "+url+" "+strconv.Itoa(option))
	return option != MetaOwnerName
}

// TestMetadataOps checks the dispatch of Touch, Chmod, Chown and Chgrp:
// a plain path changed directly, a run-time wrapper's MetadataOps with
// PHP's option numbers, a wrapper without stream_metadata refused, each
// failure an *OpError.
func TestMetadataOps(t *testing.T) {
	dir := t.TempDir()
	r := NewRegistry()
	f := &fakeOps{}
	if err := r.Register("fake", f); err != nil {
		t.Fatal(err)
	}
	warns := 0
	o := OpenOptions{Dir: dir, Registry: r, Diagnostics: func(Diagnostic) { warns++ }}
	if err := Touch("t", &FileTimes{Mtime: 1000, Atime: 2000}, o); err != nil {
		t.Fatalf("Touch: %v", err)
	}
	st, err := URLStat("t", 0, o)
	if err != nil || st.Mtime != 1000 || st.Atime != 2000 {
		t.Errorf("after Touch: %+v %v, want mtime 1000, atime 2000", st, err)
	}
	if err := Chmod("t", 0o600, o); err != nil {
		t.Errorf("Chmod: %v", err)
	}
	if st, _ := URLStat("t", 0, o); st.Mode&0o777 != 0o600 {
		t.Errorf("mode %o after Chmod, want 600", st.Mode&0o777)
	}
	if err := Chmod("nope", 0o600, o); !errors.Is(err, fs.ErrNotExist) || warns != 1 {
		t.Errorf("Chmod of a missing file: %v, %d warnings", err, warns)
	}
	if err := Chown("fake://a", Owner{ID: 3}, o); err != nil {
		t.Errorf("Chown through MetadataOps: %v", err)
	}
	if err := Chown("fake://a", Owner{Name: "x", ByName: true}, o); !errors.Is(err, ErrOpFailed) {
		t.Errorf("Chown by name through MetadataOps: %v, want ErrOpFailed", err)
	}
	if err := Chgrp("fake://a", Owner{ID: 3}, o); err != nil {
		t.Errorf("Chgrp: %v", err)
	}
	want := []string{"metadata fake://a 3", "metadata fake://a 2", "metadata fake://a 5"}
	if fmt.Sprint(f.calls) != fmt.Sprint(want) {
		t.Errorf("calls %q, want %q", f.calls, want)
	}
	warns = 0
	if err := Chmod("data:,x", 0o600, o); !errors.Is(err, ErrNotSupported) || warns != 1 {
		t.Errorf("Chmod of data: %v, %d warnings", err, warns)
	}
}
