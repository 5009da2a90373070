package phpstream

import "testing"

// endlessDir lists "x" forever, as a hostile FTP server or user wrapper
// can.
type endlessDir struct{ n int }

func (d *endlessDir) Readdir(DiagnosticFunc) (string, bool) { d.n++; return "x", true }
func (d *endlessDir) Close(DiagnosticFunc)                  {}

// TestEntriesStopsAtLimit checks that scandir's read of an endless listing
// ends at MaxDirEntries, reported incomplete.
func TestEntriesStopsAtLimit(t *testing.T) {
	d := &endlessDir{}
	s := NewDirStream(d, DirInfo{WrapperType: "user-space", StreamType: "dir", URI: "x://"}, nil)
	defer s.Close()
	names, complete := s.Entries()
	if complete || len(names) != MaxDirEntries || d.n != MaxDirEntries {
		t.Fatalf("Entries = %d names, complete %v, after %d reads; want %d, false", len(names), complete, d.n, MaxDirEntries)
	}
}
