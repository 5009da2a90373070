package phpvalue

import (
	"encoding/json"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// phpInputs are values whose conversions TestConversionsAgainstPHP asks
// PHP for: each is written as a PHP literal and as the Go value.
var phpInputs = []struct {
	php string
	v   any
}{
	{"null", nil}, {"true", true}, {"false", false},
	{"0", int64(0)}, {"-7", int64(-7)}, {"PHP_INT_MAX", int64(math.MaxInt64)},
	{"0.0", 0.0}, {"-0.0", math.Copysign(0, -1)}, {"1.5", 1.5}, {"-1.5", -1.5}, {"1e20", 1e20},
	{"1e19", 1e19}, {"-9.3e18", -9.3e18}, {"NAN", math.NaN()}, {"INF", math.Inf(1)}, {"0.1+0.2", add(0.1, 0.2)},
	{"''", ""}, {"'0'", "0"}, {"'0.0'", "0.0"}, {"' 12'", " 12"}, {"'12 '", "12 "}, {"'12abc'", "12abc"},
	{"'abc'", "abc"}, {"'1e3'", "1e3"}, {"'1.9'", "1.9"}, {"'-1.9e1x'", "-1.9e1x"}, {"'+5'", "+5"},
	{"'0x1A'", "0x1A"}, {"'9223372036854775808'", "9223372036854775808"}, {"'  -3.5  '", "  -3.5  "},
	{"'.5'", ".5"}, {"'5.'", "5."}, {"'1e999'", "1e999"}, {"\"\\t\\n7\"", "\t\n7"},
	// what Go's ParseFloat reads but PHP's strtod does not, and a numeric
	// prefix longer than 128 bytes
	{"'0x1p3'", "0x1p3"}, {"'+inf'", "+inf"}, {"'-nan'", "-nan"}, {"'-Infinity'", "-Infinity"}, {"'1_0'", "1_0"},
	{"' 1 '", " 1 "}, {"'1 2'", "1 2"}, {"'+.5'", "+.5"}, {"'-'", "-"}, {"'.'", "."}, {"\"1e5\\n\"", "1e5\n"}, {"'--1'", "--1"},
	{"'1e'", "1e"}, {"'1e+'", "1e+"}, {"'-.e1'", "-.e1"}, {"' 1.5e3x'", " 1.5e3x"}, {"'-.5E-1'", "-.5E-1"},
	{"str_repeat('0', 120) . '10000000000000000000'", strings.Repeat("0", 120) + "10000000000000000000"},
	{"'2' . str_repeat('0', 320)", "2" + strings.Repeat("0", 320)},
	{"str_repeat('0', 130) . '1.5'", strings.Repeat("0", 130) + "1.5"},
	{"'0.' . str_repeat('0', 200) . '1e201'", "0." + strings.Repeat("0", 200) + "1e201"},
}

// TestConversionsAgainstPHP checks Bool, Int, String and NumericString
// against PHP 8.2 itself on the same inputs, where php8.2 is installed
// (CI installs it).
func TestConversionsAgainstPHP(t *testing.T) {
	php, err := exec.LookPath("php")
	if err != nil {
		t.Skip("php not installed (Debian's php8.2-cli): conversions not checked against PHP")
	}
	script := "if (PHP_MAJOR_VERSION != 8 || PHP_MINOR_VERSION != 2) { exit(3); }\n$out = [];\n"
	for _, in := range phpInputs {
		script += "$v = " + in.php + "; $out[] = [(bool)$v, @(int)$v, is_float($v) ? (string)$v : @strval($v), is_string($v) ? is_numeric($v) : null, sprintf('%.17g', @(float)$v)];\n"
	}
	script += "echo json_encode($out, JSON_PRESERVE_ZERO_FRACTION|JSON_PARTIAL_OUTPUT_ON_ERROR);"
	cmd := exec.Command(php, "-n", "-r", script)
	raw, err := cmd.Output()
	if cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == 3 {
		t.Skip("php is not PHP 8.2")
	}
	if err != nil {
		t.Fatalf("php: %v", err)
	}
	var got [][5]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("php's output %s: %v", raw, err)
	}
	for i, in := range phpInputs {
		want := got[i]
		if b := Bool(in.v); b != want[0] {
			t.Errorf("Bool(%s) = %v; PHP %v", in.php, b, want[0])
		}
		if n := Int(in.v); float64(n) != want[1].(float64) && strconv.FormatInt(n, 10) != strconv.FormatFloat(want[1].(float64), 'f', -1, 64) {
			t.Errorf("Int(%s) = %d; PHP %v", in.php, n, want[1])
		}
		if s := String(in.v); s != want[2] {
			t.Errorf("String(%s) = %q; PHP %q", in.php, s, want[2])
		}
		if f := Float(in.v); strconv.FormatFloat(f, 'g', 17, 64) != phpG17(want[4].(string)) {
			t.Errorf("Float(%s) = %v; PHP %v", in.php, f, want[4])
		}
		if str, ok := in.v.(string); ok {
			if _, _, _, num := NumericString(str); num != want[3] {
				t.Errorf("NumericString(%s) = %v; PHP is_numeric %v", in.php, num, want[3])
			}
		}
	}
}

// phpG17 is PHP's %.17g spelled as Go's 'g' with precision 17 spells it
// (PHP writes "inf"/"nan"; Go "+Inf"/"NaN").
func phpG17(s string) string {
	switch s {
	case "inf":
		return "+Inf"
	case "-inf":
		return "-Inf"
	case "nan", "-nan":
		return "NaN"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}
