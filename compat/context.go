package compat

import (
	"fmt"

	"github.com/phpsock/phpsock/phpstream"
)

// contextFor is php_stream_context_from_zval: the given context, else the
// default context unless noDefault.
func (rt *Runtime) contextFor(r *Resource, noDefault bool) *phpstream.Context {
	if r != nil {
		return r.ctx
	}
	if noDefault {
		return nil
	}
	return rt.defaultContext().ctx
}

func (rt *Runtime) defaultContext() *Resource {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.defaultCtx == nil {
		rt.defaultCtx = newContextResource(phpstream.NewContext())
	}
	return rt.defaultCtx
}

var errOptionsForm = &Error{Class: "ValueError", Message: `Options should have the form ["wrappername"]["optionname"] = $value`}

// applyOptions stores an options array (wrapper => [option => value]) in
// ctx, as parse_context_options does: int option names are skipped.
func applyOptions(ctx *phpstream.Context, opts *Array) error {
	for i := 0; i < opts.Len(); i++ {
		wk, wv := opts.At(i)
		wname, ok := wk.(string)
		inner, isArr := wv.(*Array)
		if !ok || !isArr {
			return errOptionsForm
		}
		for j := 0; j < inner.Len(); j++ {
			ok, ov := inner.At(j)
			if oname, isStr := ok.(string); isStr {
				ctx.SetOption(wname, oname, ov)
			}
		}
	}
	return nil
}

func optionsArray(ctx *phpstream.Context) *Array {
	out := NewArray()
	ctx.Each(func(wrapper, name string, value any) {
		w, ok := out.Get(wrapper)
		if !ok {
			w = NewArray()
			out.Set(wrapper, w)
		}
		w.(*Array).Set(name, value)
	})
	return out
}

// stream_context_create(?array $options = null, ?array $params = null): resource
func streamContextCreate(c *call) (Value, error) {
	if err := c.arity(0, 2); err != nil {
		return nil, err
	}
	ctx := phpstream.NewContext()
	for i, name := range []string{"options", "params"} {
		v := c.arg(i)
		if v == nil {
			continue
		}
		a, ok := v.(*Array)
		if !ok {
			return nil, c.typeError(i+1, param{name: name}, "?array", v)
		}
		if i == 0 {
			if err := applyOptions(ctx, a); err != nil {
				return nil, err
			}
		} else if err := applyParams(ctx, a); err != nil {
			return nil, err
		}
	}
	return newContextResource(ctx), nil
}

// applyParams is PHP's parse_context_params: "notification" is stored
// whatever its value (null included), then an "options" array is merged
// into the options as stream_context_set_option would; any other
// "options" value is a TypeError without the function's name; other keys
// are ignored (recorded:
// phpt-streams/stream_context_get_params_001-created-with-params).
func applyParams(ctx *phpstream.Context, params *Array) error {
	if n, ok := params.Get("notification"); ok {
		ctx.SetNotification(n)
	}
	if o, ok := params.Get("options"); ok {
		oa, isArr := o.(*Array)
		if !isArr {
			return &Error{Class: "TypeError", Message: "Invalid stream/context parameter"}
		}
		return applyOptions(ctx, oa)
	}
	return nil
}

// ctxOrStream fetches a stream or context resource argument (the stream's
// context is its own; streams here have none), as PHP's
// decode_context_param: any other resource, a closed one included, is
// "must be a valid stream/context" (recorded: resource/closed-everywhere).
func (c *call) ctxOrStream(i int, name string) (*phpstream.Context, error) {
	v := c.arg(i)
	r, ok := v.(*Resource)
	if !ok {
		return nil, c.typeError(i+1, param{name: name}, "resource", v)
	}
	switch {
	case r.closed.Load():
	case r.kind == kindContext:
		return r.ctx, nil
	case r.kind == kindStream:
		// A stream without a context gets a fresh one on first use, as in PHP.
		if r.ctx == nil {
			r.ctx = phpstream.NewContext()
		}
		return r.ctx, nil
	}
	return nil, &Error{Class: "TypeError", Message: fmt.Sprintf("%s(): Argument #%d ($%s) must be a valid stream/context", c.fn, i+1, name)}
}

// stream_context_get_options(resource $stream_or_context): array
func streamContextGetOptions(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	ctx, err := c.ctxOrStream(0, "stream_or_context")
	if err != nil {
		return nil, err
	}
	return optionsArray(ctx), nil
}

// stream_context_set_option($context, array|string $wrapper_or_options,
// ?string $option_name = null, mixed $value): bool (PHP 8.2 names the
// first parameter $context; recorded: resource/false-everywhere)
func streamContextSetOption(c *call) (Value, error) {
	if err := c.arity(2, 4); err != nil {
		return nil, err
	}
	ctx, err := c.ctxOrStream(0, "context")
	if err != nil {
		return nil, err
	}
	if a, ok := c.arg(1).(*Array); ok {
		if c.arg(2) != nil {
			return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #3 ($option_name) must be null when argument #2 ($wrapper_or_options) is an array"}
		}
		if c.has(3) {
			return nil, &Error{Class: "ArgumentCountError", Message: c.fn + "(): Argument #4 ($value) cannot be provided when argument #2 ($wrapper_or_options) is an array"}
		}
		return true, applyOptions(ctx, a)
	}
	wrapper, _, err := c.str(1, param{name: "wrapper_or_options"})
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Message = c.fn + "(): Argument #2 ($wrapper_or_options) must be of type array|string, " + typeName(c.arg(1)) + " given"
		}
		return nil, err
	}
	name, set, err := c.str(2, param{name: "option_name", nullable: true})
	if err != nil {
		return nil, err
	}
	if !set {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #3 ($option_name) cannot be null when argument #2 ($wrapper_or_options) is a string"}
	}
	if !c.has(3) {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #4 ($value) must be provided when argument #2 ($wrapper_or_options) is a string"}
	}
	ctx.SetOption(wrapper, name, c.arg(3))
	return true, nil
}

// stream_context_get_params(resource $context): array
func streamContextGetParams(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	ctx, err := c.ctxOrStream(0, "context")
	if err != nil {
		return nil, err
	}
	// PHP lists the notification parameter first when one is set.
	out := NewArray()
	if n, ok := ctx.Notification(); ok {
		out.Set("notification", n)
	}
	out.Set("options", optionsArray(ctx))
	return out, nil
}

// stream_context_set_default(array $options): resource
func streamContextSetDefault(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	a, ok := c.arg(0).(*Array)
	if !ok {
		return nil, c.typeError(1, param{name: "options"}, "array", c.arg(0))
	}
	r := c.rt.defaultContext()
	return r, applyOptions(r.ctx, a)
}

// stream_context_get_default(?array $options = null): resource
func streamContextGetDefault(c *call) (Value, error) {
	if err := c.arity(0, 1); err != nil {
		return nil, err
	}
	r := c.rt.defaultContext()
	switch a := c.arg(0).(type) {
	case nil:
	case *Array:
		if err := applyOptions(r.ctx, a); err != nil {
			return nil, err
		}
	default:
		return nil, c.typeError(1, param{name: "options"}, "?array", a)
	}
	return r, nil
}
