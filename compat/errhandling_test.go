package compat

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

// The rules these tests check were observed with PHP 8.2.36 running this
// script as `php -n -d display_errors=stderr eh.php` (the output is quoted
// by each test):
//
//	function w() { return fsockopen("127.0.0.1", 1); }
//	set_error_handler(function($no,$str){ echo "H1 $no ", error_reporting(), " $str\n"; return true; });
//	w(); var_dump(error_get_last());                                   // H1 2 32767 ...; NULL
//	set_error_handler(function($no,$str){ echo "H2 $no\n"; return false; });
//	w(); var_dump(error_get_last()["message"] ?? null);                // H2 2; Warning: ...; the text
//	error_clear_last(); var_dump(error_get_last());                    // NULL
//	set_error_handler(function($no,$str){ echo "H3 $no\n"; });
//	w(); var_dump(error_get_last());                                   // H3 2; NULL
//	set_error_handler(function($no,$str){ echo "H4 $no ", error_reporting(), "\n"; return false; });
//	@w(); var_dump(error_get_last()["message"] ?? null);               // H4 2 4437; no Warning; the text
//	echo "after @: ", error_reporting(), "\n";                         // after @: 32767
//	set_error_handler(function($no,$str){ echo "H5\n"; return true; }, E_NOTICE);
//	error_clear_last(); w(); var_dump(error_get_last()["type"] ?? null); // Warning: ...; int(2)
//	var_dump(restore_error_handler()); var_dump(restore_error_handler()); // bool(true) bool(true)
//	w();                                                               // H3 2
//	$p = set_error_handler(null); var_dump($p === null ? "null" : "closure"); // "closure"
//	$p = set_error_handler(null); var_dump($p);                        // NULL
//	(five restores) var_dump(restore_error_handler());                 // bool(true) on an empty stack
//	error_reporting(0); error_clear_last(); w(); var_dump(error_get_last()["type"] ?? null); // no Warning; int(2)
//	error_reporting(E_ALL); error_clear_last(); @w(); var_dump(error_get_last()); // no Warning; the array
//	set_error_handler(function($no,$str){ echo "H10 $str\n"; @fsockopen("127.0.0.1", 2);
//	    echo "inner last: ", error_get_last()["message"], "\n"; return true; });
//	w();                                          // H10 ...:1 ...; inner last: ...:2 (no second H10)
//	error_reporting(E_ALL & ~E_WARNING); w();     // H10 again: handlers ignore error_reporting
//
// The tests raise a warning with fopen of a missing file instead of a
// refused connection (both php_error_docref E_WARNINGs; its text is
// recorded in errors/get-last-handled).

// diagRecorder counts what reaches a runtime's sink.
type diagRecorder struct {
	mu  sync.Mutex
	got []Diagnostic
}

func (r *diagRecorder) sink(d Diagnostic) {
	r.mu.Lock()
	r.got = append(r.got, d)
	r.mu.Unlock()
}

func (r *diagRecorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func newErrRuntime(t *testing.T) (*Runtime, *diagRecorder, func(rt *Runtime)) {
	t.Helper()
	rt := NewRuntime()
	rec := &diagRecorder{}
	rt.SetDiagnostics(rec.sink)
	missing := filepath.Join(t.TempDir(), "missing", "x")
	warn := func(rt *Runtime) {
		t.Helper()
		if v, err := rt.Call("fopen", missing, "r"); v != false || err != nil {
			t.Fatalf("fopen of a missing file: %v, %v", v, err)
		}
	}
	return rt, rec, warn
}

func TestErrorHandlerReturn(t *testing.T) {
	rt, rec, warn := newErrRuntime(t)
	var handled []Diagnostic
	var reporting []int
	rt.SetErrorHandler(func(v *Runtime, d Diagnostic) bool {
		handled = append(handled, d)
		reporting = append(reporting, errorReportingOf(v))
		return true
	}, eAll)
	warn(rt)
	// H1 2 32767: the handler got the E_WARNING with error_reporting E_ALL,
	// nothing was displayed and error_get_last is NULL.
	if len(handled) != 1 || handled[0].Level != EWarning || handled[0].Func != "fopen" || reporting[0] != eAll {
		t.Fatalf("handler got %+v with error_reporting %v", handled, reporting)
	}
	if _, ok, _ := rt.ErrorGetLast(); ok || rec.len() != 0 {
		t.Fatalf("a handler returning true: last set %v, sink got %d", ok, rec.len())
	}

	rt.SetErrorHandler(func(*Runtime, Diagnostic) bool { return false }, eAll)
	warn(rt)
	// H2: returning false displays the warning and sets error_get_last.
	last, ok, _ := rt.ErrorGetLast()
	if !ok || rec.len() != 1 || rec.got[0] != last || last.String() != handled[0].String() {
		t.Fatalf("a handler returning false: last %+v %v, sink %+v", last, ok, rec.got)
	}
	rt.ErrorClearLast()
	if _, ok, _ := rt.ErrorGetLast(); ok {
		t.Fatal("error_clear_last left the last error")
	}
}

func TestSilence(t *testing.T) {
	rt, rec, warn := newErrRuntime(t)
	warn(rt.Silence())
	// @w() without a handler: nothing displayed, error_get_last set.
	if _, ok, _ := rt.ErrorGetLast(); !ok || rec.len() != 0 {
		t.Fatalf("silenced without handler: last %v, sink %d", ok, rec.len())
	}
	var inside []int
	rt.SetErrorHandler(func(v *Runtime, d Diagnostic) bool {
		inside = append(inside, errorReportingOf(v))
		return false
	}, eAll)
	rt.ErrorClearLast()
	warn(rt.Silence())
	// H4 2 4437: the handler runs, error_reporting() is 4437 inside it, the
	// standard handling that follows displays nothing but sets the last
	// error; after the call error_reporting() is E_ALL again.
	if len(inside) != 1 || inside[0] != silencedReporting {
		t.Fatalf("error_reporting inside the handler of a silenced call: %v", inside)
	}
	if _, ok, _ := rt.ErrorGetLast(); !ok || rec.len() != 0 || errorReportingOf(rt) != eAll {
		t.Fatalf("silenced with handler: last %v, sink %d, error_reporting %d", ok, rec.len(), errorReportingOf(rt))
	}
	// Silence is a view: the runtime itself still displays.
	warn(rt)
	if rec.len() != 1 {
		t.Fatalf("unsilenced call after a silenced one: sink %d", rec.len())
	}
}

func TestErrorHandlerLevelsAndStack(t *testing.T) {
	rt, rec, warn := newErrRuntime(t)
	calls := map[string]int{}
	handler := func(name string, ret bool) ErrorHandler {
		return func(*Runtime, Diagnostic) bool { calls[name]++; return ret }
	}
	if prev := rt.SetErrorHandler(handler("h3", true), eAll); prev != nil {
		t.Fatal("first SetErrorHandler returned a previous handler")
	}
	rt.SetErrorHandler(handler("h4", true), eAll)
	if prev := rt.SetErrorHandler(handler("notice-only", true), int(ENotice)); prev == nil {
		t.Fatal("SetErrorHandler returned no previous handler")
	}
	warn(rt)
	// H5 is not called for an E_WARNING: standard handling (Warning, type 2).
	if calls["notice-only"] != 0 || rec.len() != 1 || rec.got[0].Level != EWarning {
		t.Fatalf("handler for other levels: calls %v, sink %+v", calls, rec.got)
	}
	if !rt.RestoreErrorHandler() || !rt.RestoreErrorHandler() {
		t.Fatal("restore_error_handler returned false")
	}
	warn(rt)
	if calls["h3"] != 1 || calls["h4"] != 0 {
		t.Fatalf("after two restores: %v", calls)
	}
	// set_error_handler(null) pushes no handler: standard handling.
	rt.SetErrorHandler(nil, eAll)
	if prev := rt.SetErrorHandler(nil, eAll); prev != nil {
		t.Fatal("the handler before a null one is not null")
	}
	warn(rt)
	if rec.len() != 2 {
		t.Fatalf("null handler: sink %d", rec.len())
	}
	for range 5 {
		rt.RestoreErrorHandler()
	}
	if !rt.RestoreErrorHandler() {
		t.Fatal("restore_error_handler on an empty stack returned false")
	}
}

func TestErrorReporting(t *testing.T) {
	rt, rec, warn := newErrRuntime(t)
	if old, _ := rt.ErrorReporting(0); old != eAll {
		t.Fatalf("built-in error_reporting %d, PHP's is E_ALL", old)
	}
	warn(rt)
	// error_reporting(0): not displayed, error_get_last still set.
	if d, ok, _ := rt.ErrorGetLast(); !ok || d.Level != EWarning || rec.len() != 0 {
		t.Fatalf("error_reporting(0): last %+v %v, sink %d", d, ok, rec.len())
	}
	if v, _, _ := rt.IniGet("error_reporting"); v != "0" {
		t.Fatalf(`ini_get("error_reporting") = %q after error_reporting(0)`, v)
	}
	// Handlers are called whatever error_reporting says.
	n := 0
	rt.SetErrorHandler(func(*Runtime, Diagnostic) bool { n++; return true }, eAll)
	rt.ErrorReporting(eAll &^ int(EWarning))
	warn(rt)
	if n != 1 {
		t.Fatalf("handler calls with E_WARNING masked: %d", n)
	}
	// display_errors off: nothing displayed, last still set.
	rt.RestoreErrorHandler()
	rt.ErrorReporting(eAll)
	rt.IniSet("display_errors", "0")
	rt.ErrorClearLast()
	warn(rt)
	if _, ok, _ := rt.ErrorGetLast(); !ok || rec.len() != 0 {
		t.Fatalf("display_errors=0: last %v, sink %d", ok, rec.len())
	}
}

func TestErrorHandlerReentry(t *testing.T) {
	rt, _, warn := newErrRuntime(t)
	n := 0
	var inner Diagnostic
	rt.SetErrorHandler(func(v *Runtime, d Diagnostic) bool {
		n++
		warn(v.Silence()) // @fsockopen(...) inside the handler
		inner, _, _ = v.ErrorGetLast()
		return true
	}, eAll)
	warn(rt)
	// H10 once: what the handler raises goes to the standard handling.
	if n != 1 || inner.Func != "fopen" {
		t.Fatalf("handler calls %d, last inside it %+v", n, inner)
	}
}

// TestStreamDiagnosticsConcurrent reads a directory opened as a file from
// three goroutines at once, one of them silenced: every read's notice
// reaches the handler once, named after the call (php -n -r
// '$f=fopen("/tmp","r"); var_dump(fread($f,10)); var_dump(fread($f,10));'
// prints "Notice: fread(): Read of 8192 bytes failed with errno=21 Is a
// directory" for each call; recorded: file/fopen-directory-read).
func TestStreamDiagnosticsConcurrent(t *testing.T) {
	rt := NewRuntime()
	var mu sync.Mutex
	var got []Diagnostic
	rt.SetErrorHandler(func(_ *Runtime, d Diagnostic) bool {
		mu.Lock()
		got = append(got, d)
		mu.Unlock()
		return true
	}, eAll)
	fp, err := rt.Call("fopen", t.TempDir(), "r")
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	var wg sync.WaitGroup
	for _, r := range []*Runtime{rt, rt, rt.Silence()} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if v, err := r.Call("fread", fp, int64(10)); v != false || err != nil {
					t.Errorf("fread of a directory: %v, %v", v, err)
				}
			}
		}()
	}
	wg.Wait()
	if len(got) != 3*n {
		t.Fatalf("%d notices for %d reads", len(got), 3*n)
	}
	for _, d := range got {
		if d != got[0] || d.Level != ENotice || d.Func != "fread" || !d.Prefixed {
			t.Fatalf("notice %+v, first %+v", d, got[0])
		}
	}
}

// TestIniDefaultsArePHPs compares every ini setting's default, and
// whether ini_set may change it, with php -n (PHP's built-in defaults).
func TestIniDefaultsArePHPs(t *testing.T) {
	php, err := exec.LookPath("php")
	if err != nil {
		t.Skip("php not found")
	}
	names := make([]string, 0, len(iniSettings))
	for k := range iniSettings {
		names = append(names, k)
	}
	sort.Strings(names)
	script := `$o = []; foreach (array_slice($argv, 1) as $n) { $v = ini_get($n); ` +
		`$o[$n] = [$v, ini_set($n, $v) !== false]; } echo json_encode($o);`
	out, err := exec.Command(php, append([]string{"-n", "-r", script, "--"}, names...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][2]any
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	rt := NewRuntime()
	for _, n := range names {
		v, ok, _ := rt.IniGet(n)
		if !ok || v != want[n][0] {
			t.Errorf("ini_get(%q) = %q, %v; php -n: %v", n, v, ok, want[n][0])
		}
		if iniSettings[n].user != want[n][1] {
			t.Errorf("ini_set(%q) allowed %v; php -n: %v", n, iniSettings[n].user, want[n][1])
		}
	}
	if _, ok, _ := rt.IniGet("phpsock_no_such_setting"); ok {
		t.Error("an unknown setting has a value")
	}
}

// errorReportingOf is error_reporting() on rt (or a view of it).
func errorReportingOf(rt *Runtime) int {
	n, _ := rt.ErrorReporting()
	return n
}
