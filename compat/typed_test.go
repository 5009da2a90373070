package compat

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// camel is a PHP function's name as its typed method's: stream_get_meta_data
// is StreamGetMetaData ("meta_data" is PHP's word split, kept), md5 Md5.
func camel(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "_") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// TestEveryFunctionIsTyped fails for a function Call knows that has no
// typed method named after it, or one whose last result is not an error.
func TestEveryFunctionIsTyped(t *testing.T) {
	rtType := reflect.TypeOf(&Runtime{})
	errType := reflect.TypeOf((*error)(nil)).Elem()
	names := Functions()
	sort.Strings(names)
	for _, fn := range names {
		m, ok := rtType.MethodByName(camel(fn))
		if !ok {
			t.Errorf("%s has no typed method %s", fn, camel(fn))
			continue
		}
		if n := m.Type.NumOut(); n == 0 || m.Type.Out(n-1) != errType {
			t.Errorf("%s: the last result of %s is not an error", fn, m.Name)
		}
	}
	if len(names) < 71 {
		t.Errorf("Functions() lists %d functions", len(names))
	}
}
