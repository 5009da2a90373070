package openssl

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unicode"
	"unicode/utf8"
)

// OpenSSL's certificate stores: CA files (X509_LOOKUP_load_file), hashed
// CA directories (X509_LOOKUP_hash_dir) and the trust anchors and
// intermediates verification takes from them, cached by file version.

// A CAStore is a parsed set of CA certificates: roots are the self-signed
// ones (OpenSSL's trust anchors without X509_V_FLAG_PARTIAL_CHAIN),
// others the rest (usable as intermediates).
//
// A store is shared by every connect whose CA files are unchanged, so what
// verification needs of it is computed once here: anchors remembers which
// certificates passed the self-signed test (a signature check each, too
// costly to repeat per handshake), inter holds others as a pool.
type CAStore struct {
	Roots   *x509.CertPool // the trust anchors
	others  []*x509.Certificate
	anchors map[*x509.Certificate]struct{}
	inter   *x509.CertPool // others; nil when there are none
}

func NewCAStore(certs []*x509.Certificate) *CAStore {
	s := &CAStore{Roots: x509.NewCertPool(), anchors: map[*x509.Certificate]struct{}{}}
	for _, c := range certs {
		if selfSigned(c) {
			s.Roots.AddCert(c)
			s.anchors[c] = struct{}{}
		} else {
			s.others = append(s.others, c)
		}
	}
	if len(s.others) > 0 {
		s.inter = x509.NewCertPool()
		for _, c := range s.others {
			s.inter.AddCert(c)
		}
	}
	return s
}

// selfSigned is the package's selfSigned for c, answered without a
// signature check for the store's own trust anchors.
func (s *CAStore) selfSigned(c *x509.Certificate) bool {
	if _, ok := s.anchors[c]; ok {
		return true
	}
	return selfSigned(c)
}

// intermediates is the pool of the store's other certificates and the
// peer's extra ones (peer[1:]); nil when there are none.
func (s *CAStore) intermediates(peer []*x509.Certificate) *x509.CertPool {
	if len(peer) <= 1 {
		return s.inter
	}
	var pool *x509.CertPool
	if s.inter != nil {
		pool = s.inter.Clone()
	} else {
		pool = x509.NewCertPool()
	}
	for _, c := range peer[1:] {
		pool.AddCert(c)
	}
	return pool
}

// FileKey identifies one version of a file: a replaced or rewritten file
// gets a new key, so the cache never serves stale certificates.
type FileKey struct {
	path       string
	dev, ino   uint64
	size       int64
	mtimeNanos int64
}

// AppendID appends the key's identity to b: the path (a path holds no
// NUL) and the numbers, NUL-terminated.
func (k FileKey) AppendID(b []byte) []byte {
	b = append(append(b, k.path...), 0)
	for _, v := range [...]uint64{k.dev, k.ino, uint64(k.size), uint64(k.mtimeNanos)} {
		b = append(strconv.AppendUint(b, v, 16), ' ')
	}
	return append(b, 0)
}

func statKey(path string) (FileKey, os.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return FileKey{}, nil, err
	}
	k := FileKey{path: path, size: fi.Size(), mtimeNanos: fi.ModTime().UnixNano()}
	k.dev, k.ino = fileIdentity(fi)
	return k, fi, nil
}

// caCache caches parsed certificate files by FileKey and assembled stores
// by the keys of their files. Every lookup stats the files first.
var caCache = struct {
	sync.Mutex
	files  map[FileKey][]*x509.Certificate
	stores map[string]*CAStore
}{files: map[FileKey][]*x509.Certificate{}, stores: map[string]*CAStore{}}

const caCacheMax = 256

// PEMCertificates parses every CERTIFICATE block of data (what OpenSSL's
// X509_LOOKUP_load_file and PHP's cafile stream fallback accept),
// skipping other blocks and unparsable certificates.
func PEMCertificates(data []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out
		}
		if b.Type != "CERTIFICATE" && b.Type != "TRUSTED CERTIFICATE" && b.Type != "X509 CERTIFICATE" {
			continue
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			out = append(out, c)
		}
	}
}

// CachedFile returns the certificates of path (from the cache when the
// file is unchanged) and its key.
func CachedFile(path string, filter func(*x509.Certificate) bool) ([]*x509.Certificate, FileKey, error) {
	k, fi, err := statKey(path)
	if err != nil {
		return nil, k, err
	}
	if fi.IsDir() {
		return nil, k, syscall.EISDIR
	}
	caCache.Lock()
	certs, ok := caCache.files[k]
	caCache.Unlock()
	if !ok {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, k, err
		}
		certs = PEMCertificates(data)
		caCache.Lock()
		if len(caCache.files) >= caCacheMax {
			clear(caCache.files)
			clear(caCache.stores)
		}
		caCache.files[k] = certs
		caCache.Unlock()
	}
	if filter != nil {
		var kept []*x509.Certificate
		for _, c := range certs {
			if filter(c) {
				kept = append(kept, c)
			}
		}
		certs = kept
	}
	return certs, k, nil
}

// CapathCertificates loads a hashed directory the way OpenSSL's
// X509_LOOKUP_hash_dir finds issuers: files HASH.N for N = 0, 1, ... up to
// the first missing one, keeping only certificates whose subject hash is
// HASH. Files under other names are never consulted.
func CapathCertificates(dir string) ([]*x509.Certificate, []FileKey) {
	var certs []*x509.Certificate
	var keys []FileKey
	names, err := filepath.Glob(filepath.Join(dir, "*.0"))
	if err != nil {
		return nil, nil
	}
	for _, first := range names {
		base := filepath.Base(first)
		hash := strings.TrimSuffix(base, ".0")
		if len(hash) != 8 || strings.Trim(hash, "0123456789abcdef") != "" {
			continue
		}
		for n := 0; ; n++ {
			path := filepath.Join(dir, fmt.Sprintf("%s.%d", hash, n))
			fc, k, err := CachedFile(path, func(c *x509.Certificate) bool { return subjectHash(c) == hash })
			if err != nil {
				break
			}
			certs = append(certs, fc...)
			keys = append(keys, k)
		}
	}
	return certs, keys
}

// subjectHash is OpenSSL's X509_NAME_hash (X509_subject_name_hash): the
// first four bytes, little-endian, of SHA-1 over the canonical encoding of
// the subject, as 8 hex digits.
func subjectHash(c *x509.Certificate) string {
	var rdns pkix.RDNSequence
	if _, err := asn1.Unmarshal(c.RawSubject, &rdns); err != nil {
		return ""
	}
	var canon []byte
	for _, set := range rdns {
		var atvs []byte
		for _, atv := range set {
			val := canonicalNameValue(atv.Value)
			seq, err := asn1.Marshal(struct {
				Type  asn1.ObjectIdentifier
				Value asn1.RawValue
			}{atv.Type, asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte(val)}})
			if err != nil {
				return ""
			}
			atvs = append(atvs, seq...)
		}
		set, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: atvs})
		if err != nil {
			return ""
		}
		canon = append(canon, set...)
	}
	sum := sha1.Sum(canon)
	return fmt.Sprintf("%08x", binary.LittleEndian.Uint32(sum[:4]))
}

// canonicalNameValue is OpenSSL's canonical form of a string attribute:
// leading and trailing white space removed, inner runs folded to one
// space, ASCII letters lowered.
func canonicalNameValue(v any) string {
	s, ok := v.(string)
	if !ok {
		return fmt.Sprint(v)
	}
	var b bytes.Buffer
	space := false
	s = strings.TrimFunc(s, isCanonSpace)
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		if isCanonSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r < utf8.RuneSelf {
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isCanonSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
}

// CachedStore returns the store made of fileCerts and pathCerts, cached
// under id (the AppendID keys of the files they came from): an unchanged
// set of files costs a lookup, not even a copy of its list.
func CachedStore(id string, fileCerts, pathCerts []*x509.Certificate) *CAStore {
	caCache.Lock()
	s, ok := caCache.stores[id]
	caCache.Unlock()
	if !ok {
		s = NewCAStore(append(slices.Clip(fileCerts), pathCerts...))
		caCache.Lock()
		if len(caCache.stores) >= caCacheMax {
			clear(caCache.stores) // stream-loaded cafiles add stores without files
		}
		caCache.stores[id] = s
		caCache.Unlock()
	}
	return s
}
