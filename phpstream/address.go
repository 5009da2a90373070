package phpstream

import (
	"fmt"
	"strings"
)

// HostPort is a parsed "host:port" transport address.
type HostPort struct {
	Host string // without brackets
	Port uint16
}

// ParseHostPort parses the part of an inet transport address after the
// scheme exactly as PHP does (main/streams/xp_socket.c):
//
//   - "[v6]:port": the closing bracket is searched for before the last
//     character and must be followed by ':'; otherwise the error text is
//     `Failed to parse IPv6 address "%s"`;
//   - otherwise the first ':' before the last character splits host and
//     port; none gives `Failed to parse address "%s"`;
//   - the port is C atoi (leading spaces, sign, digits up to the first
//     non-digit, 0 when none), truncated to 16 bits: "-1" is 65535,
//     "70000" is 4464, "80/x" is 80.
//
// An address containing a NUL byte is refused first with "The hostname must
// not contain null bytes" (PHP 8.2.x security fix GHSA-3cr5-j632-f35r).
// The returned error text is PHP's, for the errstr and warning.
func ParseHostPort(addr string) (HostPort, error) {
	if strings.IndexByte(addr, 0) >= 0 {
		return HostPort{}, &parseError{"The hostname must not contain null bytes"}
	}
	if len(addr) > 1 && addr[0] == '[' {
		// The bracket must close before the last character.
		end := strings.IndexByte(addr[1:len(addr)-1], ']')
		if end < 0 || addr[end+2] != ':' {
			return HostPort{}, &parseError{fmt.Sprintf("Failed to parse IPv6 address \"%s\"", addr)}
		}
		end++ // index of ']' in addr
		return HostPort{Host: addr[1:end], Port: atoiPort(addr[end+2:])}, nil
	}
	colon := -1
	if len(addr) > 1 {
		colon = strings.IndexByte(addr[:len(addr)-1], ':')
	}
	if colon < 0 {
		return HostPort{}, &parseError{fmt.Sprintf("Failed to parse address \"%s\"", addr)}
	}
	return HostPort{Host: addr[:colon], Port: atoiPort(addr[colon+1:])}, nil
}

// parseError carries one of PHP's address parsing texts.
type parseError struct{ text string }

func (e *parseError) Error() string { return e.text }

// atoiPort is glibc atoi (strtol saturating at the int64 limits, then
// truncated to int) followed by PHP's cast to an unsigned short.
func atoiPort(s string) uint16 {
	return uint16(atoi(s))
}
