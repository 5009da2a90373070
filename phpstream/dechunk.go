package phpstream

// This file is PHP's "dechunk" stream filter (php_dechunk in
// ext/standard/filters.c), which the http wrapper appends to the read
// chain of a response with "Transfer-Encoding: chunked" (the filtered read
// itself is filterstream.go's). PHP's decoder is lenient and never fails: a chunk-size line
// that starts with something other than a hex digit, or a chunk not
// followed by its line break, switches it to passing every later byte
// through as it is; everything after the last chunk (trailers, more
// bytes) is dropped, but the stream is still read until its end; a chunk
// size wraps around modulo 2^64 (recorded: http/chunked-*).

// Decoder states, in PHP's order.
const (
	chunkSizeStart = iota
	chunkSize
	chunkSizeExt
	chunkSizeCR // reached only by falling through from chunkSizeExt
	chunkSizeLF
	chunkBody
	chunkBodyCR
	chunkBodyLF
	chunkTrailer
	chunkError
)

// dechunker is php_chunked_filter_data.
type dechunker struct {
	size  uint64
	state int
}

// decode decodes b in place (the decoded bytes are never more than the
// encoded ones) and returns how many decoded bytes b now starts with.
func (d *dechunker) decode(b []byte) int {
	p, end, out := 0, len(b), 0
	for p < end {
		switch d.state {
		case chunkSizeStart, chunkSize:
			if d.state == chunkSizeStart {
				d.size = 0
			}
			for p < end {
				switch c := b[p]; {
				case isHexDigit(c):
					d.size = d.size*16 + uint64(unhex(c))
				case d.state == chunkSizeStart:
					d.state = chunkError
				default:
					d.state = chunkSizeExt
				}
				if d.state == chunkError || d.state == chunkSizeExt {
					break
				}
				d.state = chunkSize
				p++
			}
			if d.state == chunkError {
				continue
			}
			if p == end {
				return out
			}
			fallthrough
		case chunkSizeExt:
			for p < end && b[p] != '\r' && b[p] != '\n' {
				p++ // a chunk extension is skipped
			}
			if p == end {
				d.state = chunkSizeExt
				return out
			}
			fallthrough
		case chunkSizeCR:
			if b[p] == '\r' {
				p++
				if p == end {
					d.state = chunkSizeLF
					return out
				}
			}
			fallthrough
		case chunkSizeLF:
			if b[p] != '\n' {
				d.state = chunkError
				continue
			}
			p++
			if d.size == 0 {
				d.state = chunkTrailer // the last chunk
				continue
			}
			if p == end {
				d.state = chunkBody
				return out
			}
			fallthrough
		case chunkBody:
			if uint64(end-p) < d.size {
				out += copy(b[out:], b[p:end])
				d.size -= uint64(end - p)
				d.state = chunkBody
				return out
			}
			n := int(d.size)
			out += copy(b[out:], b[p:p+n])
			p += n
			if p == end {
				d.state = chunkBodyCR
				return out
			}
			fallthrough
		case chunkBodyCR:
			if b[p] == '\r' {
				p++
				if p == end {
					d.state = chunkBodyLF
					return out
				}
			}
			fallthrough
		case chunkBodyLF:
			if b[p] != '\n' {
				d.state = chunkError
				continue
			}
			p++
			d.state = chunkSizeStart
		case chunkTrailer:
			p = end // trailers are ignored
		case chunkError:
			out += copy(b[out:], b[p:end])
			return out
		}
	}
	return out
}

// filter is php_chunked_filter: the decoder always passes on what it
// decoded (PSFS_PASS_ON), possibly nothing.
func (d *dechunker) filter(in []byte, _ filterFlags) ([]byte, bool, error) {
	return in[:d.decode(in)], false, nil
}
