package phpstream

import (
	"errors"
	"strings"
)

// ErrInvalidPHPURL is a php:// URL naming no stream PHP has: PHP's warning
// "Invalid php:// URL specified", then the open fails.
var ErrInvalidPHPURL = errors.New("Invalid php:// URL specified")

// ErrNegativeMaxMemory is php://temp/maxmemory:N with N < 0, for which PHP
// throws a ValueError naming the opening function's second argument.
var ErrNegativeMaxMemory = errors.New("must be greater than or equal to 0")

// ErrUnsupportedURL is a URL phpsock cannot open yet (php://stdin,
// php://filter, ...): neither PHP's result nor its failure.
var ErrUnsupportedURL = errors.New("phpstream: this URL is not supported")

// openPHPURL opens a php:// URL with mode as PHP's php wrapper does
// (php_stream_url_wrap_php): php://memory and php://temp, the names in any
// case, php://temp taking "/maxmemory:N" (N read as strtol reads it; what
// follows "temp" otherwise is ignored, recorded: memory/url-*), and the
// streams of phpurl_stdio.go.
func openPHPURL(url, mode string, o OpenOptions) (*Stream, error) {
	path := url
	if hasPrefixFold(path, "php://") {
		path = path[6:]
	}
	switch {
	case hasPrefixFold(path, "temp"):
		rest := path[4:]
		maxMemory := int64(DefaultTempMemory)
		if hasPrefixFold(rest, "/maxmemory:") {
			maxMemory = strtol(rest[11:])
			if maxMemory < 0 {
				return nil, ErrNegativeMaxMemory
			}
		}
		return newTempStream(url, mode, maxMemory)
	case strings.EqualFold(path, "memory"):
		s := newMemoryStream(mode)
		s.origin.uri, s.address = url, url
		return s, nil
	}
	if s, err, ok := openPHPStdio(url, path, mode, o); ok {
		return s, err
	}
	if hasPrefixFold(path, "filter/") {
		return nil, ErrUnsupportedURL
	}
	return nil, ErrInvalidPHPURL
}

// strtol is C's strtol in base 10 on s: leading white space, a sign, the
// digits that follow (none: 0), saturating at the int64 range (PHP's own
// (int) of a string is not this: past float range it is 0).
func strtol(s string) int64 {
	v, _, _ := strtolEnd(s)
	return v
}

// strtolEnd is strtol with its end pointer: rest is what follows the
// digits, and digits is false when there were none (C's endptr == nptr).
func strtolEnd(s string) (v int64, rest string, digits bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	var u uint64 // the magnitude, at most 1<<63
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if u > (1<<63-d)/10 {
			u = 1 << 63 // saturated; the digits are still consumed
			continue
		}
		u = u*10 + d
	}
	rest, digits = s[i:], i > 0
	switch {
	case neg:
		return -int64(u), rest, digits // -(1<<63) wraps to itself, LONG_MIN
	case u > 1<<63-1:
		return 1<<63 - 1, rest, digits
	}
	return int64(u), rest, digits
}
