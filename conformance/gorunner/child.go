package gorunner

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/harness"
)

// Child runs each case in a process of its own, as the recorder runs PHP:
// the fixtures stay in this process, and the case's steps run in a child
// that has one goroutine, the shape of a ported PHP script. phpsock waits
// for data differently there (it keeps the P and lets recv(2) wait), so
// this runner is what checks those paths against the recording.
//
// The child is a program that calls ServeChild. The conversation follows
// the PHP runner's: a request line from the parent (the case's name and
// its fixtures' environment), then from the child "C n" when fixture
// clients may start after step n (answered by an empty line), one
// "O <observation>" per step and "E" at the end.
type Child struct {
	// Command returns the child process to run, not started.
	Command func(ctx context.Context) *exec.Cmd
}

var _ harness.Runner = Child{}

// childRequest is the first line the parent writes.
type childRequest struct {
	File string           `json:"file"`
	Case string           `json:"case"`
	Env  *conformance.Env `json:"env"`
}

// RunCase runs c in a child process against fx.
func (ch Child) RunCase(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error) {
	req, err := json.Marshal(childRequest{File: c.File, Case: c.Name, Env: fx.Env()})
	if err != nil {
		return nil, err
	}
	cmd := ch.Command(ctx)
	cmd.WaitDelay = 2 * time.Second
	var stderr strings.Builder
	cmd.Stderr = &stderr
	talk := harness.Conversation{Who: "the child", Decode: decodeChildObs}
	stdin, stdout, err := talk.Start(cmd)
	if err != nil {
		return nil, err
	}
	_, err = fmt.Fprintf(stdin, "%s\n", req)
	var obs []*conformance.Obs
	if err == nil {
		obs, err = talk.Follow(bufio.NewReader(stdout), stdin, fx, len(c.Steps))
	}
	if err != nil {
		cmd.Process.Kill()
		io.Copy(io.Discard, stdout)
	}
	stdin.Close()
	waitErr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return obs, ctx.Err()
	case err != nil:
		return obs, fmt.Errorf("child after %d of %d steps: %v; stderr: %s", len(obs), len(c.Steps), err, stderr.String())
	case waitErr != nil:
		return obs, fmt.Errorf("child: %v; stderr: %s", waitErr, stderr.String())
	}
	return obs, nil
}

// childObs is an observation line of the child: the step and what it saw.
type childObs struct {
	Step int              `json:"step"`
	Obs  *conformance.Obs `json:"obs"`
}

func decodeChildObs(line []byte) (*conformance.Obs, int, error) {
	var l childObs
	if err := json.Unmarshal(line, &l); err != nil {
		return nil, 0, err
	}
	if l.Obs == nil {
		return nil, 0, errors.New("no observation")
	}
	return l.Obs, l.Step, nil
}

// ServeChild is the child's side of Child: it reads the request from in,
// runs the case it names (found in what load returns for the case's file)
// with Runner, and writes the conversation to out. It must be called while
// the program has one goroutine, and fails otherwise.
func ServeChild(load func(file string) ([]*conformance.Case, error), in io.Reader, out io.Writer) error {
	if n := runtime.NumGoroutine(); n != 1 {
		return fmt.Errorf("the child has %d goroutines, not 1", n)
	}
	r := bufio.NewReader(in)
	w := bufio.NewWriter(out)
	line, err := r.ReadString('\n')
	if err != nil {
		return err
	}
	var req childRequest
	if err := json.Unmarshal([]byte(line), &req); err != nil {
		return err
	}
	cases, err := load(req.File)
	if err != nil {
		return err
	}
	var c *conformance.Case
	for _, k := range cases {
		if k.Name == req.Case {
			c = k
		}
	}
	if c == nil || req.Env == nil {
		return fmt.Errorf("no case %q", req.Case)
	}
	// A parent that goes away ends the run after the current step.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fx := &childFixtures{env: req.Env, in: r, out: w, lost: cancel}
	// Each observation goes to the parent as soon as its step has run, so
	// a case stopped at the time limit still shows how far it got.
	send := func(i int, o *conformance.Obs) {
		b, err := json.Marshal(childObs{Step: i, Obs: o})
		if err != nil {
			b, _ = json.Marshal(childObs{Step: i, Obs: &conformance.Obs{Failure: err.Error()}})
		}
		fmt.Fprintf(w, "O %s\n", b)
		w.Flush()
	}
	_, runErr := Runner{observed: send}.RunCase(ctx, c, fx)
	if fx.err != nil {
		return fx.err
	}
	end := "E"
	if runErr != nil {
		end = "E " + strings.ReplaceAll(runErr.Error(), "\n", " ")
	}
	fmt.Fprintln(w, end)
	return w.Flush()
}

// childFixtures are the parent's fixtures as the child sees them.
type childFixtures struct {
	env  *conformance.Env
	in   *bufio.Reader
	out  *bufio.Writer
	err  error
	lost context.CancelFunc // called when the parent cannot be reached
}

func (f *childFixtures) Env() *conformance.Env { return f.env }

// StartClients asks the parent to start them and waits until it has.
func (f *childFixtures) StartClients(afterStep int) {
	if f.err != nil {
		return
	}
	fmt.Fprintf(f.out, "C %d\n", afterStep)
	if f.err = f.out.Flush(); f.err == nil {
		_, f.err = f.in.ReadString('\n')
	}
	if f.err != nil {
		f.lost()
	}
}

func (f *childFixtures) Broken() error { return nil }
func (f *childFixtures) Close() error  { return nil }
