package phpstream

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// This file is what PHP's wrappers do besides opening (php_stream_wrapper_ops):
// url_stat, unlink, rename, mkdir and rmdir, one function each for every
// wrapper, as OpenURL is for opening. Plain files do them with the file
// system, ftp:// and ftps:// with FTP commands (ftp.go), a wrapper
// registered at run time with its URLOps; the other built-in wrappers
// (php://, data:, http://, glob://, ...) have none of them. PHP's
// warnings go to OpenOptions.Diagnostics, as the PHP function raising
// them would; a failure is an *OpError.

// Causes of the wrapper operations' failures, found with errors.Is in the
// *OpError they return; a failed system call is its syscall.Errno instead.
var (
	// ErrNoWrapper is a URL for which PHP finds no wrapper (file://host/...,
	// or plain files unregistered): unlink and rename warn "Unable to
	// locate stream wrapper".
	ErrNoWrapper = errors.New("phpstream: no wrapper for the URL")
	// ErrNotSupported is a wrapper without the operation (php://, data:,
	// http://, ...; URLExists for any wrapper but plain files): unlink
	// warns "%s does not allow unlinking", rename "%s wrapper does not
	// support renaming", the others fail silently.
	ErrNotSupported = errors.New("phpstream: the wrapper does not support the operation")
	// ErrCrossWrapper is a rename whose URLs have different wrappers:
	// "Cannot rename a file across wrapper types".
	ErrCrossWrapper = errors.New("phpstream: rename across wrapper types")
	// ErrOpFailed is a wrapper's failure without an errno: an FTP server's
	// refusal, a run-time wrapper's method returning false or missing.
	ErrOpFailed = errors.New("phpstream: the wrapper's operation failed")
)

// Flags of URLStat, as PHP's PHP_STREAM_URL_STAT_* (a run-time wrapper's
// url_stat receives them as given).
const (
	// URLStatLink asks about a symbolic link itself (lstat(2)).
	URLStatLink = 1
	// URLStatQuiet asks the wrapper not to warn.
	URLStatQuiet = 2
)

// URLOps is implemented by a wrapper registered at run time
// (Registry.Register) for PHP's wrapper operations besides opening:
// URLStat, Unlink, Rename, Mkdir and Rmdir call these methods after the
// wrapper lookup found it (the caller opens its streams itself:
// ErrUserWrapper). o is the operation's OpenOptions: warnings go to
// o.Diagnostics, o.Context is the operation's context (nil for none) and
// o.Caller is the calling code's. ok false is PHP's failure. A run-time
// wrapper without URLOps has none of the operations.
type URLOps interface {
	// URLStat is url_stat with PHP's flags (URLStatLink, URLStatQuiet
	// and the others PHP passes).
	URLStat(url string, flags int, o OpenOptions) (st StatInfo, ok bool)
	// Unlink is unlink.
	Unlink(url string, o OpenOptions) (ok bool)
	// Rename is rename of from to to (both found to be this wrapper's).
	Rename(from, to string, o OpenOptions) (ok bool)
	// Mkdir is mkdir with PHP's (int) of the mode and the recursive flag.
	Mkdir(url string, perm uint32, recursive bool, o OpenOptions) (ok bool)
	// Rmdir is rmdir.
	Rmdir(url string, o OpenOptions) (ok bool)
}

// opError is the *OpError of a wrapper operation op on url failing with
// cause err (a syscall.Errno also becomes the OpError's Errno).
func opError(op, url string, err error) *OpError {
	e := &OpError{Op: op, Net: "file", Address: url, Err: err}
	if scheme, ok := wrapperScheme(url); ok {
		e.Net = strings.ToLower(scheme)
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		e.Errno = errno
	}
	return e
}

// wrapperLabel is the label PHP's warnings name a wrapper by
// (wops->label): the run-time wrappers' is "user-space".
func wrapperLabel(l Located) string {
	if l.User != nil {
		return UserStreamLabel
	}
	switch l.Wrapper {
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
	}
	return l.Wrapper // glob, phar
}

// sameWrapper reports whether two lookups found the same wrapper (PHP
// compares the wrappers' addresses: ftp:// and ftps:// are one, so are
// http:// and https://).
func sameWrapper(a, b Located) bool {
	if a.User != nil || b.User != nil {
		return a.User == b.User
	}
	return wrapperLabel(a) == wrapperLabel(b)
}

// plainURL is url without a leading "file://" in any case: what the plain
// files wrapper's operations name in their warnings (recorded:
// file/rename-file-url-message, wrapperops/file-url-messages).
//
// The plain files wrapper's unlink, rename, rmdir and mkdir act on that
// path too, not on the one the lookup made of it: "file://localhost/x" is
// the relative path "localhost/x" to them (recorded:
// wrapperops/file-localhost), where url_stat and opens read "/x".
func plainURL(url string) string {
	if hasPrefixFold(url, "file://") {
		return url[7:]
	}
	return url
}

// warnErrno raises a plain files operation's warning: strerror of err,
// with PHP's php_error_docref1 parameter param.
func warnErrno(diag DiagnosticFunc, param string, err error) {
	if diag != nil {
		diag(Diagnostic{Level: EWarning, Param: param, Message: errnoTextOf(err), Prefixed: true})
	}
}

// clearStatCache calls o.ClearStatCache where the wrapper clears PHP's.
func (o OpenOptions) clearStatCache() {
	if o.ClearStatCache != nil {
		o.ClearStatCache()
	}
}

// URLStat is php_stream_stat_path: the url_stat of url's wrapper with
// PHP's flags (URLStatLink, URLStatQuiet, ...): stat(2) (lstat(2) with
// URLStatLink) for a plain file, the ftp wrapper's SIZE and MDTM, a
// run-time wrapper's URLOps. A wrapper without url_stat fails with
// ErrNotSupported. The lookup warns on o.Diagnostics about an unknown
// scheme (recorded: file/unknown-wrapper-stat); the wrappers raise nothing
// else here (PHP's "stat failed for ..." is the stat functions').
func URLStat(url string, flags int, o OpenOptions) (StatInfo, error) {
	l, ok := o.Registry.Locate(url, o.Diagnostics, false)
	if !ok {
		return StatInfo{}, opError("stat", url, ErrNoWrapper)
	}
	switch {
	case l.User != nil:
		u, ok := l.User.(URLOps)
		if !ok {
			return StatInfo{}, opError("stat", url, ErrNotSupported)
		}
		st, ok := u.URLStat(url, flags, o)
		if !ok {
			return StatInfo{}, opError("stat", url, ErrOpFailed)
		}
		return st, nil
	case l.Wrapper == "":
		path := resolvePath(o.Dir, l.Path)
		var st StatInfo
		var err error
		if flags&URLStatLink != 0 {
			st, err = lstatPath(path)
		} else {
			st, err = statPath(path)
		}
		if err != nil {
			return StatInfo{}, opError("stat", url, err)
		}
		return st, nil
	case l.Wrapper == "ftp" || l.Wrapper == "ftps":
		return ftpStat(url, o)
	}
	return StatInfo{}, opError("stat", url, ErrNotSupported)
}

// URLExists is file_exists as PHP answers it for plain files: access(2)
// with F_OK, without a stat. Any other wrapper is ErrNotSupported (in an
// *OpError): PHP answers by its url_stat (URLStat) then. The lookup warns
// on o.Diagnostics about an unknown scheme.
func URLExists(url string, o OpenOptions) (bool, error) {
	l, ok := o.Registry.Locate(url, o.Diagnostics, false)
	if !ok || l.User != nil || l.Wrapper != "" {
		return false, opError("access", url, ErrNotSupported)
	}
	return accessPath(resolvePath(o.Dir, l.Path)) == nil, nil
}

// Unlink is PHP's unlink (the wrapper's unlink with REPORT_ERRORS):
// unlink(2) for a plain file, DELE for ftp://, a run-time wrapper's URLOps.
// PHP's warnings go to o.Diagnostics: "Unable to locate stream wrapper",
// "%s does not allow unlinking", a plain file's "unlink(path): strerror",
// the ftp wrapper's (recorded: file/other-wrappers-ops, ftp/*).
func Unlink(url string, o OpenOptions) error {
	l, ok := o.Registry.Locate(url, o.Diagnostics, false)
	if !ok {
		o.Diagnostics.emit(EWarning, "Unable to locate stream wrapper")
		return opError("unlink", url, ErrNoWrapper)
	}
	u, ops := l.User.(URLOps)
	var done bool
	switch {
	case ops:
		done = u.Unlink(url, o)
	case l.User == nil && l.Wrapper == "":
		if err := syscall.Unlink(resolvePath(o.Dir, plainURL(url))); err != nil {
			warnErrno(o.Diagnostics, plainURL(url), err)
			return opError("unlink", url, err)
		}
		o.clearStatCache()
		return nil
	case l.User == nil && (l.Wrapper == "ftp" || l.Wrapper == "ftps"):
		if done = ftpUnlink(url, o); done {
			o.clearStatCache()
		}
	default:
		o.Diagnostics.emit(EWarning, wrapperLabel(l)+" does not allow unlinking")
		return opError("unlink", url, ErrNotSupported)
	}
	if !done {
		return opError("unlink", url, ErrOpFailed)
	}
	return nil
}

// Rename is PHP's rename: the lookup of both URLs' wrappers, which must be
// one, then rename(2) for plain files, RNFR and RNTO for ftp:// (quiet,
// as PHP calls it without REPORT_ERRORS), a run-time wrapper's URLOps.
// PHP's warnings go to o.Diagnostics: "Unable to locate stream wrapper",
// "%s wrapper does not support renaming", "Cannot rename a file across
// wrapper types", the plain files' "rename(from,to): strerror".
func Rename(from, to string, o OpenOptions) error {
	l, ok := o.Registry.Locate(from, o.Diagnostics, false)
	if !ok {
		o.Diagnostics.emit(EWarning, "Unable to locate stream wrapper")
		return opError("rename", from, ErrNoWrapper)
	}
	u, ops := l.User.(URLOps)
	builtin := l.User == nil && (l.Wrapper == "" || l.Wrapper == "ftp" || l.Wrapper == "ftps")
	if !ops && !builtin {
		o.Diagnostics.emit(EWarning, wrapperLabel(l)+" wrapper does not support renaming")
		return opError("rename", from, ErrNotSupported)
	}
	// The target's lookup warns too (recorded: wrapperops/rename-user-to-unknown).
	lt, ok := o.Registry.Locate(to, o.Diagnostics, false)
	if !ok || !sameWrapper(l, lt) {
		o.Diagnostics.emit(EWarning, "Cannot rename a file across wrapper types")
		return opError("rename", from, ErrCrossWrapper)
	}
	var done bool
	switch {
	case ops:
		done = u.Rename(from, to, o)
	case l.Wrapper == "":
		if err := syscall.Rename(resolvePath(o.Dir, plainURL(from)), resolvePath(o.Dir, plainURL(to))); err != nil {
			// The plain files wrapper names both paths (recorded:
			// file/rename-file-url-message).
			warnErrno(o.Diagnostics, plainURL(from)+","+plainURL(to), err)
			return opError("rename", from, err)
		}
		o.clearStatCache()
		return nil
	default:
		if done = ftpRename(from, to, o); done {
			o.clearStatCache()
		}
	}
	if !done {
		return opError("rename", from, ErrOpFailed)
	}
	return nil
}

// Rmdir is PHP's rmdir (the wrapper's rmdir with REPORT_ERRORS): rmdir(2)
// for a plain file, RMD for ftp://, a run-time wrapper's URLOps; a
// wrapper without rmdir fails silently (recorded:
// file/other-wrappers-ops). PHP's warnings go to o.Diagnostics.
func Rmdir(url string, o OpenOptions) error {
	l, ok := o.Registry.Locate(url, o.Diagnostics, false)
	if !ok {
		return opError("rmdir", url, ErrNoWrapper)
	}
	var done bool
	switch {
	case l.User != nil:
		u, ok := l.User.(URLOps)
		if !ok {
			return opError("rmdir", url, ErrNotSupported)
		}
		done = u.Rmdir(url, o)
	case l.Wrapper == "":
		if err := syscall.Rmdir(resolvePath(o.Dir, plainURL(url))); err != nil {
			warnErrno(o.Diagnostics, plainURL(url), err)
			return opError("rmdir", url, err)
		}
		o.clearStatCache()
		return nil
	case l.Wrapper == "ftp" || l.Wrapper == "ftps":
		if done = ftpRmdir(url, o); done {
			o.clearStatCache()
		}
	default:
		return opError("rmdir", url, ErrNotSupported)
	}
	if !done {
		return opError("rmdir", url, ErrOpFailed)
	}
	return nil
}

// errInvalidPath is the recursive mkdir's failure to expand its path; its
// text is PHP's whole warning.
var errInvalidPath = errors.New("Invalid path")

// Mkdir is PHP's mkdir (the wrapper's mkdir with REPORT_ERRORS, and
// PHP_STREAM_MKDIR_RECURSIVE with recursive): mkdir(2) with perm for a
// plain file, or with recursive every missing parent too, as PHP makes
// them (each with perm); MKD for ftp://; a run-time wrapper's URLOps. A
// wrapper without mkdir fails silently. PHP's warnings go to
// o.Diagnostics: a plain file's strerror of the mkdir that failed, the
// ftp wrapper's.
func Mkdir(url string, perm uint32, recursive bool, o OpenOptions) error {
	l, ok := o.Registry.Locate(url, o.Diagnostics, false)
	if !ok {
		return opError("mkdir", url, ErrNoWrapper)
	}
	var done bool
	switch {
	case l.User != nil:
		u, ok := l.User.(URLOps)
		if !ok {
			return opError("mkdir", url, ErrNotSupported)
		}
		done = u.Mkdir(url, perm, recursive, o)
	case l.Wrapper == "":
		if err := mkdirPlain(resolvePath(o.Dir, plainURL(url)), perm, recursive); err != nil {
			if err == errInvalidPath {
				o.Diagnostics.emit(EWarning, err.Error())
			} else {
				o.Diagnostics.emit(EWarning, errnoTextOf(err))
			}
			return opError("mkdir", url, err)
		}
		return nil
	case l.Wrapper == "ftp" || l.Wrapper == "ftps":
		done = ftpMkdir(url, o, recursive)
	default:
		return opError("mkdir", url, ErrNotSupported)
	}
	if !done {
		return opError("mkdir", url, ErrOpFailed)
	}
	return nil
}

// mkdirPlain is the plain files wrapper's mkdir of path; the error
// carries the errno of the mkdir that failed.
func mkdirPlain(path string, perm uint32, recursive bool) error {
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
