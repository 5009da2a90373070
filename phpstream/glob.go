package phpstream

import (
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is PHP's glob:// wrapper (main/streams/glob_wrapper.c), which
// only opens directories: opendir("glob://PATTERN") runs glob(3) on the
// pattern with no flags, as glibc does it, and lists the base name of each
// match in glob's order (sorted by the whole path, byte order in PHP's "C"
// collation). No match is an empty listing, not a failure; the listing
// rewinds; stream_get_meta_data shows wrapper_type and stream_type "glob"
// and no uri (recorded: dir/glob-*).
//
// glob(3) without flags, as implemented here:
//
//   - the pattern is split at its last '/': the directory part is globbed
//     first when it has wildcards (keeping only directories), else used as
//     written; the last part is matched against each directory's entries
//     ("." when there is no directory part);
//   - a part without wildcards only has to exist (lstat(2));
//   - a pattern ending in '/' matches directories, listed with the '/';
//   - wildcards are fnmatch(3)'s with FNM_PERIOD in C.UTF-8 (fnmatch);
//     a leading '.' is only matched by a '.' in the pattern;
//   - directories that cannot be read add nothing (no GLOB_ERR).

// globDir is a glob:// listing: the matches' base names.
type globDir struct {
	names []string
	i     int
}

var (
	_ DirOps      = (*globDir)(nil)
	_ DirRewinder = (*globDir)(nil)
)

// openGlobDir is php_glob_stream_opener for the pattern after "glob://";
// relative patterns are looked up from o.Dir.
func openGlobDir(pattern string, o OpenOptions) (DirOps, DirInfo, error) {
	pattern = strings.TrimPrefix(pattern, "glob://")
	matches := globPaths(pattern, o.Dir)
	g := &globDir{names: make([]string, len(matches))}
	for i, m := range matches {
		g.names[i] = globBase(m)
	}
	return g, DirInfo{WrapperType: "glob", StreamType: "glob"}, nil
}

// globBase is php_glob_stream_path_split's name: what follows the last
// '/' ("" for a match that ends in one).
func globBase(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

func (g *globDir) Readdir(DiagnosticFunc) (string, bool) {
	if g.i >= len(g.names) {
		return "", false
	}
	g.i++
	return g.names[g.i-1], true
}

func (g *globDir) Rewind(DiagnosticFunc) { g.i = 0 }
func (g *globDir) Close(DiagnosticFunc)  { g.names = nil }

// globPaths is glob(3) of pattern without flags, as glibc answers it: the
// matching paths, spelled as the pattern spells them, sorted in byte
// order; relative patterns are looked up from dir ("" : the process's
// working directory).
func globPaths(pattern, dir string) []string {
	out := globExpand(pattern, dir)
	sort.Strings(out)
	return out
}

// globExpand is glob without the final sort.
func globExpand(pattern, dir string) []string {
	if pattern == "" {
		return nil
	}
	slash := strings.LastIndexByte(pattern, '/')
	if slash < 0 {
		return globIn("", pattern, dir)
	}
	dirPart, file := pattern[:slash], pattern[slash+1:]
	if dirPart == "" {
		dirPart = "/"
	}
	var dirs []string
	if hasGlobMagic(dirPart) && dirPart != "/" {
		for _, d := range globExpand(strings.TrimRight(dirPart, "/"), dir) {
			if isDirPath(resolvePath(dir, d)) {
				dirs = append(dirs, d)
			}
		}
	} else {
		dirs = []string{globUnescape(dirPart)}
	}
	if file == "" {
		// "dir/": the directories themselves, with the slash.
		var out []string
		for _, d := range dirs {
			if isDirPath(resolvePath(dir, d)) {
				out = append(out, strings.TrimRight(d, "/")+"/")
			}
		}
		return out
	}
	var out []string
	for _, d := range dirs {
		out = append(out, globIn(d, file, dir)...)
	}
	return out
}

// globIn matches one pattern part in directory d (as spelled; "" is
// "."), giving d/name for each match.
func globIn(d, part, dir string) []string {
	join := func(name string) string {
		switch d {
		case "":
			return name
		case "/":
			return d + name
		}
		return d + "/" + name // "sub/" joins as "sub//x1", as glibc's does
	}
	fsDir := d
	if fsDir == "" {
		fsDir = "."
	}
	fsDir = resolvePath(dir, fsDir)
	if !hasGlobMagic(part) {
		name := globUnescape(part)
		if _, err := os.Lstat(fsDir + "/" + name); err != nil {
			return nil
		}
		return []string{join(name)}
	}
	ops, err := openPlainDir(fsDir)
	if err != nil {
		return nil
	}
	defer ops.Close(nil)
	var out []string
	for {
		name, ok := ops.Readdir(nil)
		if !ok {
			return out
		}
		if fnmatch(part, name) {
			out = append(out, join(name))
		}
	}
}

func isDirPath(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// hasGlobMagic is __glob_pattern_p with escapes: an unescaped '*', '?',
// or a '[' that a ']' closes.
func hasGlobMagic(p string) bool {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '*', '?':
			return true
		case '[':
			if strings.LastIndexByte(p, ']') > i {
				return true
			}
		}
	}
	return false
}

// globUnescape removes the backslashes of a part without wildcards.
func globUnescape(p string) string {
	if strings.IndexByte(p, '\\') < 0 {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// fnmatch is fnmatch(3) of name against pattern with FNM_PERIOD, in the
// locale PHP 8.2 runs with (LC_CTYPE C.UTF-8 whatever the environment,
// LC_COLLATE C): '*' any characters, '?' one character, '[...]' a bracket
// expression over characters (ranges by code point, classes by Unicode
// category), '\' quotes the next character; a leading '.' of name matches
// only a literal '.'; a '[' without its ']' is an ordinary character.
// Characters are UTF-8 sequences; when the pattern or the name is not
// valid UTF-8, both are matched byte by byte instead, as glibc falls back
// to when its conversion to wide characters fails (bytes from 0x80 on are
// then in no class).
func fnmatch(pattern, name string) bool {
	if !utf8.ValidString(pattern) || !utf8.ValidString(name) {
		return compileFnmatch(byteRunes(pattern)).match(byteRunes(name))
	}
	return compileFnmatch([]rune(pattern)).match([]rune(name))
}

// byteRunes is s one character per byte, the bytes from 0x80 on moved to
// private code points, which no class holds and which keep their order.
func byteRunes(s string) []rune {
	out := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = rune(s[i])
		if s[i] >= utf8.RuneSelf {
			out[i] += 0x10FF00
		}
	}
	return out
}

// fnPattern is a pattern with where its bracket expressions and classes
// end, found in one pass from the right, so that matching never scans
// ahead for them.
type fnPattern struct {
	p []rune
	// colon[k] is the first ":]" at k or after (the index of its ':'),
	// -1 if none; close[k] is the ']' that ends a bracket expression
	// whose members are read from k on (escapes and closed [:classes:]
	// skipped), -1 if none. Both have len(p)+2 entries.
	colon, close []int32
}

func compileFnmatch(p []rune) *fnPattern {
	n := len(p)
	f := &fnPattern{p: p, colon: make([]int32, n+2), close: make([]int32, n+2)}
	f.colon[n], f.colon[n+1] = -1, -1
	f.close[n], f.close[n+1] = -1, -1
	for k := n - 1; k >= 0; k-- {
		f.colon[k] = f.colon[k+1]
		if p[k] == ':' && k+1 < n && p[k+1] == ']' {
			f.colon[k] = int32(k)
		}
	}
	for k := n - 1; k >= 0; k-- {
		switch {
		case p[k] == '\\' && k+1 < n:
			f.close[k] = f.close[k+2]
		case p[k] == '[' && k+1 < n && p[k+1] == ':':
			if j := f.colon[k+2]; j >= 0 {
				f.close[k] = f.close[j+2]
			} else {
				f.close[k] = f.close[k+1]
			}
		case p[k] == ']':
			f.close[k] = int32(k)
		default:
			f.close[k] = f.close[k+1]
		}
	}
	return f
}

// bracketEnd is the index of the ']' closing the bracket expression that
// starts with the '[' at i; ok false when none does.
func (f *fnPattern) bracketEnd(i int) (int, bool) {
	p := f.p
	k := i + 1
	if k < len(p) && (p[k] == '!' || p[k] == '^') {
		k++
	}
	if k < len(p) && p[k] == ']' {
		k++ // a ']' first is a member
	}
	end := f.close[min(k, len(p))]
	return int(end), end >= 0
}

// match matches n against the pattern in one pass, going back only to the
// last '*': at most len(p)*len(n) steps whatever the stars (glibc's
// fnmatch backtracks through every star and can take exponential time),
// each of constant cost but a bracket expression's, which reads its
// members once.
func (f *fnPattern) match(n []rune) bool {
	p := f.p
	if len(n) > 0 && n[0] == '.' && len(p) > 0 {
		// FNM_PERIOD: no wildcard matches a leading '.' (recorded in
		// testdata/glob.json: "[.]hid", ".*").
		switch p[0] {
		case '*', '?':
			return false
		case '[':
			if _, ok := f.bracketEnd(0); ok {
				return false
			}
		}
	}
	pi, ni := 0, 0
	starP, starN := -1, 0
	for ni < len(n) {
		if pi < len(p) {
			if p[pi] == '*' {
				for pi < len(p) && p[pi] == '*' {
					pi++
				}
				starP, starN = pi, ni
				continue
			}
			if matched, width := f.matchOne(pi, n[ni]); matched {
				pi += width
				ni++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		starN++
		pi, ni = starP, starN
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// matchOne matches one character c against the pattern element at i (not
// a '*'): whether it matches and the element's length.
func (f *fnPattern) matchOne(i int, c rune) (matched bool, width int) {
	p := f.p
	switch p[i] {
	case '?':
		return true, 1
	case '[':
		if end, ok := f.bracketEnd(i); ok {
			return f.bracketMatch(i+1, end, c), end - i + 1
		}
	case '\\':
		if i+1 < len(p) {
			return c == p[i+1], 2
		}
	}
	return c == p[i], 1
}

// bracketMatch reports whether c is a member of the bracket expression
// whose members are p[start:end].
func (f *fnPattern) bracketMatch(start, end int, c rune) bool {
	body := f.p[:end]
	i := start
	negate := false
	if i < end && (body[i] == '!' || body[i] == '^') {
		negate = true
		i++
	}
	match := false
	for i < end {
		if body[i] == '[' && i+1 < end && body[i+1] == ':' {
			// A class ends at the first ":]" inside the members.
			if j := int(f.colon[min(i+2, len(f.p))]); j >= 0 && j+1 < end {
				if charClass(string(body[i+2:j]), c) {
					match = true
				}
				i = j + 2
				continue
			}
		}
		lo := body[i]
		if lo == '\\' && i+1 < end {
			i++
			lo = body[i]
		}
		i++
		hi := lo
		if i+1 < end && body[i] == '-' {
			hi = body[i+1]
			if hi == '\\' && i+2 < end {
				hi = body[i+2]
				i++
			}
			i += 2
		}
		if lo <= c && c <= hi {
			match = true
		}
	}
	return match != negate
}

// charClass is a [:name:] class of C.UTF-8: POSIX's for ASCII, Unicode's
// categories beyond it; an unknown name matches nothing.
func charClass(name string, c rune) bool {
	ascii := c < utf8.RuneSelf
	switch name {
	case "alpha":
		return unicode.IsLetter(c)
	case "digit":
		return '0' <= c && c <= '9'
	case "alnum":
		return unicode.IsLetter(c) || '0' <= c && c <= '9'
	case "upper":
		return unicode.IsUpper(c)
	case "lower":
		return unicode.IsLower(c)
	case "space":
		return c == ' ' || '\t' <= c && c <= '\r' || !ascii && unicode.IsSpace(c)
	case "blank":
		return c == ' ' || c == '\t' || !ascii && unicode.Is(unicode.Zs, c)
	case "punct":
		if ascii {
			return c > ' ' && c < 0x7f && !charClass("alnum", c)
		}
		return unicode.IsPunct(c) || unicode.IsSymbol(c)
	case "print":
		return ascii && c >= ' ' && c < 0x7f || !ascii && unicode.IsPrint(c)
	case "graph":
		return ascii && c > ' ' && c < 0x7f || !ascii && unicode.IsGraphic(c) && !unicode.IsSpace(c)
	case "cntrl":
		return unicode.IsControl(c)
	case "xdigit":
		return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
	}
	return false
}
