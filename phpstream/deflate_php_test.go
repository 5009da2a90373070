package phpstream

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeflateReadByPHP: what zlib.deflate writes is Go's deflate, not
// zlib's bytes, but real PHP's zlib.inflate (and gzinflate) must read it
// back to the same data, flushed part included.
func TestDeflateReadByPHP(t *testing.T) {
	php, err := exec.LookPath("php")
	if err != nil {
		t.Skip("needs php (Debian package php8.2-cli)")
	}
	path := filepath.Join(t.TempDir(), "z.bin")
	s, err := OpenURL("php://filter/write=zlib.deflate/resource="+path, "w", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := "first part, " + strings.Repeat("0123456789", 5000) + ", last part"
	s.Fwrite([]byte(want[:12]))
	s.Fwrite([]byte(want[12 : len(want)-11]))
	if !s.Fflush() {
		t.Fatal("fflush failed")
	}
	s.Fwrite([]byte(want[len(want)-11:]))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{
		`echo file_get_contents("php://filter/read=zlib.inflate/resource=" . $argv[1]);`,
		`echo gzinflate(file_get_contents($argv[1]));`,
	} {
		out, err := exec.Command(php, "-n", "-r", code, path).Output()
		if err != nil {
			t.Fatalf("php %s: %v", code, err)
		}
		if string(out) != want {
			t.Errorf("php %s read back %d bytes, want %d", code, len(out), len(want))
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 || fi.Size() >= int64(len(want)) {
		t.Errorf("deflated file: %v, %v (want smaller than %d bytes)", fi, err, len(want))
	}
}
