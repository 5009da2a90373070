package openssl

import (
	"crypto/tls"
	"slices"
	"sort"
	"sync"
)

// PHPDefaultCiphers is OPENSSL_DEFAULT_STREAM_CIPHERS, the cipher string
// PHP uses when the ssl "ciphers" option is not set.
const PHPDefaultCiphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" +
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:" +
	"DHE-DSS-AES128-GCM-SHA256:kEDH+AESGCM:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA256:" +
	"ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA384:" +
	"ECDHE-RSA-AES256-SHA:ECDHE-ECDSA-AES256-SHA:DHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA:" +
	"DHE-DSS-AES128-SHA256:DHE-RSA-AES256-SHA256:DHE-DSS-AES256-SHA:DHE-RSA-AES256-SHA:AES128-GCM-SHA256:" +
	"AES256-GCM-SHA384:AES128:AES256:HIGH:!SSLv2:!aNULL:!eNULL:!EXPORT:!DES:!MD5:!RC4:!ADH"

// opensslDefaultCiphers is OpenSSL 3.0's "DEFAULT" (OSSL_default_cipher_list).
const opensslDefaultCiphers = "ALL:!COMPLEMENTOFDEFAULT:!eNULL"

// Strength classes (OpenSSL's SSL_STRONG_MASK bits). Every suite of the
// table is HIGH except the eNULL ones; LOW and MEDIUM select nothing.
const (
	strengthLow uint8 = 1 << iota
	strengthMedium
	strengthHigh
	strengthNone
)

func (s *opensslSuite) strength() uint8 {
	if s.enc == eNULL {
		return strengthNone
	}
	return strengthHigh
}

// fips reports membership of OpenSSL's FIPS alias: AES-CBC and AES-GCM
// suites without SRP.
func (s *opensslSuite) fips() bool {
	return s.enc&(eAES128|eAES256|eAES128GCM|eAES256GCM) != 0 && s.kx&kSRP == 0
}

// cipherAlias is one entry of OpenSSL's alias table; zero masks match
// anything.
type cipherAlias struct {
	kx, auth, enc, mac uint32
	minTLS             uint16
	strength           uint8
	fips               bool
	notDefault         bool
}

var cipherAliases = map[string]cipherAlias{
	"ALL":                 {enc: eAllButNULL},
	"COMPLEMENTOFALL":     {enc: eNULL},
	"COMPLEMENTOFDEFAULT": {notDefault: true},
	"kRSA":                {kx: kRSA},
	"kEDH":                {kx: kDHE},
	"kDHE":                {kx: kDHE},
	"DH":                  {kx: kDHE},
	"kEECDH":              {kx: kECDHE},
	"kECDHE":              {kx: kECDHE},
	"ECDH":                {kx: kECDHE},
	"kPSK":                {kx: kPSK},
	"kRSAPSK":             {kx: kRSAPSK},
	"kECDHEPSK":           {kx: kECDHEPSK},
	"kDHEPSK":             {kx: kDHEPSK},
	"kSRP":                {kx: kSRP},
	"aRSA":                {auth: aRSA},
	"aDSS":                {auth: aDSS},
	"DSS":                 {auth: aDSS},
	"aNULL":               {auth: aNULL},
	"aECDSA":              {auth: aECDSA},
	"ECDSA":               {auth: aECDSA},
	"aPSK":                {auth: aPSK},
	"aSRP":                {auth: aSRP},
	"EDH":                 {kx: kDHE, auth: ^aNULL},
	"DHE":                 {kx: kDHE, auth: ^aNULL},
	"EECDH":               {kx: kECDHE, auth: ^aNULL},
	"ECDHE":               {kx: kECDHE, auth: ^aNULL},
	"NULL":                {enc: eNULL},
	"RSA":                 {kx: kRSA, auth: aRSA},
	"ADH":                 {kx: kDHE, auth: aNULL},
	"AECDH":               {kx: kECDHE, auth: aNULL},
	"PSK":                 {kx: kAnyPSK},
	"SRP":                 {kx: kSRP},
	"eNULL":               {enc: eNULL},
	"AES128":              {enc: eAES128 | eAES128GCM | eAES128CCM | eAES128CCM8},
	"AES256":              {enc: eAES256 | eAES256GCM | eAES256CCM | eAES256CCM8},
	"AES":                 {enc: eAESAll},
	"AESGCM":              {enc: eAES128GCM | eAES256GCM},
	"AESCCM":              {enc: eAES128CCM | eAES256CCM | eAES128CCM8 | eAES256CCM8},
	"AESCCM8":             {enc: eAES128CCM8 | eAES256CCM8},
	"CAMELLIA128":         {enc: eCAMELLIA128},
	"CAMELLIA256":         {enc: eCAMELLIA256},
	"CAMELLIA":            {enc: eCAMELLIA128 | eCAMELLIA256},
	"CHACHA20":            {enc: eCHACHA20POLY1305},
	"ARIA":                {enc: eARIA128GCM | eARIA256GCM},
	"ARIAGCM":             {enc: eARIA128GCM | eARIA256GCM},
	"ARIA128":             {enc: eARIA128GCM},
	"ARIA256":             {enc: eARIA256GCM},
	"CBC":                 {enc: eCBC},
	"MD5":                 {mac: mMD5},
	"SHA1":                {mac: mSHA1},
	"SHA":                 {mac: mSHA1},
	"SHA256":              {mac: mSHA256},
	"SHA384":              {mac: mSHA384},
	"SSLv3":               {minTLS: vSSL3},
	"TLSv1":               {minTLS: vTLS10},
	"TLSv1.0":             {minTLS: vTLS10},
	"TLSv1.2":             {minTLS: vTLS12},
	"LOW":                 {strength: strengthLow},
	"MEDIUM":              {strength: strengthMedium},
	"HIGH":                {strength: strengthHigh},
	"FIPS":                {enc: eAllButNULL, fips: true},
}

// suiteByName indexes opensslSuites by OpenSSL name.
var suiteByName = func() map[string]int {
	m := make(map[string]int, len(opensslSuites))
	for i, s := range opensslSuites {
		m[s.name] = i
	}
	return m
}()

// cipherRule is a parsed rule: masks ANDed over the words joined by '+'.
type cipherRule struct {
	cipherAlias
	id    int // index into opensslSuites + 1; 0: none
	found bool
}

func (r *cipherRule) add(w cipherAlias) bool {
	and := func(dst *uint32, m uint32) bool {
		if m == 0 {
			return true
		}
		if *dst == 0 {
			*dst = m
			return true
		}
		*dst &= m
		return *dst != 0
	}
	if !and(&r.kx, w.kx) || !and(&r.auth, w.auth) || !and(&r.enc, w.enc) || !and(&r.mac, w.mac) {
		return false
	}
	if w.strength != 0 {
		if r.strength != 0 {
			r.strength &= w.strength
			if r.strength == 0 {
				return false
			}
		} else {
			r.strength = w.strength
		}
	}
	r.fips = r.fips || w.fips
	r.notDefault = r.notDefault || w.notDefault
	return true
}

func (r *cipherRule) matches(i int) bool {
	s := &opensslSuites[i]
	switch {
	case r.id != 0 && r.id-1 != i,
		r.kx != 0 && r.kx&s.kx == 0,
		r.auth != 0 && r.auth&s.auth == 0,
		r.enc != 0 && r.enc&s.enc == 0,
		r.mac != 0 && r.mac&s.mac == 0,
		r.minTLS != 0 && r.minTLS != s.minTLS,
		r.strength != 0 && r.strength&s.strength() == 0,
		r.fips && !s.fips(),
		r.notDefault && !s.notDefault:
		return false
	}
	return true
}

// cipherList is OpenSSL's working list: every suite not killed, in order,
// each active or not.
type cipherList struct {
	order  []int // suite indexes
	active []bool
	level  int // @SECLEVEL, -1 if not given
}

func newCipherList() *cipherList {
	l := &cipherList{order: make([]int, len(opensslSuites)), active: make([]bool, len(opensslSuites)), level: -1}
	for i := range l.order {
		l.order[i] = i
	}
	return l
}

func (l *cipherList) moveTail(pos int) {
	v := l.order[pos]
	copy(l.order[pos:], l.order[pos+1:])
	l.order[len(l.order)-1] = v
}

func (l *cipherList) moveHead(pos int) {
	v := l.order[pos]
	copy(l.order[1:pos+1], l.order[:pos])
	l.order[0] = v
}

type cipherOp int

const (
	opAdd cipherOp = iota
	opDel
	opOrd
	opKill
	opSpecial
)

// apply runs one rule over the list as ssl_cipher_apply_rule does.
func (l *cipherList) apply(r *cipherRule, op cipherOp) {
	// Snapshot the members in list order (reversed for deletion, so that
	// deleted suites keep their relative order at the head).
	members := slices.Clone(l.order)
	if op == opDel {
		slices.Reverse(members)
	}
	for _, idx := range members {
		if !r.matches(idx) {
			continue
		}
		pos := slices.Index(l.order, idx)
		switch op {
		case opAdd:
			if !l.active[idx] {
				l.moveTail(pos)
				l.active[idx] = true
			}
		case opOrd:
			if l.active[idx] {
				l.moveTail(pos)
			}
		case opDel:
			if l.active[idx] {
				l.moveHead(pos)
				l.active[idx] = false
			}
		case opKill:
			l.order = slices.Delete(l.order, pos, pos+1)
			l.active[idx] = false
		}
	}
}

// strengthSort is @STRENGTH: active suites by strength bits, descending,
// stable.
func (l *cipherList) strengthSort() {
	var act []int
	for _, idx := range l.order {
		if l.active[idx] {
			act = append(act, idx)
		}
	}
	sort.SliceStable(act, func(a, b int) bool { return opensslSuites[act[a]].bits > opensslSuites[act[b]].bits })
	j := 0
	for i, idx := range l.order {
		if l.active[idx] {
			l.order[i] = act[j]
			j++
		}
	}
}

func isCipherSep(c byte) bool { return c == ':' || c == ' ' || c == ';' || c == ',' }

func isCipherWordChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '='
}

// process runs a rule string (ssl_cipher_process_rulestr); false on a
// syntax error or a bad @ command, which fails the whole cipher string.
func (l *cipherList) process(s string) bool {
	ok := true
	i := 0
	for i < len(s) {
		ch := s[i]
		op := opAdd
		switch ch {
		case '-':
			op, i = opDel, i+1
		case '+':
			op, i = opOrd, i+1
		case '!':
			op, i = opKill, i+1
		case '@':
			op, i = opSpecial, i+1
		}
		if isCipherSep(ch) {
			i++
			continue
		}
		var r cipherRule
		var word string
		for {
			start := i
			for i < len(s) && isCipherWordChar(s[i]) {
				i++
			}
			word = s[start:i]
			if word == "" {
				ok, r.found = false, false
				i++
				break
			}
			if op == opSpecial {
				r.found = false
				break
			}
			multi := i < len(s) && s[i] == '+'
			if multi {
				i++
			}
			r.found = true
			if idx, isSuite := suiteByName[word]; isSuite {
				su := &opensslSuites[idx]
				if !r.add(cipherAlias{kx: su.kx, auth: su.auth, enc: su.enc, mac: su.mac}) {
					r.found = false
					break
				}
				r.id = idx + 1
			} else if a, isAlias := cipherAliases[word]; isAlias {
				if a.minTLS != 0 {
					if r.minTLS != 0 && r.minTLS != a.minTLS {
						r.found = false
						break
					}
					r.minTLS = a.minTLS
				}
				if !r.add(a) {
					r.found = false
					break
				}
			} else {
				r.found = false
				break
			}
			if !multi {
				break
			}
		}
		switch {
		case op == opSpecial:
			switch {
			case word == "STRENGTH":
				l.strengthSort()
			case len(word) == 10 && word[:9] == "SECLEVEL=" && word[9] >= '0' && word[9] <= '5':
				l.level = int(word[9] - '0')
			default:
				ok = false
			}
			for i < len(s) && !isCipherSep(s[i]) {
				i++
			}
		case r.found:
			l.apply(&r, op)
		default:
			for i < len(s) && !isCipherSep(s[i]) {
				i++
			}
		}
	}
	return ok
}

// selected returns the active suites in order.
func (l *cipherList) selected() []*opensslSuite {
	var out []*opensslSuite
	for _, idx := range l.order {
		if l.active[idx] {
			out = append(out, &opensslSuites[idx])
		}
	}
	return out
}

// ParseCipherString applies an OpenSSL cipher string as
// SSL_CTX_set_cipher_list does and returns the selected TLS <= 1.2 suites'
// OpenSSL names in order, the security level an @SECLEVEL=n set (-1 if
// none), and false where OpenSSL fails (a syntax error, a bad @ command,
// or nothing selected), which PHP turns into a silent "Failed to enable
// crypto".
func ParseCipherString(s string) (names []string, secLevel int, ok bool) {
	suites, lvl, ok := parseCipherString(s)
	for _, su := range suites {
		names = append(names, su.name)
	}
	return names, lvl, ok
}

func parseCipherString(s string) ([]*opensslSuite, int, bool) {
	// Suite B keywords at the start replace the whole string.
	switch {
	case hasPrefix(s, "SUITEB128ONLY"):
		s = "ECDHE-ECDSA-AES128-GCM-SHA256"
	case hasPrefix(s, "SUITEB128C2"):
		s = "ECDHE-ECDSA-AES256-GCM-SHA384"
	case hasPrefix(s, "SUITEB128"):
		s = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"
	case hasPrefix(s, "SUITEB192"):
		s = "ECDHE-ECDSA-AES256-GCM-SHA384"
	}
	l := newCipherList()
	ok := true
	if hasPrefix(s, "DEFAULT") {
		ok = l.process(opensslDefaultCiphers)
		s = s[len("DEFAULT"):]
		if s != "" && s[0] == ':' {
			s = s[1:]
		}
	}
	if ok && s != "" {
		ok = l.process(s)
	}
	sel := l.selected()
	if !ok || len(sel) == 0 {
		return nil, l.level, false
	}
	return sel, l.level, true
}

// A CipherSpec is a parsed cipher string with what a setup derives from it
// at each security level, computed once per string (CipherSpecFor).
type CipherSpec struct {
	suites []*opensslSuite
	Level  int  // @SECLEVEL, -1 if none
	OK     bool // false where OpenSSL refuses the string
	// IDs are the crypto/tls suites offered at each security level
	// (goSuites(suites, level)), in OpenSSL's order.
	IDs [6][]uint16
	// Any reports for each security level whether OpenSSL offers any suite
	// of the string at all (anyAllowed(suites, level)).
	Any [6]bool
}

// cipherSpecs caches parsed cipher strings: parsing runs OpenSSL's rule
// engine over the whole suite table, which a handshake should not repeat
// for the same string (nearly always PHP's default). The result depends
// on the string alone; shared slices are never modified.
var cipherSpecs = struct {
	sync.Mutex
	m map[string]*CipherSpec
}{m: map[string]*CipherSpec{}}

const cipherSpecsMax = 64

// CipherSpecFor is OpenSSL's reading of the cipher string s
// (SSL_CTX_set_cipher_list) with its per-level results, cached. The
// result is shared: callers must not modify it.
func CipherSpecFor(s string) *CipherSpec {
	cipherSpecs.Lock()
	sp, ok := cipherSpecs.m[s]
	cipherSpecs.Unlock()
	if ok {
		return sp
	}
	sp = &CipherSpec{}
	sp.suites, sp.Level, sp.OK = parseCipherString(s)
	for l := range sp.IDs {
		sp.IDs[l] = slices.Clip(goSuites(sp.suites, l))
		sp.Any[l] = anyAllowed(sp.suites, l)
	}
	cipherSpecs.Lock()
	if len(cipherSpecs.m) >= cipherSpecsMax {
		clear(cipherSpecs.m)
	}
	cipherSpecs.m[s] = sp
	cipherSpecs.Unlock()
	return sp
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// securityBits is the minimum security of each OpenSSL security level.
var securityBits = [6]int{0, 80, 112, 128, 192, 256}

// ClampLevel is how OpenSSL stores a security level (0..5).
func ClampLevel(l int64) int {
	return int(min(max(l, 0), 5))
}

// suiteAllowed reports whether OpenSSL offers s at security level lvl
// (ssl_security / ssl_cipher_disabled for a client).
func (s *opensslSuite) allowedAt(lvl int) bool {
	if lvl <= 0 {
		return true
	}
	if s.bits < securityBits[lvl] {
		return false
	}
	if lvl >= 3 && s.kx&(kRSA|kPSK|kRSAPSK) != 0 { // no forward secrecy
		return false
	}
	if lvl >= 4 && s.mac == mSHA1 {
		return false
	}
	return true
}

// goSuites maps the suites OpenSSL would offer at security level lvl to
// the crypto/tls suites that implement them, keeping OpenSSL's order.
// Suites crypto/tls lacks (DHE, CCM, CAMELLIA, ARIA, PSK, SRP, NULL) are
// dropped: Go cannot offer them.
func goSuites(sel []*opensslSuite, lvl int) []uint16 {
	ids := []uint16{}
	for _, s := range sel {
		if s.allowedAt(lvl) && goHasSuite(s.id) {
			ids = append(ids, s.id)
		}
	}
	return ids
}

// anyAllowed reports whether OpenSSL offers any of sel at level lvl.
func anyAllowed(sel []*opensslSuite, lvl int) bool {
	for _, s := range sel {
		if s.allowedAt(lvl) {
			return true
		}
	}
	return false
}

var goSuiteIDs = func() map[uint16]bool {
	m := map[uint16]bool{}
	for _, s := range tls.CipherSuites() {
		m[s.ID] = true
	}
	for _, s := range tls.InsecureCipherSuites() {
		m[s.ID] = true
	}
	return m
}()

func goHasSuite(id uint16) bool { return goSuiteIDs[id] }

// EphemeralKeyExchange reports whether id is a TLS <= 1.2 suite of the
// table with an ECDHE or DHE key exchange.
func EphemeralKeyExchange(id uint16) bool {
	su := suiteByID(id)
	return su != nil && su.kx&(kECDHE|kDHE) != 0
}

// suiteByID finds a TLS <= 1.2 suite of the table.
func suiteByID(id uint16) *opensslSuite {
	for i := range opensslSuites {
		if opensslSuites[i].id == id {
			return &opensslSuites[i]
		}
	}
	return nil
}

// CipherInfo is what stream_get_meta_data reports about a negotiated suite:
// OpenSSL's name, its bits and SSL_CIPHER_get_version (the suite's minimum
// protocol, not the negotiated one).
func CipherInfo(id uint16) (name string, bits int, version string) {
	switch id {
	case tls.TLS_AES_128_GCM_SHA256:
		return "TLS_AES_128_GCM_SHA256", 128, "TLSv1.3"
	case tls.TLS_AES_256_GCM_SHA384:
		return "TLS_AES_256_GCM_SHA384", 256, "TLSv1.3"
	case tls.TLS_CHACHA20_POLY1305_SHA256:
		return "TLS_CHACHA20_POLY1305_SHA256", 256, "TLSv1.3"
	}
	if s := suiteByID(id); s != nil {
		v := "TLSv1.2"
		switch s.minTLS {
		case vSSL3:
			v = "SSLv3"
		case vTLS10:
			v = "TLSv1.0"
		}
		return s.name, s.bits, v
	}
	// Suites Go has and OpenSSL 3.0 (as built) has not: Go's name.
	return tls.CipherSuiteName(id), 0, "(NONE)"
}
