package phpstream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/phpsock/phpsock/errno"
)

// resolveError is a getaddrinfo failure with PHP's text.
type resolveError struct {
	host string
	gai  int // EAI_* code
}

// text is the error string PHP stores for a resolution failure (8.1+).
func (e *resolveError) text() string {
	return fmt.Sprintf("php_network_getaddresses: getaddrinfo for %s failed: %s", e.host, errno.GaiMessage(e.gai))
}

// resolve returns the addresses of host in getaddrinfo's order. Numeric
// hosts are parsed as glibc's getaddrinfo parses them (inet_aton forms such
// as "127.1" and "0x7f000001" included), without a lookup; names go to r.
func resolve(ctx context.Context, r *net.Resolver, host string) ([]netip.Addr, *resolveError) {
	if a, ok := parseNumericHost(host); ok {
		return []netip.Addr{a}, nil
	}
	if host == "" || strings.IndexByte(host, 0) >= 0 {
		return nil, &resolveError{host: cString(host), gai: errno.EAI_NONAME}
	}
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		code := errno.EAI_FAIL
		var de *net.DNSError
		switch {
		case errors.As(err, &de) && de.IsNotFound:
			code = errno.EAI_NONAME
		case errors.As(err, &de) && (de.IsTemporary || de.IsTimeout):
			code = errno.EAI_AGAIN
		case ctx.Err() != nil:
			code = errno.EAI_AGAIN
		}
		return nil, &resolveError{host: host, gai: code}
	}
	out := make([]netip.Addr, 0, len(ips))
	for _, ip := range ips {
		out = append(out, ip.Unmap())
	}
	if len(out) == 0 {
		return nil, &resolveError{host: host, gai: errno.EAI_NONAME}
	}
	return out, nil
}

// cString cuts s at its first NUL, as C sees a PHP string.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// parseNumericHost parses what getaddrinfo accepts as a numeric host:
// inet_aton's IPv4 forms (exactly, no trailing characters) and IPv6 with an
// optional zone.
func parseNumericHost(host string) (netip.Addr, bool) {
	if a, ok := inetAton(host); ok {
		return a, true
	}
	if strings.IndexByte(host, ':') >= 0 {
		if a, err := netip.ParseAddr(host); err == nil && a.Is6() {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// inetAton parses the IPv4 forms of inet_aton: one to four parts separated
// by dots, each decimal, octal (leading 0) or hex (0x); the last part fills
// the remaining bytes.
func inetAton(s string) (netip.Addr, bool) {
	var parts [4]uint64
	n := 0
	i := 0
	for {
		if n == 4 || i >= len(s) || !isDigit(s[i]) {
			return netip.Addr{}, false
		}
		base := uint64(10)
		if s[i] == '0' {
			base = 8
			i++
			if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
				base = 16
				i++
				// strtoul reads "0x" without a hex digit as 0 and stops at
				// the x, which inet_aton then refuses.
				if i >= len(s) {
					return netip.Addr{}, false
				}
				if _, ok := digitVal(s[i], 16); !ok {
					return netip.Addr{}, false
				}
			}
		}
		var v uint64
		for ; i < len(s); i++ {
			d, ok := digitVal(s[i], base)
			if !ok {
				break
			}
			v = v*base + d
			if v > 0xffffffff {
				return netip.Addr{}, false
			}
		}
		parts[n] = v
		n++
		if i == len(s) {
			break
		}
		if s[i] != '.' {
			return netip.Addr{}, false
		}
		i++
	}
	var v uint32
	switch n {
	case 1:
		v = uint32(parts[0])
	case 2:
		if parts[0] > 0xff || parts[1] > 0xffffff {
			return netip.Addr{}, false
		}
		v = uint32(parts[0])<<24 | uint32(parts[1])
	case 3:
		if parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xffff {
			return netip.Addr{}, false
		}
		v = uint32(parts[0])<<24 | uint32(parts[1])<<16 | uint32(parts[2])
	case 4:
		for _, p := range parts {
			if p > 0xff {
				return netip.Addr{}, false
			}
		}
		v = uint32(parts[0])<<24 | uint32(parts[1])<<16 | uint32(parts[2])<<8 | uint32(parts[3])
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitVal(c byte, base uint64) (uint64, bool) {
	var d uint64
	switch {
	case c >= '0' && c <= '9':
		d = uint64(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		d = uint64(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		d = uint64(c-'A') + 10
	default:
		return 0, false
	}
	if d >= base {
		return 0, false
	}
	return d, true
}
