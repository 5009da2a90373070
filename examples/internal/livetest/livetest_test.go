package livetest

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/phpsock/phpsock/compat"
)

// reprScript prints, through transcript.php, the values TestReprAgainstPHP
// prints through Transcript, and raises a warning and an exception.
const reprScript = `<?php
require $argv[1];
out('null', null);
out('true', true);
out('false', false);
foreach ([0, -1, PHP_INT_MAX, PHP_INT_MIN] as $i) { out('int', $i); }
foreach ([1.0, 0.1, -0.0, 1e25, 1e15, 1.5e-7, 123456789.125, INF, -INF, NAN] as $f) { out('float', $f); }
foreach (['', 'plain', "q\"b\\s'", "\r\n\t\0\x07\x0b\x08\x0c\x1b\x7f\x80\xff", "caf\xc3\xa9"] as $s) { out('string', $s); }
out('array', []);
out('array', [1, 'x', [true]]);
out('array', ['a' => 1, 5 => null, '7' => 2.5]);
$fp = fopen('php://memory', 'r+');
out('resource', $fp);
fclose($fp);
out('closed', $fp);
out('context', stream_context_create());
out('fopen', fopen($argv[2], 'r'));
try {
    stream_set_chunk_size(fopen('php://memory', 'r'), 0);
} catch (\Throwable $e) {
    out('exception', $e);
}
`

func TestReprAgainstPHP(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "repr.php")
	if err := os.WriteFile(script, []byte(reprScript), 0o644); err != nil {
		t.Fatal(err)
	}
	include, err := filepath.Abs("transcript.php")
	if err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	php := RunPHP(t, script, include, missing)

	var tr Transcript
	rt := compat.NewRuntime()
	rt.SetDiagnostics(tr.Diagnostics())
	must := func(r *compat.Resource, err error) *compat.Resource {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	tr.Out("null", nil)
	tr.Out("true", true)
	tr.Out("false", false)
	for _, i := range []int64{0, -1, math.MaxInt64, math.MinInt64} {
		tr.Out("int", i)
	}
	for _, f := range []float64{1.0, 0.1, math.Copysign(0, -1), 1e25, 1e15, 1.5e-7, 123456789.125, math.Inf(1), math.Inf(-1), math.NaN()} {
		tr.Out("float", f)
	}
	for _, s := range []string{"", "plain", "q\"b\\s'", "\r\n\t\x00\x07\x0b\x08\x0c\x1b\x7f\x80\xff", "caf\xc3\xa9"} {
		tr.Out("string", s)
	}
	tr.Out("array", compat.NewArray())
	tr.Out("array", compat.NewList(int64(1), "x", compat.NewList(true)))
	a := compat.NewArray()
	a.Set("a", int64(1))
	a.Set(int64(5), nil)
	a.Set("7", 2.5)
	tr.Out("array", a)
	fp := must(rt.Fopen("php://memory", "r+", false, nil))
	tr.Out("resource", fp)
	if _, err := rt.Fclose(fp); err != nil {
		t.Fatal(err)
	}
	tr.Out("closed", fp)
	tr.Out("context", must(rt.StreamContextCreate(nil, nil)))
	tr.Out("fopen", must(rt.Fopen(missing, "r", false, nil)))
	_, err = rt.StreamSetChunkSize(must(rt.Fopen("php://memory", "r", false, nil)), 0)
	tr.Out("exception", err)

	Compare(t, php, tr.String())
}

// TestCompareMasks: a mask makes differing parts equal; an unmasked
// difference fails.
func TestCompareMasks(t *testing.T) {
	mask := Mask{Re: regexp.MustCompile(`id [0-9A-F]+`), With: "id X"}
	Compare(t, "queued as id 4F2A\n", "queued as id 99\n", mask)
	ft := &fakeT{TB: t}
	Compare(ft, "a\nb\n", "a\nc\n")
	if !ft.failed {
		t.Error("Compare accepted differing transcripts")
	}
}

type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Errorf(string, ...any) { f.failed = true }
func (f *fakeT) Helper()               {}

// TestNeedSkips: a missing binary skips with the package's name.
func TestNeedSkips(t *testing.T) {
	ft := &skipT{TB: t}
	func() {
		defer func() { _ = recover() }() // skipT.Skipf stops like t.Skipf
		Need(ft, "phpsock-no-such-binary", "phpsock-pkg")
	}()
	want := "needs phpsock-no-such-binary (Debian package phpsock-pkg); .ci/run installs it"
	if ft.skipped != want {
		t.Errorf("Need skipped with %q, want %q", ft.skipped, want)
	}
	if p := Need(t, "sh", "dash"); !filepath.IsAbs(p) {
		t.Errorf("Need(sh) = %q, want an absolute path", p)
	}
}

type skipT struct {
	testing.TB
	skipped string
}

func (s *skipT) Skipf(format string, args ...any) {
	s.skipped = fmt.Sprintf(format, args...)
	panic("skipped")
}
func (s *skipT) Helper() {}
