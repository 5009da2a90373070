package compat

import (
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
	closed     bool
	stream     *phpstream.Stream
	ctx        *phpstream.Context
	key        string // persistent key
}

func newStreamResource(s *phpstream.Stream, persistent bool, key string) *Resource {
	return &Resource{id: lastResourceID.Add(1), kind: kindStream, stream: s, persistent: persistent, key: key}
}

func newContextResource(c *phpstream.Context) *Resource {
	return &Resource{id: lastResourceID.Add(1), kind: kindContext, ctx: c}
}

// ID is the resource number (what (int)$resource gives).
func (r *Resource) ID() int64 { return r.id }

// Stream returns the socket stream behind a stream resource, or nil.
func (r *Resource) Stream() *phpstream.Stream { return r.stream }

// Context returns the context behind a stream-context resource, or nil.
func (r *Resource) Context() *phpstream.Context { return r.ctx }

// Type is what get_resource_type returns: "stream", "persistent stream",
// "stream-context", or "Unknown" once closed.
func (r *Resource) Type() string {
	switch {
	case r.closed:
		return "Unknown"
	case r.kind == kindContext:
		return "stream-context"
	case r.persistent:
		return "persistent stream"
	}
	return "stream"
}
