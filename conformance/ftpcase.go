package conformance

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// FTPSpec is the "ftp" block of a server of kind "ftp" (docs/case-format.md,
// "FTP fixture servers"): a small FTP server on loopback with a virtual
// file tree, passive data connections, optional AUTH TLS and faults.
type FTPSpec struct {
	// Files are the tree's files by absolute path, with their contents;
	// their parent directories exist.
	Files map[string][]byte
	// Dirs are further (empty) directories; "/" always exists.
	Dirs []string
	// Users are the accepted logins (name to password); nil accepts any.
	Users map[string]string
	// TLS is how AUTH TLS is answered: the handshake's options; nil
	// refuses AUTH.
	TLS *TLSOptions
	// Replies replace the answer to a command (the verb in upper case,
	// "greeting" for the greeting, "done" for the answer that ends a
	// transfer, 226 otherwise): the text is sent as it is, and a command
	// has no other effect.
	Replies map[string][]byte
	// Hang names the commands never answered, Close those answered by
	// closing the control connection.
	Hang, Close []string
	// NoEPSV answers EPSV with 502, so that the client uses PASV.
	NoEPSV bool
	// PASVHost is the h1,h2,h3,h4 a PASV reply names ("" : 127,0,0,1).
	PASVHost string
	// DataLimit, when not negative, is how many bytes of a file RETR sends
	// before it closes the data connection.
	DataLimit int
	// MDTM is the modification time MDTM reports for every file
	// (YYYYMMDDhhmmss; "" : 20200102030405).
	MDTM string
	// NLSTEOL ends each line of an NLST listing ("\r\n" unless the case
	// says otherwise; "" is allowed).
	NLSTEOL string
}

func parseFTPSpec(r json.RawMessage) (*FTPSpec, error) {
	var s struct {
		Files     map[string]json.RawMessage `json:"files"`
		Dirs      []string                   `json:"dirs"`
		Users     map[string]string          `json:"users"`
		TLS       json.RawMessage            `json:"tls"`
		Replies   map[string]json.RawMessage `json:"replies"`
		Hang      []string                   `json:"hang"`
		Close     []string                   `json:"close"`
		NoEPSV    bool                       `json:"no_epsv"`
		PASVHost  string                     `json:"pasv_host"`
		DataLimit *int                       `json:"data_limit"`
		MDTM      string                     `json:"mdtm"`
		NLSTEOL   *string                    `json:"nlst_eol"`
	}
	if err := decodeStrict(r, &s); err != nil {
		return nil, err
	}
	f := &FTPSpec{Dirs: s.Dirs, Users: s.Users, Hang: upper(s.Hang), Close: upper(s.Close),
		NoEPSV: s.NoEPSV, PASVHost: s.PASVHost, DataLimit: -1, MDTM: s.MDTM, NLSTEOL: "\r\n", Files: map[string][]byte{}, Replies: map[string][]byte{}}
	if s.DataLimit != nil {
		f.DataLimit = *s.DataLimit
	}
	if s.NLSTEOL != nil {
		f.NLSTEOL = *s.NLSTEOL
	}
	for _, p := range append(sortedKeys(s.Files), s.Dirs...) {
		if !strings.HasPrefix(p, "/") {
			return nil, fmt.Errorf("ftp: path %q is not absolute", p)
		}
	}
	for p, v := range s.Files {
		b, err := bytesOf(v)
		if err != nil {
			return nil, fmt.Errorf("ftp: files[%q]: %v", p, err)
		}
		f.Files[p] = b
	}
	for k, v := range s.Replies {
		b, err := bytesOf(v)
		if err != nil {
			return nil, fmt.Errorf("ftp: replies[%q]: %v", k, err)
		}
		if k != "greeting" && k != "done" {
			k = strings.ToUpper(k)
		}
		f.Replies[k] = b
	}
	if len(s.TLS) > 0 {
		a, err := parseAction(json.RawMessage(`{"tls":`+string(s.TLS)+`}`), false)
		if err != nil {
			return nil, fmt.Errorf("ftp: %v", err)
		}
		f.TLS = a.TLS
	}
	return f, nil
}

// bytesOf reads a text as send does: a JSON string, sent as its UTF-8
// bytes.
func bytesOf(v json.RawMessage) ([]byte, error) {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf("takes a string")
	}
	return []byte(s), nil
}

func upper(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToUpper(s)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
