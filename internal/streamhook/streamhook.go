// Package streamhook gives compat the operations on a phpstream.Stream
// that PHP's functions need and a Go user of phpstream does not: the
// halves of stream_select, fseek, feof and fread that PHP performs on
// streams in ways no net.Conn method describes. They are methods of
// *phpstream.Stream that phpstream keeps unexported and hands over here
// when it is initialised, so that phpstream's API stays what a Go user
// needs while compat, inside the module, still reaches them.
//
// Use: streamhook.Of(s).HasReadAhead() for a *phpstream.Stream s.
package streamhook

import "syscall"

// Stream is the set of hooks of one stream.
type Stream interface {
	// HasReadAhead reports whether bytes read ahead of PHP's buffer are
	// waiting: for stream_select they are data in the socket, ready to be
	// read.
	HasReadAhead() bool
	// SelectCast is what PHP does to a stream in stream_select before it
	// waits (php_stream_cast for select): it returns the descriptor to
	// wait on.
	SelectCast() (syscall.RawConn, error)
	// AfterClose arranges for f to be called once the stream is closed
	// (stream_select's wait ends on a Close); stop unregisters f and
	// reports whether it had not run.
	AfterClose(f func()) (stop func() bool)
	// ListenerEOF is feof on a server stream (PHP 8.2.6+, GH-10406).
	ListenerEOF() bool
	// ListenerReadTimedOut is the wait of a PHP read on a listening
	// socket: whether it timed out.
	ListenerReadTimedOut() bool
	// SeekPHP is PHP's _php_stream_seek on a socket stream: ok is whether
	// it succeeded, unsupported whether PHP warns that the stream does not
	// support seeking.
	SeekPHP(offset int64, whence int) (ok, unsupported bool)
}

// of is the function Register installed: a func(S) Stream.
var of any

// Register installs the function that gives a stream's hooks; phpstream
// calls it from an init function with S = *phpstream.Stream.
func Register[S any](f func(S) Stream) { of = f }

// Of returns the hooks of s. S must be the type Register was called with
// (*phpstream.Stream); anything else is a programming error and panics.
func Of[S any](s S) Stream { return of.(func(S) Stream)(s) }
