package phpstream

import (
	"errors"
	"reflect"
	"strings"
	"sync"
)

// This file is PHP's per-request table of URL wrappers
// (FG(stream_wrappers)): what stream_get_wrappers lists and what the
// wrapper lookup finds, changed by stream_wrapper_register, _unregister
// and _restore. A Registry holds the built-in wrappers by name and the
// wrappers registered at run time as values the package does not look
// into (compat's user wrappers).

// Registry is one request's wrapper table. The zero value is not usable:
// call NewRegistry. A nil *Registry is PHP's global table, never changed.
// Its methods are safe for concurrent use.
type Registry struct {
	mu      sync.Mutex
	names   []string       // in stream_get_wrappers order
	user    map[string]any // the run-time wrappers by name
	changed bool           // PHP copied the global table for the request
}

// NewRegistry returns a table holding PHP's built-in wrappers (Wrappers).
func NewRegistry() *Registry {
	return &Registry{names: append([]string(nil), Wrappers...), user: map[string]any{}}
}

// Errors of Register.
var (
	// ErrWrapperExists is a protocol already in the table: PHP's
	// "Protocol %s:// is already defined.".
	ErrWrapperExists = errors.New("phpstream: protocol already defined")
	// ErrInvalidScheme is a protocol name with a character other than
	// [A-Za-z0-9+.-]: PHP's "Invalid protocol scheme specified...".
	ErrInvalidScheme = errors.New("phpstream: invalid protocol scheme")
	// ErrWrapperNotComparable is a run-time wrapper given to Register
	// as nil or as a value of a type == cannot compare.
	ErrWrapperNotComparable = errors.New("phpstream: a run-time wrapper must be a comparable value")
)

// Names is stream_get_wrappers: the protocols in PHP's order (a
// protocol registered or restored goes last).
func (r *Registry) Names() []string {
	if r == nil {
		return append([]string(nil), Wrappers...)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.names...)
}

// Register adds w under protocol, as php_register_url_stream_wrapper_volatile:
// the name is checked first (PHP accepts the empty name), then that it is
// not taken (case-sensitively). w must be of a type == can compare (a
// pointer, typically): rename asks whether two URLs lead to the same
// wrapper.
func (r *Registry) Register(protocol string, w any) error {
	for i := 0; i < len(protocol); i++ {
		if !isSchemeChar(protocol[i]) {
			return ErrInvalidScheme
		}
	}
	if w == nil || !reflect.TypeOf(w).Comparable() {
		return ErrWrapperNotComparable
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.has(protocol) {
		return ErrWrapperExists
	}
	r.names = append(r.names, protocol)
	r.user[protocol] = w
	r.changed = true
	return nil
}

func (r *Registry) has(name string) bool { return r.index(name) >= 0 }

// index is name's place in r.names, -1 if it is not there.
func (r *Registry) index(name string) int {
	for i, n := range r.names {
		if n == name {
			return i
		}
	}
	return -1
}

// remove takes name out of the table (its place in the list and a
// run-time wrapper's entry); false if it was not in the list.
func (r *Registry) remove(name string) bool {
	i := r.index(name)
	if i >= 0 {
		r.names = append(r.names[:i], r.names[i+1:]...)
	}
	delete(r.user, name)
	return i >= 0
}

// Unregister removes protocol (a built-in or a run-time wrapper); false
// if it is not in the table.
func (r *Registry) Unregister(protocol string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.remove(protocol) {
		return false
	}
	r.changed = true
	return true
}

// RestoreResult is what stream_wrapper_restore found.
type RestoreResult int

// Results of Restore.
const (
	// Restored: the built-in wrapper is back (last in Names).
	Restored RestoreResult = iota
	// NeverExisted: no built-in wrapper has that name (PHP's warning
	// "%s:// never existed, nothing to restore", false).
	NeverExisted
	// NeverChanged: the built-in wrapper is still there (PHP's notice
	// "%s:// was never changed, nothing to restore", true).
	NeverChanged
)

// Restore puts the built-in wrapper of that name back, replacing a
// run-time wrapper registered under it.
func (r *Registry) Restore(protocol string) RestoreResult {
	if !knownWrapper(protocol) {
		return NeverExisted
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, user := r.user[protocol]; !r.changed || (r.has(protocol) && !user) {
		return NeverChanged
	}
	r.remove(protocol)
	r.names = append(r.names, protocol)
	return Restored
}

// find is the table's entry for name: present, and the run-time wrapper
// (nil for a built-in).
func (r *Registry) find(name string) (user any, found bool) {
	if r == nil {
		return nil, knownWrapper(name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.has(name) {
		return nil, false
	}
	return r.user[name], true
}

// Located is the result of a wrapper lookup (php_stream_locate_url_wrapper).
type Located struct {
	// Wrapper is the built-in wrapper's name ("" for plain files), when
	// User is nil.
	Wrapper string
	// User is the run-time wrapper found, as Register was given it.
	User any
	// Path is what the wrapper opens: the URL itself, or a plain file's
	// path without "file://".
	Path string
}

// Locate is PHP's wrapper lookup of path in the table: ok false where PHP
// finds no wrapper (file://host/..., or plain files unregistered). diag
// receives the lookup's warnings; report adds those PHP raises only
// with REPORT_ERRORS (an open's).
func (r *Registry) Locate(path string, diag DiagnosticFunc, report bool) (l Located, ok bool) {
	scheme, isURL := wrapperScheme(path)
	if !isURL {
		return r.plain(path, nil, false, diag, report)
	}
	user, found := r.find(scheme)
	if !found {
		lower := strings.ToLower(scheme)
		if user, found = r.find(lower); found {
			scheme = lower
		}
	}
	if !found {
		name := scheme
		if len(name) > 31 {
			name = name[:31]
		}
		diag.emit(EWarning, `Unable to find the wrapper "`+name+`" - did you forget to enable it when you configured PHP?`)
		return r.plain(path, nil, false, diag, report) // PHP falls back to a plain file of that name
	}
	if !strings.EqualFold(scheme, "file") {
		if user != nil {
			return Located{User: user, Path: path}, true
		}
		return Located{Wrapper: strings.ToLower(scheme), Path: path}, true
	}
	// file://: "file://localhost/p" and "file:///p" are /p.
	rest := path[len(scheme)+3:]
	if hasPrefixFold(path, "file://localhost/") {
		rest = path[16:]
	} else if rest != "" && rest[0] != '/' {
		if report {
			diag.emit(EWarning, "Remote host file access not supported, "+path)
		}
		return Located{}, false
	}
	return r.plain(rest, user, true, diag, report)
}

// plain is the lookup's end for plain files: the wrapper registered as
// "file" (a run-time one that replaced it too), or none when it was
// unregistered (PHP's "file:// wrapper is disabled in the server
// configuration", an open's warning; recorded: userwrapper/unregister-file).
func (r *Registry) plain(path string, user any, found bool, diag DiagnosticFunc, report bool) (Located, bool) {
	if !found {
		user, found = r.find("file")
	}
	if !found {
		if report {
			diag.emit(EWarning, "file:// wrapper is disabled in the server configuration")
		}
		return Located{}, false
	}
	return Located{User: user, Path: path}, true
}
