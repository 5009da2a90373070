package phpvalue

import (
	"strings"
	"testing"
)

// FuzzNumericString checks the numeric-string rules against each other on
// any input (TestConversionsAgainstPHP checks them against PHP): a string
// is_numeric accepts converts by Int and Float to the value NumericString
// reads, and the float prefix Float reads is itself numeric.
func FuzzNumericString(f *testing.F) {
	for _, s := range []string{"", "0", " 12", "12 ", "-1.9e1x", "0x1A", "1e999", ".5", "5.", "+inf", "1_0", "9223372036854775808", "  -3.5  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		i, fv, isInt, ok := NumericString(s)
		lead := strings.TrimLeft(s, " \t\n\r\v\f")
		if p := floatPrefix(lead); p != "" {
			if _, _, _, pok := NumericString(p); !pok {
				t.Fatalf("floatPrefix(%q) = %q, which is not numeric", lead, p)
			}
		}
		if !ok {
			return
		}
		if isInt {
			if got := Int(s); got != i {
				t.Fatalf("Int(%q) = %d; NumericString read %d", s, got, i)
			}
			return
		}
		if got := Float(s); got != fv && !(got != got && fv != fv) {
			t.Fatalf("Float(%q) = %v; NumericString read %v", s, got, fv)
		}
	})
}
