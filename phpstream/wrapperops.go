package phpstream

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// This file is what PHP's wrappers do besides opening (php_stream_wrapper_ops):
// url_stat, unlink, rename, mkdir and rmdir, for the wrappers phpsock has.
// Plain files do them with the file system; php:// has none of them.

// ErrNoURLStat is a URL whose wrapper cannot stat (php://, data:): PHP's
// stat functions then fail ("stat failed for ...").
var ErrNoURLStat = errors.New("phpstream: the wrapper has no url_stat")

// LocateWrapper is PHP's lookup of url's wrapper for an operation other
// than opening (unlink, rename, mkdir, rmdir, stat): the wrapper's label
// ("plainfile", "PHP", "RFC2397", ...), or found false where PHP finds none
// (file://host/...). diag receives the lookup's warning about an unknown
// scheme.
func LocateWrapper(url string, diag DiagnosticFunc) (label string, found bool) {
	w, _, ok := locate(url, diag, false)
	if !ok {
		return "", false
	}
	return wrapperLabel(w), true
}

func wrapperLabel(w string) string {
	switch w {
	case "":
		return "plainfile"
	case "php":
		return "PHP"
	case "data":
		return "RFC2397"
	case "http", "https":
		return "http"
	case "ftp", "ftps":
		return "ftp"
	case "compress.zlib":
		return "ZLIB"
	case "glob":
		return "glob"
	case "phar":
		return "phar"
	}
	return w
}

// plainPath is the file system path of url for the plain files wrapper,
// relative paths taken from dir; ok is false for another wrapper.
func plainPath(url, dir string, diag DiagnosticFunc) (path string, ok bool) {
	w, p, found := locate(url, diag, false)
	if !found || w != "" {
		return "", false
	}
	return resolvePath(dir, p), true
}

// URLStat is the wrapper's url_stat of url (stat(2) for a plain file).
// The wrapper lookup warns on diag about an unknown scheme, as PHP's
// does (recorded: file/unknown-wrapper-stat).
func URLStat(url, dir string, diag DiagnosticFunc) (StatInfo, error) {
	path, ok := plainPath(url, dir, diag)
	if !ok {
		return StatInfo{}, ErrNoURLStat
	}
	return statPath(path)
}

// URLExists is file_exists as PHP answers it for plain files: access(2)
// with F_OK, no stat; other wrappers go through URLStat.
func URLExists(url, dir string) bool {
	path, ok := plainPath(url, dir, nil)
	if !ok {
		_, err := URLStat(url, dir, nil)
		return err == nil
	}
	return accessPath(path) == nil
}

// Unlink is the plain files wrapper's unlink; the error carries the
// errno whose text PHP warns with.
func Unlink(url, dir string) error {
	path, ok := plainPath(url, dir, nil)
	if !ok {
		return ErrUnsupportedURL
	}
	return syscall.Unlink(path)
}

// Rename is the plain files wrapper's rename(2) of from to to.
func Rename(from, to, dir string) error {
	pf, ok1 := plainPath(from, dir, nil)
	pt, ok2 := plainPath(to, dir, nil)
	if !ok1 || !ok2 {
		return ErrUnsupportedURL
	}
	return syscall.Rename(pf, pt)
}

// Rmdir is the plain files wrapper's rmdir(2).
func Rmdir(url, dir string) error {
	path, ok := plainPath(url, dir, nil)
	if !ok {
		return ErrUnsupportedURL
	}
	return syscall.Rmdir(path)
}

// errInvalidPath is the recursive mkdir's failure to expand its path; its
// text is PHP's whole warning.
var errInvalidPath = errors.New("Invalid path")

// Mkdir is the plain files wrapper's mkdir: mkdir(2) with perm, or with
// recursive every missing parent too, as PHP makes them (each with perm);
// the error carries the errno of the mkdir that failed.
func Mkdir(url, dir string, perm uint32, recursive bool) error {
	path, ok := plainPath(url, dir, nil)
	if !ok {
		return ErrUnsupportedURL
	}
	if path == "" && recursive {
		// The recursive mkdir first expands the path, which refuses an
		// empty one ("" or "file://"); mkdir(2) of "" fails with ENOENT
		// (recorded: file/mkdir-empty-path).
		return errInvalidPath
	}
	if !recursive {
		return syscall.Mkdir(path, perm)
	}
	if _, err := statPath(path); err == nil {
		return syscall.EEXIST // PHP checks the whole path first
	}
	// The deepest existing ancestor, then each missing part in order.
	clean := filepath.Clean(path)
	parts := strings.Split(clean, string(filepath.Separator))
	i := len(parts)
	for ; i > 0; i-- {
		p := strings.Join(parts[:i], string(filepath.Separator))
		if p == "" {
			p = string(filepath.Separator)
		}
		if st, err := os.Stat(p); err == nil {
			if !st.IsDir() {
				return syscall.ENOTDIR
			}
			break
		}
	}
	for j := i + 1; j <= len(parts); j++ {
		p := strings.Join(parts[:j], string(filepath.Separator))
		if p == "" {
			continue
		}
		if err := syscall.Mkdir(p, perm); err != nil && !(j < len(parts) && err == syscall.EEXIST) {
			return err
		}
	}
	return nil
}
