package compat

import (
	"sync"
	"sync/atomic"

	"github.com/phpsock/phpsock/phpstream"
)

type resourceKind int

const (
	kindStream resourceKind = iota
	kindContext
)

var lastResourceID atomic.Int64

// Resource is a PHP resource: a stream or a stream context.
type Resource struct {
	id         int64
	kind       resourceKind
	persistent bool
	closed     atomic.Bool // fclose'd (or freed): PHP's resource of type Unknown
	stream     *phpstream.Stream
	ctx        *phpstream.Context
	key        string // persistent key

	// queued is what the stream's own operations raised during the calls
	// running on the resource, raised by Call when a call on the resource
	// returns, named after it (php_error_docref's prefix is the running
	// function's). queueMu guards it: two goroutines may use one resource.
	queueMu sync.Mutex
	queued  []Diagnostic
	// hasQueued is len(queued) > 0, read without the lock: most calls
	// find nothing queued and should not pay for the mutex.
	hasQueued atomic.Bool

	// refMu guards defaultDir and freed: the runtime's default directory
	// holds a reference of its own to a directory stream (PHP's
	// DIRG(default_dir)), so Free of the last variable's reference leaves
	// it open until that reference goes too (dir.go).
	refMu      sync.Mutex
	defaultDir bool
	freed      bool
}

func newStreamResource(s *phpstream.Stream, persistent bool, key string) *Resource {
	r := &Resource{id: lastResourceID.Add(1), kind: kindStream, stream: s, persistent: persistent, key: key}
	s.SetDiagnostics(r.queue)
	return r
}

// queue is the DiagnosticFunc of the resource's stream.
func (r *Resource) queue(d Diagnostic) {
	r.queueMu.Lock()
	r.queued = append(r.queued, d)
	r.hasQueued.Store(true)
	r.queueMu.Unlock()
}

// takeQueued returns and clears what the stream raised.
func (r *Resource) takeQueued() []Diagnostic {
	if !r.hasQueued.Load() {
		return nil
	}
	r.queueMu.Lock()
	defer r.queueMu.Unlock()
	d := r.queued
	r.queued = nil
	r.hasQueued.Store(false)
	return d
}

func newContextResource(c *phpstream.Context) *Resource {
	return &Resource{id: lastResourceID.Add(1), kind: kindContext, ctx: c}
}

// A nil *Resource is PHP's false: the methods below answer for it as for
// no resource at all, and every function given it (typed or through Call)
// treats it as false.

// ID is the resource number (what (int)$resource gives); 0 for nil.
func (r *Resource) ID() int64 {
	if r == nil {
		return 0
	}
	return r.id
}

// Stream returns the socket stream behind a stream resource, or nil.
func (r *Resource) Stream() *phpstream.Stream {
	if r == nil {
		return nil
	}
	return r.stream
}

// Context returns the context behind a stream-context resource, or nil.
func (r *Resource) Context() *phpstream.Context {
	if r == nil {
		return nil
	}
	return r.ctx
}

// Closed reports whether the resource was closed (fclose); a nil
// resource counts as closed.
func (r *Resource) Closed() bool { return r == nil || r.closed.Load() }

// Type is what get_resource_type returns: "stream", "persistent stream",
// "stream-context", or "Unknown" once closed (and for nil).
func (r *Resource) Type() string {
	switch {
	case r.Closed():
		return "Unknown"
	case r.kind == kindContext:
		return "stream-context"
	case r.persistent:
		return "persistent stream"
	}
	return "stream"
}
