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
