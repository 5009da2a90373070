package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckHangAndCaseError runs check on a case file holding a case whose
// step blocks for an hour, a case that does not load (a call outside the
// contract's list) and a case that matches: the check ends at about the
// time limit, reports the first two as not matching, each with its reason,
// counts the third, and exits 1. report lists them too.
func TestCheckHangAndCaseError(t *testing.T) {
	dir := t.TempDir()
	cases := filepath.Join(dir, "cases.json")
	if err := os.WriteFile(cases, []byte(`[
	{"name": "t/hang", "steps": [
		{"call": "stream_socket_pair", "args": [1, 1, 0], "as": "p"},
		{"call": "stream_set_timeout", "args": [{"var": "p", "at": [0]}, 3600]},
		{"call": "fread", "args": [{"var": "p", "at": [0]}, 10]}]},
	{"name": "t/bad", "steps": [{"call": "shell_exec", "args": ["id"]}]},
	{"name": "t/ok", "steps": [
		{"call": "stream_socket_pair", "args": [1, 1, 0], "as": "p"},
		{"call": "fwrite", "args": [{"var": "p", "at": [1]}, "hello"]},
		{"call": "fread", "args": [{"var": "p", "at": [0]}, 10]}]}
	]`), 0o644); err != nil {
		t.Fatal(err)
	}
	pair := `{"ret":{"type":"array","value":[[0,{"type":"resource","value":"stream"}],[1,{"type":"resource","value":"stream"}]]}}`
	rec := filepath.Join(dir, "rec.json")
	if err := os.WriteFile(rec, []byte(`{"profile": "php-8.2-linux", "php_version": "8.2", "openssl_version": "", "os": "Linux",
	 "recorded_at": "", "recorder": "", "cases": {
	 "t/hang": {"steps": [`+pair+`, {"ret":{"type":"bool","value":true}}, {"ret":{"type":"string","value":""}}]},
	 "t/bad": {"steps": [{"ret":{"type":"string","value":"uid=0"}}]},
	 "t/ok": {"steps": [`+pair+`, {"ret":{"type":"int","value":5}}, {"ret":{"type":"string","value":"hello"}}]}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(l time.Duration) { caseLimit = l }(caseLimit)
	caseLimit = 500 * time.Millisecond

	began := time.Now()
	code, stdout, stderr := runCLI(t, "check", "-cases", cases, "-recording", rec)
	if took := time.Since(began); took > caseLimit+3*time.Second {
		t.Errorf("check took %v with a limit of %v", took, caseLimit)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"--- MISMATCH t/hang", "time limit exceeded", "--- CASE ERROR t/bad:", `unknown call "shell_exec"`,
		cases, "1/3 cases match"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "MISMATCH t/ok") {
		t.Errorf("t/ok differs:\n%s", stdout)
	}
	if !strings.Contains(stderr, "failed t/hang") || !strings.Contains(stderr, "failed t/bad") {
		t.Errorf("stderr does not report the failures:\n%s", stderr)
	}

	code, stdout, _ = runCLI(t, "report", "-cases", cases, "-recording", rec)
	if code != 0 || !strings.Contains(stdout, "1/3 cases match") || !strings.Contains(stdout, "- `t/hang`") ||
		!strings.Contains(stdout, "- `t/bad` (case error: ") {
		t.Errorf("report: exit %d\n%s", code, stdout)
	}

	out := filepath.Join(dir, "replayed.json")
	code, _, stderr = runCLI(t, "replay", "-cases", cases, "-out", out)
	data, _ := os.ReadFile(out)
	if code != 0 || !strings.Contains(string(data), `unknown call \"shell_exec\"`) || !strings.Contains(string(data), "time limit exceeded") ||
		!strings.Contains(stderr, "failed t/bad") {
		t.Errorf("replay: exit %d, stderr %s\n%s", code, stderr, data)
	}
}

// TestRecordHangAndCaseError records the same kind of file with real PHP:
// the hanging case and the case that does not load are refused (exit 1),
// each with its reason, and the good case is recorded.
func TestRecordHangAndCaseError(t *testing.T) {
	php, err := exec.LookPath("php")
	if err != nil {
		t.Skip("no php")
	}
	dir := t.TempDir()
	cases := filepath.Join(dir, "cases.json")
	if err := os.WriteFile(cases, []byte(`[
	{"name": "t/hang", "steps": [
		{"call": "stream_socket_pair", "args": [1, 1, 0], "as": "p"},
		{"call": "stream_set_timeout", "args": [{"var": "p", "at": [0]}, 3600]},
		{"call": "fread", "args": [{"var": "p", "at": [0]}, 10]}]},
	{"name": "t/bad", "servers": {"s": {"kind": "tcp", "script": [{"juggle": true}]}}, "steps": []},
	{"name": "t/ok", "steps": [{"call": "stream_socket_pair", "args": [1, 1, 0]}]}
	]`), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(l time.Duration) { caseLimit = l }(caseLimit)
	caseLimit = 500 * time.Millisecond
	out := filepath.Join(dir, "rec.json")
	began := time.Now()
	code, _, stderr := runCLI(t, "record", "-php", php, "-cases", cases, "-out", out)
	if took := time.Since(began); took > 2*caseLimit+5*time.Second {
		t.Errorf("record took %v with a limit of %v", took, caseLimit)
	}
	if code != 1 || !strings.Contains(stderr, "refused t/hang") || !strings.Contains(stderr, "refused t/bad") ||
		!strings.Contains(stderr, `unknown script action "juggle"`) || !strings.Contains(stderr, "recorded 1 of 3 cases") {
		t.Errorf("record: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), `"t/ok"`) || strings.Contains(string(data), `"t/hang"`) {
		t.Errorf("recording: %v\n%s", err, data)
	}
}
