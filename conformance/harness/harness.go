// Package harness runs conformance cases (CONFORMANCE.md) through a Runner
// — real PHP when recording, phpsock when replaying — against the fixture
// servers, and turns what the runner observed into a recording: it applies
// each step's drop, pick and ignore, normalises the observations, enforces
// the per-run time limit, and, when recording, refuses a case whose two runs
// differ.
//
// Extensions of the contract (CONFORMANCE.md) made here, all compatible:
// a case result may carry "failure" (the run failed as a whole) and an
// observation "failure" (the replayer could not run the step); neither
// ever matches a recording of PHP. A show of a variable last written as
// stream_socket_accept's peer_name gets {ephemeral} like an address that
// stream_socket_recvfrom writes.
package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"time"

	"github.com/phpsock/phpsock/conformance"
)

// DefaultLimit is how long one run of a case may take, from the start of
// its fixtures to their teardown (CONFORMANCE.md: 20 s).
const DefaultLimit = 20 * time.Second

// maxGrace is how long RunCase waits at most for a runner to return once the
// limit has passed and the fixtures have been closed under it (a quarter of
// the limit when that is less); then the run is abandoned: reported as
// failed, its runner left to stop on its own.
const maxGrace = 5 * time.Second

func graceFor(limit time.Duration) time.Duration { return min(maxGrace, limit/4) }

// Fixtures is the running fixture set of one case; *fixture.Set implements it.
type Fixtures interface {
	// Env is what the case's placeholders refer to.
	Env() *conformance.Env
	// StartClients starts the fixture clients whose after_step is
	// afterStep (-1: those that start before the first step).
	StartClients(afterStep int)
	// Broken reports a fixture whose script did not go as written.
	Broken() error
	// Close stops every server and client.
	Close() error
}

// A Runner runs the steps of one case against its started fixtures and
// returns one raw observation per step it ran: as the PHP variable or call
// gave it, before drop, pick, ignore and normalisation. It calls
// fx.StartClients(-1) before the first step and fx.StartClients(i) right
// after step i (it may leave out the steps no client waits for). A step the runner cannot run at all is an observation with
// Failure set; a failure of the whole run (the interpreter died, ctx ended)
// is an error, returned with the observations made before it. RunCase must
// return soon after ctx is done.
type Runner interface {
	RunCase(ctx context.Context, c *conformance.Case, fx Fixtures) ([]*conformance.Obs, error)
}

// Options configure Record, Replay and RunCase. The zero value is usable.
type Options struct {
	// Certs is the certificate folder ({certs}); "" means the embedded
	// certificates, written once per process to a temporary folder.
	Certs string
	// Jobs is how many cases run at once (Replay; Record's second pass runs
	// max(2, Jobs)). Values below 1 mean 1.
	Jobs int
	// Limit is the time limit of one run; 0 means DefaultLimit.
	Limit time.Duration
	// Start starts a case's fixtures; nil means fixture.Start.
	Start func(c *conformance.Case, certs string) (Fixtures, error)
	// Log receives refusals and failures, one line each; nil discards them.
	Log io.Writer
	// Done, if not nil, is called each time a run of a case in Record or
	// Replay has ended, from the goroutine that ran it, so calls may be
	// concurrent. It lets a command show progress.
	Done func()
}

func (o *Options) limit() time.Duration {
	if o == nil || o.Limit <= 0 {
		return DefaultLimit
	}
	return o.Limit
}

func (o *Options) jobs() int {
	if o == nil || o.Jobs < 1 {
		return 1
	}
	return o.Jobs
}

func (o *Options) certs() (string, error) {
	if o != nil && o.Certs != "" {
		return o.Certs, nil
	}
	return EmbeddedCerts()
}

func (o *Options) start(c *conformance.Case, certs string) (Fixtures, error) {
	if o != nil && o.Start != nil {
		return o.Start(c, certs)
	}
	return startFixtures(c, certs)
}

func (o *Options) logf(format string, a ...any) {
	if o == nil || o.Log == nil {
		return
	}
	logMu.Lock()
	defer logMu.Unlock()
	fmt.Fprintf(o.Log, format+"\n", a...)
}

var logMu sync.Mutex

// RunCase runs c once through r: it starts the fixtures, runs the steps,
// tears the fixtures down and returns the finished result (see Finish). On
// a failure of the run — a case that did not load (c.Err, returned as it
// is), fixtures that cannot start or broke, the time limit, an error of the
// runner — it returns the result with its Failure set (and every step not
// observed padded with a failed observation) and the error.
//
// A run never takes much longer than its limit: when the limit passes, the
// fixtures are closed, the runner's context ends (gorunner then closes the
// case's streams), and a runner that has still not returned after a grace
// period (a quarter of the limit, at most 5 s) is abandoned.
func RunCase(ctx context.Context, r Runner, c *conformance.Case, opt *Options) (*conformance.CaseResult, error) {
	var res *conformance.CaseResult
	var err error
	if c.Err != nil {
		res, err = &conformance.CaseResult{Steps: make([]*conformance.Obs, len(c.Steps))}, c.Err
	} else {
		res, err = runCase(ctx, r, c, opt)
	}
	if err != nil {
		res.Failure = err.Error()
		for i := range res.Steps {
			if res.Steps[i] == nil {
				res.Steps[i] = &conformance.Obs{Failure: "not run: " + err.Error()}
			}
		}
	}
	return res, err
}

// ErrLimit is the error of a run that took longer than its limit.
var ErrLimit = errors.New("time limit exceeded")

func runCase(ctx context.Context, r Runner, c *conformance.Case, opt *Options) (*conformance.CaseResult, error) {
	res := &conformance.CaseResult{Steps: make([]*conformance.Obs, len(c.Steps))}
	certs, err := opt.certs()
	if err != nil {
		return res, fmt.Errorf("certificates: %w", err)
	}
	limit := opt.limit()
	began := time.Now()
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	fx, err := opt.start(c, certs)
	if err != nil {
		return res, fmt.Errorf("starting fixtures: %w", err)
	}
	env := fx.Env()

	type outcome struct {
		obs []*conformance.Obs
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		var out outcome
		defer func() {
			if p := recover(); p != nil {
				out.err = fmt.Errorf("runner panicked: %v\n%s", p, debug.Stack())
			}
			done <- out
		}()
		out.obs, out.err = r.RunCase(ctx, c, fx)
	}()

	var out outcome
	closed := false
	var closeErr error
	select {
	case out = <-done:
	case <-ctx.Done():
		// Close the fixtures under the runner so that it stops waiting on
		// them, then give it a moment to return.
		closeErr, closed = fx.Close(), true
		select {
		case out = <-done:
		case <-time.After(graceFor(limit)):
			out.err = errors.New("runner did not stop; abandoned")
		}
	}
	if !closed {
		closeErr = fx.Close()
	}
	elapsed := time.Since(began)

	if len(out.obs) > len(c.Steps) {
		out.obs = out.obs[:len(c.Steps)]
		if out.err == nil {
			out.err = errors.New("runner returned more observations than steps")
		}
	}
	fin := Finish(c, env, out.obs)
	copy(res.Steps, fin.Steps)

	switch {
	case elapsed > limit || ctx.Err() == context.DeadlineExceeded:
		return res, fmt.Errorf("%w: run took %v, the limit is %v", ErrLimit, elapsed.Round(time.Millisecond), limit)
	case ctx.Err() != nil && out.err != nil:
		return res, ctx.Err()
	case out.err != nil:
		return res, out.err
	case len(out.obs) < len(c.Steps):
		return res, fmt.Errorf("runner observed %d of %d steps", len(out.obs), len(c.Steps))
	}
	if err := fx.Broken(); err != nil {
		return res, fmt.Errorf("fixture broken: %w", err)
	}
	if closeErr != nil {
		return res, fmt.Errorf("closing fixtures: %w", closeErr)
	}
	return res, nil
}

// A Refusal is a case left out of a recording, with the reason.
type Refusal struct {
	Name   string
	Reason string
}

// Record runs every case twice through r, the first pass one case at a time,
// the second with max(2, Jobs) cases at once, and returns the recording of
// the cases whose two runs succeeded with equal results, in the order of
// cases. The other cases are refused: left out, listed in the returned
// refusals, and logged. The caller fills the recording's header.
func Record(ctx context.Context, r Runner, cases []*conformance.Case, opt *Options) (*conformance.Recording, []Refusal) {
	first := runAll(ctx, r, cases, 1, opt)
	var again []int
	for i, o := range first {
		if o.err == nil {
			again = append(again, i)
		}
	}
	second := make([]caseOutcome, len(cases))
	sub := make([]*conformance.Case, len(again))
	for k, i := range again {
		sub[k] = cases[i]
	}
	for k, o := range runAll(ctx, r, sub, max(2, opt.jobs()), opt) {
		second[again[k]] = o
	}

	rec := newRecording(len(cases))
	var refused []Refusal
	for i, c := range cases {
		var reason string
		switch {
		case first[i].err != nil:
			reason = "first run: " + first[i].err.Error()
		case second[i].err != nil:
			reason = "second run: " + second[i].err.Error()
		default:
			if d := conformance.DiffCase(first[i].res, second[i].res); d != "" {
				reason = "the two runs differ (-first +second):\n" + d
			}
		}
		if reason != "" {
			refused = append(refused, Refusal{c.Name, reason})
			opt.logf("refused %s: %s", c.Name, reason)
			continue
		}
		rec.Order = append(rec.Order, c.Name)
		rec.Cases[c.Name] = first[i].res
	}
	return rec, refused
}

// Replay runs every case once through r, Jobs at a time, and returns the
// recording of all of them in the order of cases. A case whose run failed is
// in it with its Failure set (it can never match); the failures are logged
// and returned too. The caller fills the recording's header.
func Replay(ctx context.Context, r Runner, cases []*conformance.Case, opt *Options) (*conformance.Recording, []Refusal) {
	outs := runAll(ctx, r, cases, opt.jobs(), opt)
	rec := newRecording(len(cases))
	var failed []Refusal
	for i, c := range cases {
		rec.Order = append(rec.Order, c.Name)
		rec.Cases[c.Name] = outs[i].res
		if outs[i].err != nil {
			failed = append(failed, Refusal{c.Name, outs[i].err.Error()})
			opt.logf("failed %s: %v", c.Name, outs[i].err)
		}
	}
	return rec, failed
}

func newRecording(n int) *conformance.Recording {
	return &conformance.Recording{Cases: make(map[string]*conformance.CaseResult, n)}
}

type caseOutcome struct {
	res *conformance.CaseResult
	err error
}

// runAll runs the cases with at most jobs at once; results keep the order.
func runAll(ctx context.Context, r Runner, cases []*conformance.Case, jobs int, opt *Options) []caseOutcome {
	outs := make([]caseOutcome, len(cases))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, c := range cases {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			res, err := RunCase(ctx, r, c, opt)
			outs[i] = caseOutcome{res, err}
			if opt != nil && opt.Done != nil {
				opt.Done()
			}
		}()
	}
	wg.Wait()
	return outs
}
