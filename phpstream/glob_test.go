package phpstream

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// globRecording is testdata/glob.json: what PHP 8.2's glob() and
// fnmatch(..., FNM_PERIOD) answered over a tree (testdata/glob.php).
type globRecording struct {
	Files   []string
	Dirs    []string
	Glob    [][2]json.RawMessage
	Fnmatch [][3]json.RawMessage
	// FnmatchB64 are pairs that are not UTF-8, base64-encoded.
	FnmatchB64 [][3]json.RawMessage `json:"fnmatch_b64"`
}

func readGlobRecording(t *testing.T) *globRecording {
	b, err := os.ReadFile("testdata/glob.json")
	if err != nil {
		t.Fatal(err)
	}
	var r globRecording
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Glob) == 0 || len(r.Fnmatch) == 0 {
		t.Fatal("testdata/glob.json holds no results")
	}
	return &r
}

// TestGlobMatchesPHP checks Glob, the glob(3) behind glob://, against
// PHP's glob() on the same tree, pattern by pattern, order included.
func TestGlobMatchesPHP(t *testing.T) {
	r := readGlobRecording(t)
	root := t.TempDir()
	for _, d := range r.Dirs {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range r.Files {
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, g := range r.Glob {
		var pattern string
		var want []string
		if err := json.Unmarshal(g[0], &pattern); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(g[1], &want); err != nil {
			t.Fatal(err)
		}
		got := globPaths(pattern, root)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("globPaths(%q) = %q, PHP's glob() %q", pattern, got, want)
		}
	}
}

// TestFnmatchMatchesPHP checks Fnmatch against PHP's fnmatch() with
// FNM_PERIOD.
func TestFnmatchMatchesPHP(t *testing.T) {
	r := readGlobRecording(t)
	for _, f := range r.Fnmatch {
		var pattern, name string
		var want bool
		for i, dst := range []any{&pattern, &name, &want} {
			if err := json.Unmarshal(f[i], dst); err != nil {
				t.Fatal(err)
			}
		}
		if got := fnmatch(pattern, name); got != want {
			t.Errorf("fnmatch(%q, %q) = %v, PHP's fnmatch() %v", pattern, name, got, want)
		}
	}
	if len(r.FnmatchB64) == 0 {
		t.Fatal("testdata/glob.json holds no byte pairs")
	}
	for _, f := range r.FnmatchB64 {
		var pattern, name []byte // encoding/json decodes base64 into []byte
		var want bool
		for i, dst := range []any{&pattern, &name, &want} {
			if err := json.Unmarshal(f[i], dst); err != nil {
				t.Fatal(err)
			}
		}
		if got := fnmatch(string(pattern), string(name)); got != want {
			t.Errorf("fnmatch(%q, %q) = %v, PHP's fnmatch() %v", pattern, name, got, want)
		}
	}
}

// TestFnmatchBounded: a pattern of many stars against a long name that
// it cannot match ends at once (the matcher never backtracks beyond the
// last star).
func TestFnmatchBounded(t *testing.T) {
	pattern := strings.Repeat("*a", 200) + "b"
	name := strings.Repeat("a", 4000)
	start := time.Now()
	if fnmatch(pattern, name) {
		t.Fatal("matched a name without the pattern's last byte")
	}
	if !fnmatch(pattern, name+"b") {
		t.Fatal("did not match the name with it")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}

// FuzzFnmatch runs the matcher on any pattern and name: it must not panic,
// must end (its time is bounded by the product of the lengths), and a
// pattern with no special character must match exactly itself.
func FuzzFnmatch(f *testing.F) {
	for _, s := range [][2]string{{"*.txt", "a.txt"}, {"[!a-c]?", "d1"}, {"[[:alpha:]]*", "x"}, {"\\*", "*"},
		{"**********a", strings.Repeat("b", 64)}, {"[", "["}, {".*", ".hid"}, {"a\xff*", "a\xffb"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		if len(pattern) > 256 || len(name) > 256 {
			return
		}
		got := fnmatch(pattern, name)
		if !strings.ContainsAny(pattern, "*?[\\") && got != (pattern == name) {
			t.Fatalf("fnmatch(%q, %q) = %v for a pattern without special characters", pattern, name, got)
		}
	})
}

// BenchmarkFnmatchHostile matches a name against patterns built to make a
// matcher scan ahead at every step: unclosed brackets full of "[:", many
// stars. The compiled pattern keeps each match linear in the pattern.
func BenchmarkFnmatchHostile(b *testing.B) {
	name := strings.Repeat("a", 255)
	for _, p := range []string{
		"*[" + strings.Repeat("[:", 2000),
		strings.Repeat("*a", 500) + "b",
		"[" + strings.Repeat("[:a", 1000) + "]",
	} {
		b.Run(strconv.Itoa(len(p)), func(b *testing.B) {
			for b.Loop() {
				fnmatch(p, name)
			}
		})
	}
}
