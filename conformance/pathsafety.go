package conformance

import (
	"fmt"
	"path"
	"strings"
)

// This file keeps what a case may change on the recorder's file system
// inside its own folder: the file functions that create, change or remove
// files take plain paths that stay under {tmp} (relative ones start
// there, as PHP runs in it), given as literal strings. Reading elsewhere
// ({certs}, a missing /nonexistent/x) stays allowed, and URLs of other
// wrappers reach only the case's fixtures or memory.

// writtenPaths lists, for each function that can change the file system,
// the argument positions of the paths it changes. fopen's path counts
// only with a mode that can create or change a file; a unix server
// socket's path is a file too.
var writtenPaths = map[string][]int{
	"file_put_contents": {0},
	"unlink":            {0},
	"rename":            {0, 1},
	"mkdir":             {0},
	"rmdir":             {0},
	"copy":              {1},
	"touch":             {0},
	"chmod":             {0},
	"chown":             {0},
	"chgrp":             {0},
	"fopen":             {0},
}

// resourceCalls return a resource or false, never a string: a variable
// bound to what they returned is no path (PHP's TypeError when given as
// one).
var resourceCalls = map[string]bool{
	"fopen": true, "fsockopen": true, "pfsockopen": true, "stream_socket_client": true,
	"stream_socket_server": true, "stream_socket_accept": true, "stream_context_create": true,
	"stream_context_get_default": true, "stream_context_set_default": true, "opendir": true,
}

// checkWrittenPaths refuses the first step whose changed paths could leave
// {tmp}, and returns its index.
func checkWrittenPaths(steps []*Step) (int, error) {
	lets := map[string]Value{}      // variables bound by let
	producer := map[string]string{} // variables bound by a call's "as"
	// Once the "file" wrapper is unregistered, plain paths and file://
	// reach the wrapper registered in its place, or nothing.
	fileGone := false
	for i, st := range steps {
		switch st.Kind {
		case StepLet:
			lets[st.Var], producer[st.Var] = st.Value, ""
			continue
		case StepCall:
		default:
			continue
		}
		if st.Call == "stream_wrapper_unregister" || st.Call == "stream_wrapper_restore" {
			if len(st.Args) > 0 {
				if name, ok := st.Args[0].(Str); ok && strings.EqualFold(string(name), "file") {
					fileGone = st.Call == "stream_wrapper_unregister"
				}
			}
		}
		if fileGone {
			continue
		}
		if err := checkCallPaths(st.Call, st.Args, lets, producer); err != nil {
			return i, err
		}
		if st.As != "" {
			delete(lets, st.As)
			producer[st.As] = st.Call
		}
	}
	return 0, nil
}

// checkCallPaths refuses a call whose changed paths could leave {tmp}.
func checkCallPaths(call string, args List, lets map[string]Value, producer map[string]string) error {
	positions, ok := writtenPaths[call]
	if !ok {
		return nil
	}
	if call == "fopen" && !fopenMayWrite(args) {
		return nil
	}
	for _, i := range positions {
		if i >= len(args) {
			continue
		}
		v := args[i]
		if r, isVar := v.(Var); isVar {
			if let, ok := lets[r.Name]; ok && len(r.At) == 0 {
				v = let
			} else if resourceCalls[producer[r.Name]] && len(r.At) == 0 {
				continue
			} else {
				return fmt.Errorf("args: %s takes the path it changes as a literal string under {tmp}", call)
			}
		}
		switch v := v.(type) {
		case Str:
			if !pathStaysInTmp(string(v)) {
				return fmt.Errorf("args: %s changes %q, which is not a path under {tmp}", call, string(v))
			}
		case Const, Map, Var:
			// Its value is known only when the case runs.
			return fmt.Errorf("args: %s takes the path it changes as a literal string under {tmp}", call)
		}
		// Other scalars become relative names (123 is "123") or PHP's
		// TypeError or ValueError; lists are TypeErrors.
	}
	return nil
}

// fopenMayWrite reports whether fopen's mode may create or change a file:
// anything but a literal read-only mode.
func fopenMayWrite(args List) bool {
	if len(args) < 2 {
		return false // PHP's ArgumentCountError
	}
	mode, ok := args[1].(Str)
	return !ok || strings.ContainsAny(string(mode), "waxc+")
}

// pathStaysInTmp reports whether p, as a file the plain files wrapper
// would change, is {tmp} or under it. file:// and compress.zlib:// name
// plain paths, php://filter's resource= too; other URLs name no local
// file the case could change (http://, ftp://, data:, php://memory, user
// wrappers), and an unknown scheme is a plain path to PHP.
func pathStaysInTmp(p string) bool {
	for {
		lower := strings.ToLower(p)
		switch {
		case strings.HasPrefix(lower, "compress.zlib://"):
			p = p[len("compress.zlib://"):]
			continue
		case strings.HasPrefix(lower, "file://"):
			p = p[len("file://"):]
			continue
		case strings.HasPrefix(lower, "php://"):
			i := strings.Index(lower, "/resource=")
			if i < 0 {
				return true // php://memory, temp, output...: no file
			}
			p = p[i+len("/resource="):]
			continue
		}
		break
	}
	if i := strings.Index(p, "://"); i > 0 && knownRemoteScheme(strings.ToLower(p[:i])) {
		return true
	}
	if strings.HasPrefix(strings.ToLower(p), "data:") {
		return true
	}
	if strings.ContainsRune(p, 0) {
		return true // PHP refuses it before touching anything
	}
	switch {
	case p == "":
		return true // PHP's ValueError
	case p == "{tmp}" || strings.HasPrefix(p, "{tmp}/"):
		c := path.Clean(p)
		return c == "{tmp}" || strings.HasPrefix(c, "{tmp}/")
	case strings.HasPrefix(p, "/") || strings.HasPrefix(p, "{"):
		return false
	}
	c := path.Clean(p)
	return c != ".." && !strings.HasPrefix(c, "../")
}

// knownRemoteScheme is a wrapper whose files are the fixtures' (or a
// fixture wrapper class's, which keeps them in memory).
func knownRemoteScheme(s string) bool {
	switch s {
	case "http", "https", "ftp", "ftps", "glob":
		return true
	}
	return !strings.Contains(s, ".") && s != "file" && s != "php" // user wrappers (uw://...)
}
