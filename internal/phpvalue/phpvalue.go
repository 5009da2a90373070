// Package phpvalue is PHP 8.2's conversions of scalar values, the one
// place phpstream (context options) and compat (function arguments) take
// them from: to bool (zend_is_true), to int (zval_get_long), to string
// (zval_get_string, floats at precision 14), the shortest float form PHP
// prints in messages (serialize_precision -1), and numeric strings
// (is_numeric_string).
//
// Values are Go's: nil (null), bool, int64 (int also accepted), float64,
// string, and anything with a Len method as an array. A type the
// conversions do not know counts as an object: true, 1, "Object".
package phpvalue

import (
	"math"
	"strconv"
	"strings"
)

// An Array is what the conversions need of a PHP array: its length.
type Array interface{ Len() int }

// Bool is PHP's conversion to bool.
func Bool(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case int64:
		return t != 0
	case int:
		return t != 0
	case float64:
		return t != 0 // NAN is true
	case string:
		return t != "" && t != "0"
	case Array:
		return t.Len() > 0
	}
	return true
}

// Int is PHP's conversion to int (zval_get_long): floats out of range or
// not finite are 0, strings convert their numeric prefix, a non-empty
// array is 1.
func Int(v any) int64 {
	switch t := v.(type) {
	case bool:
		if t {
			return 1
		}
	case int64:
		return t
	case int:
		return int64(t)
	case float64:
		return FloatToInt(t)
	case string:
		return stringToInt(t)
	case Array:
		if t.Len() > 0 {
			return 1
		}
	case nil:
	default:
		return 1
	}
	return 0
}

// Float is PHP's conversion to float (zval_get_double): strings convert
// their numeric prefix (leading white space allowed, 0 without one),
// arrays are 1 when not empty, objects 1.
func Float(v any) float64 {
	switch t := v.(type) {
	case bool:
		if t {
			return 1
		}
	case int64:
		return float64(t)
	case int:
		return float64(t)
	case float64:
		return t
	case string:
		f, _ := strconv.ParseFloat(floatPrefix(strings.TrimLeft(t, " \t\n\r\v\f")), 64) // ErrRange: ±Inf or 0, as strtod
		return f
	case Array:
		if t.Len() > 0 {
			return 1
		}
	case nil:
	default:
		return 1
	}
	return 0
}

// FloatToInt is PHP 8.2's float to int conversion (zend_dval_to_lval):
// 0 for NAN and the infinities, a float out of int's range taken modulo
// 2^64 (as a two's complement int64), else truncated toward zero.
func FloatToInt(f float64) int64 {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return 0
	case f >= -9.223372036854775808e18 && f < 9.223372036854775808e18:
		return int64(f)
	}
	const twoPow64 = 18446744073709551616.0
	m := math.Mod(f, twoPow64)
	if m < 0 {
		m += twoPow64
	}
	if m >= 9.223372036854775808e18 {
		m -= twoPow64
	}
	return int64(m)
}

// floatToIntCap is zend_dval_to_lval_cap, how a numeric string's float
// becomes an int: out of range saturates.
func floatToIntCap(f float64) int64 {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return 0
	case f >= 9.223372036854775808e18:
		return math.MaxInt64
	case f < -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}

// stringToInt converts a string as zval_get_long does: its numeric prefix
// (leading white space allowed), an integer that overflows or a float form
// going through floatToIntCap.
func stringToInt(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	isFloatForm := end < len(s) && (s[end] == '.' || s[end] == 'e' || s[end] == 'E')
	if i, err := strconv.ParseInt(s[:end], 10, 64); err == nil && !isFloatForm {
		return i
	}
	f, _ := strconv.ParseFloat(floatPrefix(s), 64) // ErrRange: ±Inf or 0, as strtod
	return floatToIntCap(f)
}

// floatPrefix is the longest prefix of s that zend_strtod reads: an
// optional sign, decimal digits with at most one '.' (at least one digit
// in all), then an exponent when digits follow its [eE][+-]. No hex, no
// "inf" or "nan", no '_', which Go's ParseFloat would take.
func floatPrefix(s string) string {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	i = skipDigits(s, i)
	digits := i - start
	if i < len(s) && s[i] == '.' {
		j := skipDigits(s, i+1)
		digits += j - i - 1
		if digits > 0 {
			i = j
		}
	}
	if digits == 0 {
		return ""
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if k := skipDigits(s, j); k > j {
			i = k
		}
	}
	return s[:i]
}

// skipDigits is the position of the first non-digit of s at or after i.
func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// String is PHP's conversion to string without its diagnostics: null and
// false are "", true "1", floats FloatString, arrays "Array" (PHP also
// warns "Array to string conversion"; that is the caller's to raise).
func String(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case bool:
		if t {
			return "1"
		}
		return ""
	case int64:
		return strconv.FormatInt(t, 10)
	case int:
		return strconv.Itoa(t)
	case float64:
		return FloatString(t)
	case Array:
		return "Array"
	}
	return "Object"
}

// FloatString is PHP's float to string conversion (precision 14, %.*G with
// PHP's spelling): "1.0E+20", "0.3", "INF", "-0".
func FloatString(f float64) string {
	if s, ok := special(f); ok {
		return s
	}
	return formatG(f, 14)
}

// FloatRepr is the float as PHP prints it in messages (serialize_precision
// -1: the shortest form that reads back the same), e.g. 1.5, 1.0E+25.
func FloatRepr(f float64) string {
	if s, ok := special(f); ok {
		return s
	}
	return formatG(f, -1)
}

func special(f float64) (string, bool) {
	switch {
	case math.IsNaN(f):
		return "NAN", true
	case math.IsInf(f, 1):
		return "INF", true
	case math.IsInf(f, -1):
		return "-INF", true
	}
	return "", false
}

// formatG formats like PHP's smart_str_append_double / %.*G: exponent form
// when the exponent is < -4 or >= precision (17 for the shortest form,
// prec < 0), with ".0" added to an exponent mantissa without a point, and
// "E+N".
func formatG(f float64, prec int) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	var digits string
	var exp int
	if prec < 0 {
		digits, exp = splitExp(strconv.FormatFloat(f, 'e', -1, 64))
		prec = 17
	} else {
		digits, exp = splitExp(strconv.FormatFloat(f, 'e', prec-1, 64))
	}
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	mant := strings.TrimRight(strings.Replace(digits, ".", "", 1), "0")
	if mant == "" {
		mant = "0"
	}
	var out string
	switch {
	case exp < -4 || exp >= prec:
		m := mant[:1]
		if len(mant) > 1 {
			m += "." + mant[1:]
		} else {
			m += ".0"
		}
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		out = m + "E" + sign + strconv.Itoa(exp)
	case exp < 0:
		out = "0." + strings.Repeat("0", -exp-1) + mant
	case len(mant) <= exp+1:
		out = mant + strings.Repeat("0", exp+1-len(mant))
	default:
		out = mant[:exp+1] + "." + mant[exp+1:]
	}
	if neg {
		out = "-" + out
	}
	return out
}

func splitExp(s string) (string, int) {
	i := strings.IndexByte(s, 'e')
	e, _ := strconv.Atoi(s[i+1:])
	return s[:i], e
}

// NumericString is is_numeric_string: optional white space around an
// integer or float literal (PHP 8 allows it trailing too). An integer
// literal that overflows int is a float.
func NumericString(s string) (i int64, f float64, isInt, ok bool) {
	t := strings.Trim(s, " \t\n\r\v\f")
	if t == "" || floatPrefix(t) != t {
		return 0, 0, false, false
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n, 0, true, true
	}
	fv, _ := strconv.ParseFloat(t, 64) // ErrRange: ±Inf or 0, as strtod
	return 0, fv, false, true
}
