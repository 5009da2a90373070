package compat

import (
	"maps"
	"slices"
)

// The typed stream-context functions (see typed.go for the conventions).

// Options are a context's options, wrapper => option => value, as PHP
// writes them:
//
//	["ssl" => ["cafile" => $ca, "peer_name" => "localhost"]]
//	compat.Options{"ssl": {"cafile": ca, "peer_name": "localhost"}}
//
// Values are Go values ToValue converts (an int or a CryptoMethod becomes
// PHP's int, a []string a list). A Go map has no order: converted to a
// PHP array (Array) the wrappers and options are in sorted order, where
// an *Array built in the order PHP code writes keeps that order.
type Options map[string]map[string]Value

// Array returns the options as PHP's array, keys sorted; a nil Options is
// nil (PHP's null).
func (o Options) Array() *Array {
	if o == nil {
		return nil
	}
	out := NewArray()
	for _, w := range slices.Sorted(maps.Keys(o)) {
		out.Set(w, sortedArray(o[w]))
	}
	return out
}

// optionsOf is an options array (stream_context_get_options) as Options;
// a wrapper whose value is not an array is left out (PHP's arrays of
// options never have one).
func optionsOf(a *Array) Options {
	out := Options{}
	for i := 0; i < a.Len(); i++ {
		k, v := a.At(i)
		w, ok := v.(*Array)
		name, isStr := k.(string)
		if !ok || !isStr {
			continue
		}
		m := map[string]Value{}
		for j := 0; j < w.Len(); j++ {
			ok, ov := w.At(j)
			if s, isStr := ok.(string); isStr {
				m[s] = ov
			}
		}
		out[name] = m
	}
	return out
}

// optionsArg is an ?array of options as a Call argument.
func optionsArg(o Options) Value {
	if o == nil {
		return nil
	}
	return o.Array()
}

// ContextParams are a context's parameters, stream_context_create's
// $params and what stream_context_get_params returns: the notification
// callback (nil: none; phpsock stores it but has no interpreter to call
// it) and the options.
type ContextParams struct {
	Notification Value
	Options      Options
}

// array is the params as PHP's array; nil is PHP's null.
func (p *ContextParams) array() Value {
	if p == nil {
		return nil
	}
	a := NewArray()
	if p.Notification != nil {
		a.Set("notification", ToValue(p.Notification))
	}
	if p.Options != nil {
		a.Set("options", p.Options.Array())
	}
	return a
}

// StreamContextCreate is PHP's
//
//	stream_context_create(?array $options = null, ?array $params = null): resource
//
// Both optional parameters are given; nil is PHP's null.
func (rt *Runtime) StreamContextCreate(options Options, params *ContextParams) (*Resource, error) {
	return resourceResult(rt.Call("stream_context_create", optionsArg(options), params.array()))
}

// StreamContextSetOption is PHP's
//
//	stream_context_set_option(resource $context, string $wrapper_or_options,
//	    ?string $option_name, mixed $value): bool
//
// with a wrapper and an option name; StreamContextSetOptions is the same
// function with an array of options. context may be a stream, whose own
// context is changed.
func (rt *Runtime) StreamContextSetOption(context *Resource, wrapper, option string, value Value) (bool, error) {
	return boolResult(rt.Call("stream_context_set_option", resArg(context), wrapper, option, ToValue(value)))
}

// StreamContextSetOptions is PHP's
//
//	stream_context_set_option(resource $context, array $wrapper_or_options): bool
//
// (the array form of stream_context_set_option).
func (rt *Runtime) StreamContextSetOptions(context *Resource, options Options) (bool, error) {
	opts := Value(options.Array())
	if options == nil {
		opts = NewArray()
	}
	return boolResult(rt.Call("stream_context_set_option", resArg(context), opts))
}

// StreamContextGetOptions is PHP's
//
//	stream_context_get_options(resource $stream_or_context): array
func (rt *Runtime) StreamContextGetOptions(streamOrContext *Resource) (Options, error) {
	v, err := rt.Call("stream_context_get_options", resArg(streamOrContext))
	if err != nil {
		return nil, err
	}
	a, _ := v.(*Array)
	return optionsOf(a), nil
}

// StreamContextGetParams is PHP's
//
//	stream_context_get_params(resource $context): array
func (rt *Runtime) StreamContextGetParams(context *Resource) (ContextParams, error) {
	v, err := rt.Call("stream_context_get_params", resArg(context))
	if err != nil {
		return ContextParams{}, err
	}
	a, _ := v.(*Array)
	var p ContextParams
	p.Notification, _ = a.Get("notification")
	if o, ok := a.Get("options"); ok {
		oa, _ := o.(*Array)
		p.Options = optionsOf(oa)
	}
	return p, nil
}

// StreamContextSetDefault is PHP's
//
//	stream_context_set_default(array $options): resource
//
// nil options are PHP's empty array.
func (rt *Runtime) StreamContextSetDefault(options Options) (*Resource, error) {
	opts := Value(options.Array())
	if options == nil {
		opts = NewArray()
	}
	return resourceResult(rt.Call("stream_context_set_default", opts))
}

// StreamContextGetDefault is PHP's
//
//	stream_context_get_default(?array $options = null): resource
//
// options are optional (nil: PHP's null).
func (rt *Runtime) StreamContextGetDefault(options ...Options) (*Resource, error) {
	args := make([]Value, 0, len(options))
	for _, o := range options {
		args = append(args, optionsArg(o))
	}
	return resourceResult(rt.Call("stream_context_get_default", args...))
}
