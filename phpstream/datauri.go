package phpstream

import "strings"

// This file is PHP's data: wrapper (RFC 2397, php_stream_url_wrap_rfc2397):
// "data:[//][<mediatype>][;<param>=<value>...][;base64],<data>" opens as a
// php://temp stream holding the decoded bytes, read-only (it has no write
// at all: "Stream is not writable"), whose metadata starts with the media
// type, the parameters and whether it was base64 (recorded: data/*).

// MetaField is one entry a wrapper adds at the head of
// stream_get_meta_data's array (a data: URL's mediatype, parameters and
// base64).
type MetaField struct {
	Key   string
	Value any // string or bool
}

// dataBacking is a data: stream: php://temp's operations without a write.
type dataBacking struct {
	*tempBacking
	meta []MetaField
}

func (d *dataBacking) write(p []byte) (int, error) {
	return 0, errNoWriteOp
}

func (d *dataBacking) streamType() string { return "RFC2397" }

// openDataURL parses and opens a data: URL; a malformed one is PHP's
// logged error ("rfc2397: no comma in URL", ...).
func openDataURL(url, mode string) (*Stream, error) {
	if !strings.HasPrefix(url, "data:") {
		return nil, &OpenError{Msg: "operation failed"} // "Data://" finds the wrapper, which wants "data:"
	}
	path := url[5:]
	path = strings.TrimPrefix(path, "//")
	comma := strings.IndexByte(path, ',')
	if comma < 0 {
		return nil, &OpenError{Msg: "rfc2397: no comma in URL"}
	}
	meta, base64, err := parseDataMeta(path[:comma])
	if err != nil {
		return nil, err
	}
	meta = append(meta, MetaField{Key: "base64", Value: base64})
	raw := path[comma+1:]
	var data []byte
	if base64 {
		var ok bool
		if data, ok = phpBase64Decode(raw); !ok {
			return nil, &OpenError{Msg: "rfc2397: unable to decode"}
		}
	} else {
		data = urlDecode(raw)
	}
	t := &tempBacking{mem: &memoryBacking{data: data, mode: memoryReadWrite}, maxMemory: 1<<32 - 1}
	return newBackedStream(&dataBacking{tempBacking: t, meta: meta}, origin{wrapperType: "RFC2397", uri: url, mode: mode}), nil
}

// parseDataMeta reads the part before the comma: a media type (it must
// have a "/"), then ";name=value" parameters ("mediatype" ones dropped)
// and a final ";base64"; parameters without a media type are refused.
func parseDataMeta(m string) (meta []MetaField, base64 bool, err error) {
	if m == "" {
		return nil, false, nil
	}
	semi := strings.IndexByte(m, ';')
	sep := strings.IndexByte(m, '/')
	switch {
	case semi < 0 && sep < 0:
		return nil, false, &OpenError{Msg: "rfc2397: illegal media type"}
	case semi < 0:
		return []MetaField{{Key: "mediatype", Value: m}}, false, nil
	case sep >= 0 && sep < semi:
		meta = append(meta, MetaField{Key: "mediatype", Value: m[:semi]})
		m = m[semi:]
	case m != ";base64":
		return nil, false, &OpenError{Msg: "rfc2397: illegal media type"}
	}
	for strings.HasPrefix(m, ";") {
		m = m[1:]
		eq := strings.IndexByte(m, '=')
		next := strings.IndexByte(m, ';')
		if eq < 0 || (next >= 0 && next < eq) {
			if m != "base64" {
				return nil, false, &OpenError{Msg: "rfc2397: illegal parameter"}
			}
			return meta, true, nil
		}
		end := len(m)
		if next >= 0 {
			end = next
		}
		if name := m[:eq]; name != "mediatype" {
			meta = append(meta, MetaField{Key: name, Value: m[eq+1 : end]})
		}
		m = m[end:]
	}
	if m != "" {
		return nil, false, &OpenError{Msg: "rfc2397: illegal URL"}
	}
	return meta, false, nil
}

// urlDecode is php_url_decode: "+" is a space, "%XX" a byte, any other
// "%" itself.
func urlDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			out = append(out, ' ')
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// phpBase64Decode is PHP's strict base64_decode: white space (tab, LF,
// CR, space) skipped, any other character outside the alphabet or after
// padding refused, a last group of one character refused, padding of more
// than two or that does not complete a group refused, none accepted.
func phpBase64Decode(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s)*3/4)
	var cur byte
	i, padding := 0, 0
	for k := 0; k < len(s); k++ {
		c := s[k]
		if c == '=' {
			padding++
			continue
		}
		v := base64Value(c)
		if v == -1 {
			continue
		}
		if v == -2 || padding > 0 {
			return nil, false
		}
		b := byte(v)
		switch i % 4 {
		case 0:
			cur = b << 2
		case 1:
			out = append(out, cur|b>>4)
			cur = (b & 0x0f) << 4
		case 2:
			out = append(out, cur|b>>2)
			cur = (b & 0x03) << 6
		case 3:
			out = append(out, cur|b)
		}
		i++
	}
	if i%4 == 1 || padding > 0 && (padding > 2 || (i+padding)%4 != 0) {
		return nil, false
	}
	return out, true
}

// base64Value is PHP's base64_reverse_table: the digit, -1 for white
// space, -2 for anything else.
func base64Value(c byte) int {
	switch {
	case 'A' <= c && c <= 'Z':
		return int(c - 'A')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 26
	case '0' <= c && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	case c == '\t' || c == '\n' || c == '\r' || c == ' ':
		return -1
	}
	return -2
}
