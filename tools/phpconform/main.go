// Command phpconform records and replays phpsock's conformance cases
// (conformance/CONFORMANCE.md).
//
// Usage:
//
//	phpconform record -php PATH -cases DIR|FILE -out FILE [-profile NAME]
//	phpconform replay -cases DIR|FILE -out FILE [-profile NAME] [-recording FILE]
//	phpconform diff A B
//	phpconform check [-cases DIR|FILE] [-recording FILE] [-profile NAME]
//	phpconform report [-cases DIR|FILE] [-recording FILE] [-profile NAME] [-out FILE]
//
// Every verb takes -run REGEXP (only the cases whose names match) and
// -j N (how many cases run at once; for replay, check and report by default
// as many as the CPUs and the open-file limit allow, at most 64; for record
// 1); record, replay, check and report take -certs DIR (the certificate
// folder). When standard error is a terminal, replay, check and report show
// there how many cases have run, on one line that is cleared at the end.
//
// record runs the cases with real PHP, twice (the second pass with
// max(2, N) cases at once), and writes the cases whose two runs agree;
// a refused case is reported on standard error and makes the exit status 1.
// replay runs them through phpsock (package compat) instead. diff compares
// two recordings case by case. check replays the cases and compares them
// with the committed recording, printing "N/M cases match"; documented
// divergences are listed apart and not counted. report writes a Markdown
// matrix of case groups (the part of a name before its first "/") by
// result.
//
// A case that does not load (a malformed field, a call outside the
// contract's function list) is that case's error, reported by every verb
// (record refuses it, replay writes it as failed, check and report count
// it as not matching, with its message), while the other cases run. A
// case past the contract's 20 s limit is stopped, its streams and fixtures
// closed, and reported as failed the same way.
//
// Without -cases, -recording and -certs, the files in conformance/ are used
// when the command runs from the repository root, and otherwise the copies
// embedded in the binary, so check works with no files on disk. The exit
// status is 0 on success, 1 on a failure or mismatch, and 2 on bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/gorunner"
	"github.com/phpsock/phpsock/conformance/harness"
	"github.com/phpsock/phpsock/conformance/phprunner"
)

// Defaults, relative to the repository root.
const (
	defaultCases    = "conformance/cases"
	defaultRecorded = "conformance/recorded"
	defaultCerts    = "conformance/testdata/certs"
	defaultProfile  = "php-8.2-linux"
	recorderName    = "phpsock phpconform (contract v1)"
	replayerName    = "phpsock phpconform replay (compat)"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	harness.RemoveEmbeddedCerts()
	os.Exit(code)
}

// errUsage marks a usage error (exit status 2); the message has been printed.
var errUsage = errors.New("usage")

// errFailed marks a failure already reported (exit status 1).
var errFailed = errors.New("failed")

const usage = `usage:
  phpconform record -php PATH -cases DIR|FILE -out FILE [-profile NAME]
  phpconform replay -cases DIR|FILE -out FILE [-profile NAME] [-recording FILE]
  phpconform diff A B
  phpconform check [-cases DIR|FILE] [-recording FILE] [-profile NAME]
  phpconform report [-cases DIR|FILE] [-recording FILE] [-profile NAME] [-out FILE]
every verb: -run REGEXP, -j N; record, replay, check, report: -certs DIR
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	c := &cli{ctx: ctx, verb: args[0], stdout: stdout, stderr: stderr}
	var err error
	switch args[0] {
	case "record":
		err = c.record(args[1:])
	case "replay":
		err = c.replay(args[1:])
	case "diff":
		err = c.diff(args[1:])
	case "check":
		err = c.check(args[1:])
	case "report":
		err = c.report(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "phpconform: unknown verb %q\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errFailed):
		return 1
	}
	fmt.Fprintf(stderr, "phpconform %s: %v\n", args[0], err)
	return 1
}

type cli struct {
	ctx            context.Context
	verb           string
	stdout, stderr io.Writer

	// common flags
	run   string
	jobs  int
	cases string
	rec   string
	prof  string
	certs string
	out   string
	php   string
}

// flags returns the verb's flag set with the flags it takes.
func (c *cli) flags(verb string, defJobs int, names ...string) *flag.FlagSet {
	fs := flag.NewFlagSet("phpconform "+verb, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&c.run, "run", "", "only the cases whose names match `REGEXP`")
	fs.IntVar(&c.jobs, "j", defJobs, "run `N` cases at once")
	for _, n := range names {
		switch n {
		case "cases":
			fs.StringVar(&c.cases, "cases", "", "case file or folder of case files (default "+defaultCases+" or the embedded cases)")
		case "recording":
			fs.StringVar(&c.rec, "recording", "", "the committed recording (default "+defaultRecorded+"/PROFILE.json or the embedded one)")
		case "profile":
			fs.StringVar(&c.prof, "profile", "", "profile `NAME`")
		case "certs":
			fs.StringVar(&c.certs, "certs", "", "certificate folder (default "+defaultCerts+" or the embedded certificates)")
		case "out":
			fs.StringVar(&c.out, "out", "", "output `FILE`")
		case "php":
			fs.StringVar(&c.php, "php", "php", "php binary or wrapper `PATH`")
		}
	}
	return fs
}

func (c *cli) parse(fs *flag.FlagSet, args []string, positional int) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		return nil, errUsage
	}
	if fs.NArg() != positional {
		if positional == 0 {
			fmt.Fprintf(c.stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		} else {
			fmt.Fprintf(c.stderr, "%s: takes %d arguments\n", fs.Name(), positional)
		}
		return nil, errUsage
	}
	if c.jobs < 1 {
		fmt.Fprintf(c.stderr, "%s: -j must be at least 1\n", fs.Name())
		return nil, errUsage
	}
	if _, err := regexp.Compile(c.run); err != nil {
		fmt.Fprintf(c.stderr, "%s: -run: %v\n", fs.Name(), err)
		return nil, errUsage
	}
	return fs.Args(), nil
}

func (c *cli) matcher() *regexp.Regexp {
	return regexp.MustCompile(c.run) // checked by parse
}

// Bounds of the default -j of the verbs that replay. A replayed case
// spends most of its time waiting on its loopback fixtures (sleeps, read
// timeouts), not on a CPU, so many run at once; measured on 2 cores, the 936
// cases take 56 s at -j 2, 8.3 s at -j 16, 5.0 s at -j 32 and 4.1 s at
// -j 64, the length of the longest cases, with no gain beyond. What limits
// -j is timing: at -j 256 on 2 cores (-j 128 on 1) the start-up burst
// delays fixtures enough that a few timing cases differ, while 32 cases a
// core always matched. Each running case holds about 6 descriptors
// (fixture sockets and reserved ports, client sockets), 16 counted with
// margin.
const (
	maxJobs     = 64
	jobsPerCPU  = 32
	fdsPerCase  = 16
	fdsReserved = 64 // the process's own: standard files, certificates, the runtime's
)

// defaultJobs is the default -j of replay, check and report: as many cases
// at once as the CPUs and the open-file limit allow, at most maxJobs.
func defaultJobs() int { return jobsFor(runtime.NumCPU(), openFileLimit()) }

// jobsFor is defaultJobs for cpus CPUs and an open-file limit of fdLimit
// (0: unknown or unlimited).
func jobsFor(cpus, fdLimit int) int {
	n := min(maxJobs, jobsPerCPU*cpus)
	if fdLimit > 0 {
		n = min(n, (fdLimit-fdsReserved)/fdsPerCase)
	}
	return max(n, 1)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// loadCases loads the cases (see the package comment for the defaults)
// and keeps those -run selects.
func (c *cli) loadCases() ([]*conformance.Case, error) {
	var all []*conformance.Case
	var err error
	switch {
	case c.cases != "":
		all, err = conformance.Load(c.cases)
	case exists(defaultCases):
		all, err = conformance.Load(defaultCases)
	default:
		all, err = conformance.LoadFS(conformance.Files, conformance.CasesDir)
	}
	if err != nil {
		return nil, err
	}
	re := c.matcher()
	var out []*conformance.Case
	for _, cs := range all {
		if re.MatchString(cs.Name) {
			out = append(out, cs)
		}
	}
	return out, nil
}

func (c *cli) profile() string {
	if c.prof != "" {
		return c.prof
	}
	return defaultProfile
}

// loadRecording reads the committed recording of the profile.
func (c *cli) loadRecording() (*conformance.Recording, string, error) {
	if c.rec != "" {
		rec, err := conformance.ReadRecording(c.rec)
		return rec, c.rec, err
	}
	name := c.profile() + ".json"
	if p := filepath.Join(defaultRecorded, name); exists(p) {
		rec, err := conformance.ReadRecording(p)
		return rec, p, err
	}
	p := conformance.RecordedDir + "/" + name
	data, err := conformance.Files.ReadFile(p)
	if err != nil {
		return nil, "", fmt.Errorf("no recording for profile %s (%v)", c.profile(), err)
	}
	rec, err := conformance.ParseRecording(data)
	if err != nil {
		return nil, "", fmt.Errorf("embedded %s: %v", p, err)
	}
	return rec, "embedded " + p, nil
}

func (c *cli) options() *harness.Options {
	certs := c.certs
	if certs == "" && exists(defaultCerts) {
		certs = defaultCerts
	}
	if certs != "" {
		if abs, err := filepath.Abs(certs); err == nil {
			certs = abs
		}
	}
	return &harness.Options{Certs: certs, Jobs: c.jobs, Log: c.stderr, Limit: caseLimit}
}

// caseLimit is the time limit of one run of a case; 0 is the contract's
// (harness.DefaultLimit). Tests shorten it.
var caseLimit time.Duration

func (c *cli) record(args []string) error {
	fs := c.flags("record", 1, "php", "cases", "out", "profile", "certs")
	if _, err := c.parse(fs, args, 0); err != nil {
		return err
	}
	if c.out == "" {
		fmt.Fprintln(c.stderr, "phpconform record: -out is required")
		return errUsage
	}
	cases, err := c.loadCases()
	if err != nil {
		return err
	}
	r := &phprunner.Runner{PHP: c.php}
	info, err := r.Info(c.ctx)
	if err != nil {
		return err
	}
	rec, refused := harness.Record(c.ctx, r, cases, c.options())
	if err := c.ctx.Err(); err != nil {
		return fmt.Errorf("interrupted; %s not written", c.out)
	}
	rec.Profile = info.Profile()
	if c.prof != "" {
		rec.Profile = c.prof
	}
	rec.PHPVersion, rec.OpenSSLVersion, rec.OS = info.Version, info.OpenSSLVersion, info.OS
	rec.RecordedAt = time.Now().UTC().Format(time.RFC3339)
	rec.Recorder = recorderName
	if err := rec.WriteFile(c.out); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "recorded %d of %d cases to %s\n", len(rec.Order), len(cases), c.out)
	if len(refused) > 0 {
		fmt.Fprintf(c.stderr, "%d cases refused\n", len(refused))
		return errFailed
	}
	return nil
}

// replayAll replays the cases and fills the header from the committed
// recording of the profile when there is one.
func (c *cli) replayAll(cases []*conformance.Case, committed *conformance.Recording) *conformance.Recording {
	opt := c.options()
	if p := newProgress(c.stderr, c.verb, len(cases)); p != nil {
		opt.Log, opt.Done = p, p.caseDone
		defer p.close()
	}
	rec, _ := harness.Replay(c.ctx, gorunner.Runner{}, cases, opt)
	rec.Profile = c.profile()
	if committed != nil {
		if c.prof == "" && committed.Profile != "" {
			rec.Profile = committed.Profile
		}
		rec.PHPVersion, rec.OpenSSLVersion, rec.OS = committed.PHPVersion, committed.OpenSSLVersion, committed.OS
	}
	rec.RecordedAt = time.Now().UTC().Format(time.RFC3339)
	rec.Recorder = replayerName
	return rec
}

func (c *cli) replay(args []string) error {
	fs := c.flags("replay", defaultJobs(), "cases", "out", "profile", "recording", "certs")
	if _, err := c.parse(fs, args, 0); err != nil {
		return err
	}
	if c.out == "" {
		fmt.Fprintln(c.stderr, "phpconform replay: -out is required")
		return errUsage
	}
	cases, err := c.loadCases()
	if err != nil {
		return err
	}
	committed, _, err := c.loadRecording()
	if err != nil && c.rec != "" {
		return err
	}
	rec := c.replayAll(cases, committed)
	if err := c.ctx.Err(); err != nil {
		return fmt.Errorf("interrupted; %s not written", c.out)
	}
	if err := rec.WriteFile(c.out); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "replayed %d cases to %s\n", len(rec.Order), c.out)
	return nil
}

func (c *cli) diff(args []string) error {
	fs := c.flags("diff", 1)
	files, err := c.parse(fs, args, 2)
	if err != nil {
		return err
	}
	a, err := conformance.ReadRecording(files[0])
	if err != nil {
		return err
	}
	b, err := conformance.ReadRecording(files[1])
	if err != nil {
		return err
	}
	re := c.matcher()
	filter(a, re)
	filter(b, re)
	diffs := conformance.Diff(a, b)
	for _, d := range diffs {
		fmt.Fprintf(c.stdout, "--- %s (-%s +%s)\n%s\n", d.Name, files[0], files[1], strings.TrimRight(d.Diff, "\n"))
	}
	if len(diffs) > 0 {
		fmt.Fprintf(c.stdout, "%d cases differ\n", len(diffs))
		return errFailed
	}
	fmt.Fprintf(c.stdout, "no differences in %d cases\n", len(a.Cases))
	return nil
}

// filter keeps the cases of rec that re matches.
func filter(rec *conformance.Recording, re *regexp.Regexp) {
	for name := range rec.Cases {
		if !re.MatchString(name) {
			delete(rec.Cases, name)
		}
	}
}

// outcome is the comparison of a replay with the committed recording.
type outcome struct {
	cases     []*conformance.Case
	committed *conformance.Recording
	source    string
	replayed  *conformance.Recording
	diffs     map[string]string // by case name; "" for a match
	errs      map[string]string // by case name: cases that did not load
	stale     []string          // recorded cases with no case
}

func (o *outcome) counts() (match, total int) {
	for _, cs := range o.cases {
		if cs.Divergence != "" {
			continue
		}
		total++
		if o.diffs[cs.Name] == "" {
			match++
		}
	}
	return match, total
}

func (c *cli) compare() (*outcome, error) {
	cases, err := c.loadCases()
	if err != nil {
		return nil, err
	}
	committed, source, err := c.loadRecording()
	if err != nil {
		return nil, err
	}
	o := &outcome{cases: cases, committed: committed, source: source, diffs: map[string]string{}, errs: map[string]string{}}
	o.replayed = c.replayAll(cases, committed)
	if err := c.ctx.Err(); err != nil {
		return nil, errors.New("interrupted")
	}
	names := map[string]bool{}
	for _, cs := range cases {
		names[cs.Name] = true
		if cs.Err != nil {
			o.errs[cs.Name] = cs.Err.Error()
			o.diffs[cs.Name] = "case error: " + cs.Err.Error()
			continue
		}
		want, ok := committed.Cases[cs.Name]
		if !ok {
			o.diffs[cs.Name] = "not in the recording " + source + " (record it)"
			continue
		}
		o.diffs[cs.Name] = conformance.DiffCase(want, o.replayed.Cases[cs.Name])
	}
	re := c.matcher()
	for _, name := range committed.Order {
		if !names[name] && re.MatchString(name) {
			o.stale = append(o.stale, name)
		}
	}
	return o, nil
}

func (c *cli) check(args []string) error {
	fs := c.flags("check", defaultJobs(), "cases", "recording", "profile", "certs")
	if _, err := c.parse(fs, args, 0); err != nil {
		return err
	}
	o, err := c.compare()
	if err != nil {
		return err
	}
	w := c.stdout
	var divergent []*conformance.Case
	for _, cs := range o.cases {
		if cs.Divergence != "" {
			divergent = append(divergent, cs)
			continue
		}
		if e := o.errs[cs.Name]; e != "" {
			fmt.Fprintf(w, "--- CASE ERROR %s: %s\n", cs.Name, e)
			continue
		}
		if d := o.diffs[cs.Name]; d != "" {
			fmt.Fprintf(w, "--- MISMATCH %s (-php +phpsock)\n%s\n", cs.Name, strings.TrimRight(d, "\n"))
		}
	}
	for _, name := range o.stale {
		fmt.Fprintf(w, "--- STALE %s: in the recording %s but in no case file\n", name, o.source)
	}
	if len(divergent) > 0 {
		fmt.Fprintf(w, "\nDocumented divergences (not counted as matches):\n")
		for _, cs := range divergent {
			state := "differs"
			if o.diffs[cs.Name] == "" {
				state = "matches"
			}
			fmt.Fprintf(w, "  %s (%s): %s\n", cs.Name, state, cs.Divergence)
		}
	}
	match, total := o.counts()
	fmt.Fprintf(w, "\n%d/%d cases match", match, total)
	if len(divergent) > 0 {
		fmt.Fprintf(w, " (%d documented divergences apart)", len(divergent))
	}
	fmt.Fprintln(w)
	if match != total || len(o.stale) > 0 {
		return errFailed
	}
	return nil
}

func (c *cli) report(args []string) error {
	fs := c.flags("report", defaultJobs(), "cases", "recording", "profile", "certs", "out")
	if _, err := c.parse(fs, args, 0); err != nil {
		return err
	}
	o, err := c.compare()
	if err != nil {
		return err
	}
	text := markdown(o)
	if c.out == "" {
		_, err := io.WriteString(c.stdout, text)
		return err
	}
	return os.WriteFile(c.out, []byte(text), 0o644)
}

// group is the part of a case name before its first "/".
func group(name string) string {
	g, _, _ := strings.Cut(name, "/")
	return g
}

type groupCount struct{ cases, match, mismatch, divergence int }

// markdown renders the report of a comparison.
func markdown(o *outcome) string {
	var b strings.Builder
	rec := o.committed
	fmt.Fprintf(&b, "# phpsock conformance: %s\n\n", o.replayed.Profile)
	match, total := o.counts()
	fmt.Fprintf(&b, "%d/%d cases match the recording of PHP %s (%s, %s).\n\n", match, total, rec.PHPVersion, rec.OpenSSLVersion, rec.OS)
	counts := map[string]*groupCount{}
	var groups []string
	var sum groupCount
	for _, cs := range o.cases {
		g := group(cs.Name)
		gc := counts[g]
		if gc == nil {
			gc = &groupCount{}
			counts[g] = gc
			groups = append(groups, g)
		}
		for _, x := range []*groupCount{gc, &sum} {
			x.cases++
			switch {
			case cs.Divergence != "":
				x.divergence++
			case o.diffs[cs.Name] == "":
				x.match++
			default:
				x.mismatch++
			}
		}
	}
	sort.Strings(groups)
	b.WriteString("| Group | Cases | Match | Mismatch | Divergence |\n|---|---:|---:|---:|---:|\n")
	for _, g := range groups {
		gc := counts[g]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", mdEscape(g), gc.cases, gc.match, gc.mismatch, gc.divergence)
	}
	fmt.Fprintf(&b, "| **Total** | %d | %d | %d | %d |\n", sum.cases, sum.match, sum.mismatch, sum.divergence)

	b.WriteString("\n## Divergences\n\n")
	n := 0
	for _, cs := range o.cases {
		if cs.Divergence == "" {
			continue
		}
		n++
		state := "differs"
		if o.diffs[cs.Name] == "" {
			state = "matches"
		}
		fmt.Fprintf(&b, "- `%s` (%s): %s\n", cs.Name, state, mdEscape(cs.Divergence))
	}
	if n == 0 {
		b.WriteString("None.\n")
	}
	b.WriteString("\n## Mismatches\n\n")
	n = 0
	for _, cs := range o.cases {
		if cs.Divergence == "" && o.diffs[cs.Name] != "" {
			n++
			if e := o.errs[cs.Name]; e != "" {
				fmt.Fprintf(&b, "- `%s` (case error: %s)\n", cs.Name, mdEscape(e))
				continue
			}
			fmt.Fprintf(&b, "- `%s`\n", cs.Name)
		}
	}
	if n == 0 {
		b.WriteString("None.\n")
	}
	return b.String()
}

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
