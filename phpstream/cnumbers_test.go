package phpstream

import "testing"

// TestStrtoul checks strtoulPrefix against glibc's strtoul: the values and
// end offsets below were printed by glibc 2.36's strtoul(s, &end, 10)
// (called through Python's ctypes on Debian 12).
func TestStrtoul(t *testing.T) {
	for _, tt := range []struct {
		in       string
		want     uint64
		consumed int
	}{
		{"", 0, 0},
		{"abc", 0, 0},
		{" 42x", 42, 3},
		{"\t-1", 18446744073709551615, 3},
		{"+7", 7, 2},
		{"-18446744073709551615", 1, 21},
		{"-18446744073709551616", 18446744073709551615, 21},
		{"18446744073709551615", 18446744073709551615, 20},
		{"18446744073709551616", 18446744073709551615, 20},
		{"99999999999999999999999", 18446744073709551615, 23},
		{"  -0", 0, 4},
		{"- 5", 0, 0},
		{"0012,3", 12, 4},
	} {
		if v, n := strtoulPrefix(tt.in); v != tt.want || n != tt.consumed {
			t.Errorf("strtoulPrefix(%q) = %d, %d; want %d, %d", tt.in, v, n, tt.want, tt.consumed)
		}
	}
}
