package phpstream

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestDiagnosticString checks PHP's formats of a diagnostic's text:
// php_error_docref's "fn(): msg", php_error_docref1's "fn(param): msg"
// (recorded: file/fopen-missing) and a bare text (recorded: the cafile
// stream warnings of crypto/cafile-*).
func TestDiagnosticString(t *testing.T) {
	for _, c := range []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Level: EWarning, Func: "fsockopen", Message: "Unable to connect", Prefixed: true}, "fsockopen(): Unable to connect"},
		{Diagnostic{Level: EWarning, Func: "fopen", Param: "/x", Message: "Failed to open stream: No such file or directory", Prefixed: true}, "fopen(/x): Failed to open stream: No such file or directory"},
		{Diagnostic{Level: EWarning, Message: "failed loading cafile stream: `x'"}, "failed loading cafile stream: `x'"},
		{Diagnostic{Level: ENotice, Message: "no function known yet", Prefixed: true}, "no function known yet"},
	} {
		if got := c.d.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.d, got, c.want)
		}
	}
	// PHP's E_* values (php -r 'var_dump(E_WARNING, E_NOTICE, E_DEPRECATED);').
	if EWarning != 2 || ENotice != 8 || EDeprecated != 8192 || ENotice.String() != "E_NOTICE" || Level(1).String() != "Level(1)" {
		t.Error("levels are not PHP's E_* values")
	}
}

// TestStreamDiagnostics checks that a stream's own operations report to
// the DiagnosticFunc it was opened with, and to the one SetDiagnostics
// sets: a read of a directory opened as a plain file raises PHP's notice
// (recorded: file/fopen-directory-read).
func TestStreamDiagnostics(t *testing.T) {
	var opened, later []Diagnostic
	s, err := OpenURL(t.TempDir(), "rb", OpenOptions{Diagnostics: func(d Diagnostic) { opened = append(opened, d) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Fread(10)
	if len(opened) != 1 || opened[0].Level != ENotice || !opened[0].Prefixed || opened[0].Func != "" ||
		!strings.HasPrefix(opened[0].Message, "Read of 8192 bytes failed with errno=21 ") {
		t.Fatalf("first read: %+v", opened)
	}
	s.SetDiagnostics(func(d Diagnostic) { later = append(later, d) })
	s.Fread(10)
	if len(opened) != 1 || len(later) != 1 || later[0] != opened[0] {
		t.Fatalf("after SetDiagnostics: %+v, %+v", opened, later)
	}
	s.SetDiagnostics(nil)
	s.Fread(10) // discarded
	if len(later) != 1 {
		t.Fatalf("after SetDiagnostics(nil): %+v", later)
	}
}

func TestSlogDiagnostics(t *testing.T) {
	var buf bytes.Buffer
	f := SlogDiagnostics(slog.New(slog.NewTextHandler(&buf, nil)))
	f(Diagnostic{Level: EWarning, Func: "fwrite", Message: "x", Prefixed: true})
	if out := buf.String(); !strings.Contains(out, `level=WARN msg="fwrite(): x" php_level=E_WARNING`) {
		t.Fatalf("logged %q", out)
	}
}
