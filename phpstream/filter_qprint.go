package phpstream

// This file is the convert.quoted-printable-encode and -decode filters as
// php://filter creates them, without parameters (ext/standard/filters.c:
// php_conv_qprint_encode and php_conv_qprint_decode with no line length
// and no line-break characters given, so the decoder detects "\r\n", "\r"
// and "\n" soft breaks itself).

// qpEncoder encodes each byte on its own: tabs, spaces and printable ASCII
// other than '=' pass, every other byte becomes "=XX" in upper-case hex.
// Without a line length there are no soft line breaks, and nothing is
// held between chunks.
type qpEncoder struct{}

func (qpEncoder) filter(in []byte, _ filterFlags) ([]byte, bool, error) {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, len(in)+len(in)/2)
	for _, c := range in {
		if c == '\t' || c == ' ' || (c >= 33 && c <= 126 && c != '=') {
			out = append(out, c)
			continue
		}
		out = append(out, '=', digits[c>>4], digits[c&15])
	}
	return out, false, nil
}

// qpDecoder is PHP's decoder state machine; its state carries over from
// one chunk to the next. A malformed sequence is PHP's warning "Stream
// filter (NAME): invalid byte sequence" and ends the stream, dropping what
// the chunk had decoded. A sequence cut short by the end of the data is
// dropped silently (PHP's unexpected-end error is ignored on the final
// flush).
type qpDecoder struct {
	name  string // the filter's name as the URL gave it, for the warning
	state qpState
	value uint // the hex digits read so far (PHP keeps shifting one value)
}

type qpState int

const (
	qpText       qpState = iota // plain bytes
	qpEquals                    // after '='
	qpHex                       // after '=' and one hex digit
	qpSpace                     // after '=' and blanks: only more blanks may follow
	qpCarriageRe                // after "=\r": a '\n' may complete the soft break
)

func (d *qpDecoder) filter(in []byte, _ filterFlags) ([]byte, bool, error) {
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); {
		c := in[i]
		switch d.state {
		case qpText:
			if c == '=' {
				d.state = qpEquals
			} else {
				out = append(out, c)
			}
			i++
			continue
		case qpEquals:
			switch c {
			case ' ', '\t':
				d.state = qpSpace
				i++
				continue
			case '\r':
				d.state = qpCarriageRe
				i++
				continue
			case '\n': // a Unix soft line break, common in the wild
				d.state = qpText
				i++
				continue
			}
			if !isHexDigit(c) {
				return nil, false, d.invalid()
			}
			d.value = d.value<<4 | qpDigit(c)
			d.state = qpHex
			i++
		case qpHex:
			if !isHexDigit(c) {
				return nil, false, d.invalid()
			}
			d.value = d.value<<4 | qpDigit(c)
			out = append(out, byte(d.value))
			d.state = qpText
			i++
		case qpSpace:
			if c != ' ' && c != '\t' {
				return nil, false, d.invalid()
			}
			i++
		case qpCarriageRe:
			if c == '\n' {
				i++
			}
			d.state = qpText
		}
	}
	return out, false, nil
}

func (d *qpDecoder) invalid() error {
	return &noticeError{msg: "Stream filter (" + d.name + "): invalid byte sequence", warning: true}
}

// qpDigit is PHP's digit value: c - 0x37 for anything at or above 'A',
// which gives lower-case letters values above 15 ("=4a" decodes to 'j').
func qpDigit(c byte) uint {
	if c >= 'A' {
		return uint(c) - 0x37
	}
	return uint(c) - '0'
}
