package conformance_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/gorunner"
	"github.com/phpsock/phpsock/conformance/harness"
	"github.com/phpsock/phpsock/conformance/phprunner"
)

// profile is the recording the tests compare with.
const profile = "php-8.2-linux"

// childEnv makes the test binary the child process of gorunner.Child.
const childEnv = "PHPSOCK_CONFORMANCE_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(serveChild())
	}
	code := m.Run()
	harness.RemoveEmbeddedCerts()
	os.Exit(code)
}

// committed loads the committed cases and recording (as embedded in the
// package, which is what the files on disk held at build time).
func committed(t *testing.T) ([]*conformance.Case, *conformance.Recording) {
	t.Helper()
	cases, err := conformance.LoadFS(conformance.Files, conformance.CasesDir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := conformance.Files.ReadFile(conformance.RecordedDir + "/" + profile + ".json")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := conformance.ParseRecording(data)
	if err != nil {
		t.Fatalf("%s.json: %v", profile, err)
	}
	return cases, rec
}

// TestConformance replays every committed case through phpsock, each as its
// own parallel subtest named by the case (so -run 'TestConformance/connect/'
// selects a group), and compares it with the committed recording of real
// PHP. A case with a documented divergence that differs is skipped with its
// reason. No PHP is needed.
func TestConformance(t *testing.T) {
	replay(t, gorunner.Runner{}, nil)
}

// aloneGroups are the case groups TestConformanceAlone replays: those whose
// steps read and write plain sockets (io, select, xport, pair, server) or move
// from plain reads to TLS (crypto). connect and tls cases read little or
// only through TLS, whose waits are the runtime poller's in any process.
var aloneGroups = map[string]bool{"io": true, "io-random": true, "select": true, "xport": true, "server": true, "crypto": true, "sample": true, "pair": true}

// TestConformanceAlone replays the committed cases of aloneGroups as
// TestConformance does, but with each case's steps in a child process that
// has one goroutine, as a ported PHP script has; phpsock waits for data in
// other system calls there (one recv(2) instead of poll(2) and recv(2)).
func TestConformanceAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: a process per case")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	replay(t, gorunner.Child{Command: func(ctx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(ctx, exe)
		// Under -race a process sleeps a second at exit unless told not to.
		race := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
		cmd.Env = append(os.Environ(), childEnv+"=1", "GORACE="+race)
		return cmd
	}}, func(c *conformance.Case) bool {
		group, _, _ := strings.Cut(c.Name, "/")
		return aloneGroups[group]
	})
}

// serveChild is the child process of TestConformanceAlone.
func serveChild() int {
	load := func(file string) ([]*conformance.Case, error) { return conformance.LoadFS(conformance.Files, file) }
	if err := gorunner.ServeChild(load, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// replay runs the committed cases that pick selects (nil: all) with rn and
// compares them with the committed recording.
func replay(t *testing.T, rn harness.Runner, pick func(*conformance.Case) bool) {
	cases, rec := committed(t)
	opt := &harness.Options{}
	for _, c := range cases {
		if pick != nil && !pick(c) {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			want, ok := rec.Cases[c.Name]
			if !ok {
				t.Fatalf("%s is not in the recording %s.json: record it", c.Name, profile)
			}
			got, runErr := harness.RunCase(context.Background(), rn, c, opt)
			d := conformance.DiffCase(want, got)
			switch {
			case d == "" && runErr == nil:
				if c.Divergence != "" {
					t.Logf("documented divergence now matches: %s", c.Divergence)
				}
			case c.Divergence != "":
				t.Skipf("documented divergence: %s", c.Divergence)
			default:
				if runErr != nil {
					t.Errorf("run failed: %v", runErr)
				}
				if d != "" {
					t.Errorf("phpsock differs from PHP (-php +phpsock):\n%s", d)
				}
			}
		})
	}
}

// TestLive re-records every committed case with real PHP and fails on any
// drift from the committed recording. It runs only with PHPSOCK_LIVE=1;
// PHPSOCK_PHP names the php binary (default: php from PATH).
func TestLive(t *testing.T) {
	if os.Getenv("PHPSOCK_LIVE") != "1" {
		t.Skip("skipped: TestLive re-records every case with real PHP; set PHPSOCK_LIVE=1 to run it " +
			"(PHPSOCK_PHP names the php binary, default php from PATH)")
	}
	php := os.Getenv("PHPSOCK_PHP")
	if php == "" {
		php = "php"
	}
	path, err := exec.LookPath(php)
	if err != nil {
		t.Fatalf("PHPSOCK_LIVE=1 but no php: %v", err)
	}
	cases, want := committed(t)
	r := &phprunner.Runner{PHP: path}
	info, err := r.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Profile() != want.Profile {
		t.Logf("note: this PHP's profile is %s, the recording's %s", info.Profile(), want.Profile)
	}
	got, refused := harness.Record(context.Background(), r, cases, &harness.Options{Jobs: 4})
	for _, ref := range refused {
		t.Errorf("refused %s: %s", ref.Name, ref.Reason)
	}
	refusedNames := map[string]bool{}
	for _, ref := range refused {
		refusedNames[ref.Name] = true
	}
	for _, c := range cases {
		w, inWant := want.Cases[c.Name]
		g, inGot := got.Cases[c.Name]
		switch {
		case !inGot:
			if !refusedNames[c.Name] {
				t.Errorf("%s: not recorded", c.Name)
			}
		case !inWant:
			t.Errorf("%s: not in the committed recording %s.json (re-record it)", c.Name, profile)
		default:
			if d := conformance.DiffCase(w, g); d != "" {
				t.Errorf("drift in %s (-committed +live):\n%s", c.Name, d)
			}
		}
	}
	for _, name := range want.Order {
		if _, ok := got.Cases[name]; !ok && !refusedNames[name] {
			t.Errorf("%s: in the committed recording but in no case file", name)
		}
	}
}
