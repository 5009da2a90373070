package phpstream

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"runtime"
	"testing"
	"time"
)

// FuzzFilterURL opens php://filter URLs with random filter specifications
// over random data and reads them to the end: no panic, whatever the chain.
func FuzzFilterURL(f *testing.F) {
	for _, seed := range []struct {
		spec string
		data []byte
	}{
		{"read=string.rot13", []byte("Hello")},
		{"string.toupper|string.rot13/write=string.tolower", []byte("abc")},
		{"read=convert.base64-encode|convert.base64-decode", []byte{0, 1, 2, 3, 4}},
		{"read=zlib.inflate", []byte{0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}},
		{"read=nope|%7C/", nil},
		{"read=convert.quoted-printable-decode", []byte("a=3Db=\r\nc=4a= \t=ZZ")},
		{"read=convert.QUOTED-PRINTABLE-ENCODE", []byte("\x00\xff=\r\n\t ")},
	} {
		f.Add(seed.spec, seed.data)
	}
	f.Fuzz(func(t *testing.T, spec string, data []byte) {
		url := "php://filter/" + spec + "/resource=data:;base64," + base64.StdEncoding.EncodeToString(data)
		s, err := OpenURL(url, "r", OpenOptions{})
		if err != nil {
			return
		}
		defer s.Close()
		for i := 0; i < 3; i++ {
			s.Fread(7)
			s.Fgets(0)
		}
		s.GetContents(-1)

		// Quoted-printable encoding, then decoding, gives any data back.
		qp := "php://filter/read=convert.quoted-printable-encode|convert.quoted-printable-decode/resource=data:;base64," + base64.StdEncoding.EncodeToString(data)
		r, err := OpenURL(qp, "r", OpenOptions{})
		if err != nil {
			t.Fatalf("%s: %v", qp, err)
		}
		defer r.Close()
		if got := r.GetContents(-1); !bytes.Equal(got, data) && len(got)+len(data) > 0 {
			t.Fatalf("quoted-printable round trip of %q gave %q", data, got)
		}
	})
}

// TestInflateIsIncremental decompresses a large deflate stream through
// php://filter in PHP's chunks, and closes another one half-read: the
// output is whole, and no decompressor goroutine outlives its stream.
func TestInflateIsIncremental(t *testing.T) {
	var packed bytes.Buffer
	w, _ := flate.NewWriter(&packed, flate.BestSpeed)
	want := bytes.Repeat([]byte("phpsock inflates as it reads. "), 1<<16)
	w.Write(want)
	w.Close()
	url := "php://filter/read=zlib.inflate/resource=data:;base64," + base64.StdEncoding.EncodeToString(packed.Bytes())
	before := runtime.NumGoroutine()
	s, err := OpenURL(url, "r", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.GetContents(-1); !bytes.Equal(got, want) {
		t.Fatalf("inflated %d bytes, want %d", len(got), len(want))
	}
	s.Close()
	half, err := OpenURL(url, "r", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	half.Fread(100)
	half.Close()
	for i := 0; runtime.NumGoroutine() > before; i++ {
		if i == 100 {
			t.Fatalf("%d goroutines, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBase64EncoderChunks feeds convert.base64-encode every split of an
// input into two or three chunks and compares with encoding it whole.
func TestBase64EncoderChunks(t *testing.T) {
	in := []byte("phpsock base64 chunks!")
	want := base64.StdEncoding.EncodeToString(in)
	for i := 0; i <= len(in); i++ {
		for j := i; j <= len(in); j++ {
			e := &base64Encoder{}
			var got []byte
			for _, part := range [][]byte{in[:i], in[i:j], in[j:]} {
				out, _, _ := e.filter(part, filterNormal)
				got = append(got, out...)
			}
			out, _, _ := e.filter(nil, filterFlushClose)
			got = append(got, out...)
			if string(got) != want {
				t.Fatalf("split at %d, %d: %q; want %q", i, j, got, want)
			}
		}
	}
}
