package conformance

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCaseErrors checks that a bad case file fails to load with a message
// naming the file, the case and the field.
func TestCaseErrors(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		caseName   string
		field      string
		msgContain string
	}{
		{"unknown call", `[{"name": "g/a", "steps": [{"call": "exec", "args": ["ls"]}]}]`,
			"g/a", "steps[0]", `unknown call "exec"`},
		{"unknown server action", `[{"name": "g/b", "servers": {"s": {"kind": "tcp", "script": [{"dance": true}]}}, "steps": []}]`,
			"g/b", "servers.s", `unknown script action "dance"`},
		{"unknown placeholder", `[{"name": "g/c", "steps": [{"call": "fsockopen", "args": ["{nope.host}", 1]}]}]`,
			"g/c", "steps[0]", `{nope.host}`},
		{"unknown placeholder name", `[{"name": "g/c2", "steps": [{"call": "fsockopen", "args": ["{home}", 1]}]}]`,
			"g/c2", "steps[0]", `unknown placeholder {home}`},
		{"unknown port alias", `[{"name": "g/d", "steps": [{"call": "fsockopen", "args": ["localhost", {"port": "x"}]}]}]`,
			"g/d", "steps[0]", `unknown alias`},
		{"duplicate name", `[{"name": "g/e", "steps": []}, {"name": "g/e", "steps": []}]`,
			"g/e", "name", "duplicate name"},
		{"bad variable", `[{"name": "g/f", "steps": [{"call": "fread", "args": [{"var": "a;b"}, 1]}]}]`,
			"g/f", "steps[0]", `"var"`},
		{"reserved variable", `[{"name": "g/g", "steps": [{"show": "__w"}]}]`,
			"g/g", "steps[0]", "show"},
		{"bad constant", `[{"name": "g/h", "steps": [{"call": "constant", "args": [{"const": "A B"}]}]}]`,
			"g/h", "steps[0]", `"const"`},
		{"context beside args", `[{"name": "g/i", "steps": [{"call": "stream_socket_client", "args": ["tcp://x:1", 1, 4, null], "context": {}}]}]`,
			"g/i", "steps[0]", "context"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
			if err := os.WriteFile(file, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(file)
			if err == nil {
				t.Fatal("loaded without error")
			}
			var ce *CaseError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *CaseError", err)
			}
			if ce.File != file || ce.Case != tt.caseName || ce.Field != tt.field {
				t.Errorf("error names file %q case %q field %q, want %q %q %q", ce.File, ce.Case, ce.Field, file, tt.caseName, tt.field)
			}
			msg := err.Error()
			for _, want := range []string{file, tt.caseName, tt.field, tt.msgContain} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not mention %q", msg, want)
				}
			}
		})
	}
}

// TestDuplicateAcrossFiles checks that a name used in two files is refused.
func TestDuplicateAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.json", "b.json"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(`[{"name": "g/same", "steps": []}]`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "b.json") || !strings.Contains(err.Error(), "a.json") ||
		!strings.Contains(err.Error(), `"g/same"`) || !strings.Contains(err.Error(), "name") {
		t.Fatalf("got %v, want a duplicate-name error naming both files", err)
	}
}

// TestEmbedded checks that the embedded files load.
func TestEmbedded(t *testing.T) {
	cases, err := LoadFS(Files, CasesDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no embedded cases")
	}
	if _, err := Files.ReadFile(CertsDir + "/ca.pem"); err != nil {
		t.Fatal(err)
	}
}
