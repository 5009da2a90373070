package phpstream

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/big"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Fuzz targets for PHP's transport address parsing. Seeds live both here
// (f.Add) and in testdata/fuzz/<FuzzName>/; run them with, e.g.,
//
//	go test -run XXX -fuzz FuzzParseAddress -fuzztime 5m ./phpstream
//	go test -run XXX -fuzz FuzzInetAton -fuzztime 2m ./phpstream

// addressSeeds are inputs covering every branch of SplitScheme and
// ParseHostPort.
var addressSeeds = []string{
	"",
	"tcp://127.0.0.1:80",
	"udp://[::1]:53",
	"unix:///tmp/x.sock",
	"a://h:1",
	"ab://h:1",
	"TCP://h:1",
	"tcp:/h:1",
	"foo+bar.baz-1://x:2",
	"127.0.0.1:80abc",
	"h: 80",
	"h:+80",
	"h:-1",
	"h:70000",
	"h:65536",
	"h:99999999999999999999",
	"h:",
	":",
	"::1",
	"[::1]",
	"[::1]:",
	"[]:80",
	"[[::1]]:80",
	"[::1]x:80",
	"[",
	"[]",
	"127.0.0.1:80\x00",
	"tcp://[fe80::1%eth0]:443",
	"tcp://tcp://h:1",
}

// schemeRE is PHP's scheme rule written as a regular expression: a run of
// at least two of [A-Za-z0-9+.-] directly followed by "://". The run is
// maximal in PHP's loop; the regexp gets the same run because ':' ends it.
var schemeRE = regexp.MustCompile(`^([A-Za-z0-9+.\-]{2,})://`)

func FuzzParseAddress(f *testing.F) {
	for _, s := range addressSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		scheme, rest := SplitScheme(in)
		if m := schemeRE.FindStringSubmatch(in); m != nil {
			if scheme != m[1] || rest != in[len(m[0]):] {
				t.Fatalf("SplitScheme(%q) = %q, %q; want %q, %q", in, scheme, rest, m[1], in[len(m[0]):])
			}
		} else if scheme != "tcp" || rest != in {
			t.Fatalf("SplitScheme(%q) = %q, %q; want tcp and the whole input", in, scheme, rest)
		}
		checkHostPort(t, rest)
		if rest != in {
			checkHostPort(t, in)
		}
	})
}

// checkHostPort checks ParseHostPort(addr) against PHP's rules.
func checkHostPort(t *testing.T, addr string) {
	t.Helper()
	hp, err := ParseHostPort(addr)
	if strings.IndexByte(addr, 0) >= 0 {
		if err == nil || err.Error() != "The hostname must not contain null bytes" {
			t.Fatalf("ParseHostPort(%q) = %+v, %v; want the null byte error", addr, hp, err)
		}
		return
	}
	bracket := len(addr) > 1 && addr[0] == '['
	if err != nil {
		want := fmt.Sprintf("Failed to parse address \"%s\"", addr)
		if bracket {
			want = fmt.Sprintf("Failed to parse IPv6 address \"%s\"", addr)
			// Refused only when the first ']' before the last character is
			// missing or not followed by ':'.
			if j := strings.IndexByte(addr[1:len(addr)-1], ']'); j >= 0 && addr[j+2] == ':' {
				t.Fatalf("ParseHostPort(%q) refused a valid bracket form: %v", addr, err)
			}
		} else if len(addr) > 1 && strings.IndexByte(addr[:len(addr)-1], ':') >= 0 {
			t.Fatalf("ParseHostPort(%q) refused an address with a colon: %v", addr, err)
		}
		if err.Error() != want {
			t.Fatalf("ParseHostPort(%q) error = %q; want %q", addr, err, want)
		}
		return
	}
	var tail string
	if bracket {
		// "[" Host "]:" tail, the ']' being the first one and before the
		// last character.
		prefix := "[" + hp.Host + "]:"
		if strings.IndexByte(hp.Host, ']') >= 0 || !strings.HasPrefix(addr, prefix) || len(hp.Host)+1 > len(addr)-2 {
			t.Fatalf("ParseHostPort(%q) = %+v: not the bracket form", addr, hp)
		}
		tail = addr[len(prefix):]
	} else {
		// Host ":" tail, at the first colon, which is not the last byte.
		prefix := hp.Host + ":"
		if strings.IndexByte(hp.Host, ':') >= 0 || !strings.HasPrefix(addr, prefix) {
			t.Fatalf("ParseHostPort(%q) = %+v: not split at the first colon", addr, hp)
		}
		tail = addr[len(prefix):]
		if tail == "" {
			t.Fatalf("ParseHostPort(%q) = %+v: accepted a trailing colon", addr, hp)
		}
	}
	if want := uint16(refAtoi(tail)); hp.Port != want || hp.Port != uint16(atoi(tail)) {
		t.Fatalf("ParseHostPort(%q).Port = %d; want %d (atoi(%q))", addr, hp.Port, want, tail)
	}
}

// refAtoi is glibc's atoi computed with big integers: strtol's white
// space, sign and digits, saturated to the int64 range, then truncated to
// a 32-bit int.
func refAtoi(s string) int32 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	sign := ""
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[:1], s[1:]
	}
	digits := s[:len(s)-len(strings.TrimLeft(s, "0123456789"))]
	if digits == "" {
		return 0
	}
	n, _ := new(big.Int).SetString(sign+digits, 10)
	switch {
	case n.Cmp(big.NewInt(math.MaxInt64)) > 0:
		return -1 // LONG_MAX truncated to 32 bits
	case n.Cmp(big.NewInt(math.MinInt64)) < 0:
		return 0 // LONG_MIN truncated to 32 bits
	}
	return int32(n.Int64())
}

func FuzzAtoi(f *testing.F) {
	for _, s := range []string{"", "80", " -1", "+70000", "99999999999999999999", "-9223372036854775809", "\t42x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := atoi(s), refAtoi(s); got != want {
			t.Fatalf("atoi(%q) = %d; want %d", s, got, want)
		}
	})
}

// refInetAton is glibc's __inet_aton_exact (resolv/inet_addr.c), which
// getaddrinfo uses for numeric IPv4 hosts, transcribed with a strtoul of
// base 0 written separately from phpstream's parser.
func refInetAton(s string) (netip.Addr, bool) {
	var res [4]byte
	nparts := 0
	var val uint64
	p := 0
	for {
		if p >= len(s) || s[p] < '0' || s[p] > '9' {
			return netip.Addr{}, false
		}
		v, end, ok := refStrtoul0(s, p)
		if !ok || v > 0xffffffff {
			return netip.Addr{}, false
		}
		val, p = v, end
		if p < len(s) && s[p] == '.' {
			if nparts > 2 || val > 0xff {
				return netip.Addr{}, false
			}
			res[nparts] = byte(val)
			nparts++
			p++
			continue
		}
		break
	}
	if p != len(s) { // the exact variant: nothing may follow
		return netip.Addr{}, false
	}
	if val > [4]uint64{0xffffffff, 0xffffff, 0xffff, 0xff}[nparts] {
		return netip.Addr{}, false
	}
	w := binary.BigEndian.Uint32(res[:]) | uint32(val)
	var out [4]byte
	binary.BigEndian.PutUint32(out[:], w)
	return netip.AddrFrom4(out), true
}

// refStrtoul0 is strtoul(s+p, &end, 0) where s[p] is a decimal digit: "0x"
// followed by a hex digit is hex, "0x" without one is 0 with the end on
// the 'x', a leading 0 is octal, anything else decimal. ok is false on
// ERANGE.
func refStrtoul0(s string, p int) (v uint64, end int, ok bool) {
	base, start := 10, p
	if s[p] == '0' {
		base = 8
		if p+1 < len(s) && (s[p+1] == 'x' || s[p+1] == 'X') {
			if p+2 >= len(s) || !isHexDigit(s[p+2]) {
				return 0, p + 1, true
			}
			base, start = 16, p+2
		}
	}
	end = start
	for end < len(s) {
		d, err := strconv.ParseUint(s[end:end+1], 16, 8)
		if err != nil || int(d) >= base {
			break
		}
		end++
	}
	v, err := strconv.ParseUint(s[start:end], base, 64)
	return v, end, err == nil
}

// inetAtonSeeds are the seeds of FuzzInetAton.
var inetAtonSeeds = []string{
	"127.0.0.1", "127.1", "0x7f.1", "0177.0.0.1", "2130706433", "127.0.1",
	"127.0.0.256", "1.2.3.4.5", "08", "127.0.0.1 ", "", "0xffffffff",
	"4294967296", "1.16777215", "1.2.65535", "01.02.03.04", "0x1g", "1..2",
}

func FuzzInetAton(f *testing.F) {
	for _, s := range inetAtonSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := inetAton(s)
		want, wok := refInetAton(s)
		if ok != wok || got != want {
			t.Fatalf("inetAton(%q) = %v, %v; glibc's inet_aton gives %v, %v", s, got, ok, want, wok)
		}
		// parseNumericHost agrees with inetAton on IPv4 forms.
		if a, nok := parseNumericHost(s); nok && a.Is4() && (a != got || !ok) {
			t.Fatalf("parseNumericHost(%q) = %v; inetAton gives %v, %v", s, a, got, ok)
		}

		// Every spelling of an address derived from the input parses back.
		h := fnv.New32a()
		h.Write([]byte(s))
		v := h.Sum32()
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], v)
		addr := netip.AddrFrom4(b)
		for _, form := range []string{
			addr.String(),
			strconv.FormatUint(uint64(v), 10),
			fmt.Sprintf("0x%x", v),
			fmt.Sprintf("0X%08X", v),
			fmt.Sprintf("0%o", v),
			fmt.Sprintf("%d.%d", b[0], v&0xffffff),
			fmt.Sprintf("%d.%d.%d", b[0], b[1], v&0xffff),
			fmt.Sprintf("0%o.0x%x.%d.0%o", b[0], b[1], b[2], b[3]),
		} {
			if a, ok := inetAton(form); !ok || a != addr {
				t.Fatalf("inetAton(%q) = %v, %v; want %v", form, a, ok, addr)
			}
			if a, ok := refInetAton(form); !ok || a != addr {
				t.Fatalf("refInetAton(%q) = %v, %v; want %v", form, a, ok, addr)
			}
		}
	})
}

// TestRefInetAton keeps the reference honest against the glibc table.
func TestRefInetAton(t *testing.T) {
	for _, tt := range inetAtonTests {
		a, ok := refInetAton(tt.in)
		got := ""
		if ok {
			got = a.String()
		}
		if got != tt.want {
			t.Errorf("refInetAton(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"0x", "0X", "0x.1", "1.0x", "1.2.3.0x", "0x7f.0x.1"} {
		if a, ok := refInetAton(in); ok {
			t.Errorf("refInetAton(%q) = %v; glibc rejects it", in, a)
		}
	}
}
