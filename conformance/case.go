// Package conformance holds the model of CONFORMANCE.md (version 1.1): case
// files, fixture specifications, recordings and their observations, the one
// normalisation function both recorders apply, and diffing. The fixture
// servers, the PHP recorder and the phpsock replayer live in subpackages.
// docs/case-format.md describes the case format as this project reads it.
//
// A malformed case is that case's error, not the file's: the loader keeps
// it, with Err set, beside the cases that loaded, and every runner reports
// it as the case's failure (harness.RunCase) while the others run.
package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	pathpkg "path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// A Case is one conformance case.
type Case struct {
	Name       string
	Servers    map[string]*ServerSpec
	Clients    map[string]*ClientSpec
	Steps      []*Step
	Divergence string            // reason, when Go's standard library makes PHP's behaviour impossible
	Ports      []string          // aliases of reserved ports for servers the case opens itself
	Ini        map[string]string // PHP ini settings for the case
	File       string            // the case file it came from

	// Err is set on a case that cannot run: a field of it is malformed
	// (a *CaseError naming file, case and field), or its file could not
	// be read as a list of cases. Such a case has only Name, File and Err;
	// Name is its own when it has one, else file#index. Runners never run
	// it; harness.RunCase reports Err as the case's failure.
	Err error
}

// ServerSpec describes one fixture server (CONFORMANCE.md "Fixture servers").
type ServerSpec struct {
	Kind        string // closed, tcp, tls, unix, udp, udg, ftp
	IPv6        bool
	Accept      bool // false: listen but never accept
	BacklogFull bool
	Script      []Action
	FTP         *FTPSpec // kind ftp (an extension: docs/case-format.md)
}

// ClientSpec describes one fixture client (CONFORMANCE.md "Fixture clients").
type ClientSpec struct {
	Connect   string // an address with placeholders, e.g. tcp://{p1.addr}
	AfterStep int    // start right after this step (-1: before the first)
	Kind      string // "" (stream) or "udp"
	Script    []Action
}

// An Action is one script action of a fixture server or client.
type Action struct {
	Op    string      // send, expect, read, sleep_ms, echo, drain, hang, close, close_write, reset, close_raw, tls, tls_wait_close, tls_end, tls_leave, send_info; the HTTP extensions expect_http_request, echo_request, route, send_expanded
	Bytes []byte      // send, expect, send_expanded (the text before substitution)
	N     int         // read, sleep_ms
	TLS   *TLSOptions // tls
	// Routes are a route action's scripts by request-target ("*": any
	// other), run after the request an expect_http_request read.
	Routes map[string][]Action
}

// TLSOptions are the options of a {"tls": {...}} action.
type TLSOptions struct {
	Cert     string   // certificate name in the certificate folder; default localhost
	Min, Max string   // "1.0".."1.3"; defaults 1.2 and 1.3
	SecLevel *int     // nil: the library's default
	Ciphers  []string // OpenSSL names of TLS <= 1.2 suites
	ALPN     []string
	ClientCA bool // server: request and verify a client certificate against ca.pem
	Verify   bool // client: verify the server against ca.pem and name localhost
}

// StepKind says what a step does.
type StepKind int

// Step kinds.
const (
	StepCall StepKind = iota
	StepSleep
	StepShow
	StepLet
	StepNote
)

// A Step is one step of a case.
type Step struct {
	Kind StepKind

	Call    string  // StepCall: PHP function name
	Args    []Value // StepCall
	As      string  // StepCall: variable bound to the result
	Context Value   // StepCall: options array (Map), nil when absent
	Preset  *Preset // StepCall: initial errno/errstr

	Pick   []string // StepCall, StepShow
	Drop   []string // StepCall, StepShow
	Ignore []string // StepCall: observation fields left out

	Var     string // StepShow, StepLet
	Value   Value  // StepLet
	SleepMS int    // StepSleep
	Note    string // StepNote
}

// Preset holds initial values of the connect functions' by-reference outputs.
type Preset struct {
	Errno  *int64
	Errstr *string
}

// Functions is the contract's function list (CONFORMANCE.md 1.1): the
// functions a case may call. A name outside it is a case error at load
// time, so that no recorder ever calls anything else (exec, system, ...).
// A name in it that the replayer does not support loads fine: the step's
// observation is a failure (compat.ErrUnsupported) and the case goes on.
var Functions = map[string]bool{}

// functions11 are the additions of contract version 1.1 (wrappers, and
// functions that observe results compactly).
const functions11 = `file_get_contents file_put_contents file readfile fpassthru copy
	stream_copy_to_stream ftruncate unlink rename mkdir rmdir file_exists is_file is_dir filesize
	stream_get_wrappers stream_wrapper_register stream_wrapper_unregister stream_wrapper_restore
	in_array strlen md5 bin2hex`

// functionsErrors are phpsock's additions for PHP's error handling and ini
// settings (docs/case-format.md). A case's ini_set names its setting with
// a literal string that IniRefused does not match.
const functionsErrors = `ini_get ini_set error_reporting error_get_last error_clear_last`

// functionsMeta are phpsock's additions for locking and file metadata
// (docs/case-format.md): flock's $would_block is a by-reference argument.
const functionsMeta = `flock touch chmod chown chgrp`

// functionsDir are phpsock's additions for directory streams
// (docs/case-format.md): PHP's directory functions on every wrapper.
const functionsDir = `opendir readdir rewinddir closedir scandir`

// IniRefused matches the ini settings a case may not set, in its "ini" or
// with ini_set: those that would run code or change how the recorder
// observes PHP.
var IniRefused = regexp.MustCompile(`^(auto_prepend_file|auto_append_file|extension|zend_extension|extension_dir|` +
	`error_reporting|display_errors|display_startup_errors|log_errors|error_log|html_errors|error_prepend_string|` +
	`error_append_string|open_basedir|disable_functions|disable_classes|include_path|opcache\..*|ffi\..*|` +
	`zend\.exception_ignore_args|zend\.assertions|assert\..*)$`)

// OutputFuncs are the functions of Functions that write to PHP's output,
// which is not observed (CONFORMANCE.md 1.1).
var OutputFuncs = map[string]bool{"readfile": true, "fpassthru": true}

func init() {
	for _, f := range strings.Fields(functions11 + " " + functionsErrors + " " + functionsMeta + " " + functionsDir) {
		Functions[f] = true
	}
	for _, f := range strings.Fields(`fsockopen pfsockopen stream_socket_client stream_socket_server
		stream_socket_accept stream_socket_enable_crypto stream_socket_get_name stream_socket_shutdown
		stream_socket_recvfrom stream_socket_sendto stream_socket_pair stream_select stream_set_timeout
		socket_set_timeout stream_set_blocking socket_set_blocking stream_set_read_buffer
		stream_set_write_buffer stream_set_chunk_size stream_get_meta_data socket_get_status
		stream_get_contents stream_get_line stream_get_transports stream_is_local stream_isatty
		stream_supports_lock stream_context_create stream_context_set_option stream_context_get_options
		stream_context_get_params stream_context_set_default stream_context_get_default fread fgets fgetc
		fwrite fputs feof fflush fclose ftell fseek rewind fstat get_resource_type is_resource constant
		defined fopen`) {
		Functions[f] = true
	}
}

// contextParam says which functions take a context, and at which argument.
var contextParam = map[string]int{"stream_socket_client": 3, "stream_socket_server": 2}

// ContextArg is the 0-based position of the context argument of call, or -1.
func ContextArg(call string) int {
	if i, ok := contextParam[call]; ok {
		return i
	}
	return -1
}

// CaseError is a problem in a case file, naming file, case and field.
type CaseError struct {
	File, Case, Field string
	Msg               string
}

func (e *CaseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Case != "" {
		fmt.Fprintf(&b, ": case %q", e.Case)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Load reads case files: a single file, or every *.json in a directory
// (sorted by name). Names must be unique across all files.
func Load(path string) ([]*Case, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if st.IsDir() {
		files, err = filepath.Glob(filepath.Join(path, "*.json"))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
	}
	return loadFiles(files, os.ReadFile)
}

// LoadFS is Load on a file system such as the embedded Files: path names a
// case file or a directory of them, in fs.FS syntax.
func LoadFS(fsys fs.FS, path string) ([]*Case, error) {
	st, err := fs.Stat(fsys, path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if st.IsDir() {
		files, err = fs.Glob(fsys, pathpkg.Join(path, "*.json"))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
	}
	return loadFiles(files, func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) })
}

func loadFiles(files []string, read func(string) ([]byte, error)) ([]*Case, error) {
	var all []*Case
	seen := map[string]string{}
	for _, f := range files {
		data, err := read(f)
		if err != nil {
			return nil, err
		}
		cases, err := Parse(f, data)
		if err != nil {
			// A file that is not a list of cases is one failed case named
			// after the file; the other files still load.
			cases = []*Case{{Name: pathpkg.Base(filepath.ToSlash(f)), File: f, Err: err}}
		}
		for _, c := range cases {
			if prev, dup := seen[c.Name]; dup {
				return nil, &CaseError{File: f, Case: c.Name, Field: "name", Msg: "duplicate name (also in " + prev + ")"}
			}
			seen[c.Name] = f
		}
		all = append(all, cases...)
	}
	return all, nil
}

// Errors joins the errors of the cases that cannot run (Case.Err), nil
// when every case loaded.
func Errors(cases []*Case) error {
	var errs []error
	for _, c := range cases {
		if c.Err != nil {
			errs = append(errs, c.Err)
		}
	}
	return errors.Join(errs...)
}

// Parse decodes one case file (a JSON array of cases). file names it in
// errors. A case that is malformed is returned with Err set (a *CaseError
// naming file, case and field), in its place among the others; the error
// is for a file that is not a JSON array at all, or for two cases of the
// file with one name (names are what recordings are keyed by).
func Parse(file string, data []byte) ([]*Case, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, &CaseError{File: file, Msg: "not a JSON array of case objects: " + err.Error()}
	}
	var out []*Case
	seen := map[string]bool{}
	budget := maxRepeatFile
	for i, rawCase := range raws {
		var raw map[string]json.RawMessage
		var c *Case
		var err error
		if uerr := json.Unmarshal(rawCase, &raw); uerr != nil || raw == nil {
			err = &CaseError{File: file, Case: fmt.Sprintf("#%d", i), Msg: "a case is a JSON object"}
		} else {
			c, err = parseCase(file, i, raw, &budget)
		}
		if err != nil {
			c = &Case{Name: caseLabel(file, i, raw), File: file, Err: err}
		}
		if seen[c.Name] {
			return nil, &CaseError{File: file, Case: c.Name, Field: "name", Msg: "duplicate name"}
		}
		seen[c.Name] = true
		out = append(out, c)
	}
	return out, nil
}

// caseLabel is the name of a malformed case: its own name when it has a
// usable one, else file#index.
func caseLabel(file string, idx int, raw map[string]json.RawMessage) string {
	var name string
	if err := strictString(raw["name"], &name); err == nil && name != "" {
		return name
	}
	return fmt.Sprintf("%s#%d", pathpkg.Base(filepath.ToSlash(file)), idx)
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// reservedVars are PHP variables a case may not use: names a script cannot
// assign, PHP's superglobals, and the recorders' "__" prefix.
var reservedVars = map[string]bool{"this": true, "GLOBALS": true, "_SERVER": true, "_GET": true, "_POST": true,
	"_FILES": true, "_COOKIE": true, "_SESSION": true, "_REQUEST": true, "_ENV": true}

// ValidVar reports whether name may be used as a case variable: a PHP
// identifier that is neither reserved by PHP nor starts with "__".
func ValidVar(name string) bool {
	return identRE.MatchString(name) && !reservedVars[name] && !strings.HasPrefix(name, "__")
}

func parseCase(file string, idx int, raw map[string]json.RawMessage, budget *int64) (*Case, error) {
	c := &Case{File: file}
	bad := func(field, format string, a ...any) error {
		name := c.Name
		if name == "" {
			name = fmt.Sprintf("#%d", idx)
		}
		return &CaseError{File: file, Case: name, Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	if err := strictString(raw["name"], &c.Name); err != nil || c.Name == "" {
		return nil, bad("name", "missing or not a string")
	}
	for k := range raw {
		switch k {
		case "name", "servers", "clients", "steps", "divergence", "ports", "ini":
		default:
			return nil, bad(k, "unknown case key")
		}
	}
	if r, ok := raw["divergence"]; ok {
		if err := strictString(r, &c.Divergence); err != nil || c.Divergence == "" {
			return nil, bad("divergence", "must be a non-empty reason")
		}
	}
	if r, ok := raw["ports"]; ok {
		if err := json.Unmarshal(r, &c.Ports); err != nil {
			return nil, bad("ports", "must be a list of aliases")
		}
	}
	if r, ok := raw["ini"]; ok {
		var m map[string]any
		if err := json.Unmarshal(r, &m); err != nil {
			return nil, bad("ini", "must be an object")
		}
		c.Ini = map[string]string{}
		for k, v := range m {
			switch t := v.(type) {
			case string:
				c.Ini[k] = t
			case float64:
				c.Ini[k] = fmt.Sprint(t)
			case bool:
				if t {
					c.Ini[k] = "1"
				} else {
					c.Ini[k] = "0"
				}
			default:
				return nil, bad("ini."+k, "must be a string, number or bool")
			}
		}
	}
	aliases := map[string]bool{}
	if r, ok := raw["servers"]; ok {
		var servers map[string]json.RawMessage
		if err := json.Unmarshal(r, &servers); err != nil {
			return nil, bad("servers", "must be an object")
		}
		c.Servers = map[string]*ServerSpec{}
		for alias, sr := range servers {
			s, err := parseServer(sr)
			if err != nil {
				return nil, bad("servers."+alias, "%v", err)
			}
			c.Servers[alias] = s
			aliases[alias] = true
		}
	}
	for _, p := range c.Ports {
		if aliases[p] || !identRE.MatchString(p) {
			return nil, bad("ports", "alias %q is not a fresh identifier", p)
		}
		aliases[p] = true
	}
	if r, ok := raw["clients"]; ok {
		var clients map[string]json.RawMessage
		if err := json.Unmarshal(r, &clients); err != nil {
			return nil, bad("clients", "must be an object")
		}
		c.Clients = map[string]*ClientSpec{}
		for alias, cr := range clients {
			cl, err := parseClient(cr)
			if err != nil {
				return nil, bad("clients."+alias, "%v", err)
			}
			c.Clients[alias] = cl
		}
	}
	var steps []json.RawMessage
	if err := json.Unmarshal(raw["steps"], &steps); err != nil {
		return nil, bad("steps", "missing or not a list")
	}
	for i, sr := range steps {
		st, err := parseStep(sr, budget)
		if err != nil {
			return nil, bad(fmt.Sprintf("steps[%d]", i), "%v", err)
		}
		c.Steps = append(c.Steps, st)
	}
	if i, err := checkWrittenPaths(c.Steps); err != nil {
		return nil, bad(fmt.Sprintf("steps[%d]", i), "%v", err)
	}
	for alias, cl := range c.Clients {
		if cl.AfterStep < -1 || cl.AfterStep >= len(c.Steps) {
			return nil, bad("clients."+alias+".after_step", "%d is not a step index", cl.AfterStep)
		}
	}
	// Placeholders must name known aliases; check every string once now so a
	// bad case fails before any server starts.
	env := &Env{Endpoints: map[string]Endpoint{}, Certs: "/c", Tmp: "/t"}
	for a := range aliases {
		ep := Endpoint{Host: "127.0.0.1", Port: 1}
		if s := c.Servers[a]; s != nil && (s.Kind == "unix" || s.Kind == "udg") {
			ep = Endpoint{Path: "/t/" + a + ".sock"}
		}
		env.Endpoints[a] = ep
		if s := c.Servers[a]; s != nil && s.Kind == "ftp" {
			env.Endpoints[a+"_log"] = ep // the FTP fixture's command log
		}
	}
	for i, st := range c.Steps {
		if _, err := env.SubstituteStep(st); err != nil {
			return nil, bad(fmt.Sprintf("steps[%d]", i), "%v", err)
		}
	}
	for alias, cl := range c.Clients {
		if _, err := env.Substitute(cl.Connect); err != nil {
			return nil, bad("clients."+alias+".connect", "%v", err)
		}
	}
	return c, nil
}

func strictString(r json.RawMessage, s *string) error {
	if len(r) == 0 {
		return fmt.Errorf("missing")
	}
	return json.Unmarshal(r, s)
}

// decodeStrict decodes r into v, refusing unknown fields.
func decodeStrict(r json.RawMessage, v any) error {
	d := json.NewDecoder(bytes.NewReader(r))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

var serverKinds = map[string]bool{"closed": true, "tcp": true, "tls": true, "unix": true, "udp": true, "udg": true, "ftp": true}

func parseServer(r json.RawMessage) (*ServerSpec, error) {
	var s struct {
		Kind        string            `json:"kind"`
		IPv6        bool              `json:"ipv6"`
		Accept      *bool             `json:"accept"`
		BacklogFull bool              `json:"backlog_full"`
		Script      []json.RawMessage `json:"script"`
		FTP         json.RawMessage   `json:"ftp"`
	}
	if err := decodeStrict(r, &s); err != nil {
		return nil, err
	}
	if !serverKinds[s.Kind] {
		return nil, fmt.Errorf("kind: unknown server kind %q", s.Kind)
	}
	spec := &ServerSpec{Kind: s.Kind, IPv6: s.IPv6, Accept: s.Accept == nil || *s.Accept, BacklogFull: s.BacklogFull}
	if (s.Kind == "ftp") != (len(s.FTP) > 0) || s.Kind == "ftp" && (len(s.Script) > 0 || s.IPv6 || s.BacklogFull) {
		return nil, fmt.Errorf("ftp: a server of kind ftp has an ftp block and no script, ipv6 or backlog_full")
	}
	if s.Kind == "ftp" {
		f, err := parseFTPSpec(s.FTP)
		if err != nil {
			return nil, err
		}
		spec.FTP = f
	}
	if s.IPv6 && s.Kind != "closed" && s.Kind != "tcp" && s.Kind != "tls" && s.Kind != "udp" {
		return nil, fmt.Errorf("ipv6: not for kind %s", s.Kind)
	}
	if s.BacklogFull && s.Kind != "tcp" && s.Kind != "tls" {
		return nil, fmt.Errorf("backlog_full: not for kind %s", s.Kind)
	}
	datagram := s.Kind == "udp" || s.Kind == "udg"
	for i, ar := range s.Script {
		a, err := parseAction(ar, false)
		if err != nil {
			return nil, fmt.Errorf("script[%d]: %v", i, err)
		}
		if a.Op == "tls" && datagram {
			return nil, fmt.Errorf("script[%d]: tls on a datagram server", i)
		}
		spec.Script = append(spec.Script, a)
	}
	if s.Kind == "tls" && (len(spec.Script) == 0 || spec.Script[0].Op != "tls") {
		return nil, fmt.Errorf("script: a tls server's script starts with a tls action")
	}
	if err := checkTLSOrder(spec.Script); err != nil {
		return nil, err
	}
	return spec, nil
}

// checkTLSOrder refuses send_info outside TLS.
func checkTLSOrder(script []Action) error {
	inTLS := false
	for i, a := range script {
		switch a.Op {
		case "tls":
			inTLS = true
		case "tls_end", "tls_leave":
			if !inTLS {
				return fmt.Errorf("script[%d]: %s outside TLS", i, a.Op)
			}
			inTLS = false
		case "send_info", "tls_wait_close":
			if !inTLS {
				return fmt.Errorf("script[%d]: %s outside TLS", i, a.Op)
			}
		}
	}
	return nil
}

// parseKeyList reads the keys of pick or the paths of drop: JSON strings
// or integers (CONFORMANCE.md 1.1), an integer kept as its decimal string,
// which PHP's key rules then read as the int key.
func parseKeyList(r json.RawMessage) ([]string, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(r, &raws); err != nil {
		return nil, err
	}
	out := make([]string, len(raws))
	for i, k := range raws {
		if err := json.Unmarshal(k, &out[i]); err == nil {
			continue
		}
		var n json.Number
		if err := json.Unmarshal(k, &n); err != nil {
			return nil, fmt.Errorf("key %d is neither a string nor an integer", i)
		}
		if _, err := n.Int64(); err != nil {
			return nil, fmt.Errorf("key %d is not an integer: %s", i, n)
		}
		out[i] = n.String()
	}
	return out, nil
}

func parseClient(r json.RawMessage) (*ClientSpec, error) {
	var s struct {
		Connect   string            `json:"connect"`
		AfterStep *int              `json:"after_step"`
		Kind      string            `json:"kind"`
		Script    []json.RawMessage `json:"script"`
	}
	if err := decodeStrict(r, &s); err != nil {
		return nil, err
	}
	if s.Connect == "" {
		return nil, fmt.Errorf("connect: missing")
	}
	if s.AfterStep == nil {
		return nil, fmt.Errorf("after_step: missing")
	}
	if s.Kind != "" && s.Kind != "udp" && s.Kind != "tcp" {
		return nil, fmt.Errorf("kind: unknown client kind %q", s.Kind)
	}
	cl := &ClientSpec{Connect: s.Connect, AfterStep: *s.AfterStep, Kind: s.Kind}
	for i, ar := range s.Script {
		a, err := parseAction(ar, true)
		if err != nil {
			return nil, fmt.Errorf("script[%d]: %v", i, err)
		}
		if a.Op == "tls" && s.Kind == "udp" {
			return nil, fmt.Errorf("script[%d]: tls on a datagram client", i)
		}
		cl.Script = append(cl.Script, a)
	}
	if err := checkTLSOrder(cl.Script); err != nil {
		return nil, err
	}
	return cl, nil
}

var flagActions = map[string]bool{"echo": true, "drain": true, "hang": true, "close": true, "close_write": true,
	"reset": true, "close_raw": true, "tls_wait_close": true, "tls_end": true, "tls_leave": true, "send_info": true,
	"expect_http_request": true, "echo_request": true}

func parseAction(r json.RawMessage, client bool) (Action, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r, &m); err != nil || len(m) != 1 {
		return Action{}, fmt.Errorf("an action is an object with exactly one key")
	}
	for op, v := range m {
		a := Action{Op: op}
		switch {
		case op == "send" || op == "expect" || op == "send_expanded":
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return a, fmt.Errorf("%s: takes a string", op)
			}
			a.Bytes = []byte(s)
		case op == "send_b64" || op == "expect_b64":
			var b []byte
			if err := json.Unmarshal(v, &b); err != nil {
				return a, fmt.Errorf("%s: takes base64", op)
			}
			a.Op, a.Bytes = strings.TrimSuffix(op, "_b64"), b
		case op == "read" || op == "sleep_ms":
			if err := json.Unmarshal(v, &a.N); err != nil || a.N < 0 {
				return a, fmt.Errorf("%s: takes a non-negative integer", op)
			}
		case op == "tls":
			var t struct {
				Cert     string   `json:"cert"`
				Min      string   `json:"min"`
				Max      string   `json:"max"`
				SecLevel *int     `json:"seclevel"`
				Ciphers  []string `json:"ciphers"`
				ALPN     []string `json:"alpn"`
				ClientCA bool     `json:"client_ca"`
				Verify   bool     `json:"verify"`
			}
			if err := decodeStrict(v, &t); err != nil {
				return a, fmt.Errorf("tls: %v", err)
			}
			if t.Cert == "" && !client {
				t.Cert = "localhost"
			}
			if t.Min == "" {
				t.Min = "1.2"
			}
			if t.Max == "" {
				t.Max = "1.3"
			}
			for _, v := range []string{t.Min, t.Max} {
				switch v {
				case "1.0", "1.1", "1.2", "1.3":
				default:
					return a, fmt.Errorf("tls: unknown version %q", v)
				}
			}
			a.TLS = &TLSOptions{Cert: t.Cert, Min: t.Min, Max: t.Max, SecLevel: t.SecLevel, Ciphers: t.Ciphers,
				ALPN: t.ALPN, ClientCA: t.ClientCA, Verify: t.Verify}
		case flagActions[op]:
			var b bool
			if err := json.Unmarshal(v, &b); err != nil || !b {
				return a, fmt.Errorf("%s: takes true", op)
			}
		case op == "route":
			var routes map[string][]json.RawMessage
			if err := json.Unmarshal(v, &routes); err != nil || len(routes) == 0 {
				return a, fmt.Errorf("route: takes an object of request-targets and scripts")
			}
			a.Routes = map[string][]Action{}
			for target, raws := range routes {
				acts := []Action{}
				for i, ar := range raws {
					sub, err := parseAction(ar, client)
					if err != nil {
						return a, fmt.Errorf("route %q[%d]: %v", target, i, err)
					}
					if sub.Op == "tls" || sub.Op == "route" {
						return a, fmt.Errorf("route %q[%d]: %s inside a route", target, i, sub.Op)
					}
					acts = append(acts, sub)
				}
				a.Routes[target] = acts
			}
		default:
			return a, fmt.Errorf("unknown script action %q", op)
		}
		return a, nil
	}
	panic("unreachable")
}

var observationFields = map[string]bool{"errno": true, "errstr": true, "warnings": true, "ret": true}

func parseStep(r json.RawMessage, budget *int64) (*Step, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r, &m); err != nil {
		return nil, fmt.Errorf("a step is an object")
	}
	allowed := func(keys ...string) error {
		ok := map[string]bool{}
		for _, k := range keys {
			ok[k] = true
		}
		for k := range m {
			if !ok[k] {
				return fmt.Errorf("%s: unknown step key", k)
			}
		}
		return nil
	}
	st := &Step{}
	var err error
	parsePaths := func() error {
		if r, ok := m["pick"]; ok {
			if st.Pick, err = parseKeyList(r); err != nil || len(st.Pick) == 0 {
				return fmt.Errorf("pick: takes a non-empty list of keys")
			}
		}
		if r, ok := m["drop"]; ok {
			if st.Drop, err = parseKeyList(r); err != nil {
				return fmt.Errorf("drop: takes a list of paths")
			}
		}
		return nil
	}
	switch {
	case m["call"] != nil:
		st.Kind = StepCall
		if err = allowed("call", "args", "as", "context", "preset", "pick", "drop", "ignore"); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(m["call"], &st.Call); err != nil {
			return nil, fmt.Errorf("call: takes a function name")
		}
		if !Functions[st.Call] {
			return nil, fmt.Errorf("call: unknown call %q", st.Call)
		}
		if r, ok := m["args"]; ok {
			v, err := parseValue(r, budget)
			if err != nil {
				return nil, fmt.Errorf("args: %v", err)
			}
			l, ok := v.(List)
			if !ok {
				return nil, fmt.Errorf("args: takes a list")
			}
			st.Args = l
		}
		if st.Call == "ini_set" {
			var name Str
			ok := len(st.Args) > 0
			if ok {
				name, ok = st.Args[0].(Str)
			}
			if !ok || IniRefused.MatchString(strings.ToLower(string(name))) {
				return nil, fmt.Errorf("args: ini_set takes a literal setting name a case may set")
			}
		}
		if r, ok := m["as"]; ok {
			if err := json.Unmarshal(r, &st.As); err != nil || !ValidVar(st.As) {
				return nil, fmt.Errorf("as: not a usable PHP identifier")
			}
		}
		if r, ok := m["context"]; ok {
			if ContextArg(st.Call) < 0 {
				return nil, fmt.Errorf("context: %s takes no context", st.Call)
			}
			if len(st.Args) > ContextArg(st.Call) {
				return nil, fmt.Errorf("context: args already fill the context position")
			}
			v, err := parseValue(r, budget)
			if err != nil {
				return nil, fmt.Errorf("context: %v", err)
			}
			if _, ok := v.(Map); !ok {
				return nil, fmt.Errorf("context: takes an options object")
			}
			st.Context = v
		}
		if r, ok := m["preset"]; ok {
			var p struct {
				Errno  *int64  `json:"errno"`
				Errstr *string `json:"errstr"`
			}
			if err := decodeStrict(r, &p); err != nil {
				return nil, fmt.Errorf("preset: %v", err)
			}
			st.Preset = &Preset{Errno: p.Errno, Errstr: p.Errstr}
		}
		if r, ok := m["ignore"]; ok {
			if err := json.Unmarshal(r, &st.Ignore); err != nil {
				return nil, fmt.Errorf("ignore: takes a list of fields")
			}
			for _, f := range st.Ignore {
				if !observationFields[f] {
					return nil, fmt.Errorf("ignore: unknown field %q", f)
				}
			}
		}
		if err := parsePaths(); err != nil {
			return nil, err
		}
	case m["sleep_ms"] != nil:
		st.Kind = StepSleep
		if err = allowed("sleep_ms"); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(m["sleep_ms"], &st.SleepMS); err != nil || st.SleepMS < 0 {
			return nil, fmt.Errorf("sleep_ms: takes a non-negative integer")
		}
	case m["show"] != nil:
		st.Kind = StepShow
		if err = allowed("show", "pick", "drop"); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(m["show"], &st.Var); err != nil || !ValidVar(st.Var) {
			return nil, fmt.Errorf("show: takes a variable name")
		}
		if err := parsePaths(); err != nil {
			return nil, err
		}
	case m["let"] != nil:
		st.Kind = StepLet
		if err = allowed("let", "value"); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(m["let"], &st.Var); err != nil || !ValidVar(st.Var) {
			return nil, fmt.Errorf("let: takes a variable name")
		}
		r, ok := m["value"]
		if !ok {
			return nil, fmt.Errorf("value: missing")
		}
		if st.Value, err = parseValue(r, budget); err != nil {
			return nil, fmt.Errorf("value: %v", err)
		}
	case m["note"] != nil:
		st.Kind = StepNote
		if err = allowed("note"); err != nil {
			return nil, err
		}
		_ = json.Unmarshal(m["note"], &st.Note)
	default:
		return nil, fmt.Errorf("a step needs call, sleep_ms, show, let or note")
	}
	return st, nil
}
