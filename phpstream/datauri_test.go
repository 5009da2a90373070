package phpstream

import (
	"bytes"
	"encoding/base64"
	"testing"
)

// FuzzDataURL opens random data: URLs: no panic, and a URL that opens
// reads back, in full, bytes that its own encoding would give again.
func FuzzDataURL(f *testing.F) {
	for _, seed := range []string{"data:,hello", "data:text/plain;charset=utf-8;base64,aGk=", "data://;base64,YQ==",
		"data:a/b;x=y;mediatype=z,%41+%zz", "data:text/plain;base64,aGV sbG8", "data:;base64,====", "data:x;y,z", "data:"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, url string) {
		s, err := openDataURL(url, "r")
		if err != nil {
			if _, ok := err.(*OpenError); !ok {
				t.Fatalf("openDataURL(%q): %T %v", url, err, err)
			}
			return
		}
		defer s.Close()
		got := s.GetContents(-1)
		m := s.Meta()
		if m.StreamType != "RFC2397" || len(m.Head) == 0 || m.Head[len(m.Head)-1].Key != "base64" {
			t.Fatalf("Meta of %q: %+v", url, m)
		}
		if m.Head[len(m.Head)-1].Value == true {
			// Strict decoding agrees with Go's on what it accepts, once white
			// space is gone and padding restored.
			if again, ok := phpBase64Decode(base64.StdEncoding.EncodeToString(got)); !ok || !bytes.Equal(again, got) {
				t.Fatalf("%q: decoded %q does not round-trip", url, got)
			}
		}
	})
}
