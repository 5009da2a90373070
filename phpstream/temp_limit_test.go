//go:build linux

package phpstream_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/phpsock/phpsock/phpstream"
)

// tempLimitEnv makes the test binary write to php://temp under a file size
// limit (RLIMIT_FSIZE, which Go's runtime turns into EFBIG by ignoring
// SIGXFSZ) and print what every call returned: a write error of the
// temporary file, as a full disk gives, in a process of its own.
const tempLimitEnv = "PHPSTREAM_TEST_TEMP_LIMIT"

func init() { testChildren[tempLimitEnv] = runTempLimit }

// runTempLimit writes 8 KiB chunks past a 1 MiB file size limit.
func runTempLimit() int {
	lim := syscall.Rlimit{Cur: 1 << 20, Max: 1 << 20}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Println("setrlimit:", err)
		return 1
	}
	s, err := phpstream.OpenURL("php://temp/maxmemory:0", "w+", phpstream.OpenOptions{
		Diagnostics: func(d phpstream.Diagnostic) { fmt.Println("diagnostic:", d.Message) },
	})
	if err != nil {
		fmt.Println("open:", err)
		return 1
	}
	chunk := make([]byte, 8192)
	for i := 1; i <= 160; i++ {
		n, err := s.Fwrite(chunk)
		if err != nil || n != len(chunk) {
			fmt.Printf("fwrite %d: %d %v\n", i, n, err)
		}
	}
	fmt.Println("fflush:", s.Fflush())
	if st, err := s.Stat(); err == nil {
		fmt.Println("size:", st.Size)
	}
	fmt.Println("close:", s.Close())
	return 0
}

// TestTempWriteErrorShows checks how a spilled php://temp reports a write
// error of its file: the fwrite that writes the window out fails with
// PHP's notice, the bytes in the window are lost, fflush reports the next
// failure, and nothing panics or hangs.
func TestTempWriteErrorShows(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), tempLimitEnv+"=1", "TMPDIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	// Eight windows of 128 KiB fill the 1 MiB limit; the ninth, written
	// out by fwrite 145 (its 16 chunks are fwrites 129 to 144), fails.
	// PHP would fail fwrite 129 itself.
	want := strings.Join([]string{
		"diagnostic: Write of 8192 bytes failed with errno=27 File too large",
		"fwrite 145: 0 phpstream: stream is not writable",
		"fflush: false",
		"size: 1048576",
		"close: <nil>",
	}, "\n") + "\n"
	if string(out) != want {
		t.Errorf("child printed\n%s\nwant\n%s", out, want)
	}
}
