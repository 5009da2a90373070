package phpstream

import "strings"

// This file is PHP's URL parser (php_url_parse_ex2 in ext/standard/url.c,
// what parse_url uses), which the http wrapper splits its URLs with, and
// php_strip_url_passwd, which hides a password in the URL a failed open's
// warning shows.

// phpURL is a php_url: each part with whether it is present (PHP's NULL
// or not); control characters in every part are '_' (as PHP replaces
// them).
type phpURL struct {
	scheme, user, pass, host, path, query, fragment string

	hasScheme, hasUser, hasPass, hasHost, hasPath, hasQuery, hasFragment bool

	port    uint16
	hasPort bool
}

// parsePHPURL is php_url_parse_ex2; ok is false where PHP returns NULL
// (a port out of range or too long, no host before a port, ...).
func parsePHPURL(str string) (*phpURL, bool) {
	u := &phpURL{}
	s, ue := 0, len(str)
	relative := func() bool { return s+1 < ue && str[s] == '/' && str[s+1] == '/' }
	e := strings.IndexByte(str, ':')
	switch {
	case e > 0:
		// a scheme = 1*[ alpha | digit | "+" | "-" | "." ]
		for p := s; p < e; p++ {
			c := str[p]
			if isSchemeChar(c) {
				continue
			}
			switch {
			case e+1 < ue && e < strcspnEnd(str, s, ue, "?#"):
				return u.parsePort(str, s, e, ue)
			case relative():
				return u.parseHost(str, s+2, ue)
			}
			return u.parsePath(str, s, ue)
		}
		if e+1 == ue { // only a scheme
			u.scheme, u.hasScheme = ctrlToUnderscore(str[s:e]), true
			return u, true
		}
		if str[e+1] != '/' {
			// a.com:80 is a host and a port, mailto:x a scheme and a path
			p := e + 1
			for p < ue && isDigit(str[p]) {
				p++
			}
			if (p == ue || str[p] == '/') && p-e < 7 {
				return u.parsePort(str, s, e, ue)
			}
			u.scheme, u.hasScheme = ctrlToUnderscore(str[s:e]), true
			return u.parsePath(str, e+1, ue)
		}
		u.scheme, u.hasScheme = ctrlToUnderscore(str[s:e]), true
		if !(e+2 < ue && str[e+2] == '/') {
			return u.parsePath(str, e+1, ue)
		}
		s = e + 3
		if strings.EqualFold(u.scheme, "file") && e+3 < ue && str[e+3] == '/' {
			if e+5 < ue && str[e+5] == ':' {
				s = e + 4 // file:///c:/x
			}
			return u.parsePath(str, s, ue)
		}
		return u.parseHost(str, s, ue)
	case e == 0:
		return u.parsePort(str, s, e, ue)
	case relative():
		return u.parseHost(str, s+2, ue)
	}
	return u.parsePath(str, s, ue)
}

// parsePort is the parse_port label: a colon at e starts a port (or not).
func (u *phpURL) parsePort(str string, s, e, ue int) (*phpURL, bool) {
	p := e + 1
	pp := p
	for pp < ue && pp-p < 6 && isDigit(str[pp]) {
		pp++
	}
	switch {
	case pp-p > 0 && pp-p < 6 && (pp == ue || str[pp] == '/'):
		port := atoiDigits(str[p:pp])
		if port > 65535 {
			return nil, false
		}
		u.port, u.hasPort = uint16(port), true
		if s+1 < ue && str[s] == '/' && str[s+1] == '/' {
			s += 2
		}
	case p == pp && pp == ue:
		return nil, false
	case s+1 < ue && str[s] == '/' && str[s+1] == '/':
		s += 2
	default:
		return u.parsePath(str, s, ue)
	}
	return u.parseHost(str, s, ue)
}

// parsePath is the just_path label: path, query and fragment from s.
func (u *phpURL) parsePath(str string, s, ue int) (*phpURL, bool) {
	e := ue
	if i := strings.IndexByte(str[s:e], '#'); i >= 0 {
		p := s + i + 1
		u.fragment, u.hasFragment = ctrlToUnderscore(str[p:e]), true
		e = p - 1
	}
	if i := strings.IndexByte(str[s:e], '?'); i >= 0 {
		p := s + i + 1
		u.query, u.hasQuery = ctrlToUnderscore(str[p:e]), true
		e = p - 1
	}
	if s < e || s == ue {
		u.path, u.hasPath = ctrlToUnderscore(str[s:e]), true
	}
	return u, true
}

// parseHost is the parse_host label: user info, host and port from s.
func (u *phpURL) parseHost(str string, s, ue int) (*phpURL, bool) {
	e := strcspnEnd(str, s, ue, "/?#")
	if at := strings.LastIndexByte(str[s:e], '@'); at >= 0 {
		p := s + at
		if c := strings.IndexByte(str[s:p], ':'); c >= 0 {
			u.user, u.hasUser = ctrlToUnderscore(str[s:s+c]), true
			u.pass, u.hasPass = ctrlToUnderscore(str[s+c+1:p]), true
		} else {
			u.user, u.hasUser = ctrlToUnderscore(str[s:p]), true
		}
		s = p + 1
	}
	p := -1
	if !(s < ue && str[s] == '[' && e > 0 && str[e-1] == ']') {
		if i := strings.LastIndexByte(str[s:e], ':'); i >= 0 {
			p = s + i
		}
	}
	if p >= 0 {
		if u.port == 0 {
			q := p + 1
			if e-q > 5 {
				return nil, false
			}
			if e-q > 0 {
				port, ok := strtolPort(str[q:e])
				if !ok {
					return nil, false
				}
				u.port, u.hasPort = port, true
			}
		}
	} else {
		p = e
	}
	if p-s < 1 {
		return nil, false
	}
	u.host, u.hasHost = ctrlToUnderscore(str[s:p]), true
	if e == ue {
		return u, true
	}
	return u.parsePath(str, e, ue)
}

// strtolPort is the port check of php_url_parse_ex2: strtol of at most 5
// characters must read something and give 0..65535.
func strtolPort(s string) (uint16, bool) {
	n, _, digits := strtolEnd(s)
	if !digits || n < 0 || n > 65535 {
		return 0, false
	}
	return uint16(n), true
}

func atoiDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// strcspnEnd is binary_strcspn: the first position in [s, e) of any byte
// of chars, or e.
func strcspnEnd(str string, s, e int, chars string) int {
	if i := strings.IndexAny(str[s:e], chars); i >= 0 {
		return s + i
	}
	return e
}

// ctrlToUnderscore is php_replace_controlchars_ex: every iscntrl byte
// (0-31, 127) becomes '_'.
func ctrlToUnderscore(s string) string {
	if !hasCtrl(s) {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if isCtrl(c) {
			b[i] = '_'
		}
	}
	return string(b)
}

// hasPrefixFold is strncasecmp(s, prefix, len(prefix)) == 0.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// hasCtrl reports an iscntrl byte in s.
func hasCtrl(s string) bool {
	for i := 0; i < len(s); i++ {
		if isCtrl(s[i]) {
			return true
		}
	}
	return false
}

// isCtrl is C's iscntrl: 0-31 and 127.
func isCtrl(c byte) bool { return c < 32 || c == 127 }

// StripURLPassword is php_strip_url_passwd, how PHP shows a URL in the
// warning of a failed open: after the first "://", what comes before the
// first '@' that follows is replaced by (at most) three dots
// ("http://u:p@h/" is "http://...@h/").
func StripURLPassword(url string) string {
	i := strings.Index(url, "://")
	if i < 0 {
		return url
	}
	start := i + 3
	at := strings.IndexByte(url[start:], '@')
	if at < 0 {
		return url
	}
	dots := min(3, at)
	return url[:start] + strings.Repeat(".", dots) + url[start+at:]
}
