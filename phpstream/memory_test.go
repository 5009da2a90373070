package phpstream

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMemoryStreamIsReadWriter checks the net.Conn half a memory stream
// has: Write appends at the position, Read reads to io.EOF, and the PHP
// methods see the same bytes and position.
func TestMemoryStreamIsReadWriter(t *testing.T) {
	s := newMemoryStream("w+")
	defer s.Close()
	if n, err := io.WriteString(s, "hello, world"); n != 12 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if ok, _ := s.seekPHP(0, 0); !ok {
		t.Fatal("rewind failed")
	}
	line, ok := s.Fgets(6)
	if !ok || string(line) != "hello" {
		t.Fatalf("Fgets = %q, %v", line, ok)
	}
	rest, err := io.ReadAll(s)
	if err != nil || string(rest) != ", world" {
		t.Fatalf("ReadAll = %q, %v", rest, err)
	}
	if pos := s.Position(); pos != 12 {
		t.Errorf("Position = %d after reading everything", pos)
	}
	if m := s.Meta(); m.StreamType != "MEMORY" || m.WrapperType != "PHP" || m.Mode != "w+b" || m.URI != "php://memory" {
		t.Errorf("Meta = %+v", m)
	}
}

// TestMemoryStreamReadOnly checks that a read-only memory stream refuses
// writes through both APIs.
func TestMemoryStreamReadOnly(t *testing.T) {
	s := newMemoryStream("r")
	defer s.Close()
	if _, err := s.Fwrite([]byte("x")); !errors.Is(err, ErrNotWritable) {
		t.Errorf("Fwrite on a read-only stream: %v", err)
	}
	if _, err := s.Write([]byte("x")); !errors.Is(err, ErrNotWritable) {
		t.Errorf("Write on a read-only stream: %v", err)
	}
}

// TestTempStreamSpillsAndCleansUp writes past maxmemory and checks that the
// bytes survive the move to a temporary file and the file is removed on
// Close.
func TestTempStreamSpillsAndCleansUp(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	s, err := openPHPURL("php://temp/maxmemory:16", "w+", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data := strings.Repeat("0123456789", 100)
	if n, err := s.Fwrite([]byte(data)); n != len(data) || err != nil {
		t.Fatalf("Fwrite = %d, %v", n, err)
	}
	files, _ := os.ReadDir(os.Getenv("TMPDIR"))
	if len(files) != 1 {
		t.Fatalf("%d temporary files after spilling; want 1", len(files))
	}
	s.seekPHP(0, 0)
	if got := s.GetContents(-1); !bytes.Equal(got, []byte(data)) {
		t.Errorf("contents after spilling: %d bytes, want %d", len(got), len(data))
	}
	if st, err := s.Stat(); err != nil || st.Size != int64(len(data)) {
		t.Errorf("Stat = %+v, %v", st, err)
	}
	s.Close()
	if files, _ := os.ReadDir(os.Getenv("TMPDIR")); len(files) != 0 {
		t.Errorf("%d temporary files left after Close", len(files))
	}
}

// TestOpenPHPURLErrors checks the php:// names that fail and how.
func TestOpenPHPURLErrors(t *testing.T) {
	for url, want := range map[string]error{
		"php://nothing":            ErrInvalidPHPURL,
		"php://memory/":            ErrInvalidPHPURL,
		"php://temp/maxmemory:-5":  ErrNegativeMaxMemory,
		"php://stdin":              nil,
		"php://filter/resource=x":  ErrUnsupportedURL,
		"php://input":              nil,
		"php://temp/maxmemory:abc": nil,
		"PHP://MEMORY":             nil,
	} {
		s, err := openPHPURL(url, "w+", OpenOptions{})
		if !errors.Is(err, want) {
			t.Errorf("openPHPURL(%q) = %v; want %v", url, err, want)
		}
		if s != nil {
			s.Close()
		}
	}
}

// TestClosedTempStreamCreatesNothing uses a php://temp stream after
// Close: every operation fails, and no temporary file appears (a write
// past maxmemory would otherwise spill into a new one).
func TestClosedTempStreamCreatesNothing(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	s, err := openPHPURL("php://temp/maxmemory:4", "w+", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if n, err := s.Fwrite([]byte("more than four bytes")); n != 0 || err == nil {
		t.Errorf("Fwrite after Close = %d, %v", n, err)
	}
	if _, ok := s.Fread(10); ok {
		t.Error("Fread after Close succeeded")
	}
	if _, err := s.selectCast(); err == nil {
		t.Error("selectCast after Close succeeded")
	}
	if files, _ := os.ReadDir(os.Getenv("TMPDIR")); len(files) != 0 {
		t.Errorf("%d temporary files after using a closed stream", len(files))
	}
}

// TestFilteredMemoryStreamRead checks that the net.Conn Read of a
// php://filter stream goes through its read filters, as Fread does.
func TestFilteredMemoryStreamRead(t *testing.T) {
	s, err := OpenURL("php://filter/read=string.rot13/resource=data:,Hello", "r", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := io.ReadAll(s)
	if err != nil || string(got) != "Uryyb" {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
}

// TestDroppedTempStreamRemovesItsFile spills a php://temp stream to its
// temporary file and drops it without Close: the collector's cleanup
// removes the file.
func TestDroppedTempStreamRemovesItsFile(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	func() {
		s, err := openPHPURL("php://temp/maxmemory:1", "w+", OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		s.Fwrite([]byte("spilled"))
	}()
	for i := 0; i < 50; i++ {
		runtime.GC()
		if files, _ := os.ReadDir(os.Getenv("TMPDIR")); len(files) == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("the temporary file of a dropped php://temp stream is still there")
}
