package phpstream

import (
	"errors"
	"strings"
)

// ErrNoFilterResource is php://filter without "/resource=": PHP throws an
// Error "No URL resource specified".
var ErrNoFilterResource = errors.New("No URL resource specified")

// openFilterURL is php://filter/[read=|write=]<filter>[|<filter>...]/.../resource=<url>:
// the stream of <url> (opened without reporting its own errors, as PHP's
// wrappers open what they wrap), with the filters appended to its read
// chain, its write chain, or (a bare list) to the chains mode opens it
// for. A filter PHP does not have raises "Unable to locate filter" (or,
// where a factory took the name but made nothing, "Unable to create or
// locate filter") and "Unable to create filter", and is left out. path is what follows
// "php://".
func openFilterURL(url, path, mode string, o OpenOptions) (*Stream, error) {
	spec := path[len("filter"):] // "/read=.../resource=..."
	at := strings.Index(spec, "/resource=")
	if at < 0 {
		return nil, ErrNoFilterResource
	}
	inner := spec[at+len("/resource="):]
	quiet := o
	quiet.Diagnostics = nil
	s, err := OpenURL(inner, mode, quiet)
	if err != nil {
		var oe *OpenError
		if errors.As(err, &oe) {
			return nil, &OpenError{Msg: "operation failed"}
		}
		return nil, err
	}
	forRead := strings.ContainsAny(mode, "r+")
	forWrite := strings.ContainsAny(mode, "w+a")
	// PHP cuts the string at "/resource=" and reads the segments after its
	// first byte: with no segment before it, that is the resource itself.
	segs := spec[1:] // the resource itself when nothing precedes it
	if at > 0 {
		segs = spec[1:at]
	}
	for _, seg := range strings.Split(segs, "/") {
		if seg == "" {
			continue
		}
		read, write := forRead, forWrite
		switch {
		case hasPrefixFold(seg, "read="):
			seg, read, write = seg[5:], true, false
		case hasPrefixFold(seg, "write="):
			seg, read, write = seg[6:], false, true
		}
		for _, name := range strings.Split(seg, "|") {
			if name == "" {
				continue
			}
			name = string(urlDecode(name))
			if err := s.appendFilter(name, read, write, o.Diagnostics); err != nil {
				s.Close()
				return nil, err
			}
		}
	}
	s.origin.wrapperType, s.origin.uri, s.address = "PHP", url, url
	return s, nil
}

// appendFilter creates the filter name for each chain asked (a chain
// gets its own instance, as PHP creates one per chain).
func (s *Stream) appendFilter(name string, read, write bool, diag DiagnosticFunc) error {
	for _, chain := range []struct{ on, read bool }{{read, true}, {write, false}} {
		if !chain.on {
			continue
		}
		f, known, err := newFilter(name)
		switch {
		case err == errFilterCreate:
			diag.emit(EWarning, `Unable to create or locate filter "`+name+`"`)
			diag.emit(EWarning, "Unable to create filter ("+name+")")
			continue
		case err != nil:
			return ErrUnsupportedURL
		case !known:
			diag.emit(EWarning, `Unable to locate filter "`+name+`"`)
			diag.emit(EWarning, "Unable to create filter ("+name+")")
			continue
		}
		// php_stream_filter_append: a read filter also filters what the
		// buffer holds already (an http body read with its headers;
		// recorded: filter/resource-http).
		s.mu.Lock()
		if chain.read {
			s.appendReadFilter(f)
		} else {
			s.writeFilters = append(s.writeFilters, f)
		}
		s.mu.Unlock()
	}
	return nil
}
