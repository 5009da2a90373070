package compat

// Resource is a PHP resource: a stream or a stream context.
type Resource struct {
	kind       string // "stream" or "stream-context"
	persistent bool
	closed     bool
}

// Type is what get_resource_type returns: "stream", "persistent stream",
// "stream-context", or "Unknown" once closed.
func (r *Resource) Type() string {
	switch {
	case r.closed:
		return "Unknown"
	case r.persistent:
		return "persistent stream"
	}
	return r.kind
}
