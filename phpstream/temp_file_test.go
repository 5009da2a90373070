package phpstream

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestTempFileActsAsPlainFile drives a spilled php://temp's file (with its
// window) and a plain file backing side by side through random reads,
// writes, seeks, truncations, stats and flushes, and requires the same
// result from every call and the same bytes at the end: the window must
// not be observable.
func TestTempFileActsAsPlainFile(t *testing.T) {
	dir := t.TempDir()
	for seed := uint64(1); seed <= 40; seed++ {
		pf, err := os.Create(filepath.Join(dir, "plain"))
		if err != nil {
			t.Fatal(err)
		}
		tf, err := os.Create(filepath.Join(dir, "temp"))
		if err != nil {
			t.Fatal(err)
		}
		plain := &fileBacking{f: pf}
		temp := &tempFile{f: tf, fd: fileDescriptor(tf)}
		r := rand.New(rand.NewPCG(seed, 7))
		sizes := []int{1, 100, 8192, tempWindow - 1, tempWindow, tempWindow + 3, 3 * tempWindow}
		for op := 0; op < 300; op++ {
			size := sizes[r.IntN(len(sizes))]
			switch r.IntN(6) {
			case 0, 1:
				p := make([]byte, size)
				for i := range p {
					p[i] = byte(r.Uint32())
				}
				n1, err1 := plain.write(p)
				n2, err2 := temp.write(p)
				if n1 != n2 || (err1 == nil) != (err2 == nil) {
					t.Fatalf("seed %d op %d: write(%d) = %d, %v on the plain file; %d, %v on temp", seed, op, size, n1, err1, n2, err2)
				}
			case 2:
				// PHP reads a plain file to the requested size or its end
				// (fileReadFull), which is what the window must give.
				p1, p2 := make([]byte, size), make([]byte, size)
				n1, eof1, err1 := fileReadFull(pf, fileDescriptor(pf), p1)
				n2, eof2, err2 := temp.read(p2)
				if n1 != n2 || eof1 != eof2 || (err1 == nil) != (err2 == nil) || !bytes.Equal(p1[:n1], p2[:n2]) {
					t.Fatalf("seed %d op %d: read(%d) = %d, %v, %v on the plain file; %d, %v, %v on temp", seed, op, size, n1, eof1, err1, n2, eof2, err2)
				}
			case 3:
				whence := r.IntN(3)
				off := int64(r.IntN(4*tempWindow)) - tempWindow
				pos1, ok1 := plain.seek(off, whence)
				pos2, ok2 := temp.seek(off, whence)
				if pos1 != pos2 || ok1 != ok2 {
					t.Fatalf("seed %d op %d: seek(%d, %d) = %d, %v on the plain file; %d, %v on temp", seed, op, off, whence, pos1, ok1, pos2, ok2)
				}
			case 4:
				if r.IntN(2) == 0 {
					size := int64(r.IntN(3 * tempWindow))
					if err1, err2 := pf.Truncate(size), temp.truncate(size); (err1 == nil) != (err2 == nil) {
						t.Fatalf("seed %d op %d: truncate(%d) = %v on the plain file; %v on temp", seed, op, size, err1, err2)
					}
				} else if !temp.flush() {
					t.Fatalf("seed %d op %d: flush failed", seed, op)
				}
			case 5:
				st1, err1 := plain.stat()
				st2, err2 := temp.stat()
				if st1.Size != st2.Size || (err1 == nil) != (err2 == nil) {
					t.Fatalf("seed %d op %d: stat size %d, %v on the plain file; %d, %v on temp", seed, op, st1.Size, err1, st2.Size, err2)
				}
			}
		}
		temp.flush()
		want, _ := os.ReadFile(pf.Name())
		got, _ := os.ReadFile(tf.Name())
		if !bytes.Equal(want, got) {
			t.Fatalf("seed %d: the files differ at the end (%d and %d bytes)", seed, len(want), len(got))
		}
		pf.Close()
		temp.close()
	}
}

// TestTempStreamReadsWhatItWrote is the window seen through a Stream:
// fwrite, rewind and fread across many windows, with a seek into the
// middle of written-but-not-yet-flushed bytes.
func TestTempStreamReadsWhatItWrote(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	s, err := openPHPURL("php://temp/maxmemory:0", "w+", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var want bytes.Buffer
	chunk := make([]byte, 8192)
	for i := 0; i < 100; i++ {
		for j := range chunk {
			chunk[j] = byte(i + j)
		}
		want.Write(chunk)
		if n, err := s.Fwrite(chunk); n != len(chunk) || err != nil {
			t.Fatalf("Fwrite %d = %d, %v", i, n, err)
		}
	}
	s.seekPHP(int64(want.Len())-10, io.SeekStart)
	if got := s.GetContents(-1); !bytes.Equal(got, want.Bytes()[want.Len()-10:]) {
		t.Fatalf("the last 10 bytes read back as %x", got)
	}
	s.seekPHP(0, io.SeekStart)
	if got := s.GetContents(-1); !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("read back %d bytes, not the %d written", len(got), want.Len())
	}
	if st, err := s.Stat(); err != nil || st.Size != int64(want.Len()) {
		t.Fatalf("Stat = %+v, %v", st, err)
	}
}
