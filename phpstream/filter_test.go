package phpstream

import (
	"encoding/base64"
	"testing"
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
	})
}
