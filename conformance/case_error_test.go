package conformance

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCaseErrors checks that a bad case is that case's error, with a
// message naming the file, the case and the field, while the good cases
// around it in the same file (and other files) still load.
func TestCaseErrors(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		caseName   string
		field      string
		msgContain string
	}{
		{"unknown call", `{"name": "g/a", "steps": [{"call": "exec", "args": ["ls"]}]}`,
			"g/a", "steps[0]", `unknown call "exec"`},
		{"unknown call system", `{"name": "g/a2", "steps": [{"note": "x"}, {"call": "system", "args": ["id"]}]}`,
			"g/a2", "steps[1]", `unknown call "system"`},
		{"ini_set of a refused setting", `{"name": "g/i", "steps": [{"call": "ini_set", "args": ["error_log", "/tmp/x"]}]}`,
			"g/i", "steps[0]", "ini_set takes a literal setting name"},
		{"ini_set of a computed setting", `{"name": "g/i2", "steps": [{"call": "ini_set", "args": [{"var": "n"}, "1"]}]}`,
			"g/i2", "steps[0]", "ini_set takes a literal setting name"},
		{"unknown server action", `{"name": "g/b", "servers": {"s": {"kind": "tcp", "script": [{"dance": true}]}}, "steps": []}`,
			"g/b", "servers.s", `unknown script action "dance"`},
		{"unknown placeholder", `{"name": "g/c", "steps": [{"call": "fsockopen", "args": ["{nope.host}", 1]}]}`,
			"g/c", "steps[0]", `{nope.host}`},
		{"unknown placeholder name", `{"name": "g/c2", "steps": [{"call": "fsockopen", "args": ["{home}", 1]}]}`,
			"g/c2", "steps[0]", `unknown placeholder {home}`},
		{"unknown port alias", `{"name": "g/d", "steps": [{"call": "fsockopen", "args": ["localhost", {"port": "x"}]}]}`,
			"g/d", "steps[0]", `unknown alias`},
		{"bad variable", `{"name": "g/f", "steps": [{"call": "fread", "args": [{"var": "a;b"}, 1]}]}`,
			"g/f", "steps[0]", `"var"`},
		{"reserved variable", `{"name": "g/g", "steps": [{"show": "__w"}]}`,
			"g/g", "steps[0]", "show"},
		{"bad constant", `{"name": "g/h", "steps": [{"call": "constant", "args": [{"const": "A B"}]}]}`,
			"g/h", "steps[0]", `"const"`},
		{"context beside args", `{"name": "g/i", "steps": [{"call": "stream_socket_client", "args": ["tcp://x:1", 1, 4, null], "context": {}}]}`,
			"g/i", "steps[0]", "context"},
		{"unknown case key", `{"name": "g/j", "steps": [], "colour": "red"}`,
			"g/j", "colour", "unknown case key"},
		{"bad step key", `{"name": "g/k", "steps": [{"call": "fread", "args": [1], "pick": ["a"], "colour": 1}]}`,
			"g/k", "steps[0]", "colour: unknown step key"},
		{"missing name", `{"steps": []}`,
			"#1", "name", "missing or not a string"},
		{"not an object", `[1, 2]`,
			"#1", "", "a case is a JSON object"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
			// The bad case sits between two good ones.
			text := `[{"name": "ok/before", "steps": [{"note": "a"}]}, ` + tt.text +
				`, {"name": "ok/after", "steps": [{"call": "stream_get_transports"}]}]`
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			cases, err := Load(file)
			if err != nil {
				t.Fatalf("the file failed to load: %v", err)
			}
			if len(cases) != 3 || cases[0].Name != "ok/before" || cases[2].Name != "ok/after" {
				t.Fatalf("loaded %d cases %v, want the bad one between ok/before and ok/after", len(cases), names(cases))
			}
			if cases[0].Err != nil || cases[2].Err != nil || len(cases[2].Steps) != 1 {
				t.Fatalf("good cases: %v, %v", cases[0].Err, cases[2].Err)
			}
			bad := cases[1]
			err = bad.Err
			if err == nil {
				t.Fatal("the bad case loaded without error")
			}
			if Errors(cases) != err && !strings.Contains(Errors(cases).Error(), err.Error()) {
				t.Errorf("Errors(cases) = %v, want the bad case's error", Errors(cases))
			}
			var ce *CaseError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *CaseError", err)
			}
			if ce.File != file || ce.Case != tt.caseName || ce.Field != tt.field {
				t.Errorf("error names file %q case %q field %q, want %q %q %q", ce.File, ce.Case, ce.Field, file, tt.caseName, tt.field)
			}
			wantName := tt.caseName
			if strings.HasPrefix(wantName, "#") {
				wantName = filepath.Base(file) + wantName
			}
			if bad.Name != wantName || bad.File != file || len(bad.Steps) != 0 {
				t.Errorf("bad case %q from %q with %d steps, want %q from %q and no steps", bad.Name, bad.File, len(bad.Steps), wantName, file)
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

func names(cases []*Case) []string {
	var out []string
	for _, c := range cases {
		out = append(out, c.Name)
	}
	return out
}

// TestContractFunctions checks that every function of the contract's list
// (1.1 included) loads, whether or not phpsock supports it.
func TestContractFunctions(t *testing.T) {
	for _, f := range strings.Fields(`fsockopen stream_select fopen file_get_contents file_put_contents file
		readfile fpassthru copy stream_copy_to_stream ftruncate unlink rename mkdir rmdir file_exists is_file is_dir
		filesize stream_get_wrappers stream_wrapper_register stream_wrapper_unregister stream_wrapper_restore
		in_array strlen md5 bin2hex`) {
		cases, err := Parse("t.json", []byte(`[{"name": "g/`+f+`", "steps": [{"call": "`+f+`", "args": ["x"]}]}]`))
		if err != nil || cases[0].Err != nil {
			t.Errorf("%s: %v %v", f, err, cases[0].Err)
		}
	}
}

// TestBadFile checks that a file that is not a list of cases is one failed
// case named after the file, and the other files still load.
func TestBadFile(t *testing.T) {
	dir := t.TempDir()
	for f, text := range map[string]string{"a.json": `[{"name": "g/a", "steps": []}]`, "b.json": `{"name": "g/b"}`,
		"c.json": `[{"name": "g/c", "steps": []}]`} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(cases), " "); got != "g/a b.json g/c" {
		t.Fatalf("cases %s", got)
	}
	if cases[1].Err == nil || !strings.Contains(cases[1].Err.Error(), "not a JSON array") || cases[0].Err != nil || cases[2].Err != nil {
		t.Fatalf("errors %v %v %v", cases[0].Err, cases[1].Err, cases[2].Err)
	}
}

// TestDuplicateInFile checks that two cases of one file with one name fail
// the file: recordings are keyed by name.
func TestDuplicateInFile(t *testing.T) {
	_, err := Parse("t.json", []byte(`[{"name": "g/e", "steps": []}, {"name": "g/e", "steps": []}]`))
	var ce *CaseError
	if !errors.As(err, &ce) || ce.Case != "g/e" || ce.Field != "name" || !strings.Contains(err.Error(), "duplicate name") {
		t.Fatalf("got %v, want a duplicate-name error", err)
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
