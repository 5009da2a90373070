package phpstream

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"io"
	"strings"
)

// This file is PHP's stream filters (main/streams/filter.c and the filters
// of ext/standard and ext/zlib) as php://filter applies them: chains of
// read and write filters on a stream, each turning the bytes it is given
// into the bytes it passes on. A read through filters fills PHP's buffer
// from one chunk read from the stream at a time, run through the chain; a
// write goes through the chain before it reaches the stream; a seek or the
// stream's close flushes the write chain.

// filterFlags are PHP's PSFS_FLAG_*: whether this is the last data
// (closing) or a flush of what a filter holds.
type filterFlags int

const (
	filterNormal     filterFlags = iota // PSFS_FLAG_NORMAL
	filterFlushInc                      // PSFS_FLAG_FLUSH_INC: flush, more may follow
	filterFlushClose                    // PSFS_FLAG_FLUSH_CLOSE: flush, nothing follows
)

// A streamFilter turns in into out. feedMe (PSFS_FEED_ME) says it holds
// everything until more comes; err is PSFS_ERR_FATAL, with the message
// PHP raises (a notice or warning, in noticeError) where it raises one.
type streamFilter interface {
	filter(in []byte, flags filterFlags) (out []byte, feedMe bool, err error)
}

// errFilterUnsupported is a filter PHP has that phpsock does not implement
// (consumed, convert.iconv.*): opening a chain with it is
// ErrUnsupportedURL.
var errFilterUnsupported = errors.New("phpstream: filter not supported")

// errFilterCreate is a name a filter factory took but could not make a
// filter of (convert.foo, zlib.foo): PHP's "Unable to create or locate
// filter".
var errFilterCreate = errors.New("phpstream: the filter factory made no filter")

// newFilter is php_stream_filter_create by name: ok is false for a name
// PHP has no filter for ("Unable to locate filter"). The names are looked
// up as PHP's filter table does: string.* and dechunk exactly; convert.*
// and zlib.* through their factories, which compare the rest of the name
// without regard to case (convert.BASE64-ENCODE works, Convert.base64-encode
// does not: recorded filter/name-case-*).
func newFilter(name string) (streamFilter, bool, error) {
	switch name {
	case "string.rot13":
		return byteMap(rot13), true, nil
	case "string.toupper":
		return byteMap(toUpper), true, nil
	case "string.tolower":
		return byteMap(toLower), true, nil
	case "dechunk":
		return &dechunker{}, true, nil
	case "consumed":
		return nil, true, errFilterUnsupported
	}
	if strings.HasPrefix(name, "convert.iconv.") {
		return nil, true, errFilterUnsupported
	}
	if mode, ok := strings.CutPrefix(name, "convert."); ok {
		// strfilter_convert_create: the part after the first dot.
		switch strings.ToLower(mode) {
		case "base64-encode":
			return &base64Encoder{}, true, nil
		case "base64-decode":
			return &base64Decoder{}, true, nil
		case "quoted-printable-encode":
			return qpEncoder{}, true, nil
		case "quoted-printable-decode":
			return &qpDecoder{name: name}, true, nil
		}
		return nil, true, errFilterCreate
	}
	if strings.HasPrefix(name, "zlib.") {
		switch strings.ToLower(name) {
		case "zlib.inflate":
			return &inflater{}, true, nil
		case "zlib.deflate":
			return &deflater{}, true, nil
		}
		return nil, true, errFilterCreate
	}
	return nil, false, nil
}

// byteMap is a filter that maps each byte (string.rot13, toupper, tolower).
type byteMap func(byte) byte

func (m byteMap) filter(in []byte, _ filterFlags) ([]byte, bool, error) {
	out := make([]byte, len(in))
	for i, c := range in {
		out[i] = m(c)
	}
	return out, false, nil
}

func rot13(c byte) byte {
	switch {
	case 'a' <= c && c <= 'z':
		return 'a' + (c-'a'+13)%26
	case 'A' <= c && c <= 'Z':
		return 'A' + (c-'A'+13)%26
	}
	return c
}

func toUpper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func toLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c - 'A' + 'a'
	}
	return c
}

// base64Encoder is convert.base64-encode: whole groups as they come, the
// last one padded when flushed.
type base64Encoder struct {
	held  [2]byte // the bytes of an unfinished group
	nheld int
}

func (e *base64Encoder) filter(in []byte, flags filterFlags) ([]byte, bool, error) {
	out := make([]byte, 0, (e.nheld+len(in)+2)/3*4)
	if e.nheld > 0 && e.nheld+len(in) >= 3 {
		var g [3]byte
		copy(g[:], e.held[:e.nheld])
		k := copy(g[e.nheld:], in)
		out = base64.StdEncoding.AppendEncode(out, g[:])
		in, e.nheld = in[k:], 0
	}
	if e.nheld == 0 {
		n := len(in) / 3 * 3
		out = base64.StdEncoding.AppendEncode(out, in[:n])
		in = in[n:]
	}
	e.nheld += copy(e.held[e.nheld:], in)
	if flags != filterNormal && e.nheld > 0 {
		out = base64.StdEncoding.AppendEncode(out, e.held[:e.nheld]) // padded
		e.nheld = 0
	}
	return out, len(out) == 0 && flags == filterNormal, nil
}

// base64Decoder is convert.base64-decode: lenient, as PHP's filter is
// (characters outside the alphabet and padding are skipped); a partial
// group at the end is dropped.
type base64Decoder struct {
	acc   uint
	nbits int
}

func (d *base64Decoder) filter(in []byte, _ filterFlags) ([]byte, bool, error) {
	out := make([]byte, 0, len(in)*3/4)
	for _, c := range in {
		v := base64Value(c)
		if v < 0 {
			continue
		}
		d.acc = d.acc<<6 | uint(v)
		d.nbits += 6
		if d.nbits >= 8 {
			d.nbits -= 8
			out = append(out, byte(d.acc>>d.nbits))
			d.acc &= 1<<d.nbits - 1
		}
	}
	return out, false, nil
}

// inflater is zlib.inflate: a raw deflate stream (no zlib header, PHP's
// default window), decompressed as it comes; corrupt data is PHP's
// notice "zlib: data error". compress/flate reads from an io.Reader and
// cannot resume once that runs dry, so the decompressor runs in a
// goroutine of its own reading the chunks the filter hands it: each call
// passes on exactly what its chunk decompressed to, and the filter's
// closing (the stream's end or Close) ends the goroutine.
type inflater struct {
	feed       chan []byte       // the chunks, in order; closed at the end
	events     chan inflateEvent // what the decompressor produced
	pending    []byte            // the chunk the decompressor is reading
	started    bool
	feedClosed bool
	done       bool // the decompressor has stopped
}

// inflateEvent is decompressed bytes, a request for the next chunk
// (more), or the end of the decompressor (err: io.EOF at the end of the
// deflate stream).
type inflateEvent struct {
	out  []byte
	more bool
	err  error
}

// Read is the decompressor's input: the current chunk, and when it is used
// up a request for the next one.
func (f *inflater) Read(p []byte) (int, error) {
	for len(f.pending) == 0 {
		f.events <- inflateEvent{more: true}
		b, ok := <-f.feed
		if !ok {
			return 0, io.EOF
		}
		f.pending = b
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

func (f *inflater) start() {
	f.feed, f.events, f.started = make(chan []byte), make(chan inflateEvent), true
	go func() {
		r := flate.NewReader(f)
		buf := make([]byte, 32<<10)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				f.events <- inflateEvent{out: append([]byte(nil), buf[:n]...)}
			}
			if err != nil {
				f.events <- inflateEvent{err: err}
				return
			}
		}
	}()
	<-f.events // the first request for input
}

// collect gathers the output up to the next request for input or the end.
func (f *inflater) collect(out []byte) ([]byte, error) {
	for ev := range f.events {
		switch {
		case ev.more:
			return out, nil
		case ev.err != nil:
			f.done = true
			if ev.err != io.EOF && ev.err != io.ErrUnexpectedEOF {
				return out, &noticeError{msg: "zlib: data error"}
			}
			return out, nil
		}
		out = append(out, ev.out...)
	}
	return out, nil
}

func (f *inflater) filter(in []byte, flags filterFlags) ([]byte, bool, error) {
	if f.done {
		return nil, false, nil
	}
	if !f.started {
		f.start()
	}
	var out []byte
	var err error
	if len(in) > 0 {
		// The goroutine reads in before it asks for more: in is not kept.
		f.feed <- in
		if out, err = f.collect(nil); err != nil {
			return nil, false, err
		}
	}
	if flags == filterFlushClose && !f.done {
		out, err = f.finish(out)
		if err != nil {
			return nil, false, err
		}
	}
	return out, len(out) == 0 && flags == filterNormal, nil
}

// finish ends the input and collects what the decompressor still gives.
func (f *inflater) finish(out []byte) ([]byte, error) {
	if !f.feedClosed {
		close(f.feed)
		f.feedClosed = true
	}
	for !f.done {
		var err error
		if out, err = f.collect(out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// close ends the decompressor of a filter whose stream closes early.
func (f *inflater) close() {
	if f.started && !f.done {
		f.finish(nil)
	}
}

// deflater is zlib.deflate: raw deflate (no zlib header, as PHP's default
// window gives), at the default level. What it writes is Go's deflate, not
// zlib's: the same data when inflated, other bytes (docs/porting.md), so
// recorded cases compare round trips (filter/zlib-deflate-*). A flush
// (a seek, fflush) is a sync flush; the stream's close finishes the
// deflate stream.
type deflater struct {
	w    *flate.Writer
	out  bytes.Buffer
	done bool
}

func (d *deflater) filter(in []byte, flags filterFlags) ([]byte, bool, error) {
	if d.done {
		return nil, false, nil
	}
	if d.w == nil {
		d.w, _ = flate.NewWriter(&d.out, flate.DefaultCompression) // the level is valid
	}
	d.w.Write(in) // into a bytes.Buffer: no error
	switch flags {
	case filterFlushInc:
		d.w.Flush()
	case filterFlushClose:
		d.w.Close()
		d.done = true
	}
	out := bytes.Clone(d.out.Bytes())
	d.out.Reset()
	return out, len(out) == 0 && flags == filterNormal, nil
}
