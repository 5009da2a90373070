package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// A Value is a PHP value as a case file writes it (CONFORMANCE.md "Values"):
// one of Null, Bool, Int, Float, Str, List, Map, Const, Var, Port.
// Tagged forms {"b64"} and {"repeat"} are decoded into Str when loaded;
// {"map"} and plain objects both become Map.
type Value interface{ isValue() }

type (
	// Null is PHP's null.
	Null struct{}
	// Bool is a PHP bool.
	Bool bool
	// Int is a PHP int.
	Int int64
	// Float is a PHP float.
	Float float64
	// Str is a PHP (byte) string.
	Str string
	// List is a PHP list (keys 0..n-1).
	List []Value
	// Map is a PHP array with explicit keys, in order.
	Map []MapEntry
	// Const is {"const": NAME} or the bitwise or of several names.
	Const []string
	// Var is {"var": NAME}, optionally indexed by At.
	Var struct {
		Name string
		At   []Value
	}
	// Port is {"port": ALIAS}: a fixture's port as an int.
	Port string
)

// MapEntry is one key/value pair of a Map. Key is an Int or a Str.
type MapEntry struct {
	Key   Value
	Value Value
}

func (Null) isValue()  {}
func (Bool) isValue()  {}
func (Int) isValue()   {}
func (Float) isValue() {}
func (Str) isValue()   {}
func (List) isValue()  {}
func (Map) isValue()   {}
func (Const) isValue() {}
func (Var) isValue()   {}
func (Port) isValue()  {}

// maxRepeat bounds one {"repeat"}, and maxRepeatFile all of a case file's
// together, so that a hostile case file cannot exhaust memory (a variable
// for the tests).
const maxRepeat = 64 << 20

var maxRepeatFile int64 = 256 << 20

// parseValue decodes a case-file value from JSON text, keeping object order.
// budget is what is left of the file's maxRepeatFile bytes of {"repeat"}.
func parseValue(raw json.RawMessage, budget *int64) (Value, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	v, err := decodeValue(d, budget)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err == nil {
		return nil, fmt.Errorf("trailing data after value")
	}
	return v, nil
}

func decodeValue(d *json.Decoder, budget *int64) (Value, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return Null{}, nil
	case bool:
		return Bool(t), nil
	case string:
		return Str(t), nil
	case json.Number:
		return numberValue(t)
	case json.Delim:
		switch t {
		case '[':
			list := List{}
			for d.More() {
				v, err := decodeValue(d, budget)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return list, nil
		case '{':
			var entries Map
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeValue(d, budget)
				if err != nil {
					return nil, err
				}
				entries = append(entries, MapEntry{Key: Str(k), Value: v})
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return tagged(entries, budget)
		}
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// numberValue: an integer literal is an Int, a literal with a fraction or
// exponent is a Float.
func numberValue(n json.Number) (Value, error) {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("integer %s out of range", s)
		}
		return Int(i), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("bad float %s", s)
	}
	return Float(f), nil
}

// tagged turns a one-key object with a tag name into its tagged form; any
// other object is a PHP array with string keys.
func tagged(m Map, budget *int64) (Value, error) {
	if len(m) == 0 {
		return m, nil
	}
	tag := string(m[0].Key.(Str))
	arg := m[0].Value
	switch tag {
	case "const":
		if len(m) != 1 {
			break
		}
		switch a := arg.(type) {
		case Str:
			if !identRE.MatchString(string(a)) {
				return nil, fmt.Errorf(`"const": %q is not a constant name`, string(a))
			}
			return Const{string(a)}, nil
		case List:
			var names Const
			for _, e := range a {
				s, ok := e.(Str)
				if !ok || !identRE.MatchString(string(s)) {
					return nil, fmt.Errorf(`"const" list must hold constant names`)
				}
				names = append(names, string(s))
			}
			if len(names) == 0 {
				return nil, fmt.Errorf(`"const" list is empty`)
			}
			return names, nil
		}
		return nil, fmt.Errorf(`"const" takes a string or a list of strings`)
	case "var":
		name, ok := arg.(Str)
		if !ok || !ValidVar(string(name)) {
			return nil, fmt.Errorf(`"var" takes a usable variable name`)
		}
		v := Var{Name: string(name)}
		switch len(m) {
		case 1:
			return v, nil
		case 2:
			if m[1].Key.(Str) != "at" {
				return nil, fmt.Errorf(`unknown key %q beside "var"`, m[1].Key)
			}
			at, ok := m[1].Value.(List)
			if !ok {
				return nil, fmt.Errorf(`"at" takes a list of keys`)
			}
			for _, k := range at {
				switch k.(type) {
				case Int, Str:
				default:
					return nil, fmt.Errorf(`"at" keys must be ints or strings`)
				}
			}
			v.At = at
			return v, nil
		}
		return nil, fmt.Errorf(`"var" object has extra keys`)
	case "b64":
		if len(m) != 1 {
			break
		}
		s, ok := arg.(Str)
		if !ok {
			return nil, fmt.Errorf(`"b64" takes a string`)
		}
		b, err := base64.StdEncoding.DecodeString(string(s))
		if err != nil {
			return nil, fmt.Errorf(`"b64": %v`, err)
		}
		return Str(b), nil
	case "repeat":
		if len(m) != 1 {
			break
		}
		l, ok := arg.(List)
		if !ok || len(l) != 2 {
			return nil, fmt.Errorf(`"repeat" takes [string, count]`)
		}
		s, ok1 := l[0].(Str)
		n, ok2 := l[1].(Int)
		if !ok1 || !ok2 || n < 0 || (len(s) > 0 && int64(n) > maxRepeat/int64(len(s))) {
			return nil, fmt.Errorf(`"repeat" takes [string, count] with a sane count`)
		}
		size := int64(len(s)) * int64(n)
		if size > *budget {
			return nil, fmt.Errorf(`"repeat": the file's repeated strings pass %d bytes`, maxRepeatFile)
		}
		*budget -= size
		return Str(strings.Repeat(string(s), int(n))), nil
	case "port":
		if len(m) != 1 {
			break
		}
		s, ok := arg.(Str)
		if !ok {
			return nil, fmt.Errorf(`"port" takes an alias`)
		}
		return Port(s), nil
	case "map":
		if len(m) != 1 {
			break
		}
		l, ok := arg.(List)
		if !ok {
			return nil, fmt.Errorf(`"map" takes a list of [key, value] pairs`)
		}
		out := Map{}
		for _, e := range l {
			pair, ok := e.(List)
			if !ok || len(pair) != 2 {
				return nil, fmt.Errorf(`"map" entries are [key, value] pairs`)
			}
			switch pair[0].(type) {
			case Int, Str:
			default:
				return nil, fmt.Errorf(`"map" keys must be ints or strings`)
			}
			out = append(out, MapEntry{Key: pair[0], Value: pair[1]})
		}
		return out, nil
	}
	return m, nil
}

// MapValue substitutes strings (keys included) through f, recursively.
func MapValue(v Value, f func(string) (string, error)) (Value, error) {
	switch t := v.(type) {
	case Str:
		s, err := f(string(t))
		return Str(s), err
	case List:
		out := make(List, len(t))
		for i, e := range t {
			x, err := MapValue(e, f)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case Map:
		out := make(Map, len(t))
		for i, e := range t {
			k, err := MapValue(e.Key, f)
			if err != nil {
				return nil, err
			}
			x, err := MapValue(e.Value, f)
			if err != nil {
				return nil, err
			}
			out[i] = MapEntry{Key: k, Value: x}
		}
		return out, nil
	case Var:
		if len(t.At) == 0 {
			return t, nil
		}
		at := make([]Value, len(t.At))
		for i, k := range t.At {
			x, err := MapValue(k, f)
			if err != nil {
				return nil, err
			}
			at[i] = x
		}
		return Var{Name: t.Name, At: at}, nil
	}
	return v, nil
}
