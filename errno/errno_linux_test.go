package errno

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// TestNamesMatchXSys checks that every name in the table round-trips with
// golang.org/x/sys/unix, and that the table misses none of its names.
func TestNamesMatchXSys(t *testing.T) {
	if !genericArch {
		t.Skip("no glibc errno table on this architecture")
	}
	for n, ent := range errnoTable {
		if ent.name == "" {
			continue
		}
		e := syscall.Errno(n)
		if got := unix.ErrnoName(e); got != ent.name {
			t.Errorf("errnoTable[%d].name = %q, unix.ErrnoName = %q", n, ent.name, got)
		}
	}
	for n := range 4096 {
		e := syscall.Errno(n)
		if got, want := Name(e), unix.ErrnoName(e); got != want {
			t.Errorf("Name(%d) = %q, unix.ErrnoName = %q", n, got, want)
		}
	}
}

// TestTableShape checks the invariants the lookups rely on.
func TestTableShape(t *testing.T) {
	if last := errnoTable[len(errnoTable)-1]; last.name == "" && last.text == "" {
		t.Errorf("errnoTable ends with an empty entry")
	}
	for i, ent := range gaiTable {
		if i > 0 && gaiTable[i-1].code >= ent.code {
			t.Errorf("gaiTable not strictly sorted at %d: %d then %d", i, gaiTable[i-1].code, ent.code)
		}
		if got := GaiMessage(ent.code); got != ent.text {
			t.Errorf("GaiMessage(%d) = %q, want %q", ent.code, got, ent.text)
		}
	}
}

// TestGeneratedUpToDate re-runs tools/mkerrno and compares its output with
// the committed files, so that the tables cannot drift from the generator,
// x/sys or glibc silently.
func TestGeneratedUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the generator run in -short mode")
	}
	if !genericArch {
		t.Skip("tools/mkerrno only runs on asm-generic errno architectures")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("cannot regenerate: no go command in PATH: %v", err)
	}
	out, err := exec.Command(goTool, "env", "CGO_ENABLED", "CC").Output()
	if err != nil {
		t.Skipf("cannot regenerate: go env: %v", err)
	}
	env := strings.Fields(string(out))
	if len(env) < 2 || env[0] != "1" {
		t.Skip("cannot regenerate: cgo is disabled (CGO_ENABLED != 1)")
	}
	if _, err := exec.LookPath(env[1]); err != nil {
		t.Skipf("cannot regenerate: C compiler %q not found: %v", env[1], err)
	}

	dir := t.TempDir()
	cmd := exec.Command(goTool, "run", "./tools/mkerrno", "-dir", dir)
	cmd.Dir = ".." // the module root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./tools/mkerrno: %v\n%s", err, out)
	}

	fresh, err := os.ReadFile(filepath.Join(dir, "zerrno_linux.go"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^const libcVersion = "(.*)"$`).FindSubmatch(fresh)
	if m == nil {
		t.Fatal("regenerated zerrno_linux.go has no libcVersion")
	}
	if host := string(m[1]); host != libcVersion {
		t.Skipf("host glibc %s differs from glibc %s the tables were generated from; "+
			"regenerate on purpose with: go run ./tools/mkerrno -dir errno", host, libcVersion)
	}

	for _, name := range []string{"zerrno_linux.go", "zeai.go"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale; run: go run ./tools/mkerrno -dir errno\ndiff (-committed +generated):\n%s",
				name, cmp.Diff(strings.Split(string(got), "\n"), strings.Split(string(want), "\n")))
		}
	}
}
