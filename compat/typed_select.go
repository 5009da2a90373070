package compat

// StreamSelect is PHP's
//
//	stream_select(?array &$read, ?array &$write, ?array &$except,
//	    ?int $seconds, ?int $microseconds = null): int|false
//
// read, write and except are PHP's arrays by reference: nil is PHP's
// null, and after the call each slice holds the streams that are ready,
// in their order. PHP keeps the keys of the streams it leaves in an
// array; a Go slice renumbers them (Call, given *Ref arrays, keeps them).
// seconds NullInt is PHP's null (wait until one is ready);
// microseconds is optional. ok is false where PHP returns false.
func (rt *Runtime) StreamSelect(read, write, except *[]*Resource, seconds int, microseconds ...int) (n int, ok bool, err error) {
	sets := [3]*[]*Resource{read, write, except}
	var refs [3]*Ref
	args := make([]Value, 0, 5)
	for i, s := range sets {
		if s == nil {
			args = append(args, nil)
			continue
		}
		a := NewArray()
		for _, r := range *s {
			a.Append(resArg(r))
		}
		refs[i] = &Ref{V: a}
		args = append(args, refs[i])
	}
	args = optionalInts(append(args, nullableInt(seconds)), microseconds)
	v, err := rt.Call("stream_select", args...)
	for i, s := range sets {
		if a, isArr := Deref(refs[i]).(*Array); s != nil && isArr {
			*s = resourceList(a)
		}
	}
	return intOrFalse(v, err)
}
