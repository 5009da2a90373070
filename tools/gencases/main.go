// Command gencases writes the randomised differential case set
// conformance/cases/io-random.json: random fread / fgets / fgetc / feof /
// stream_get_line sequences against tcp fixtures that send random packets
// with gaps of at least 60 ms, then close or hang.
//
//	go run ./tools/gencases [-seed N] [-n COUNT] [-out FILE]
//
// The output is a function of the seed. Results must not depend on
// scheduling, so the generator keeps a model of the client's clock, the
// socket and PHP's read buffer (PHP 8.2's read rules: one recv per fill, a
// blocking recv on an empty socket waits for the next packet, EOF or the
// timeout). Before each step it makes sure every packet is either surely
// there (it arrived 25 ms ago, or a read waited for it) or surely not (it
// is 25 ms away), sleeping to the middle of the current gap if not. The
// model only places the sleeps: what the calls return is PHP's, recorded.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

const (
	margin  = 25  // ms: how far a step stays from any packet arrival
	timeout = 400 // ms: stream_set_timeout of every case
	chunk   = 8192
)

type obj = map[string]any

// packet is one send of the fixture, arriving at ms after the connect.
type packet struct {
	at   int
	data []byte
}

// model is the client's view: clock, socket, PHP's buffer.
type model struct {
	now      int
	packets  []packet
	endAt    int  // when the close (or nothing, for hang) happens
	closes   bool // the script ends with close, else hang
	next     int  // first packet not yet in the socket
	sock     []byte
	buf      []byte
	eof      bool
	sure     int // packets before this index surely arrived
	closeGot bool
}

// arrive moves packets due by now into the socket.
func (m *model) arrive() {
	for m.next < len(m.packets) && m.packets[m.next].at <= m.now {
		m.sock = append(m.sock, m.packets[m.next].data...)
		m.next++
	}
}

// safe reports whether the state at now is certain.
func (m *model) safe() bool {
	for i, p := range m.packets {
		if i < m.sure {
			continue
		}
		if p.at > m.now-margin && p.at < m.now+margin {
			return false
		}
	}
	if m.closes && !m.closeGot && m.endAt > m.now-margin && m.endAt < m.now+margin {
		return false
	}
	return true
}

// settle returns a sleep (ms) that makes the state certain, or 0.
func (m *model) settle(r *rand.Rand) int {
	if m.safe() {
		return 0
	}
	// Next event time after now-margin; sleep to the middle between it and the one after.
	events := []int{}
	for _, p := range m.packets {
		events = append(events, p.at)
	}
	if m.closes {
		events = append(events, m.endAt)
	}
	target := m.now
	for i, t := range events {
		if t > m.now-margin {
			nxt := t + 1000
			if i+1 < len(events) {
				nxt = events[i+1]
			}
			target = (t + nxt) / 2
			break
		}
	}
	d := target - m.now
	m.now = target
	m.arrive()
	return d
}

// recv is one blocking recv into PHP's buffer: returns bytes read, or -1
// for a timeout; 0 is EOF.
func (m *model) recv() int {
	m.arrive()
	if len(m.sock) == 0 {
		if m.next < len(m.packets) {
			m.now = m.packets[m.next].at
			m.sure = m.next + 1
			m.arrive()
		} else if m.closes {
			if m.now < m.endAt {
				m.now = m.endAt
			}
			m.closeGot = true
			m.eof = true
			return 0
		} else {
			m.now += timeout
			return -1
		}
	}
	n := len(m.sock)
	m.buf = append(m.buf, m.sock...)
	m.sock = m.sock[:0]
	return n
}

func (m *model) closedNow() bool { return m.closes && m.now >= m.endAt }

// fill is php_stream_fill_read_buffer: a recv if fewer than size buffered.
func (m *model) fill(size int) {
	if len(m.buf) >= size {
		return
	}
	m.recv()
}

func (m *model) fread(n int) {
	if len(m.buf) >= n {
		m.buf = m.buf[n:]
		return
	}
	got := len(m.buf)
	m.buf = m.buf[:0]
	m.fill(n - got)
	t := min(len(m.buf), n-got)
	m.buf = m.buf[t:]
}

func (m *model) fgets(maxlen int) {
	grow := maxlen == 0
	for {
		if len(m.buf) > 0 {
			cpy, done := len(m.buf), false
			if i := bytes.IndexByte(m.buf, '\n'); i >= 0 {
				cpy, done = i+1, true
			}
			if !grow && cpy >= maxlen-1 {
				cpy, done = maxlen-1, true
			}
			m.buf = m.buf[cpy:]
			if !grow {
				maxlen -= cpy
			}
			if done {
				return
			}
		} else if m.eof {
			return
		} else {
			if m.recv() <= 0 {
				return
			}
		}
	}
}

func (m *model) feof() {
	if len(m.buf) > 0 || m.eof {
		return
	}
	m.arrive()
	if len(m.sock) == 0 && m.closedNow() {
		m.eof = true
		m.closeGot = true
	}
}

func (m *model) getLine(maxlen int, delim []byte) {
	search := func(skip int) int {
		if len(delim) == 0 {
			return -1
		}
		seek := min(len(m.buf), maxlen)
		if seek <= skip {
			return -1
		}
		i := bytes.Index(m.buf[skip:seek], delim)
		if i < 0 {
			return -1
		}
		return skip + i
	}
	found := search(0)
	buffered := len(m.buf)
	for found < 0 && buffered < maxlen {
		toRead := min(maxlen-buffered, chunk)
		m.fill(buffered + toRead)
		just := len(m.buf) - buffered
		if just == 0 {
			break
		}
		if len(delim) > 0 {
			skip := 0
			if buffered >= len(delim)-1 {
				skip = buffered - (len(delim) - 1)
			}
			if found = search(skip); found >= 0 {
				break
			}
		}
		buffered += just
	}
	amount := len(m.buf)
	var n int
	switch {
	case found >= 0:
		n = found
	case len(delim) == 0 && amount >= maxlen:
		n = maxlen
	case amount < maxlen && !m.eof:
		return
	case amount == 0 && m.eof:
		return
	default:
		n = min(amount, maxlen)
	}
	m.buf = m.buf[n:]
	if found >= 0 {
		m.buf = m.buf[len(delim):]
	}
}

func randData(r *rand.Rand) []byte {
	const alpha = "ab\nxy\n\r.z"
	n := 1 + r.IntN(24)
	b := make([]byte, n)
	for i := range b {
		b[i] = alpha[r.IntN(len(alpha))]
	}
	return b
}

func genCase(r *rand.Rand, idx int) obj {
	m := &model{}
	var script []obj
	at := 0
	np := 1 + r.IntN(7)
	for i := 0; i < np; i++ {
		gap := 60 + r.IntN(120)
		at += gap
		script = append(script, obj{"sleep_ms": gap})
		d := randData(r)
		script = append(script, obj{"send": string(d)})
		m.packets = append(m.packets, packet{at: at, data: d})
	}
	gap := 60 + r.IntN(120)
	m.endAt = at + gap
	m.closes = r.IntN(3) > 0
	script = append(script, obj{"sleep_ms": gap})
	if m.closes {
		script = append(script, obj{"close": true})
	} else {
		script = append(script, obj{"hang": true})
	}
	s := obj{"var": "s"}
	steps := []obj{
		{"call": "stream_socket_client", "args": []any{"tcp://{p.addr}", 2}, "as": "s"},
		{"call": "stream_set_timeout", "args": []any{s, 0, timeout * 1000}},
	}
	nops := 4 + r.IntN(10)
	for i := 0; i < nops; i++ {
		// Sometimes wait a random while first (then settle again).
		if r.IntN(4) == 0 {
			d := 10 + r.IntN(200)
			m.now += d
			m.arrive()
			steps = append(steps, obj{"sleep_ms": d})
		}
		if d := m.settle(r); d > 0 {
			steps = append(steps, obj{"sleep_ms": d})
		}
		var st obj
		switch k := r.IntN(10); {
		case k < 3:
			n := 1 + r.IntN(40)
			st = obj{"call": "fread", "args": []any{s, n}}
			m.fread(n)
		case k < 5:
			st = obj{"call": "fgets", "args": []any{s}}
			m.fgets(0)
		case k < 6:
			n := 2 + r.IntN(20)
			st = obj{"call": "fgets", "args": []any{s, n}}
			m.fgets(n)
		case k < 7:
			st = obj{"call": "feof", "args": []any{s}}
			m.feof()
		case k < 8:
			st = obj{"call": "fgetc", "args": []any{s}}
			m.fread(1)
		default:
			n := 1 + r.IntN(30)
			delims := []string{"\n", "ab", "", "x", "\r\n"}
			d := delims[r.IntN(len(delims))]
			st = obj{"call": "stream_get_line", "args": []any{s, n, d}}
			m.getLine(n, []byte(d))
		}
		steps = append(steps, st)
		if r.IntN(5) == 0 {
			if d := m.settle(r); d > 0 {
				steps = append(steps, obj{"sleep_ms": d})
			}
			steps = append(steps, obj{"call": "stream_get_meta_data", "args": []any{s}, "pick": []string{"unread_bytes"}})
		}
		if m.now > 15000 {
			break
		}
	}
	if d := m.settle(r); d > 0 {
		steps = append(steps, obj{"sleep_ms": d})
	}
	steps = append(steps, obj{"call": "stream_get_meta_data", "args": []any{s}, "drop": []string{"stream_type", "mode", "seekable"}})
	return obj{
		"name":    fmt.Sprintf("io-random/%03d", idx),
		"servers": obj{"p": obj{"kind": "tcp", "script": script}},
		"steps":   steps,
	}
}

func main() {
	seed := flag.Uint64("seed", 20261125, "random seed")
	n := flag.Int("n", 48, "number of cases")
	out := flag.String("out", "conformance/cases/io-random.json", "output file")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15))
	cases := make([]obj, 0, *n)
	for i := 0; i < *n; i++ {
		cases = append(cases, genCase(r, i))
	}
	b, err := json.MarshalIndent(cases, "", " ")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
