package conformance

import (
	"strings"
	"testing"
)

// TestWrittenPathsStayInTmp loads cases that change files and checks which
// the loader refuses: those whose changed path could leave {tmp}.
func TestWrittenPathsStayInTmp(t *testing.T) {
	for _, tt := range []struct {
		steps string
		ok    bool
	}{
		{`{"call": "unlink", "args": ["{tmp}/a"]}`, true},
		{`{"call": "unlink", "args": ["a/b"]}`, true},
		{`{"call": "unlink", "args": ["{tmp}"]}`, true},
		{`{"call": "unlink", "args": ["/etc/passwd"]}`, false},
		{`{"call": "unlink", "args": ["../x"]}`, false},
		{`{"call": "unlink", "args": ["a/../../x"]}`, false},
		{`{"call": "unlink", "args": ["{tmp}/../x"]}`, false},
		{`{"call": "unlink", "args": ["{certs}/ca.pem"]}`, false},
		{`{"call": "unlink", "args": ["file:///etc/passwd"]}`, false},
		{`{"call": "unlink", "args": ["FILE://{tmp}/a"]}`, true},
		{`{"call": "file_put_contents", "args": ["compress.zlib:///etc/x.gz", "x"]}`, false},
		{`{"call": "file_put_contents", "args": ["php://filter/write=string.rot13/resource=/etc/x", "x"]}`, false},
		{`{"call": "file_put_contents", "args": ["php://filter/write=string.rot13/resource={tmp}/x", "x"]}`, true},
		{`{"call": "file_put_contents", "args": ["php://memory", "x"]}`, true},
		{`{"call": "file_put_contents", "args": ["ftp://127.0.0.1/x", "x"]}`, true},
		{`{"call": "copy", "args": ["/etc/hostname", "{tmp}/h"]}`, true},
		{`{"call": "copy", "args": ["{tmp}/h", "/etc/hostname"]}`, false},
		{`{"call": "rename", "args": ["/etc/a", "{tmp}/b"]}`, false},
		{`{"call": "fopen", "args": ["/etc/passwd", "r"]}`, true},
		{`{"call": "fopen", "args": ["/etc/passwd", "r+"]}`, false},
		{`{"call": "fopen", "args": ["/etc/passwd", {"var": "m"}]}`, false},
		{`{"call": "mkdir", "args": [123]}`, true},
		{`{"call": "mkdir", "args": [{"var": "p"}]}`, false},
		{`{"let": "p", "value": "/tmp/x"}, {"call": "mkdir", "args": [{"var": "p"}]}`, false},
		{`{"let": "p", "value": "{tmp}/x"}, {"call": "mkdir", "args": [{"var": "p"}]}`, true},
		{`{"call": "fopen", "args": ["php://memory", "r"], "as": "p"}, {"call": "unlink", "args": [{"var": "p"}]}`, true},
		{`{"call": "stream_wrapper_unregister", "args": ["file"]}, {"call": "unlink", "args": ["/x"]}`, true},
		{`{"call": "stream_wrapper_unregister", "args": ["file"]}, {"call": "stream_wrapper_restore", "args": ["FILE"]}, {"call": "unlink", "args": ["/x"]}`, false},
		{`{"call": "chown", "args": ["/proc/version", 1]}`, false},
		{`{"call": "fread", "args": [1, 2], "as": "p"}, {"call": "unlink", "args": [{"var": "p"}]}`, false},
	} {
		data := `[{"name": "t/x", "steps": [` + tt.steps + `]}]`
		cases, err := Parse("t.json", []byte(data))
		if err == nil {
			err = Errors(cases)
		}
		if (err == nil) != tt.ok {
			t.Errorf("%s: loaded %v (%v); want %v", tt.steps, err == nil, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "{tmp}") {
			t.Errorf("%s: the error does not say why: %v", tt.steps, err)
		}
	}
}
