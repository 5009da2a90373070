package livetest

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/internal/phpvalue"
)

// Transcript is the Go side's transcript: one line per value, written in
// the format of transcript.php's out() and error handler, so that the PHP
// script and its Go port print identical text when they behave alike.
// The zero value is ready to use; it is safe for concurrent use.
type Transcript struct {
	// Echo, if set, receives each line as it is written (main prints the
	// transcript to standard output with it).
	Echo func(line string)

	mu    sync.Mutex
	lines strings.Builder
}

// Out writes the line "label: <value>", the value as transcript.php's
// repr prints it: NULL, true, false, 42, 1.5 (var_export's float form),
// "text" (escaped as addcslashes does), [k => v, ...], resource(stream),
// object(Class). A nil *compat.Resource is PHP's false.
func (t *Transcript) Out(label string, v any) {
	t.line(label + ": " + Repr(v))
}

func (t *Transcript) line(s string) {
	t.mu.Lock()
	t.lines.WriteString(s)
	t.lines.WriteByte('\n')
	echo := t.Echo
	t.mu.Unlock()
	if echo != nil {
		echo(s)
	}
}

// String returns the transcript written so far.
func (t *Transcript) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lines.String()
}

// Diagnostics returns the sink for compat.Runtime.SetDiagnostics: each
// warning or notice becomes the line transcript.php's error handler
// prints, "warning: E_WARNING fsockopen(): Unable to connect ...".
func (t *Transcript) Diagnostics() func(compat.Diagnostic) {
	return func(d compat.Diagnostic) {
		level, text := diagnosticText(d)
		t.line("warning: " + level + " " + escape(text, false))
	}
}

// diagnosticText is the one place that reads compat.Diagnostic's fields:
// PHP's E_* constant name and the full text PHP's error handler receives
// ("fn(): message").
func diagnosticText(d compat.Diagnostic) (level, text string) {
	return d.Level.String(), d.String()
}

// Repr is a value as transcript.php's tr_repr prints it (see Out). Go's
// int kinds (compat's named constants too) print as PHP ints, []string
// and []any as lists; a type PHP has no value for prints as
// "unsupported(T)", which no PHP transcript contains.
func Repr(v any) string {
	switch x := compat.Deref(v).(type) {
	case nil:
		return "NULL"
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return floatRepr(x)
	case string:
		return escape(x, true)
	case []byte:
		return escape(string(x), true)
	case *compat.Array:
		parts := make([]string, x.Len())
		for i := range parts {
			k, val := x.At(i)
			parts[i] = Repr(k) + " => " + Repr(val)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = Repr(k) + " => " + Repr(x[k])
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = strconv.Itoa(i) + " => " + Repr(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = strconv.Itoa(i) + " => " + Repr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *compat.Resource:
		return "resource(" + x.Type() + ")"
	case *compat.Object:
		return "object(" + x.Class + ")"
	case *compat.Error:
		return "exception(" + x.Class + ": " + escape(x.Message, false) + ")"
	}
	// compat's named constants (CryptoMethod, ClientFlags...) are PHP ints.
	if rv := reflect.ValueOf(v); rv.Kind() >= reflect.Int && rv.Kind() <= reflect.Int64 {
		return strconv.FormatInt(rv.Int(), 10)
	}
	return fmt.Sprintf("unsupported(%T)", v)
}

// floatRepr is var_export's float: the shortest form that reads back the
// same, with ".0" added to a finite float written without a fraction or
// exponent (1.0, -0.0, 1.0E+25, INF, NAN).
func floatRepr(f float64) string {
	s := phpvalue.FloatRepr(f)
	if !strings.ContainsAny(s, ".eEIN") {
		s += ".0"
	}
	return s
}

// escape is transcript.php's string form: PHP's addcslashes with the
// control bytes and the bytes 127..255 listed (and, in quoted form, '"'
// and '\\'), wrapped in double quotes when quoted.
func escape(s string, quoted bool) string {
	var b strings.Builder
	if quoted {
		b.WriteByte('"')
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 32 || c > 126:
			b.WriteByte('\\')
			switch c {
			case '\n':
				b.WriteByte('n')
			case '\t':
				b.WriteByte('t')
			case '\r':
				b.WriteByte('r')
			case '\a':
				b.WriteByte('a')
			case '\v':
				b.WriteByte('v')
			case '\b':
				b.WriteByte('b')
			case '\f':
				b.WriteByte('f')
			default:
				fmt.Fprintf(&b, "%03o", c)
			}
		case quoted && (c == '"' || c == '\\'):
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	if quoted {
		b.WriteByte('"')
	}
	return b.String()
}

// OrFalse is the PHP value of a typed result "T|false": v, or false when
// ok is false.
func OrFalse(v any, ok bool) any {
	if !ok {
		return false
	}
	return v
}

// RunGo runs a Go port's client, as RunPHP runs the PHP script it ports:
// with a fresh runtime (closed after), args as the script's $argv[1:],
// and returns its transcript. An error the port returns fails t.
func RunGo(t testing.TB, client func(rt *compat.Runtime, tr *Transcript, args []string) error, args ...string) string {
	t.Helper()
	tr := &Transcript{}
	rt := compat.NewRuntime()
	defer rt.Close()
	if err := client(rt, tr, args); err != nil {
		t.Errorf("Go port: %v", err)
	}
	return tr.String()
}

// RunPort is RunGo for a port whose main function makes its own runtime:
// run(args, tr) as its main calls it. An error fails t at once, with the
// transcript so far.
func RunPort(t testing.TB, run func(args []string, tr *Transcript) error, args ...string) string {
	t.Helper()
	var tr Transcript
	if err := run(args, &tr); err != nil {
		t.Fatalf("Go port: %v\ntranscript so far:\n%s", err, tr.String())
	}
	return tr.String()
}
