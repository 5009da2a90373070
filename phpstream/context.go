package phpstream

import (
	"github.com/phpsock/phpsock/internal/phpvalue"
	"sync"
)

// A Context is a PHP stream context: options grouped by wrapper ("socket",
// "ssl"), in the order they were set. Option values are PHP values as the
// caller represents them: nil, bool, int64, float64, string, or an
// OptionArray; other types count as truthy objects. A Context is safe for
// concurrent use.
type Context struct {
	mu       sync.Mutex
	wrappers []wrapperOptions
	// notification is the "notification" parameter (stream_context_create's
	// $params), stored as given: PHP keeps any value, null included.
	notification    any
	hasNotification bool
}

type wrapperOptions struct {
	name string
	opts []option
}

type option struct {
	name  string
	value any
}

// OptionArray is how a PHP array option value is read (compat's *Array
// implements it).
type OptionArray interface {
	Len() int
	At(i int) (key, value any)
}

// NewContext returns an empty context.
func NewContext() *Context { return &Context{} }

// SetOption sets wrapper/option to value, keeping the position of an option
// set before (as PHP's stream_context_set_option does).
func (c *Context) SetOption(wrapper, name string, value any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.wrappers {
		w := &c.wrappers[i]
		if w.name != wrapper {
			continue
		}
		for j := range w.opts {
			if w.opts[j].name == name {
				w.opts[j].value = value
				return
			}
		}
		w.opts = append(w.opts, option{name, value})
		return
	}
	c.wrappers = append(c.wrappers, wrapperOptions{name: wrapper, opts: []option{{name, value}}})
}

// Option returns the value of wrapper/option and whether it is set.
func (c *Context) Option(wrapper, name string) (any, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range c.wrappers {
		if w.name != wrapper {
			continue
		}
		for _, o := range w.opts {
			if o.name == name {
				return o.value, true
			}
		}
	}
	return nil, false
}

// SetNotification stores the context's "notification" parameter, as PHP's
// parse_context_params does with any value (recorded:
// phpt-streams/stream_context_get_params_001-created-with-params).
func (c *Context) SetNotification(v any) {
	c.mu.Lock()
	c.notification, c.hasNotification = v, true
	c.mu.Unlock()
}

// Notification returns the "notification" parameter and whether one was
// set.
func (c *Context) Notification() (any, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.notification, c.hasNotification
}

// Each calls f for every option in order.
func (c *Context) Each(f func(wrapper, name string, value any)) {
	c.mu.Lock()
	ws := make([]wrapperOptions, len(c.wrappers))
	for i, w := range c.wrappers {
		ws[i] = wrapperOptions{w.name, append([]option(nil), w.opts...)}
	}
	c.mu.Unlock()
	for _, w := range ws {
		for _, o := range w.opts {
			f(w.name, o.name, o.value)
		}
	}
}

// optionTrue reports whether wrapper/option is set to a value PHP treats as
// true (zend_is_true).
func (c *Context) optionTrue(wrapper, name string) bool {
	v, ok := c.Option(wrapper, name)
	return ok && phpvalue.Bool(v)
}
