package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"unicode/utf8"
)

// A Recording is what one recorder observed for a case set.
type Recording struct {
	Profile        string
	PHPVersion     string
	OpenSSLVersion string
	OS             string
	RecordedAt     string
	Recorder       string
	Order          []string // case names in recording order
	Cases          map[string]*CaseResult
}

// CaseResult holds one observation per step.
type CaseResult struct {
	Steps []*Obs `json:"steps"`
	// Failure is an extension of this project: the run failed as a whole
	// (a fixture could not start or broke, the time limit passed, the
	// recorder's process died). Steps then holds what was observed before
	// the failure, padded with failed observations. It never matches.
	Failure string `json:"failure,omitempty"`
}

// Obs is one step's observation. Optional fields are nil when absent.
type Obs struct {
	Ret      *Ret      `json:"ret,omitempty"`
	Throws   *Throws   `json:"throws,omitempty"`
	Errno    *OptInt   `json:"errno,omitempty"`
	Errstr   *OptStr   `json:"errstr,omitempty"`
	Warnings []Warning `json:"warnings,omitempty"`
	// Failure is an extension of this project: a step the recorder could not
	// run at all (an unsupported call in the replayer). It never matches.
	Failure string `json:"failure,omitempty"`
}

// Throws is the exception a call threw.
type Throws struct {
	Class   string `json:"class"`
	Message BStr   `json:"message"`
}

// Warning is one diagnostic.
type Warning struct {
	Level   string
	Message BStr
}

// OptInt is an int that may be null.
type OptInt struct{ V *int64 }

// OptStr is a string that may be null.
type OptStr struct{ V *BStr }

// BStr is a byte string; it encodes as a JSON string when UTF-8 and as
// {"b64": ...} otherwise.
type BStr string

// Ret is a typed PHP value: Type is bool, int, float, string, null,
// resource, object, array or absent.
type Ret struct {
	Type  string
	Bool  bool
	Int   int64
	Float float64 // also for INF, -INF, NAN
	Str   BStr    // string; resource type; object class
	Elems []Elem  // array
}

// Elem is one array element.
type Elem struct {
	Key Key
	Val Ret
}

// Key is an array key: an int or a byte string.
type Key struct {
	IsInt bool
	Int   int64
	Str   BStr
}

// MarshalJSON encodes the key as an int, a string, or {"b64"}.
func (k Key) MarshalJSON() ([]byte, error) {
	if k.IsInt {
		return []byte(strconv.FormatInt(k.Int, 10)), nil
	}
	return k.Str.MarshalJSON()
}

// UnmarshalJSON decodes what MarshalJSON writes.
func (k *Key) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')) {
		i, err := strconv.ParseInt(string(b), 10, 64)
		*k = Key{IsInt: true, Int: i}
		return err
	}
	*k = Key{}
	return k.Str.UnmarshalJSON(b)
}

// MarshalJSON encodes s as a string, or {"b64": ...} when not UTF-8.
func (s BStr) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(s)) {
		return marshalNoEscape(string(s))
	}
	return json.Marshal(map[string]string{"b64": base64.StdEncoding.EncodeToString([]byte(s))})
}

// UnmarshalJSON decodes a string or {"b64": ...}.
func (s *BStr) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		*s = BStr(str)
		return nil
	}
	var m struct {
		B64 []byte `json:"b64"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("not a string or {\"b64\"}: %s", b)
	}
	*s = BStr(m.B64)
	return nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// MarshalJSON writes null or the int.
func (o OptInt) MarshalJSON() ([]byte, error) {
	if o.V == nil {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatInt(*o.V, 10)), nil
}

// UnmarshalJSON reads null or an int.
func (o *OptInt) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		o.V = nil
		return nil
	}
	var i int64
	if err := json.Unmarshal(b, &i); err != nil {
		return err
	}
	o.V = &i
	return nil
}

// MarshalJSON writes null, a string or {"b64"}.
func (o OptStr) MarshalJSON() ([]byte, error) {
	if o.V == nil {
		return []byte("null"), nil
	}
	return o.V.MarshalJSON()
}

// UnmarshalJSON reads null, a string or {"b64"}.
func (o *OptStr) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		o.V = nil
		return nil
	}
	var s BStr
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	o.V = &s
	return nil
}

// MarshalJSON writes {"level", "message"} (or "b64" for a non-UTF-8 message).
func (w Warning) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"level":`)
	lv, _ := json.Marshal(w.Level)
	buf.Write(lv)
	if utf8.ValidString(string(w.Message)) {
		buf.WriteString(`,"message":`)
		m, _ := marshalNoEscape(string(w.Message))
		buf.Write(m)
	} else {
		buf.WriteString(`,"b64":`)
		m, _ := json.Marshal(base64.StdEncoding.EncodeToString([]byte(w.Message)))
		buf.Write(m)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads a warning.
func (w *Warning) UnmarshalJSON(b []byte) error {
	var m struct {
		Level   string  `json:"level"`
		Message *string `json:"message"`
		B64     []byte  `json:"b64"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	w.Level = m.Level
	if m.Message != nil {
		w.Message = BStr(*m.Message)
	} else {
		w.Message = BStr(m.B64)
	}
	return nil
}

// MarshalJSON writes {"type": T, "value": V} ("b64" for non-UTF-8 strings).
func (r Ret) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"type":`)
	t, _ := json.Marshal(r.Type)
	buf.Write(t)
	switch r.Type {
	case "bool":
		fmt.Fprintf(&buf, `,"value":%t`, r.Bool)
	case "int":
		fmt.Fprintf(&buf, `,"value":%d`, r.Int)
	case "float":
		buf.WriteString(`,"value":`)
		switch {
		case math.IsInf(r.Float, 1):
			buf.WriteString(`"INF"`)
		case math.IsInf(r.Float, -1):
			buf.WriteString(`"-INF"`)
		case math.IsNaN(r.Float):
			buf.WriteString(`"NAN"`)
		default:
			f, _ := json.Marshal(r.Float)
			buf.Write(f)
		}
	case "string", "resource", "object":
		if utf8.ValidString(string(r.Str)) {
			buf.WriteString(`,"value":`)
			s, _ := marshalNoEscape(string(r.Str))
			buf.Write(s)
		} else {
			buf.WriteString(`,"b64":`)
			s, _ := json.Marshal(base64.StdEncoding.EncodeToString([]byte(r.Str)))
			buf.Write(s)
		}
	case "array":
		buf.WriteString(`,"value":[`)
		for i, e := range r.Elems {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteByte('[')
			k, _ := e.Key.MarshalJSON()
			buf.Write(k)
			buf.WriteByte(',')
			v, err := e.Val.MarshalJSON()
			if err != nil {
				return nil, err
			}
			buf.Write(v)
			buf.WriteByte(']')
		}
		buf.WriteByte(']')
	default: // null, absent
		buf.WriteString(`,"value":null`)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads a typed value.
func (r *Ret) UnmarshalJSON(b []byte) error {
	var m struct {
		Type  string          `json:"type"`
		Value json.RawMessage `json:"value"`
		B64   []byte          `json:"b64"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*r = Ret{Type: m.Type}
	switch m.Type {
	case "bool":
		return json.Unmarshal(m.Value, &r.Bool)
	case "int":
		return json.Unmarshal(m.Value, &r.Int)
	case "float":
		var s string
		if json.Unmarshal(m.Value, &s) == nil {
			switch s {
			case "INF":
				r.Float = math.Inf(1)
			case "-INF":
				r.Float = math.Inf(-1)
			case "NAN":
				r.Float = math.NaN()
			default:
				return fmt.Errorf("bad float %q", s)
			}
			return nil
		}
		return json.Unmarshal(m.Value, &r.Float)
	case "string", "resource", "object":
		if m.Value == nil {
			r.Str = BStr(m.B64)
			return nil
		}
		var s string
		err := json.Unmarshal(m.Value, &s)
		r.Str = BStr(s)
		return err
	case "array":
		var pairs [][2]json.RawMessage
		if err := json.Unmarshal(m.Value, &pairs); err != nil {
			return err
		}
		r.Elems = make([]Elem, len(pairs))
		for i, p := range pairs {
			if err := r.Elems[i].Key.UnmarshalJSON(p[0]); err != nil {
				return err
			}
			if err := r.Elems[i].Val.UnmarshalJSON(p[1]); err != nil {
				return err
			}
		}
		return nil
	case "null", "absent":
		return nil
	}
	return fmt.Errorf("unknown value type %q", m.Type)
}

// MarshalJSON writes the recording with its header first and the cases in
// recording order.
func (rec *Recording) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("{\n")
	for _, kv := range [][2]string{{"profile", rec.Profile}, {"php_version", rec.PHPVersion},
		{"openssl_version", rec.OpenSSLVersion}, {"os", rec.OS}, {"recorded_at", rec.RecordedAt},
		{"recorder", rec.Recorder}} {
		v, _ := marshalNoEscape(kv[1])
		fmt.Fprintf(&buf, " %q: %s,\n", kv[0], v)
	}
	buf.WriteString(" \"cases\": {")
	for i, name := range rec.order() {
		if i > 0 {
			buf.WriteByte(',')
		}
		n, _ := marshalNoEscape(name)
		body, err := json.Marshal(rec.Cases[name])
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&buf, "\n  %s: %s", n, body)
	}
	buf.WriteString("\n }\n}\n")
	return buf.Bytes(), nil
}

func (rec *Recording) order() []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range rec.Order {
		if _, ok := rec.Cases[n]; ok && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	var rest []string
	for n := range rec.Cases {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sortStrings(rest)
	return append(out, rest...)
}

// UnmarshalJSON reads a recording, keeping the order of its cases.
func (rec *Recording) UnmarshalJSON(b []byte) error {
	var m struct {
		Profile        string          `json:"profile"`
		PHPVersion     string          `json:"php_version"`
		OpenSSLVersion string          `json:"openssl_version"`
		OS             string          `json:"os"`
		RecordedAt     string          `json:"recorded_at"`
		Recorder       string          `json:"recorder"`
		Cases          json.RawMessage `json:"cases"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*rec = Recording{Profile: m.Profile, PHPVersion: m.PHPVersion, OpenSSLVersion: m.OpenSSLVersion, OS: m.OS,
		RecordedAt: m.RecordedAt, Recorder: m.Recorder, Cases: map[string]*CaseResult{}}
	d := json.NewDecoder(bytes.NewReader(m.Cases))
	if _, err := d.Token(); err != nil {
		return fmt.Errorf("cases: %v", err)
	}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return err
		}
		name, _ := t.(string)
		var cr CaseResult
		if err := d.Decode(&cr); err != nil {
			return fmt.Errorf("case %q: %v", name, err)
		}
		rec.Order = append(rec.Order, name)
		rec.Cases[name] = &cr
	}
	return nil
}

// UnmarshalJSON reads an observation. It differs from the default decoding
// in one way: "errno": null and "errstr": null are present fields holding
// null (a non-nil *OptInt / *OptStr with a nil V), as PHP left them, not
// absent ones.
func (o *Obs) UnmarshalJSON(b []byte) error {
	type plain Obs // no methods: no recursion
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return err
	}
	if r, ok := keys["errno"]; ok && p.Errno == nil {
		p.Errno = &OptInt{}
		if err := p.Errno.UnmarshalJSON(r); err != nil {
			return err
		}
	}
	if r, ok := keys["errstr"]; ok && p.Errstr == nil {
		p.Errstr = &OptStr{}
		if err := p.Errstr.UnmarshalJSON(r); err != nil {
			return err
		}
	}
	*o = Obs(p)
	return nil
}

// ParseRecording decodes a recording.
func ParseRecording(data []byte) (*Recording, error) {
	var rec Recording
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	return &rec, nil
}

// ReadRecording reads a recording file.
func ReadRecording(path string) (*Recording, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rec Recording
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &rec, nil
}

// WriteFile writes the recording to path.
func (rec *Recording) WriteFile(path string) error {
	data, err := rec.MarshalJSON()
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
