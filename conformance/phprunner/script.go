package phprunner

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/fixture/wrappers"
)

// The script speaks a line protocol on its standard output:
//
//	O {json}   the observation of one step (see obsLine)
//	C N        the script paused after step N (-1: before the first step)
//	           so the fixture clients of step N can start; it goes on when
//	           it reads a line on its standard input
//	E          every step ran
//
// PHP's own output (echo, readfile, fpassthru) is discarded by an output
// buffer. Everything the case supplies reaches PHP as a base64_decode('...') of its
// bytes, an int or float literal, or a name checked against a pattern (a
// function of phpsock's surface, a variable, a constant), so no case text
// becomes PHP code.

// prelude defines the script's helpers. Case variables live in the local
// scope of __phpsock_case, so PHP's own globals ($argv, $argc) are not seen.
const prelude = `<?php
function __phpsock_enc($v, $d = 0) {
    if ($d > 64) { return ['t' => 'deep']; }
    switch (gettype($v)) {
    case 'NULL': return ['t' => 'null'];
    case 'boolean': return ['t' => 'bool', 'v' => $v];
    case 'integer': return ['t' => 'int', 'v' => $v];
    case 'double': return ['t' => 'float', 'h' => bin2hex(pack('E', $v))];
    case 'string': return ['t' => 'string', 'b' => base64_encode($v)];
    case 'array':
        $out = [];
        foreach ($v as $k => $e) {
            $out[] = [is_int($k) ? $k : base64_encode($k), __phpsock_enc($e, $d + 1)];
        }
        return ['t' => 'array', 'v' => $out];
    case 'object': return ['t' => 'object', 'b' => base64_encode(get_class($v))];
    case 'resource':
    case 'resource (closed)': return ['t' => 'resource', 'b' => base64_encode(get_resource_type($v))];
    }
    return ['t' => 'unknown', 'b' => base64_encode(gettype($v))];
}
function __phpsock_thrown($e) {
    return [base64_encode(get_class($e)), base64_encode($e->getMessage())];
}
function __phpsock_capture() {
    $GLOBALS['__phpsock_w'] = [];
}
function __phpsock_stop() {
    $w = $GLOBALS['__phpsock_w'];
    $GLOBALS['__phpsock_w'] = null;
    return is_array($w) ? $w : [];
}
function __phpsock_emit($o) {
    fwrite(STDOUT, 'O ' . json_encode($o, JSON_UNESCAPED_SLASHES) . "\n");
    fflush(STDOUT);
}
function __phpsock_clients($n) {
    fwrite(STDOUT, 'C ' . $n . "\n");
    fflush(STDOUT);
    fgets(STDIN);
}
$GLOBALS['__phpsock_w'] = null;
// PHP's output (readfile, fpassthru) is not observed: it is discarded, so
// that only the protocol lines written to STDOUT reach the recorder.
ob_start(static function () { return ''; }, 4096);
set_error_handler(function ($no, $msg) {
    if (is_array($GLOBALS['__phpsock_w'])) {
        $GLOBALS['__phpsock_w'][] = [$no, base64_encode($msg)];
    }
    return true;
});
`

// connectFuncs are the functions whose by-reference errno and errstr are
// observed.
var connectFuncs = map[string]bool{"fsockopen": true, "pfsockopen": true, "stream_socket_client": true}

var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Script returns the PHP script of c, whose steps have already been
// substituted (Env.SubstituteStep).
func Script(c *conformance.Case, steps []*conformance.Step) ([]byte, error) {
	clients := map[int]bool{}
	for _, cl := range c.Clients {
		clients[cl.AfterStep] = true
	}
	var b bytes.Buffer
	b.WriteString(prelude)
	for _, st := range steps {
		if st.Kind == conformance.StepCall && st.Call == "stream_wrapper_register" {
			// The library of wrapper classes a case names by class
			// (docs/case-format.md, "User wrappers").
			b.WriteString(wrappers.Source)
			break
		}
	}
	b.WriteString("function __phpsock_case() {\n")
	if clients[-1] {
		b.WriteString("__phpsock_clients(-1);\n")
	}
	for i, st := range steps {
		fmt.Fprintf(&b, "// step %d\n", i)
		if err := writeStep(&b, i, st); err != nil {
			return nil, fmt.Errorf("steps[%d]: %v", i, err)
		}
		if clients[i] {
			fmt.Fprintf(&b, "__phpsock_clients(%d);\n", i)
		}
	}
	b.WriteString("}\n__phpsock_case();\nfwrite(STDOUT, \"E\\n\");\nfflush(STDOUT);\n")
	return b.Bytes(), nil
}

func writeStep(b *bytes.Buffer, i int, st *conformance.Step) error {
	switch st.Kind {
	case conformance.StepSleep:
		fmt.Fprintf(b, "usleep(%d);\n__phpsock_emit(['i' => %d]);\n", int64(st.SleepMS)*1000, i)
	case conformance.StepNote:
		fmt.Fprintf(b, "__phpsock_emit(['i' => %d]);\n", i)
	case conformance.StepShow:
		v, err := varName(st.Var)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "__phpsock_emit(['i' => %d, 'ret' => __phpsock_enc(%s ?? null)]);\n", i, v)
	case conformance.StepLet:
		v, err := varName(st.Var)
		if err != nil {
			return err
		}
		expr, err := phpValue(st.Value)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "$__o = ['i' => %d];\n__phpsock_capture();\n", i)
		fmt.Fprintf(b, "try {\n    %s = %s;\n} catch (\\Throwable $__e) {\n    $__o['throws'] = __phpsock_thrown($__e);\n}\n", v, expr)
		b.WriteString("$__o['w'] = __phpsock_stop();\n__phpsock_emit($__o);\nunset($__e);\n")
	case conformance.StepCall:
		return writeCall(b, i, st)
	default:
		return fmt.Errorf("unknown step kind %d", st.Kind)
	}
	return nil
}

// writeCall writes a call step: temporaries for every argument that is not a
// variable, left to right; the call with the variables themselves in their
// places; the observation; then the release, unobserved, of the temporaries
// and of a result not bound with "as".
func writeCall(b *bytes.Buffer, i int, st *conformance.Step) error {
	if !conformance.Functions[st.Call] || !nameRE.MatchString(st.Call) {
		return fmt.Errorf("call: unknown call %q", st.Call)
	}
	args := make([]any, len(st.Args))
	for j, a := range st.Args {
		args[j] = a
	}
	if st.Context != nil {
		pos := conformance.ContextArg(st.Call)
		if pos < 0 || len(args) > pos {
			return fmt.Errorf("context: no context position free in %s", st.Call)
		}
		for len(args) < pos {
			args = append(args, contextDefault(st.Call, len(args)))
		}
		args = append(args, contextValue{st.Context})
	}
	connect := connectFuncs[st.Call]

	fmt.Fprintf(b, "$__o = ['i' => %d];\n", i)
	var temps []string
	if connect || st.Call == "stream_socket_server" {
		b.WriteString("unset($__errno, $__errstr);\n")
		temps = append(temps, "$__errno", "$__errstr")
		if connect && st.Preset != nil {
			if st.Preset.Errno != nil {
				fmt.Fprintf(b, "$__errno = %s;\n", phpInt(*st.Preset.Errno))
			}
			if st.Preset.Errstr != nil {
				fmt.Fprintf(b, "$__errstr = %s;\n", phpString(*st.Preset.Errstr))
			}
		}
	}
	b.WriteString("__phpsock_capture();\ntry {\n")
	exprs := make([]string, len(args))
	for j, a := range args {
		if v, ok := a.(conformance.Var); ok {
			e, err := varExpr(v)
			if err != nil {
				return fmt.Errorf("args[%d]: %v", j, err)
			}
			exprs[j] = e
			continue
		}
		var e string
		var err error
		switch t := a.(type) {
		case contextValue:
			e, err = phpValue(t.v)
			e = "stream_context_create(" + e + ")"
		case conformance.Value:
			e, err = phpValue(t)
		}
		if err != nil {
			return fmt.Errorf("args[%d]: %v", j, err)
		}
		t := fmt.Sprintf("$__a%d", j)
		fmt.Fprintf(b, "    %s = %s;\n", t, e)
		temps = append(temps, t)
		exprs[j] = t
	}
	exprs = phpArgs(st.Call, exprs)
	target := "$__r"
	if st.As != "" {
		v, err := varName(st.As)
		if err != nil {
			return fmt.Errorf("as: %v", err)
		}
		target = v
	} else {
		temps = append(temps, "$__r")
	}
	fmt.Fprintf(b, "    %s = %s(", target, st.Call)
	for j, e := range exprs {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e)
	}
	b.WriteString(");\n")
	fmt.Fprintf(b, "    $__w = __phpsock_stop();\n    $__o['ret'] = __phpsock_enc(%s);\n", target)
	b.WriteString("} catch (\\Throwable $__e) {\n    $__w = __phpsock_stop();\n    $__o['throws'] = __phpsock_thrown($__e);\n}\n")
	if connect {
		b.WriteString("$__o['errno'] = __phpsock_enc($__errno ?? null);\n$__o['errstr'] = __phpsock_enc($__errstr ?? null);\n")
	}
	b.WriteString("$__o['w'] = $__w;\n__phpsock_emit($__o);\n")
	temps = append(temps, "$__e", "$__w")
	fmt.Fprintf(b, "unset(%s);\n", joinComma(temps))
	return nil
}

// contextValue marks the options of a step's context among its arguments.
type contextValue struct{ v conformance.Value }

// contextDefault is the value a missing argument before the context gets.
func contextDefault(call string, pos int) conformance.Value {
	switch {
	case call == "stream_socket_client" && pos == 1:
		return conformance.Null{}
	case call == "stream_socket_client" && pos == 2:
		return conformance.Const{"STREAM_CLIENT_CONNECT"}
	case call == "stream_socket_server" && pos == 1:
		return conformance.Const{"STREAM_SERVER_BIND", "STREAM_SERVER_LISTEN"}
	}
	return conformance.Null{}
}

// phpArgs inserts the by-reference outputs of the functions that have them
// (which are not case arguments) at PHP's positions.
func phpArgs(call string, a []string) []string {
	if len(a) == 0 {
		return a
	}
	var out []string
	switch call {
	case "fsockopen", "pfsockopen":
		out = append(out, a[0])
		if len(a) > 1 {
			out = append(out, a[1])
		} else {
			out = append(out, "-1")
		}
		out = append(out, "$__errno", "$__errstr")
		if len(a) > 2 {
			out = append(out, a[2:]...)
		}
		return out
	case "stream_socket_client", "stream_socket_server":
		out = append(out, a[0], "$__errno", "$__errstr")
		return append(out, a[1:]...)
	}
	return a
}

// varName is the PHP variable of a case variable name.
func varName(name string) (string, error) {
	if !conformance.ValidVar(name) {
		return "", fmt.Errorf("%q is not a usable variable name", name)
	}
	return "$" + name, nil
}

// varExpr is the variable, or its element, a {"var"} names.
func varExpr(v conformance.Var) (string, error) {
	s, err := varName(v.Name)
	if err != nil {
		return "", err
	}
	for _, k := range v.At {
		switch t := k.(type) {
		case conformance.Int:
			s += "[" + phpInt(int64(t)) + "]"
		case conformance.Str:
			s += "[" + phpString(string(t)) + "]"
		default:
			return "", fmt.Errorf(`"at" keys are ints or strings`)
		}
	}
	return s, nil
}

// phpValue is the PHP expression of a case value; a {"var"} in it reads the
// variable (or its element).
func phpValue(v conformance.Value) (string, error) {
	switch t := v.(type) {
	case nil, conformance.Null:
		return "null", nil
	case conformance.Bool:
		if t {
			return "true", nil
		}
		return "false", nil
	case conformance.Int:
		return phpInt(int64(t)), nil
	case conformance.Float:
		return phpFloat(float64(t))
	case conformance.Str:
		return phpString(string(t)), nil
	case conformance.List:
		var b bytes.Buffer
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			s, err := phpValue(e)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
		b.WriteByte(']')
		return b.String(), nil
	case conformance.Map:
		var b bytes.Buffer
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			var k string
			switch kt := e.Key.(type) {
			case conformance.Int:
				k = phpInt(int64(kt))
			case conformance.Str:
				k = phpString(string(kt))
			default:
				return "", fmt.Errorf("array keys are ints or strings")
			}
			s, err := phpValue(e.Value)
			if err != nil {
				return "", err
			}
			b.WriteString(k + " => " + s)
		}
		b.WriteByte(']')
		return b.String(), nil
	case conformance.Const:
		var parts []string
		for _, name := range t {
			if !nameRE.MatchString(name) {
				return "", fmt.Errorf("%q is not a constant name", name)
			}
			parts = append(parts, "\\constant('"+name+"')")
		}
		if len(parts) == 1 {
			return parts[0], nil
		}
		return "(" + joinSep(parts, " | ") + ")", nil
	case conformance.Var:
		return varExpr(t)
	case conformance.Port:
		return "", fmt.Errorf(`{"port": %q} was not substituted`, string(t))
	}
	return "", fmt.Errorf("unsupported value %T", v)
}

func phpInt(i int64) string {
	if i == math.MinInt64 {
		return "PHP_INT_MIN"
	}
	if i < 0 {
		return "(" + strconv.FormatInt(i, 10) + ")"
	}
	return strconv.FormatInt(i, 10)
}

// phpFloat writes a float literal PHP reads back exactly; the exponent form
// is always a float, never an int.
func phpFloat(f float64) (string, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("float %v has no literal", f)
	}
	s := strconv.FormatFloat(math.Abs(f), 'e', -1, 64)
	if math.Signbit(f) {
		return "(-" + s + ")", nil
	}
	return s, nil
}

func phpString(s string) string {
	if s == "" {
		return "''"
	}
	return "base64_decode('" + base64.StdEncoding.EncodeToString([]byte(s)) + "')"
}

func joinComma(s []string) string { return joinSep(s, ", ") }

func joinSep(s []string, sep string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(x)
	}
	return b.String()
}

// iniArgs are the -d options of the case's ini settings, sorted by name.
func iniArgs(c *conformance.Case) ([]string, error) {
	names := make([]string, 0, len(c.Ini))
	for k := range c.Ini {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []string
	for _, k := range names {
		v := c.Ini[k]
		if err := checkIni(k, v); err != nil {
			return nil, &conformance.CaseError{File: c.File, Case: c.Name, Field: "ini." + k, Msg: err.Error()}
		}
		out = append(out, "-d", k+"="+v)
	}
	return out, nil
}

var (
	iniNameRE  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.\-]*$`)
	iniValueRE = regexp.MustCompile(`^[A-Za-z0-9_./:\-+, ]*$`)
)

func checkIni(name, value string) error {
	switch {
	case !iniNameRE.MatchString(name):
		return fmt.Errorf("not an ini setting name")
	case conformance.IniRefused.MatchString(name):
		return fmt.Errorf("the recorder does not let a case set %s", name)
	case !iniValueRE.MatchString(value):
		return fmt.Errorf("value %q has characters the recorder does not pass to php -d", value)
	}
	return nil
}
