package conformance_test

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/gorunner"
	"github.com/phpsock/phpsock/conformance/harness"
	"github.com/phpsock/phpsock/conformance/phprunner"
)

// profile is the recording the tests compare with.
const profile = "php-8.2-linux"

func TestMain(m *testing.M) {
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
	cases, rec := committed(t)
	opt := &harness.Options{}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			want, ok := rec.Cases[c.Name]
			if !ok {
				t.Fatalf("%s is not in the recording %s.json: record it", c.Name, profile)
			}
			got, runErr := harness.RunCase(context.Background(), gorunner.Runner{}, c, opt)
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
