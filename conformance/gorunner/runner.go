// Package gorunner is the replayer's runner: it runs a conformance case
// through phpsock's by-name entry point (compat.Runtime.Call) with the same
// step semantics as the PHP recorder.
//
// Case variables are *compat.Ref values of the case's runtime. An argument
// that is not a {"var"} is evaluated into a temporary, left to right; a
// {"var"} is passed as the variable itself where PHP takes the parameter by
// reference, and as its value otherwise (with PHP's "Undefined variable"
// warning when it is unset); a temporary where PHP takes a reference is
// passed as a reference to the temporary, as PHP does. The connect functions' errno and errstr are
// fresh, unset references inserted at PHP's positions unless the step
// presets them. A result not bound with "as", and the temporaries, are
// released with compat.Free after the step unless a variable still holds
// them; diagnostics raised by that release are not observed.
package gorunner

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/fixture/wrappers"
	"github.com/phpsock/phpsock/conformance/harness"
)

// Runner runs cases through compat. It implements harness.Runner. The zero
// value is ready to use.
type Runner struct {
	// newRuntime and free replace compat.NewRuntime and compat.Free in
	// tests; nil means compat's.
	newRuntime func() phpRuntime
	free       func(compat.Value)
	// observed, when set, is told of each step's observation as soon as
	// the step has run (the child sends it on at once).
	observed func(step int, o *conformance.Obs)
}

var _ harness.Runner = Runner{}

// phpRuntime is the part of *compat.Runtime the runner uses.
type phpRuntime interface {
	SetErrorHandler(h compat.ErrorHandler, levels int) compat.ErrorHandler
	SetIni(name, value string) error
	Call(name string, args ...compat.Value) (compat.Value, error)
	Constant(name string) (compat.Value, error)
	SetDir(dir string)
	Close() error
}

// RunCase runs c with a fresh compat.Runtime against fx.
func (rn Runner) RunCase(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error) {
	env := fx.Env()
	steps := make([]*conformance.Step, len(c.Steps))
	for i, st := range c.Steps {
		s, err := env.SubstituteStep(st)
		if err != nil {
			return nil, &conformance.CaseError{File: c.File, Case: c.Name, Field: fmt.Sprintf("steps[%d]", i), Msg: err.Error()}
		}
		steps[i] = s
	}

	var rt phpRuntime
	if rn.newRuntime != nil {
		rt = rn.newRuntime()
	} else {
		rt = compat.NewRuntime()
	}
	free := rn.free
	if free == nil {
		free = compat.Free
	}
	r := &run{rt: rt, free: free, vars: map[string]*compat.Ref{}, live: map[*compat.Resource]bool{}}
	var closeOnce sync.Once
	closeRT := func() { closeOnce.Do(func() { rt.Close() }) }
	defer closeRT()
	// When ctx ends (the time limit), the run is abandoned: closing the
	// runtime closes its persistent streams, and every other resource a
	// step has seen is freed, which ends a call blocked on one of them.
	stop := context.AfterFunc(ctx, func() {
		closeRT()
		r.abandon()
	})
	defer stop()

	// The recorder observes PHP's diagnostics with an error handler that
	// returns true (phprunner's prelude), so PHP's standard handling never
	// runs (error_get_last stays null); the runner does the same.
	rt.SetErrorHandler(r.handle, allLevels)
	// The recorder runs php with -d error_reporting=-1 (phprunner.BaseArgs).
	if err := rt.SetIni("error_reporting", "-1"); err != nil {
		return nil, err
	}
	if w, ok := rt.(interface {
		SetWrapperClasses(func(string) (compat.WrapperClass, bool))
	}); ok {
		// The classes stream_wrapper_register names, with state of the
		// case's own (docs/case-format.md, "User wrappers").
		w.SetWrapperClasses(wrappers.New().Lookup)
	}
	// Relative paths start from {tmp}, PHP's working directory for a case.
	rt.SetDir(env.Tmp)
	names := make([]string, 0, len(c.Ini))
	for k := range c.Ini {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if err := rt.SetIni(k, c.Ini[k]); err != nil {
			return nil, fmt.Errorf("ini %s: %v", k, err)
		}
	}

	// At the end, as at the end of PHP's script, every variable is
	// destroyed; what that raises is not observed.
	defer r.releaseAll()

	var obs []*conformance.Obs
	fx.StartClients(-1)
	for i, st := range steps {
		if err := ctx.Err(); err != nil {
			return obs, err
		}
		o := r.step(ctx, st)
		obs = append(obs, o)
		if rn.observed != nil {
			rn.observed(i, o)
		}
		if err := ctx.Err(); err != nil {
			return obs, err
		}
		fx.StartClients(i)
	}
	return obs, nil
}

// releaseAll unsets every variable, freeing what they held.
func (r *run) releaseAll() {
	defer func() { recover() }()
	var vals []compat.Value
	for name, ref := range r.vars {
		vals = append(vals, ref.V)
		delete(r.vars, name)
	}
	r.release(vals...)
}

// run is the state of one case run.
type run struct {
	rt   phpRuntime
	free func(compat.Value)
	vars map[string]*compat.Ref

	mu        sync.Mutex
	capturing bool
	warnings  []conformance.Warning

	// live holds every resource a call returned or wrote, for abandon,
	// which may run on another goroutine (guarded by mu).
	live      map[*compat.Resource]bool
	abandoned bool
}

// track remembers the resources reachable from vals; once the run is
// abandoned it frees them at once instead.
func (r *run) track(vals ...compat.Value) {
	var found []*compat.Resource
	seen := map[*compat.Resource]bool{}
	for _, v := range vals {
		collect(v, &found, seen, 0)
	}
	if len(found) == 0 {
		return
	}
	r.mu.Lock()
	abandoned := r.abandoned
	if !abandoned {
		for _, x := range found {
			r.live[x] = true
		}
	}
	r.mu.Unlock()
	if abandoned {
		for _, x := range found {
			r.free(x)
		}
	}
}

// abandon frees every resource the run has seen, from any goroutine: a
// call blocked on one of them (a read, an accept, a select) returns.
func (r *run) abandon() {
	r.mu.Lock()
	r.abandoned = true
	res := make([]*compat.Resource, 0, len(r.live))
	for x := range r.live {
		res = append(res, x)
	}
	r.mu.Unlock()
	defer func() { recover() }()
	for _, x := range res {
		r.free(x)
	}
}

// allLevels is E_ALL, the levels the recorder's error handler takes.
const allLevels = 32767

// handle is the runner's error handler: it observes d and ends PHP's
// handling.
func (r *run) handle(_ *compat.Runtime, d compat.Diagnostic) bool {
	r.diagnostic(d)
	return true
}

func (r *run) diagnostic(d compat.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.capturing {
		r.warnings = append(r.warnings, conformance.Warning{Level: d.Level.String(), Message: conformance.BStr(d.String())})
	}
}

func (r *run) warn(msg string) {
	r.diagnostic(compat.Diagnostic{Level: compat.EWarning, Message: msg})
}

// capture starts (on) or stops observing diagnostics and returns those
// observed since the last start.
func (r *run) capture(on bool) []conformance.Warning {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.warnings
	r.warnings = nil
	r.capturing = on
	return w
}

// failure is an error that makes a step's observation a failure rather than
// a throws: the replayer cannot run the step.
type failure struct{ err error }

func (f failure) Error() string { return f.err.Error() }

func failf(format string, a ...any) error { return failure{fmt.Errorf(format, a...)} }

// step runs one step and returns its raw observation.
func (r *run) step(ctx context.Context, st *conformance.Step) (o *conformance.Obs) {
	defer func() {
		if p := recover(); p != nil {
			r.capture(false)
			o = &conformance.Obs{Failure: fmt.Sprintf("panic: %v\n%s", p, debug.Stack())}
		}
	}()
	switch st.Kind {
	case conformance.StepSleep:
		t := time.NewTimer(time.Duration(st.SleepMS) * time.Millisecond)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		return &conformance.Obs{}
	case conformance.StepNote:
		return &conformance.Obs{}
	case conformance.StepShow:
		var v compat.Value
		if ref, ok := r.vars[st.Var]; ok {
			v = ref.V
		}
		ret, err := toRet(v, 0)
		if err != nil {
			return &conformance.Obs{Failure: err.Error()}
		}
		return &conformance.Obs{Ret: &ret}
	case conformance.StepLet:
		return r.let(st)
	case conformance.StepCall:
		return r.call(st)
	}
	return &conformance.Obs{Failure: fmt.Sprintf("unknown step kind %d", st.Kind)}
}

func (r *run) let(st *conformance.Step) *conformance.Obs {
	o := &conformance.Obs{}
	r.capture(true)
	v, err := r.eval(st.Value)
	var old compat.Value
	if err == nil {
		old = r.assign(st.Var, v)
		r.release(old)
	}
	o.Warnings = r.capture(false)
	if err != nil {
		setError(o, err)
	}
	return o
}

// assign binds v to the variable name and returns the value it replaced.
func (r *run) assign(name string, v compat.Value) compat.Value {
	ref, ok := r.vars[name]
	if !ok {
		r.vars[name] = &compat.Ref{V: v}
		return nil
	}
	old := ref.V
	ref.V = v
	return old
}

// httpResponseHeader is the runtime's $http_response_header, nil when it
// has none (or cannot tell).
func (r *run) httpResponseHeader() *compat.Array {
	if h, ok := r.rt.(interface{ HTTPResponseHeader() *compat.Array }); ok {
		return h.HTTPResponseHeader()
	}
	return nil
}

// connectFuncs are the functions whose errno and errstr are observed.
var connectFuncs = map[string]bool{"fsockopen": true, "pfsockopen": true, "stream_socket_client": true}

// elemRef is a by-reference element argument, written back after the call.
type elemRef struct {
	name string
	at   []conformance.Value
	ref  *compat.Ref
}

func (r *run) call(st *conformance.Step) *conformance.Obs {
	o := &conformance.Obs{}
	connect := connectFuncs[st.Call]
	var errno, errstr *compat.Ref
	if connect || st.Call == "stream_socket_server" {
		errno, errstr = &compat.Ref{}, &compat.Ref{}
		if connect && st.Preset != nil {
			if st.Preset.Errno != nil {
				errno.V = *st.Preset.Errno
			}
			if st.Preset.Errstr != nil {
				errstr.V = *st.Preset.Errstr
			}
		}
	}

	var temps []compat.Value
	var tempRefs []*compat.Ref
	var elems []elemRef
	var oldVals []compat.Value
	r.capture(true)
	ret, err := func() (compat.Value, error) {
		args, err := r.args(st, &temps)
		if err != nil {
			return nil, err
		}
		// Variables passed where PHP takes a reference; an element is
		// created (as null) before the call, as PHP fetches it for writing.
		vals := make([]compat.Value, len(args))
		for j, a := range args {
			v, ok := a.(conformance.Var)
			if !ok {
				vals[j] = a
				if harness.ByRef(st.Call, j) {
					// PHP passes the temporary variable by reference.
					ref := &compat.Ref{V: a}
					tempRefs = append(tempRefs, ref)
					vals[j] = ref
				}
				continue
			}
			if harness.ByRef(st.Call, j) {
				if len(v.At) == 0 {
					ref, ok := r.vars[v.Name]
					if !ok {
						ref = &compat.Ref{}
						r.vars[v.Name] = ref
					}
					oldVals = append(oldVals, ref.V)
					vals[j] = ref
					continue
				}
				cur, err := r.elemForWrite(v)
				if err != nil {
					return nil, err
				}
				ref := &compat.Ref{V: cur}
				oldVals = append(oldVals, cur)
				elems = append(elems, elemRef{v.Name, v.At, ref})
				vals[j] = ref
				continue
			}
			val, err := r.read(v)
			if err != nil {
				return nil, err
			}
			vals[j] = val
		}
		vals = phpArgs(st.Call, vals, errno, errstr)
		headers := r.httpResponseHeader()
		ret, err := r.rt.Call(st.Call, vals...)
		if h := r.httpResponseHeader(); h != headers {
			// PHP's http wrapper sets $http_response_header in the
			// caller's scope (docs/case-format.md).
			oldVals = append(oldVals, r.assign("http_response_header", h))
		}
		r.track(ret)
		r.track(vals...)
		for _, e := range elems {
			if err := r.writeElem(e); err != nil {
				return nil, err
			}
		}
		if err != nil {
			return nil, err
		}
		if st.As != "" {
			oldVals = append(oldVals, r.assign(st.As, ret))
		}
		return ret, nil
	}()
	// Values a by-reference write or the binding replaced are released as
	// PHP releases them: within the step, observed.
	r.release(oldVals...)
	o.Warnings = r.capture(false)

	if err != nil {
		setError(o, err)
	} else {
		v, cerr := toRet(ret, 0)
		if cerr != nil {
			o.Failure = cerr.Error()
		} else {
			o.Ret = &v
		}
	}
	if connect && o.Failure == "" {
		if err := observeOutputs(o, errno, errstr); err != nil {
			o.Failure = err.Error()
		}
	}
	if st.As == "" && err == nil {
		temps = append(temps, ret)
	}
	for _, ref := range tempRefs {
		temps = append(temps, ref.V)
	}
	r.release(temps...)
	return o
}

// setError records a step's error: a PHP exception as throws, anything
// else as the step's failure.
func setError(o *conformance.Obs, err error) {
	var pe *compat.Error
	var f failure
	switch {
	case errors.As(err, &f):
		o.Failure = f.Error()
	case errors.As(err, &pe):
		o.Throws = &conformance.Throws{Class: pe.Class, Message: conformance.BStr(pe.Message)}
	default:
		o.Failure = err.Error()
	}
}

func observeOutputs(o *conformance.Obs, errno, errstr *compat.Ref) error {
	switch v := errno.V.(type) {
	case nil:
		o.Errno = &conformance.OptInt{}
	case int64:
		o.Errno = &conformance.OptInt{V: &v}
	case int:
		i := int64(v)
		o.Errno = &conformance.OptInt{V: &i}
	default:
		return fmt.Errorf("errno: compat left a %T, not an int or null", errno.V)
	}
	switch v := errstr.V.(type) {
	case nil:
		o.Errstr = &conformance.OptStr{}
	case string:
		s := conformance.BStr(v)
		o.Errstr = &conformance.OptStr{V: &s}
	default:
		return fmt.Errorf("errstr: compat left a %T, not a string or null", errstr.V)
	}
	return nil
}

// args evaluates the step's arguments left to right: a {"var"} stays as it
// is (the call decides how it is passed); everything else, and the context,
// is evaluated into a temporary, recorded in temps.
func (r *run) args(st *conformance.Step, temps *[]compat.Value) ([]any, error) {
	args := make([]any, 0, len(st.Args)+1)
	for _, a := range st.Args {
		if v, ok := a.(conformance.Var); ok {
			args = append(args, v)
			continue
		}
		v, err := r.eval(a)
		if err != nil {
			return nil, err
		}
		*temps = append(*temps, v)
		args = append(args, v)
	}
	if st.Context != nil {
		pos := conformance.ContextArg(st.Call)
		if pos < 0 || len(args) > pos {
			return nil, failf("context: no context position free in %s", st.Call)
		}
		for len(args) < pos {
			v, err := r.contextDefault(st.Call, len(args))
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
		opts, err := r.eval(st.Context)
		if err != nil {
			return nil, err
		}
		ctx, err := r.rt.Call("stream_context_create", opts)
		if err != nil {
			return nil, err
		}
		r.track(ctx)
		*temps = append(*temps, ctx)
		args = append(args, ctx)
	}
	return args, nil
}

// contextDefault is the value of a missing argument before the context.
func (r *run) contextDefault(call string, pos int) (compat.Value, error) {
	switch {
	case call == "stream_socket_client" && pos == 2:
		return r.eval(conformance.Const{"STREAM_CLIENT_CONNECT"})
	case call == "stream_socket_server" && pos == 1:
		return r.eval(conformance.Const{"STREAM_SERVER_BIND", "STREAM_SERVER_LISTEN"})
	}
	return nil, nil
}

// phpArgs inserts the connect functions' and stream_socket_server's
// by-reference outputs at PHP's positions.
func phpArgs(call string, a []compat.Value, errno, errstr *compat.Ref) []compat.Value {
	if len(a) == 0 {
		return a
	}
	switch call {
	case "fsockopen", "pfsockopen":
		port := compat.Value(int64(-1))
		if len(a) > 1 {
			port = a[1]
		}
		out := []compat.Value{a[0], port, errno, errstr}
		if len(a) > 2 {
			out = append(out, a[2:]...)
		}
		return out
	case "stream_socket_client", "stream_socket_server":
		return append([]compat.Value{a[0], errno, errstr}, a[1:]...)
	}
	return a
}

// eval evaluates a case value; a {"var"} in it is the variable's value.
func (r *run) eval(v conformance.Value) (compat.Value, error) {
	switch t := v.(type) {
	case nil, conformance.Null:
		return nil, nil
	case conformance.Bool:
		return bool(t), nil
	case conformance.Int:
		return int64(t), nil
	case conformance.Float:
		return float64(t), nil
	case conformance.Str:
		return string(t), nil
	case conformance.List:
		a := compat.NewArray()
		for _, e := range t {
			x, err := r.eval(e)
			if err != nil {
				return nil, err
			}
			a.Append(x)
		}
		return a, nil
	case conformance.Map:
		a := compat.NewArray()
		for _, e := range t {
			var k any
			switch kt := e.Key.(type) {
			case conformance.Int:
				k = int64(kt)
			case conformance.Str:
				k = string(kt)
			default:
				return nil, failf("array key %T", e.Key)
			}
			x, err := r.eval(e.Value)
			if err != nil {
				return nil, err
			}
			a.Set(k, x)
		}
		return a, nil
	case conformance.Const:
		return r.constant(t)
	case conformance.Var:
		return r.read(t)
	case conformance.Port:
		return nil, failf(`{"port": %q} was not substituted`, string(t))
	}
	return nil, failf("unsupported value %T", v)
}

// constant looks the names up; several are or-ed together as PHP's |
// would. An unknown name throws PHP's Error.
func (r *run) constant(names conformance.Const) (compat.Value, error) {
	var acc int64
	for i, name := range names {
		v, err := r.rt.Constant(name) // PHP's Error for an unknown name
		if err != nil {
			return nil, err
		}
		if len(names) == 1 {
			return v, nil
		}
		n, ok := bitwiseOperand(v)
		if !ok {
			return nil, failf("constant %s: | of a %T is not supported", name, v)
		}
		if i == 0 {
			acc = n
		} else {
			acc |= n
		}
	}
	return acc, nil
}

func bitwiseOperand(v compat.Value) (int64, bool) {
	switch t := v.(type) {
	case int64:
		return t, true
	case bool:
		if t {
			return 1, true
		}
		return 0, true
	case nil:
		return 0, true
	}
	return 0, false
}

// read is the value of a variable or of its element, with PHP's warnings
// for what is not there.
func (r *run) read(v conformance.Var) (compat.Value, error) {
	ref, ok := r.vars[v.Name]
	if !ok {
		r.warn("Undefined variable $" + v.Name)
	}
	var cur compat.Value
	if ok {
		cur = ref.V
	}
	for _, k := range v.At {
		key := arrayKey(k)
		switch t := cur.(type) {
		case *compat.Array:
			x, found := t.Get(key)
			if !found {
				r.warn("Undefined array key " + keyText(key))
			}
			cur = x
		case *compat.Object:
			return nil, &compat.Error{Class: "Error", Message: "Cannot use object of type " + t.Class + " as array"}
		case string:
			return nil, failf("reading an offset of a string is not supported")
		default:
			r.warn("Trying to access array offset on value of type " + typeName(cur))
			cur = nil
		}
	}
	return cur, nil
}

// elemForWrite returns the current value of an element a call takes by
// reference, creating it (and the arrays on its way) as PHP does.
func (r *run) elemForWrite(v conformance.Var) (compat.Value, error) {
	ref, ok := r.vars[v.Name]
	var cur compat.Value
	if ok {
		cur = ref.V
	}
	updated, val, err := fetchWrite(cur, v.At)
	if err != nil {
		return nil, err
	}
	r.assign(v.Name, updated)
	return val, nil
}

// fetchWrite returns a copy of container with the element at path present
// (null when it was missing), and that element's value.
func fetchWrite(container compat.Value, path []conformance.Value) (compat.Value, compat.Value, error) {
	var a *compat.Array
	switch t := container.(type) {
	case nil:
		a = compat.NewArray()
	case *compat.Array:
		a = t.Copy()
	default:
		return nil, nil, failf("writing an element of a %T is not supported", container)
	}
	key := arrayKey(path[0])
	cur, _ := a.Get(key)
	if len(path) == 1 {
		a.Set(key, cur)
		return a, cur, nil
	}
	inner, val, err := fetchWrite(cur, path[1:])
	if err != nil {
		return nil, nil, err
	}
	a.Set(key, inner)
	return a, val, nil
}

// writeElem stores a by-reference element's new value into its variable.
func (r *run) writeElem(e elemRef) error {
	ref := r.vars[e.name]
	var cur compat.Value
	if ref != nil {
		cur = ref.V
	}
	updated, err := storeAt(cur, e.at, e.ref.V)
	if err != nil {
		return err
	}
	r.assign(e.name, updated)
	return nil
}

func storeAt(container compat.Value, path []conformance.Value, v compat.Value) (compat.Value, error) {
	var a *compat.Array
	switch t := container.(type) {
	case nil:
		a = compat.NewArray()
	case *compat.Array:
		a = t.Copy()
	default:
		return nil, failf("writing an element of a %T is not supported", container)
	}
	key := arrayKey(path[0])
	if len(path) == 1 {
		a.Set(key, v)
		return a, nil
	}
	cur, _ := a.Get(key)
	inner, err := storeAt(cur, path[1:], v)
	if err != nil {
		return nil, err
	}
	a.Set(key, inner)
	return a, nil
}

func arrayKey(k conformance.Value) compat.Key {
	switch t := k.(type) {
	case conformance.Int:
		return compat.NormalizeKey(int64(t))
	case conformance.Str:
		return compat.NormalizeKey(string(t))
	}
	return compat.NormalizeKey(nil)
}

// keyText writes a key as PHP's "Undefined array key" message does.
func keyText(k compat.Key) string {
	if s, ok := k.(string); ok {
		return `"` + s + `"`
	}
	return fmt.Sprint(k)
}

// typeName is PHP's zend_zval_type_name of a value.
func typeName(v compat.Value) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int64, int:
		return "int"
	case float64:
		return "float"
	case string:
		return "string"
	case *compat.Array:
		return "array"
	case *compat.Resource:
		return "resource"
	}
	return "mixed"
}

// release frees the resources reachable from vals that no variable holds
// any more. Whether what it raises is observed depends on the capture state.
func (r *run) release(vals ...compat.Value) {
	var res []*compat.Resource
	seen := map[*compat.Resource]bool{}
	for _, v := range vals {
		collect(v, &res, seen, 0)
	}
	if len(res) == 0 {
		return
	}
	held := map[*compat.Resource]bool{}
	for _, ref := range r.vars {
		collect(ref.V, nil, held, 0)
	}
	for _, x := range res {
		if !held[x] {
			r.free(x)
		}
	}
}

// collect adds the resources reachable from v to out (if not nil) and seen.
func collect(v compat.Value, out *[]*compat.Resource, seen map[*compat.Resource]bool, depth int) {
	if depth > 64 {
		return
	}
	switch t := v.(type) {
	case *compat.Resource:
		if t != nil && !seen[t] {
			seen[t] = true
			if out != nil {
				*out = append(*out, t)
			}
		}
	case *compat.Ref:
		if t != nil {
			collect(t.V, out, seen, depth+1)
		}
	case *compat.Array:
		for i := 0; i < t.Len(); i++ {
			_, x := t.At(i)
			collect(x, out, seen, depth+1)
		}
	}
}

// toRet converts a compat value to an observation's typed value.
func toRet(v compat.Value, depth int) (conformance.Ret, error) {
	if depth > 64 {
		return conformance.Ret{}, errors.New("array nested too deeply to record")
	}
	switch t := v.(type) {
	case nil:
		return conformance.Ret{Type: "null"}, nil
	case bool:
		return conformance.Ret{Type: "bool", Bool: t}, nil
	case int64:
		return conformance.Ret{Type: "int", Int: t}, nil
	case int:
		return conformance.Ret{Type: "int", Int: int64(t)}, nil
	case float64:
		return conformance.Ret{Type: "float", Float: t}, nil
	case string:
		return conformance.Ret{Type: "string", Str: conformance.BStr(t)}, nil
	case *compat.Resource:
		if t == nil {
			break
		}
		return conformance.Ret{Type: "resource", Str: conformance.BStr(t.Type())}, nil
	case *compat.Object:
		if t == nil {
			break
		}
		return conformance.Ret{Type: "object", Str: conformance.BStr(t.Class)}, nil
	case *compat.Ref:
		if t == nil {
			break
		}
		return toRet(t.V, depth)
	case *compat.Array:
		r := conformance.Ret{Type: "array", Elems: make([]conformance.Elem, t.Len())}
		for i := range t.Len() {
			k, x := t.At(i)
			var key conformance.Key
			switch kt := k.(type) {
			case int64:
				key = conformance.Key{IsInt: true, Int: kt}
			case string:
				key = conformance.Key{Str: conformance.BStr(kt)}
			default:
				return conformance.Ret{}, fmt.Errorf("array key of type %T", k)
			}
			val, err := toRet(x, depth+1)
			if err != nil {
				return conformance.Ret{}, err
			}
			r.Elems[i] = conformance.Elem{Key: key, Val: val}
		}
		return r, nil
	}
	return conformance.Ret{}, fmt.Errorf("compat returned a value of Go type %s", strings.TrimPrefix(fmt.Sprintf("%T", v), "*"))
}
