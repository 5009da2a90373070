package harness

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/phpsock/phpsock/conformance"
)

// maxLine bounds one line of a case process's output (an observation).
const maxLine = 512 << 20

// Conversation is the line protocol between a runner and the process that
// runs a case's steps (PHP for the recorder, a one-goroutine Go program
// for gorunner.Child). The process writes "O <observation>" for each step,
// "C n" when the fixture clients that start after step n may start (the
// runner starts them and answers with an empty line) and "E" at the end;
// "E <text>" ends with the process's own error.
type Conversation struct {
	// Who names the process in errors ("php").
	Who string
	// Decode reads what follows "O ": the observation and its step index.
	Decode func(line []byte) (o *conformance.Obs, step int, err error)
}

// Start starts the case process cmd (its Stderr already set) with pipes
// to its standard input and from its standard output, for Follow.
func (cv Conversation) Start(cmd *exec.Cmd) (stdin io.WriteCloser, stdout io.ReadCloser, err error) {
	if stdin, err = cmd.StdinPipe(); err != nil {
		return nil, nil, err
	}
	if stdout, err = cmd.StdoutPipe(); err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	return stdin, stdout, nil
}

// Follow reads the process's output from out, answering on in, until the
// end marker, and returns the observations of the nsteps steps.
func (cv Conversation) Follow(out *bufio.Reader, in io.Writer, fx Fixtures, nsteps int) ([]*conformance.Obs, error) {
	var obs []*conformance.Obs
	for {
		line, err := readLine(out)
		if err != nil {
			if err == io.EOF || err == errPartialLine {
				return obs, errors.New(cv.Who + " stopped")
			}
			return obs, err
		}
		tag, rest, _ := strings.Cut(line, " ")
		switch tag {
		case "O":
			o, idx, err := cv.Decode([]byte(rest))
			if err != nil {
				return obs, fmt.Errorf("bad observation line: %v", err)
			}
			if idx != len(obs) || idx >= nsteps {
				return obs, fmt.Errorf("observation of step %d out of order", idx)
			}
			obs = append(obs, o)
		case "C":
			n, err := strconv.Atoi(rest)
			if err != nil || n < -1 || n >= nsteps {
				return obs, fmt.Errorf("bad handshake line %q", line)
			}
			fx.StartClients(n)
			if _, err := io.WriteString(in, "\n"); err != nil {
				return obs, fmt.Errorf("resuming %s after step %d: %v", cv.Who, n, err)
			}
		case "E":
			if rest != "" {
				return obs, fmt.Errorf("%s failed: %s", cv.Who, rest)
			}
			if len(obs) != nsteps {
				return obs, fmt.Errorf("script ended after %d steps", len(obs))
			}
			return obs, nil
		default:
			return obs, fmt.Errorf("unexpected output from %s: %q", cv.Who, truncate(line, 200))
		}
	}
}

// errPartialLine is the output ending inside a line.
var errPartialLine = errors.New("output ended inside a line")

func readLine(r *bufio.Reader) (string, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > maxLine {
			return "", fmt.Errorf("output line longer than %d bytes", maxLine)
		}
		switch err {
		case nil:
			return string(buf[:len(buf)-1]), nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(buf) > 0 {
				return "", errPartialLine
			}
		}
		return "", err
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
