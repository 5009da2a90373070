package phpstream

import (
	"net/netip"
	"strings"
	"testing"
)

// The expectations in this file come from PHP 8.2 recordings (see
// conformance/cases/connect.json) and from glibc itself: the atoi rows
// were checked against glibc 2.36's atoi, the inet_aton rows against
// getaddrinfo(AI_NUMERICHOST, AF_INET).

func TestSplitScheme(t *testing.T) {
	tests := []struct {
		in, scheme, rest string
	}{
		{"tcp://127.0.0.1:80", "tcp", "127.0.0.1:80"},
		{"udp://[::1]:53", "udp", "[::1]:53"},
		{"unix:///run/x.sock", "unix", "/run/x.sock"},
		{"ssl://h:443", "ssl", "h:443"},
		{"tlsv1.3://h:443", "tlsv1.3", "h:443"},
		{"foo+bar.baz-1://x", "foo+bar.baz-1", "x"},
		{"12://x", "12", "x"}, // digits are scheme characters
		{"ab://h", "ab", "h"}, // two characters are enough
		{"ab://cd://ef", "ab", "cd://ef"},
		{"tcp://", "tcp", ""},
		{"tcp:///x", "tcp", "/x"},
		// The case is kept: lookup is case-sensitive, "TCP" is unknown.
		{"TCP://h:1", "TCP", "h:1"},
		{"Tcp://h:1", "Tcp", "h:1"},
		// No scheme: the whole string is a tcp address.
		{"127.0.0.1:80", "tcp", "127.0.0.1:80"},
		{"localhost:80", "tcp", "localhost:80"},
		{"a://h", "tcp", "a://h"}, // a one-character scheme is not one
		{"://h", "tcp", "://h"},
		{"tcp:/h", "tcp", "tcp:/h"},
		{"tcp:h", "tcp", "tcp:h"},
		{"tcp", "tcp", "tcp"},
		{"", "tcp", ""},
		{"foo_bar://x", "tcp", "foo_bar://x"}, // '_' is not a scheme character
		{"x y://z", "tcp", "x y://z"},
		{" tcp://x", "tcp", " tcp://x"},
		{"tcp\x00://h", "tcp", "tcp\x00://h"},
		{"\xe9t\xe9://x", "tcp", "\xe9t\xe9://x"}, // non-ASCII letters are not alnum in C
		{"[::1]:80", "tcp", "[::1]:80"},
	}
	for _, tt := range tests {
		scheme, rest := SplitScheme(tt.in)
		if scheme != tt.scheme || rest != tt.rest {
			t.Errorf("SplitScheme(%q) = %q, %q; want %q, %q", tt.in, scheme, rest, tt.scheme, tt.rest)
		}
	}
}

func TestParseHostPort(t *testing.T) {
	const nul = "The hostname must not contain null bytes"
	tests := []struct {
		in   string
		host string
		port uint16
		err  string // PHP's error text; "" for success
	}{
		{in: "127.0.0.1:80", host: "127.0.0.1", port: 80},
		{in: "localhost:8080", host: "localhost", port: 8080},
		{in: ":80", host: "", port: 80},
		{in: " host:80", host: " host", port: 80},

		// The port is atoi with a 16-bit wrap.
		{in: "h:80abc", host: "h", port: 80},
		{in: "h:80/path", host: "h", port: 80},
		{in: "h: 80", host: "h", port: 80},
		{in: "h:\t80", host: "h", port: 80},
		{in: "h:+80", host: "h", port: 80},
		{in: "h:00080", host: "h", port: 80},
		{in: "h:-1", host: "h", port: 65535},
		{in: "h:-65535", host: "h", port: 1},
		{in: "h:70000", host: "h", port: 4464},
		{in: "h:65536", host: "h", port: 0},
		{in: "h:131072", host: "h", port: 0},
		{in: "h:99999999999999999999", host: "h", port: 65535},
		{in: "h:0x50", host: "h", port: 0},
		{in: "h:abc", host: "h", port: 0},
		{in: "h: ", host: "h", port: 0},

		// The first colon splits, even in a bare IPv6 address.
		{in: "::1", host: "", port: 0},
		{in: "::1:80", host: "", port: 0},
		{in: "a:b:c", host: "a", port: 0},
		{in: "1:2:3", host: "1", port: 2},

		// A colon as the last character does not count.
		{in: "h:", err: `Failed to parse address "h:"`},
		{in: ":", err: `Failed to parse address ":"`},
		{in: "h", err: `Failed to parse address "h"`},
		{in: "127.0.0.1", err: `Failed to parse address "127.0.0.1"`},
		{in: "", err: `Failed to parse address ""`},
		{in: "[", err: `Failed to parse address "["`}, // too short for the bracket form
		{in: "a::", host: "a", port: 0},

		// The bracket form.
		{in: "[::1]:80", host: "::1", port: 80},
		{in: "[::1]:", host: "::1", port: 0},
		{in: "[]:80", host: "", port: 80},
		{in: "[]:", host: "", port: 0},
		{in: "[127.0.0.1]:80", host: "127.0.0.1", port: 80},
		{in: "[fe80::1%eth0]:80", host: "fe80::1%eth0", port: 80},
		{in: "[::1]:80:90", host: "::1", port: 80},
		{in: "[::1]:-1", host: "::1", port: 65535},
		{in: "[::1]", err: `Failed to parse IPv6 address "[::1]"`},
		{in: "[::1", err: `Failed to parse IPv6 address "[::1"`},
		{in: "[::1]x:80", err: `Failed to parse IPv6 address "[::1]x:80"`},
		{in: "[[::1]]:80", err: `Failed to parse IPv6 address "[[::1]]:80"`},
		{in: "[a]b]:80", err: `Failed to parse IPv6 address "[a]b]:80"`},
		{in: "[]", err: `Failed to parse IPv6 address "[]"`},
		{in: "[:", err: `Failed to parse IPv6 address "[:"`},
		{in: "[]]", err: `Failed to parse IPv6 address "[]]"`},

		// A NUL byte anywhere is refused first.
		{in: "127.0.0.1:80\x00", err: nul},
		{in: "127.0.0.1\x00:80", err: nul},
		{in: "\x00", err: nul},
		{in: "[::1\x00]:80", err: nul},
		{in: "[::1]\x00", err: nul},
	}
	for _, tt := range tests {
		hp, err := ParseHostPort(tt.in)
		if tt.err != "" {
			if err == nil {
				t.Errorf("ParseHostPort(%q) = %+v, nil; want error %q", tt.in, hp, tt.err)
			} else if err.Error() != tt.err {
				t.Errorf("ParseHostPort(%q) error = %q; want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseHostPort(%q) error = %q; want %q, %d", tt.in, err, tt.host, tt.port)
			continue
		}
		if hp.Host != tt.host || hp.Port != tt.port {
			t.Errorf("ParseHostPort(%q) = %q, %d; want %q, %d", tt.in, hp.Host, hp.Port, tt.host, tt.port)
		}
	}
}

func TestAtoi(t *testing.T) {
	tests := []struct {
		in   string
		want int32
	}{
		{"", 0},
		{"0", 0},
		{"42", 42},
		{"  42", 42},
		{"\t\n\v\f\r 42", 42},
		{"+42", 42},
		{"-42", -42},
		{"42abc", 42},
		{"abc", 0},
		{"+", 0},
		{"-", 0},
		{"+-1", 0},
		{" - 1", 0},
		{"0x10", 0},
		{"010", 10}, // decimal, not octal
		{"1e3", 1},
		{"00000000000000000000000000042", 42},
		{"\u00a042", 0}, // only C-locale white space is skipped
		{"2147483647", 2147483647},
		{"2147483648", -2147483648}, // truncated to 32 bits
		{"-2147483648", -2147483648},
		{"-2147483649", 2147483647},
		{"4294967296", 0},
		{"4294967297", 1},
		// strtol saturates at the 64-bit limits before the truncation.
		{"9223372036854775807", -1},
		{"9223372036854775808", -1},
		{"18446744073709551615", -1},
		{"18446744073709551616", -1},
		{"99999999999999999999", -1},
		{"-9223372036854775808", 0},
		{"-9223372036854775809", 0},
		{"-99999999999999999999", 0},
	}
	for _, tt := range tests {
		if got := atoi(tt.in); got != tt.want {
			t.Errorf("atoi(%q) = %d; want %d", tt.in, got, tt.want)
		}
	}
}

func TestAtoiPort(t *testing.T) {
	// Recorded with PHP 8.2 (connect/address-port-*).
	tests := []struct {
		in   string
		want uint16
	}{
		{"80abc", 80},
		{" 80", 80},
		{"+80", 80},
		{"-1", 65535},
		{"70000", 4464},
		{"65536", 0},
		{"99999999999999999999", 65535},
	}
	for _, tt := range tests {
		if got := atoiPort(tt.in); got != tt.want {
			t.Errorf("atoiPort(%q) = %d; want %d", tt.in, got, tt.want)
		}
	}
}

// inetAtonTests are glibc's getaddrinfo(AI_NUMERICHOST, AF_INET) results
// ("" for a rejection).
var inetAtonTests = []struct {
	in, want string
}{
	{"127.0.0.1", "127.0.0.1"},
	{"127.1", "127.0.0.1"},
	{"0x7f.1", "127.0.0.1"},
	{"0X7F.0.0.1", "127.0.0.1"},
	{"0177.0.0.1", "127.0.0.1"},
	{"2130706433", "127.0.0.1"},
	{"127.0.1", "127.0.0.1"},
	{"0x7f.0x0.0x0.0x1", "127.0.0.1"},
	{"01.02.03.04", "1.2.3.4"},
	{"0", "0.0.0.0"},
	{"00", "0.0.0.0"},
	{"0.1", "0.0.0.1"},
	{"0.0.0.0", "0.0.0.0"},
	{"255.255.255.255", "255.255.255.255"},
	{"4294967295", "255.255.255.255"},
	{"0xffffffff", "255.255.255.255"},
	{"037777777777", "255.255.255.255"},
	{"1.16777215", "1.255.255.255"},
	{"1.2.65535", "1.2.255.255"},
	{"000000000000000000000000001", "0.0.0.1"},
	{"0x00000000000000000000000001", "0.0.0.1"},

	{"127.0.0.256", ""},
	{"1.2.3.4.5", ""},
	{"08", ""},
	{"1.2.3.08", ""},
	{"127.0.0.1 ", ""},
	{"1\t", ""},
	{"1.2.3.4\n", ""},
	{" 1", ""},
	{"+1", ""},
	{"", ""},
	{"1.", ""},
	{"1..2", ""},
	{".1", ""},
	{"4294967296", ""},
	{"0xfffffffff", ""},
	{"99999999999999999999", ""},
	{"1.16777216", ""},
	{"1.2.65536", ""},
	{"0x100.1", ""},
	{"256.1", ""},
	{"0x1g", ""},
	{"00x1", ""},
	{"0x0x1", ""},
	{"0x.", ""},
	{"localhost", ""},
	{"127.0.0.1\x00", ""},
}

func TestInetAton(t *testing.T) {
	for _, tt := range inetAtonTests {
		a, ok := inetAton(tt.in)
		got := ""
		if ok {
			got = a.String()
		}
		if got != tt.want {
			t.Errorf("inetAton(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

// TestInetAtonHexPrefixWithoutDigits covers "0x" with no hex digit after
// it. glibc's strtoul reads such a part as 0 with the end pointer on the
// 'x', so inet_aton (and getaddrinfo) reject "0x", "0x.1" and "1.0x";
// inetAton must reject them too.
func TestInetAtonHexPrefixWithoutDigits(t *testing.T) {
	for _, in := range []string{"0x", "0X", "0x.1", "1.0x", "1.2.3.0x", "0x7f.0x.1"} {
		if a, ok := inetAton(in); ok {
			t.Errorf("inetAton(%q) = %v, true; glibc rejects it", in, a)
		}
	}
}

func TestParseNumericHost(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"127.1", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1"},
		{"2130706433", "127.0.0.1"},
		{"127.0.1", "127.0.0.1"},
		{"::1", "::1"},
		{"::ffff:127.0.0.1", "::ffff:127.0.0.1"},
		{"fe80::1%eth0", "fe80::1%eth0"},
		{"127.0.0.256", ""},
		{"1.2.3.4.5", ""},
		{"08", ""},
		{"127.0.0.1 ", ""},
		{"", ""},
		{"localhost", ""},
		{"[::1]", ""},
		{":::", ""},
		{"::1 ", ""},
	}
	for _, tt := range tests {
		a, ok := parseNumericHost(tt.in)
		got := ""
		if ok {
			got = a.String()
		}
		if got != tt.want {
			t.Errorf("parseNumericHost(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
		if ok && a.Is4() != (strings.IndexByte(tt.in, ':') < 0) {
			t.Errorf("parseNumericHost(%q) = %v: wrong family", tt.in, a)
		}
	}
}

func TestInetAtonRoundTrip(t *testing.T) {
	for _, s := range []string{"0.0.0.0", "1.2.3.4", "10.0.0.255", "127.0.0.1", "192.168.100.200", "255.255.255.255"} {
		want := netip.MustParseAddr(s)
		got, ok := inetAton(s)
		if !ok || got != want {
			t.Errorf("inetAton(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
}

func TestUnknownTransportText(t *testing.T) {
	const suffix = `" - did you forget to enable it when you configured PHP?`
	tests := []struct {
		scheme, shown string
	}{
		{"foo", "foo"},
		{"TCP", "TCP"},
		{"foo+bar", "foo+bar"},
		{"", ""},
		{strings.Repeat("a", 30), strings.Repeat("a", 30)},
		{strings.Repeat("b", 31), strings.Repeat("b", 31)},
		{strings.Repeat("c", 32), strings.Repeat("c", 31)},
		// Recorded: connect/transport-name-truncated.
		{"abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz01234"},
	}
	for _, tt := range tests {
		want := `Unable to find the socket transport "` + tt.shown + suffix
		if got := unknownTransportText(tt.scheme); got != want {
			t.Errorf("unknownTransportText(%q) = %q; want %q", tt.scheme, got, want)
		}
	}
}
