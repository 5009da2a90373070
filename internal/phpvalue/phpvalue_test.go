package phpvalue

import (
	"math"
	"testing"
)

// The expectations below were each observed from PHP 8.2.36 (php8.2-cli).

func add(a, b float64) float64 { return a + b }
func div(a, b float64) float64 { return a / b }

// TestFloatToString compares with PHP's (string)$float (precision 14),
// each row checked with php -r 'var_dump((string)$f);'.
func TestFloatString(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{1e20, "1.0E+20"},
		{add(0.1, 0.2), "0.3"},
		{1.5, "1.5"},
		{math.Copysign(0, -1), "-0"},
		{0, "0"},
		{1e15, "1.0E+15"},
		{123456789012345.0, "1.2345678901234E+14"},
		{1e14, "1.0E+14"},
		{1e14 + 0.5, "1.0E+14"},
		{99999999999999.0, "99999999999999"},
		{99999999999999.5, "1.0E+14"},
		{999999999999999.0, "1.0E+15"},
		{9.9999999999999e14, "9.9999999999999E+14"},
		{12345678901234.5, "12345678901234"}, // round half to even
		{1234567890123456789.0, "1.2345678901235E+18"},
		{0.0001, "0.0001"},
		{0.00001, "1.0E-5"},
		{-1e-5, "-1.0E-5"},
		{2.5e-5, "2.5E-5"},
		{1e-10, "1.0E-10"},
		{1.0 / 3, "0.33333333333333"},
		{0.1234567890123456789, "0.12345678901235"},
		{0.1, "0.1"},
		{-1.5, "-1.5"},
		{100, "100"},
		{3, "3"},
		{-1e20, "-1.0E+20"},
		{1e25, "1.0E+25"},
		{1e100, "1.0E+100"},
		{math.MaxFloat64, "1.7976931348623E+308"},
		{5e-324, "4.9406564584125E-324"},
		{math.NaN(), "NAN"},
		{math.Inf(1), "INF"},
		{math.Inf(-1), "-INF"},
	}
	for _, tt := range tests {
		if got := FloatString(tt.f); got != tt.want {
			t.Errorf("FloatString(%v) = %q; want %q", tt.f, got, tt.want)
		}
	}
}

// TestFloatRepr compares with the float PHP prints in "Implicit conversion
// from float %s to int" (serialize_precision -1), each row observed in
// that message from PHP 8.2.36.
func TestFloatRepr(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{1.5, "1.5"},
		{add(0.1, 0.2), "0.30000000000000004"},
		{1e-5, "1.0E-5"},
		{123456.789, "123456.789"},
		{1e15 + 0.5, "1000000000000000.5"},
		{-1.5, "-1.5"},
		{2.5e-7, "2.5E-7"},
		{-2.5e-7, "-2.5E-7"},
		{0.5, "0.5"},
		{1.0 / 3, "0.3333333333333333"},
		{4.5, "4.5"},
		{65535.5, "65535.5"},
		{-0.5, "-0.5"},
		{1.0000000000000002, "1.0000000000000002"},
		{div(12345678901234567, 7), "1763668414462081.2"},
		{0.0001, "0.0001"},
		{0.00012, "0.00012"},
		{1.234e-5, "1.234E-5"},
		{5e-324, "5.0E-324"},
		{1e-300, "1.0E-300"},
		{0.1, "0.1"},
		{2.675, "2.675"},
		{add(1e-4, 1e-20), "0.00010000000000000002"},
		{123.456, "123.456"},
		{4503599627370495.5, "4503599627370495.5"},
		{0.000123456789012345678, "0.00012345678901234567"},
	}
	for _, tt := range tests {
		if got := FloatRepr(tt.f); got != tt.want {
			t.Errorf("FloatRepr(%v) = %q; want %q", tt.f, got, tt.want)
		}
	}
}

// TestFormatGShortest covers formatG's shortest form (serialize_precision
// -1) at the exponent bounds: E notation from 10^17 up and below 10^-4.
// Each row is var_export($f) from PHP 8.2.36 without the ".0" var_export
// appends to integral values.
func TestFormatGShortest(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{1e15, "1000000000000000"},
		{1e16, "10000000000000000"},
		{1.5e16, "15000000000000000"},
		{2.5e16, "25000000000000000"},
		{9.007199254740993e15, "9007199254740992"},
		{123456789012345678, "1.2345678901234568E+17"},
		{1e17, "1.0E+17"},
		{1e21, "1.0E+21"},
		{1e-4, "0.0001"},
		{1e-5, "1.0E-5"},
		{add(0.1, 0.7), "0.7999999999999999"},
	}
	for _, tt := range tests {
		if got := formatG(tt.f, -1); got != tt.want {
			t.Errorf("formatG(%v, -1) = %q; want %q", tt.f, got, tt.want)
		}
	}
}
