package phpstream

import "strings"

// This file is the C library's reading of decimal numbers, which PHP's
// stream code uses where PHP's own string-to-number rules
// (internal/phpvalue) do not apply: ports in addresses and URLs,
// php://temp/maxmemory:N, php://fd/N, and the numbers of FTP replies.

// cNumber is what strtol and strtoul read in base 10: leading white space,
// a sign, then digits up to the first non-digit. mag is the magnitude,
// saturated at limit (over says it went past); rest is what follows the
// digits and digits is false when there were none (C's endptr == nptr).
func cNumber(s string, limit uint64) (neg bool, mag uint64, over bool, rest string, digits bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	i := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		d := uint64(s[i] - '0')
		if mag > (limit-d)/10 {
			mag, over = limit, true // the digits are still consumed
			continue
		}
		mag = mag*10 + d
	}
	return neg, mag, over, s[i:], i > 0
}

// strtol is C's strtol in base 10 on s, saturating at the int64 range
// (PHP's own (int) of a string is not this: past float range it is 0).
func strtol(s string) int64 {
	v, _, _ := strtolEnd(s)
	return v
}

// strtolEnd is strtol with its end pointer: rest is what follows the
// digits, and digits is false when there were none.
func strtolEnd(s string) (v int64, rest string, digits bool) {
	neg, u, _, rest, digits := cNumber(s, 1<<63) // the magnitude of LONG_MIN
	switch {
	case neg:
		return -int64(u), rest, digits // -(1<<63) wraps to itself, LONG_MIN
	case u > 1<<63-1:
		return 1<<63 - 1, rest, digits
	}
	return int64(u), rest, digits
}

// strtoul is C's strtoul(s, &end, 10) value: ULONG_MAX past the range, and
// a negative number wraps as an unsigned long.
func strtoul(s string) uint64 {
	v, _ := strtoulPrefix(s)
	return v
}

// strtoulPrefix is strtoul and how many bytes of s it consumed (0 when it
// read no digits).
func strtoulPrefix(s string) (uint64, int) {
	neg, u, over, rest, digits := cNumber(s, 1<<64-1)
	if !digits {
		return 0, 0
	}
	if neg && !over {
		u = -u
	}
	return u, len(s) - len(rest)
}

// atoi is C's atoi as glibc implements it: strtol, truncated to 32 bits.
func atoi(s string) int32 {
	return int32(strtol(s))
}
