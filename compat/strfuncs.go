package compat

import (
	"crypto/md5"
	"encoding/hex"

	"github.com/phpsock/phpsock/internal/phpvalue"
)

// The string and array functions the contract (1.1) lets cases observe
// results with: strlen, md5, bin2hex, in_array.

func init() {
	functions["strlen"] = strlenFn
	functions["md5"] = md5Fn
	functions["bin2hex"] = bin2hexFn
	functions["in_array"] = inArray
}

// strlen(string $string): int
func strlenFn(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	s, _, err := c.str(0, param{name: "string"})
	if err != nil {
		return nil, err
	}
	return int64(len(s)), nil
}

// md5(string $string, bool $binary = false): string
func md5Fn(c *call) (Value, error) {
	if err := c.arity(1, 2); err != nil {
		return nil, err
	}
	s, _, err := c.str(0, param{name: "string"})
	if err != nil {
		return nil, err
	}
	binary := false
	if c.has(1) {
		if binary, _, err = c.boolean(1, param{name: "binary"}); err != nil {
			return nil, err
		}
	}
	sum := md5.Sum([]byte(s))
	if binary {
		return string(sum[:]), nil
	}
	return hex.EncodeToString(sum[:]), nil
}

// bin2hex(string $string): string
func bin2hexFn(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	s, _, err := c.str(0, param{name: "string"})
	if err != nil {
		return nil, err
	}
	return hex.EncodeToString([]byte(s)), nil
}

// in_array(mixed $needle, array $haystack, bool $strict = false): bool
func inArray(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	needle := c.arg(0)
	hay, ok := c.arg(1).(*Array)
	if !ok {
		return nil, c.typeError(2, param{name: "haystack"}, "array", c.arg(1))
	}
	strict := false
	if c.has(2) {
		var err error
		if strict, _, err = c.boolean(2, param{name: "strict"}); err != nil {
			return nil, err
		}
	}
	for i := 0; i < hay.Len(); i++ {
		_, v := hay.At(i)
		v = Deref(v)
		if strict && identical(needle, v) || !strict && looseEqual(needle, v) {
			return true, nil
		}
	}
	return false, nil
}

// identical is PHP's ===, for scalars (arrays compare by their elements).
func identical(a, b Value) bool {
	switch x := a.(type) {
	case *Array:
		y, ok := b.(*Array)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			kx, vx := x.At(i)
			ky, vy := y.At(i)
			if kx != ky || !identical(Deref(vx), Deref(vy)) {
				return false
			}
		}
		return true
	case *Resource:
		return a == b
	}
	return a == b
}

// looseEqual is PHP 8's == between scalars: numbers and numeric strings
// compare as numbers, null and bool compare as bools, other strings as
// strings (PHP 8: a number and a non-numeric string compare as strings).
func looseEqual(a, b Value) bool {
	switch x := a.(type) {
	case nil:
		return !phpvalue.Bool(b) && !isArrayNonEmpty(b)
	case bool:
		return x == phpvalue.Bool(b)
	case *Array:
		y, ok := b.(*Array)
		if !ok {
			return b == nil && x.Len() == 0 || isBool(b) && phpvalue.Bool(b) == (x.Len() > 0)
		}
		if x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			k, vx := x.At(i)
			vy, found := y.Get(k)
			if !found || !looseEqual(Deref(vx), Deref(vy)) {
				return false
			}
		}
		return true
	case *Resource, *Object:
		switch b.(type) {
		case nil, bool:
			return looseEqual(b, a)
		}
		return a == b
	}
	switch b.(type) {
	case nil, bool, *Array, *Resource, *Object:
		return looseEqual(b, a)
	}
	// Both are int, float or string.
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok {
			return x == y
		}
	}
	an, aNum := number(a)
	bn, bNum := number(b)
	if aNum && bNum {
		return an == bn
	}
	_, aStr := a.(string)
	_, bStr := b.(string)
	if aStr && bStr {
		return a == b
	}
	// A number and a non-numeric string: the number as a string.
	return phpvalue.String(a) == phpvalue.String(b)
}

func isBool(v Value) bool { _, ok := v.(bool); return ok }

func isArrayNonEmpty(v Value) bool {
	a, ok := v.(*Array)
	return ok && a.Len() > 0
}

// number is v as a number: ints and floats, and numeric strings.
func number(v Value) (float64, bool) {
	switch t := v.(type) {
	case int64:
		return float64(t), true
	case float64:
		return t, true
	case string:
		i, f, isInt, ok := phpvalue.NumericString(t)
		if !ok {
			return 0, false
		}
		if isInt {
			return float64(i), true
		}
		return f, true
	}
	return 0, false
}
