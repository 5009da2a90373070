package conformance

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/google/go-cmp/cmp"
)

func sortStrings(s []string) { sort.Strings(s) }

// ArrayKey converts a path element to a PHP array key by PHP's rules: a
// decimal integer string in canonical form is an int key.
func ArrayKey(s string) Key {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil && strconv.FormatInt(i, 10) == s {
		return Key{IsInt: true, Int: i}
	}
	return Key{Str: BStr(s)}
}

// Drop removes the dotted paths from an array value (a copy is returned).
func Drop(r Ret, paths []string) Ret {
	for _, p := range paths {
		r = dropPath(r, strings.Split(p, "."))
	}
	return r
}

func dropPath(r Ret, path []string) Ret {
	if r.Type != "array" || len(path) == 0 {
		return r
	}
	k := ArrayKey(path[0])
	out := r
	out.Elems = make([]Elem, 0, len(r.Elems))
	for _, e := range r.Elems {
		if e.Key == k {
			if len(path) == 1 {
				continue
			}
			e = Elem{Key: e.Key, Val: dropPath(e.Val, path[1:])}
		}
		out.Elems = append(out.Elems, e)
	}
	return out
}

// Pick selects the element at path, or {"type": "absent"}.
func Pick(r Ret, path []string) Ret {
	for _, p := range path {
		if r.Type != "array" {
			return Ret{Type: "absent"}
		}
		k := ArrayKey(p)
		found := false
		for _, e := range r.Elems {
			if e.Key == k {
				r, found = e.Val, true
				break
			}
		}
		if !found {
			return Ret{Type: "absent"}
		}
	}
	return r
}

// NormalizeRet rewrites the strings of r (keys included) through f.
func NormalizeRet(r Ret, f func(string) string) Ret {
	switch r.Type {
	case "string":
		r.Str = BStr(f(string(r.Str)))
	case "array":
		elems := make([]Elem, len(r.Elems))
		for i, e := range r.Elems {
			k := e.Key
			if !k.IsInt {
				k.Str = BStr(f(string(k.Str)))
			}
			elems[i] = Elem{Key: k, Val: NormalizeRet(e.Val, f)}
		}
		r.Elems = elems
	}
	return r
}

// NormalizeObs rewrites every string of the observation through f.
func NormalizeObs(o *Obs, f func(string) string) {
	if o.Ret != nil {
		r := NormalizeRet(*o.Ret, f)
		o.Ret = &r
	}
	if o.Throws != nil {
		o.Throws.Message = BStr(f(string(o.Throws.Message)))
	}
	if o.Errstr != nil && o.Errstr.V != nil {
		s := BStr(f(string(*o.Errstr.V)))
		o.Errstr.V = &s
	}
	for i := range o.Warnings {
		o.Warnings[i].Message = BStr(f(string(o.Warnings[i].Message)))
	}
}

// DiffCase compares two results of one case; "" means equal.
func DiffCase(want, got *CaseResult) string {
	return cmp.Diff(want, got, cmp.Comparer(floatEqual))
}

// floatEqual treats NaN as equal to NaN, as the recordings spell both "NAN".
func floatEqual(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

// CaseDiff is one difference between two recordings.
type CaseDiff struct {
	Name string
	Diff string // -want +got
}

// Diff compares two recordings case by case: cases in want missing from got,
// extra cases in got, and cases whose observations differ.
func Diff(want, got *Recording) []CaseDiff {
	var out []CaseDiff
	for _, name := range want.order() {
		g, ok := got.Cases[name]
		if !ok {
			out = append(out, CaseDiff{name, "missing from the second recording"})
			continue
		}
		if d := DiffCase(want.Cases[name], g); d != "" {
			out = append(out, CaseDiff{name, d})
		}
	}
	for _, name := range got.order() {
		if _, ok := want.Cases[name]; !ok {
			out = append(out, CaseDiff{name, "missing from the first recording"})
		}
	}
	return out
}

// String renders a value compactly for messages and reports.
func (r Ret) String() string {
	switch r.Type {
	case "bool":
		return strconv.FormatBool(r.Bool)
	case "int":
		return strconv.FormatInt(r.Int, 10)
	case "float":
		return strconv.FormatFloat(r.Float, 'g', -1, 64)
	case "string":
		return strconv.Quote(string(r.Str))
	case "resource", "object":
		return fmt.Sprintf("%s(%s)", r.Type, r.Str)
	case "array":
		var b strings.Builder
		b.WriteByte('[')
		for i, e := range r.Elems {
			if i > 0 {
				b.WriteString(", ")
			}
			if e.Key.IsInt {
				b.WriteString(strconv.FormatInt(e.Key.Int, 10))
			} else {
				b.WriteString(strconv.Quote(string(e.Key.Str)))
			}
			b.WriteString(" => ")
			b.WriteString(e.Val.String())
		}
		b.WriteByte(']')
		return b.String()
	}
	return r.Type
}
