package errno

import (
	"runtime"
	"strconv"
	"syscall"
	"testing"
)

// errnoOf converts v to a syscall.Errno the way a C int or a raw register
// value would be converted, so that the test tables compile whatever the
// width of syscall.Errno (uintptr on most platforms, uint16 on wasip1).
func errnoOf(v uint64) syscall.Errno { return syscall.Errno(v) }

func TestMessage(t *testing.T) {
	if !glibcErrno {
		t.Skipf("no glibc errno table on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	tests := []struct {
		e    uint64
		want string
	}{
		{0, "Success"},
		{1, "Operation not permitted"},
		{2, "No such file or directory"},
		{11, "Resource temporarily unavailable"},
		{13, "Permission denied"},
		{32, "Broken pipe"},
		{98, "Address already in use"},
		{101, "Network is unreachable"},
		{104, "Connection reset by peer"},
		{110, "Connection timed out"},
		{111, "Connection refused"},
		{113, "No route to host"},
		{115, "Operation now in progress"},
		{133, "Memory page has hardware error"},
		{41, "Unknown error 41"},   // hole in the Linux numbering
		{134, "Unknown error 134"}, // past glibc 2.36's table (newer x/sys names it EFTYPE)
		{4000, "Unknown error 4000"},
		{99999, "Unknown error 99999"},
		{1<<31 - 1, "Unknown error 2147483647"},
		// strerror takes an int: the number is truncated to 32 bits.
		{1<<32 - 1, "Unknown error -1"},
		{1 << 31, "Unknown error -2147483648"},
	}
	if strconv.IntSize == 64 {
		tests = append(tests, struct {
			e    uint64
			want string
		}{1<<32 + 111, "Connection refused"})
	}
	for _, tt := range tests {
		if got := Message(errnoOf(tt.e)); got != tt.want {
			t.Errorf("Message(%d) = %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestName(t *testing.T) {
	if !glibcErrno {
		t.Skipf("no glibc errno table on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	tests := []struct {
		e    uint64
		want string
	}{
		{0, ""},
		{1, "EPERM"},
		{2, "ENOENT"},
		{11, "EAGAIN"},
		{104, "ECONNRESET"},
		{110, "ETIMEDOUT"},
		{111, "ECONNREFUSED"},
		{41, ""},
		{4000, ""},
		{99999, ""},
		{1<<32 - 1, ""},
	}
	for _, tt := range tests {
		if got := Name(errnoOf(tt.e)); got != tt.want {
			t.Errorf("Name(%d) = %q, want %q", tt.e, got, tt.want)
		}
	}
	if got := Name(syscall.ECONNREFUSED); got != "ECONNREFUSED" {
		t.Errorf("Name(syscall.ECONNREFUSED) = %q, want %q", got, "ECONNREFUSED")
	}
}

func TestGaiMessage(t *testing.T) {
	if runtime.GOOS != "linux" {
		for _, code := range []int{0, EAI_NONAME, EAI_AGAIN, EAI_INTR, 12345} {
			if GaiMessage(code) == "" {
				t.Errorf("GaiMessage(%d) is empty", code)
			}
		}
		t.Skipf("no glibc gai_strerror table on %s", runtime.GOOS)
	}
	tests := []struct {
		code int
		want string
	}{
		{EAI_BADFLAGS, "Bad value for ai_flags"},
		{EAI_NONAME, "Name or service not known"},
		{EAI_AGAIN, "Temporary failure in name resolution"},
		{EAI_FAIL, "Non-recoverable failure in name resolution"},
		{EAI_NODATA, "No address associated with hostname"},
		{EAI_SERVICE, "Servname not supported for ai_socktype"},
		{EAI_SYSTEM, "System error"},
		{EAI_IDN_ENCODE, "Parameter string not correctly encoded"},
		{-2, "Name or service not known"},
		{-3, "Temporary failure in name resolution"},
		{0, "Unknown error"},
		{-13, "Unknown error"},
		{12345, "Unknown error"},
	}
	// gai_strerror takes an int: the code is truncated to 32 bits.
	wide := int64(1<<32 - 2)
	tests = append(tests, struct {
		code int
		want string
	}{int(wide), "Name or service not known"})
	for _, tt := range tests {
		if got := GaiMessage(tt.code); got != tt.want {
			t.Errorf("GaiMessage(%d) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestFallback(t *testing.T) {
	if glibcErrno {
		t.Skip("the glibc table is in use")
	}
	for _, e := range []syscall.Errno{0, 1, 2, 4000} {
		if got, want := Message(e), e.Error(); got != want {
			t.Errorf("Message(%d) = %q, want %q", uintptr(e), got, want)
		}
	}
}

func TestNoAllocs(t *testing.T) {
	var sink string
	allocs := testing.AllocsPerRun(100, func() {
		sink = Name(syscall.Errno(111))
		sink = Message(syscall.Errno(111))
		if glibcErrno {
			sink = Message(0) // Go's fallback text for 0 is built on the fly
		}
		sink = GaiMessage(EAI_NONAME)
		sink = GaiMessage(0)
	})
	_ = sink
	if allocs != 0 {
		t.Errorf("lookups of known values allocate %v times, want 0", allocs)
	}
}

func BenchmarkName(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Name(syscall.Errno(i & 127))
	}
}

func BenchmarkMessage(b *testing.B) {
	known := []syscall.Errno{0, 2, 11, 32, 104, 110, 111, 113}
	for i := 0; b.Loop(); i++ {
		Message(known[i%len(known)])
	}
}

func BenchmarkGaiMessage(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		GaiMessage(-(i & 15))
	}
}
