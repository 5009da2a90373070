package phpstream

import (
	"errors"
	"strings"

	"github.com/phpsock/phpsock/internal/phpvalue"
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

// OpenPHPURL opens a php:// URL with mode as PHP's php wrapper does
// (php_stream_url_wrap_php): php://memory and php://temp, the names in any
// case, php://temp taking "/maxmemory:N" (N read as strtol reads it; what
// follows "temp" otherwise is ignored, recorded: memory/url-*).
func OpenPHPURL(url, mode string) (*Stream, error) {
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
		return NewTempStream(url, mode, maxMemory)
	case strings.EqualFold(path, "memory"):
		s := NewMemoryStream(mode)
		s.origin.uri, s.address = url, url
		return s, nil
	}
	for _, name := range []string{"output", "input", "stdin", "stdout", "stderr"} {
		if strings.EqualFold(path, name) {
			return nil, ErrUnsupportedURL
		}
	}
	if hasPrefixFold(path, "fd/") || hasPrefixFold(path, "filter/") {
		return nil, ErrUnsupportedURL
	}
	return nil, ErrInvalidPHPURL
}

// strtol is C's strtol in base 10 on s: leading white space, a sign, the
// digits that follow (none: 0), saturating at the int64 range.
func strtol(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	digits := s[:end]
	if digits == "" || digits == "+" || digits == "-" {
		return 0
	}
	// A run of digits is a numeric string: phpvalue saturates it as strtol does.
	return phpvalue.Int(digits)
}
