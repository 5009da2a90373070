package phpstream

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestZlibSeekAfterRefusedSeek: PHP 8.2 with zlib never returns from
// fseek($w, 2, SEEK_CUR) after a refused fseek($w, 5) on a compress.zlib
// stream open for writing (its position is -1 and zlib is asked to skip
// nearly 2^63 bytes). Here that seek fails, and the file holds what was
// written.
func TestZlibSeekAfterRefusedSeek(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.gz")
	s, err := OpenURL("compress.zlib://"+path, "w", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Fwrite([]byte("hello ")); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.seekPHP(20, seekSet); !ok {
		t.Fatal("forward seek refused")
	}
	if ok, _ := s.seekPHP(5, seekSet); ok {
		t.Fatal("backward seek while writing accepted")
	}
	if ok, _ := s.seekPHP(2, seekCur); ok {
		t.Fatal("seek from position -1 accepted")
	}
	if _, err := s.Fwrite([]byte("X")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || string(got) != "hello X" {
		t.Fatalf("file holds %q, %v; want %q (the refused seek drops the pending skip, as zlib does)", got, err, "hello X")
	}
}

// FuzzZlibURL reads any bytes through compress.zlib:// with mixed read
// sizes and seeks: no panic, no hang, and gzip data made by Go reads back.
func FuzzZlibURL(f *testing.F) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("hello, zlib\nsecond line\n"))
	zw.Close()
	f.Add(gz.Bytes(), []byte("plain"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff}, []byte{})
	f.Add(append(gz.Bytes(), gz.Bytes()...), []byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		data := append(append([]byte(nil), a...), b...)
		url := "compress.zlib://data:;base64," + base64.StdEncoding.EncodeToString(data)
		s, err := OpenURL(url, "r", OpenOptions{})
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		defer s.Close()
		for i, n := range []int{1, 7, 100, 9000} {
			s.Fread(n)
			s.Fgets(0)
			if i == 1 {
				s.seekPHP(int64(len(b)), seekSet)
			}
			if i == 2 {
				s.seekPHP(0, seekSet)
			}
		}
		s.GetContents(-1)

		// Go's gzip of the data reads back as the data.
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(data)
		w.Close()
		r, err := OpenURL("compress.zlib://data:;base64,"+base64.StdEncoding.EncodeToString(buf.Bytes()), "r", OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if got := r.GetContents(-1); !bytes.Equal(got, data) && len(got)+len(data) > 0 {
			t.Fatalf("gzip of %q read back as %q", data, got)
		}
	})
}
