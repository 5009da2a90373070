package compat

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/phpsock/phpsock/errno"
	"github.com/phpsock/phpsock/internal/streamhook"
	"github.com/phpsock/phpsock/phpstream"
)

func init() { functions["stream_select"] = streamSelect }

// selectEntry is one stream of a stream_select set that has a descriptor.
type selectEntry struct {
	s  *phpstream.Stream
	rc syscall.RawConn
	// set bits: which arrays hold it (selRead, selWrite, selExcept), and
	// after the wait which of them it is ready for.
	want, ready int
}

const (
	selRead = 1 << iota
	selWrite
	selExcept
)

// stream_select(?array &$read, ?array &$write, ?array &$except, ?int
// $seconds, ?int $microseconds = null): int|false
//
// As PHP 8.2: a stream with bytes in PHP's read buffer makes the call
// return at once with only those streams in $read and $write and $except
// emptied; otherwise the descriptors are waited on (select(2) semantics
// over poll(2)) and each array is replaced by its ready streams, keys
// kept. An element that is no stream resource raises a TypeError that PHP
// throws only after the whole call has run (or chains under the
// ValueError when no descriptor was passed).
func streamSelect(c *call) (Value, error) {
	if err := c.arity(4, 5); err != nil {
		return nil, err
	}
	var sets [3]*Array
	for i, name := range []string{"read", "write", "except"} {
		switch v := c.arg(i).(type) {
		case nil:
		case *Array:
			sets[i] = v
		default:
			return nil, c.typeError(i+1, param{name: name}, "?array", v)
		}
	}
	// What the streams of the sets raised during the call (the TLS reads
	// of select's cast) is this call's, raised when it returns; the sets as
	// given, since select replaces them with the ready streams.
	defer func(given [3]*Array) {
		for _, set := range given {
			for i := 0; set != nil && i < set.Len(); i++ {
				if r, ok := Deref(set.vals[i]).(*Resource); ok {
					c.rt.raiseQueued(c.fn, r)
				}
			}
		}
	}(sets)
	sec, secSet, err := c.integer(3, param{name: "seconds", nullable: true})
	if err != nil {
		return nil, err
	}
	var usec int64
	usecSet := false
	if c.has(4) {
		if usec, usecSet, err = c.integer(4, param{name: "microseconds", nullable: true}); err != nil {
			return nil, err
		}
	}

	// stream_array_to_fd_set for each array.
	var pending error // the TypeError PHP leaves pending
	var entries []*selectEntry
	index := map[*phpstream.Stream]*selectEntry{}
	unselectable := map[*phpstream.Stream]*phpstream.NotSelectableError{}
	count := 0
	for i, a := range sets {
		for j := 0; j < a.Len(); j++ {
			_, v := a.At(j)
			s, err := c.selectStream(v)
			if err != nil {
				pending = err
				continue
			}
			if s == nil {
				continue
			}
			// PHP's cast for select, for every element (TLS plaintext
			// already decrypted becomes buffered data, answered below
			// without a wait).
			rc, err := streamhook.Of(s).SelectCast()
			if r, ok := Deref(v).(*Resource); ok {
				// What the cast raised (a user stream's stream_cast)
				// comes before select's own warning about it.
				c.rt.raiseQueued(c.fn, r)
			}
			if err != nil {
				var ns *phpstream.NotSelectableError
				if errors.As(err, &ns) {
					c.rt.warn(c.fn, EWarning, ns.Error())
					unselectable[s] = ns
				}
				continue // no descriptor: PHP skips it
			}
			e := index[s]
			if e == nil {
				e = &selectEntry{s: s, rc: rc}
				index[s] = e
				entries = append(entries, e)
			}
			e.want |= 1 << i
			count++
		}
	}
	if count == 0 {
		return nil, &Error{Class: "ValueError", Message: "No stream arrays were passed"}
	}
	if !secSet && usecSet && usec != 0 {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #5 ($microseconds) must be null when argument #4 ($seconds) is null"}
	}
	wait := time.Duration(-1)
	if secSet {
		if sec < 0 {
			return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #4 ($seconds) must be greater than or equal to 0"}
		}
		if usec < 0 {
			return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #5 ($microseconds) must be greater than or equal to 0"}
		}
		wait = selectTimeout(sec, usec)
	}

	// stream_array_emulate_read_fd_set: buffered data answers at once.
	if sets[0] != nil {
		out := NewArray()
		for j := 0; j < sets[0].Len(); j++ {
			k, v := sets[0].At(j)
			s, err := c.selectStream(v)
			if err != nil {
				pending = err
				continue
			}
			if s != nil && s.Meta().UnreadBytes > 0 {
				out.Set(k, Deref(v))
			}
		}
		if n := out.Len(); n > 0 {
			setRef(c.ref(0), out)
			if sets[1] != nil {
				setRef(c.ref(1), NewArray())
			}
			if sets[2] != nil {
				setRef(c.ref(2), NewArray())
			}
			if pending != nil {
				return nil, pending
			}
			return int64(n), nil
		}
	}

	n, errno := pollEntries(entries, wait)
	if errno != 0 {
		c.rt.warn(c.fn, EWarning, fmt.Sprintf("Unable to select [%d]: %s (max_fd=%d)", int(errno), errnoText(errno), maxFD(entries)))
		if pending != nil {
			return nil, pending
		}
		return false, nil
	}
	// stream_array_from_fd_set: each array becomes its ready streams.
	for i, a := range sets {
		if a == nil {
			continue
		}
		out := NewArray()
		for j := 0; j < a.Len(); j++ {
			k, v := a.At(j)
			s, err := c.selectStream(v)
			if err != nil {
				pending = err
				continue
			}
			if unselectable[s] != nil {
				// PHP casts each element again (a user stream's
				// stream_cast runs again; recorded: meta/user-cast-mixed).
				_, err := streamhook.Of(s).SelectCast()
				if r, ok := Deref(v).(*Resource); ok {
					c.rt.raiseQueued(c.fn, r)
				}
				var ns *phpstream.NotSelectableError
				if errors.As(err, &ns) {
					c.rt.warn(c.fn, EWarning, ns.Error())
				}
			}
			if e := index[s]; s != nil && e != nil && e.ready&(1<<i) != 0 {
				out.Set(k, Deref(v))
			}
		}
		setRef(c.ref(i), out)
	}
	if pending != nil {
		return nil, pending
	}
	return int64(n), nil
}

// selectStream is php_stream_from_zval_no_verify on an array element: nil
// without error for a stream without a socket.
func (c *call) selectStream(v Value) (*phpstream.Stream, error) {
	r, ok := Deref(v).(*Resource)
	if !ok {
		return nil, &Error{Class: "TypeError", Message: c.fn + "(): supplied argument is not a valid stream resource"}
	}
	if r.closed.Load() || r.kind != kindStream {
		return nil, &Error{Class: "TypeError", Message: c.fn + "(): supplied resource is not a valid stream resource"}
	}
	if r.stream == nil || r.stream.IsSocket() && !r.stream.Connected() {
		return nil, nil
	}
	return r.stream, nil
}

// selectTimeout is PHP's timeval: seconds plus whole seconds of the
// microseconds, then the rest of the microseconds.
func selectTimeout(sec, usec int64) time.Duration {
	sec += usec / 1000000
	usec %= 1000000
	const maxSec = int64(1<<63-1) / int64(time.Second)
	if sec >= maxSec || sec < 0 {
		return -1 // beyond what a Duration holds: as good as forever
	}
	return time.Duration(sec)*time.Second + time.Duration(usec)*time.Microsecond
}

func maxFD(entries []*selectEntry) int {
	m := 0
	for _, e := range entries {
		e.rc.Control(func(fd uintptr) { m = max(m, int(fd)) })
	}
	return m
}

func errnoText(e syscall.Errno) string { return errno.Message(e) }
