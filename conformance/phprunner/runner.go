// Package phprunner is the recorder's runner: it turns a conformance case
// into a PHP script, runs it with a real php binary against the case's
// fixtures and reads back what PHP observed at every step.
//
// The script reports each step on its standard output as soon as the step
// is done, so a PHP fatal error in the middle of a case still yields the
// steps before it and a clear failure. Fixture clients are started through
// a handshake: after a step that has clients, the script writes "C N" on
// its standard output and blocks reading a line from its standard input;
// the runner starts the clients of step N (Fixtures.StartClients) and then
// writes a newline to let the script go on.
package phprunner

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/harness"
)

// BaseArgs are the php options every case runs with (CONFORMANCE.md
// "Running PHP"); a case's ini settings follow them.
var BaseArgs = []string{"-d", "error_reporting=-1", "-d", "display_errors=stderr", "-d", "log_errors=0",
	"-d", "html_errors=0", "-d", "default_socket_timeout=60"}

// Runner runs cases with real PHP. It implements harness.Runner.
type Runner struct {
	// PHP is the php binary, or a wrapper program that takes php's
	// arguments; "" means "php" from PATH.
	PHP string
	// Dir is where the scripts are written (in a fresh folder per run);
	// "" means the system's temporary folder.
	Dir string
}

var _ harness.Runner = (*Runner)(nil)

func (r *Runner) php() string {
	if r.PHP == "" {
		return "php"
	}
	return r.PHP
}

// maxStderr bounds how much of PHP's standard error a failure quotes.
const maxStderr = 64 << 10

// RunCase runs c with PHP against fx, in fx's {tmp} folder.
func (r *Runner) RunCase(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error) {
	env := fx.Env()
	steps := make([]*conformance.Step, len(c.Steps))
	for i, st := range c.Steps {
		s, err := env.SubstituteStep(st)
		if err != nil {
			return nil, &conformance.CaseError{File: c.File, Case: c.Name, Field: fmt.Sprintf("steps[%d]", i), Msg: err.Error()}
		}
		steps[i] = s
	}
	script, err := Script(c, steps)
	if err != nil {
		return nil, &conformance.CaseError{File: c.File, Case: c.Name, Msg: err.Error()}
	}
	ini, err := iniArgs(c)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(r.Dir, "phpsock-case-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "case.php")
	if err := os.WriteFile(path, script, 0o644); err != nil {
		return nil, err
	}

	args := append(append(append([]string(nil), BaseArgs...), ini...), path)
	cmd := exec.CommandContext(ctx, r.php(), args...)
	cmd.Dir = env.Tmp
	setProcessGroup(cmd)
	cmd.WaitDelay = 2 * time.Second
	stderr := &limitedBuffer{max: maxStderr}
	cmd.Stderr = stderr
	talk := harness.Conversation{Who: "php", Decode: decodeObs}
	stdin, stdout, err := talk.Start(cmd)
	if err != nil {
		return nil, err
	}
	obs, protoErr := talk.Follow(bufio.NewReaderSize(stdout, 64<<10), stdin, fx, len(c.Steps))
	if protoErr != nil {
		// Stop PHP now rather than wait for a script we no longer follow.
		killProcess(cmd)
		io.Copy(io.Discard, stdout)
	}
	stdin.Close()
	waitErr := cmd.Wait()

	failure := func(what string) error {
		msg := strings.TrimSpace(stderr.String())
		if msg != "" {
			msg = "; php said: " + msg
		}
		return fmt.Errorf("%s after %d of %d steps%s", what, len(obs), len(c.Steps), msg)
	}
	switch {
	case ctx.Err() != nil:
		return obs, failure("stopped: " + ctx.Err().Error())
	case protoErr != nil:
		return obs, failure(protoErr.Error())
	case waitErr != nil:
		return obs, failure("php failed: " + waitErr.Error())
	}
	return obs, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// obsLine is one observation as the script writes it. Every string is
// base64; values are encoded by __phpsock_enc (see encValue).
type obsLine struct {
	I      *int          `json:"i"`
	Ret    *encValue     `json:"ret"`
	Throws []string      `json:"throws"`
	Errno  *encValue     `json:"errno"`
	Errstr *encValue     `json:"errstr"`
	W      []warningLine `json:"w"`
}

// encValue is a typed PHP value: t is null, bool, int, float (h: the
// big-endian IEEE 754 bits in hex), string, resource, object (b: base64 of
// the string, the resource type, the class name) or array (v: [key,
// value] pairs, an int key as a number and a string key as base64).
type encValue struct {
	T string          `json:"t"`
	V json.RawMessage `json:"v"`
	B string          `json:"b"`
	H string          `json:"h"`
}

// warningLine is [level number, base64 message].
type warningLine [2]json.RawMessage

func decodeObs(line []byte) (*conformance.Obs, int, error) {
	var l obsLine
	if err := json.Unmarshal(line, &l); err != nil {
		return nil, 0, err
	}
	if l.I == nil {
		return nil, 0, errors.New("no step index")
	}
	o := &conformance.Obs{}
	if l.Ret != nil {
		r, err := l.Ret.ret(0)
		if err != nil {
			return nil, 0, fmt.Errorf("ret: %v", err)
		}
		o.Ret = &r
	}
	if l.Throws != nil {
		if len(l.Throws) != 2 {
			return nil, 0, errors.New("throws: not [class, message]")
		}
		class, err1 := b64(l.Throws[0])
		msg, err2 := b64(l.Throws[1])
		if err := errors.Join(err1, err2); err != nil {
			return nil, 0, fmt.Errorf("throws: %v", err)
		}
		o.Throws = &conformance.Throws{Class: class, Message: conformance.BStr(msg)}
	}
	if l.Errno != nil {
		r, err := l.Errno.ret(0)
		if err != nil {
			return nil, 0, fmt.Errorf("errno: %v", err)
		}
		switch r.Type {
		case "null":
			o.Errno = &conformance.OptInt{}
		case "int":
			o.Errno = &conformance.OptInt{V: &r.Int}
		default:
			return nil, 0, fmt.Errorf("errno: PHP left a %s, not an int or null", r.Type)
		}
	}
	if l.Errstr != nil {
		r, err := l.Errstr.ret(0)
		if err != nil {
			return nil, 0, fmt.Errorf("errstr: %v", err)
		}
		switch r.Type {
		case "null":
			o.Errstr = &conformance.OptStr{}
		case "string":
			o.Errstr = &conformance.OptStr{V: &r.Str}
		default:
			return nil, 0, fmt.Errorf("errstr: PHP left a %s, not a string or null", r.Type)
		}
	}
	for _, w := range l.W {
		var level int
		var enc string
		if err := json.Unmarshal(w[0], &level); err != nil {
			return nil, 0, fmt.Errorf("warning level: %v", err)
		}
		if err := json.Unmarshal(w[1], &enc); err != nil {
			return nil, 0, fmt.Errorf("warning message: %v", err)
		}
		msg, err := b64(enc)
		if err != nil {
			return nil, 0, fmt.Errorf("warning message: %v", err)
		}
		o.Warnings = append(o.Warnings, conformance.Warning{Level: LevelName(level), Message: conformance.BStr(msg)})
	}
	return o, *l.I, nil
}

// LevelName is the name of PHP's E_* constant of an error level.
func LevelName(level int) string {
	if n, ok := levelNames[level]; ok {
		return n
	}
	return "E_" + strconv.Itoa(level)
}

var levelNames = map[int]string{
	1: "E_ERROR", 2: "E_WARNING", 4: "E_PARSE", 8: "E_NOTICE", 16: "E_CORE_ERROR", 32: "E_CORE_WARNING",
	64: "E_COMPILE_ERROR", 128: "E_COMPILE_WARNING", 256: "E_USER_ERROR", 512: "E_USER_WARNING",
	1024: "E_USER_NOTICE", 2048: "E_STRICT", 4096: "E_RECOVERABLE_ERROR", 8192: "E_DEPRECATED",
	16384: "E_USER_DEPRECATED",
}

func b64(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	return string(b), err
}

func (e *encValue) ret(depth int) (conformance.Ret, error) {
	switch e.T {
	case "null":
		return conformance.Ret{Type: "null"}, nil
	case "bool":
		r := conformance.Ret{Type: "bool"}
		return r, json.Unmarshal(e.V, &r.Bool)
	case "int":
		r := conformance.Ret{Type: "int"}
		return r, json.Unmarshal(e.V, &r.Int)
	case "float":
		bits, err := hex.DecodeString(e.H)
		if err != nil || len(bits) != 8 {
			return conformance.Ret{}, fmt.Errorf("bad float bits %q", e.H)
		}
		return conformance.Ret{Type: "float", Float: math.Float64frombits(binary.BigEndian.Uint64(bits))}, nil
	case "string", "resource", "object":
		s, err := b64(e.B)
		return conformance.Ret{Type: e.T, Str: conformance.BStr(s)}, err
	case "array":
		var pairs [][2]json.RawMessage
		if err := json.Unmarshal(e.V, &pairs); err != nil {
			return conformance.Ret{}, err
		}
		r := conformance.Ret{Type: "array", Elems: make([]conformance.Elem, len(pairs))}
		for i, p := range pairs {
			var k conformance.Key
			if bytes.HasPrefix(p[0], []byte(`"`)) {
				var enc string
				if err := json.Unmarshal(p[0], &enc); err != nil {
					return conformance.Ret{}, err
				}
				s, err := b64(enc)
				if err != nil {
					return conformance.Ret{}, err
				}
				k = conformance.Key{Str: conformance.BStr(s)}
			} else {
				k.IsInt = true
				if err := json.Unmarshal(p[0], &k.Int); err != nil {
					return conformance.Ret{}, err
				}
			}
			var ev encValue
			if err := json.Unmarshal(p[1], &ev); err != nil {
				return conformance.Ret{}, err
			}
			v, err := ev.ret(depth + 1)
			if err != nil {
				return conformance.Ret{}, err
			}
			r.Elems[i] = conformance.Elem{Key: k, Val: v}
		}
		return r, nil
	case "deep":
		return conformance.Ret{}, errors.New("array nested too deeply to record")
	}
	return conformance.Ret{}, fmt.Errorf("unknown value type %q (%s)", e.T, e.B)
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Info is what a recording's header says about the PHP that made it.
type Info struct {
	Version        string // PHP_VERSION
	OpenSSLVersion string // OPENSSL_VERSION_TEXT, "" without the extension
	OS             string // PHP_OS
	Major, Minor   int
}

// Profile is the default profile name, php-<major>.<minor>-<lowercase os>.
func (i Info) Profile() string {
	return fmt.Sprintf("php-%d.%d-%s", i.Major, i.Minor, strings.ToLower(i.OS))
}

const infoScript = `<?php
echo json_encode([PHP_VERSION, PHP_MAJOR_VERSION, PHP_MINOR_VERSION,
    defined('OPENSSL_VERSION_TEXT') ? OPENSSL_VERSION_TEXT : '', PHP_OS]), "\n";
`

// Info asks PHP for its version, OpenSSL version and OS.
func (r *Runner) Info(ctx context.Context) (Info, error) {
	dir, err := os.MkdirTemp(r.Dir, "phpsock-info-")
	if err != nil {
		return Info{}, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "info.php")
	if err := os.WriteFile(path, []byte(infoScript), 0o644); err != nil {
		return Info{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.php(), append(append([]string(nil), BaseArgs...), path)...)
	cmd.Dir = dir
	stderr := &limitedBuffer{max: maxStderr}
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		return Info{}, fmt.Errorf("running %s: %v: %s", r.php(), err, strings.TrimSpace(stderr.String()))
	}
	var v []any
	if err := json.Unmarshal(bytes.TrimSpace(out), &v); err != nil || len(v) != 5 {
		return Info{}, fmt.Errorf("%s: unexpected output %q", r.php(), truncate(string(out), 200))
	}
	var info Info
	var ok [5]bool
	info.Version, ok[0] = v[0].(string)
	major, ok1 := v[1].(float64)
	minor, ok2 := v[2].(float64)
	ok[1], ok[2] = ok1, ok2
	info.Major, info.Minor = int(major), int(minor)
	info.OpenSSLVersion, ok[3] = v[3].(string)
	info.OS, ok[4] = v[4].(string)
	for _, b := range ok {
		if !b {
			return Info{}, fmt.Errorf("%s: unexpected output %q", r.php(), truncate(string(out), 200))
		}
	}
	return info, nil
}
