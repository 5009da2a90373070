package compat

import (
	"strings"
	"syscall"

	"github.com/phpsock/phpsock/phpstream"
)

// PHP's stat functions (php_stat in ext/standard/filestat.c) with PHP's
// stat cache: the last path stat'ed and its result, per runtime as PHP
// keeps it per request, reused for the same path string until unlink,
// rename or rmdir clears it (recorded: file/stat-cache). file_exists on a
// plain file asks access(2) and skips the cache.

func init() {
	functions["file_exists"] = fileExists
	functions["is_file"] = isFile
	functions["is_dir"] = isDir
	functions["filesize"] = filesize
}

// statCache is PHP's BG(CurrentStatFile) and BG(ssb).
type statCache struct {
	path string
	st   phpstream.StatInfo
	set  bool
}

// clearStatCache is php_clear_stat_cache.
func (rt *Runtime) clearStatCache() {
	rt.mu.Lock()
	rt.stats = statCache{}
	rt.mu.Unlock()
}

// statOf is php_stat's lookup: the cached result for path, or the
// wrapper's url_stat (cached when it succeeds); quiet says whether a
// failure goes without "stat failed for ...".
func (c *call) statOf(path string, quiet bool) (phpstream.StatInfo, bool) {
	rt := c.rt
	rt.mu.Lock()
	cached := rt.stats
	rt.mu.Unlock()
	if cached.set && cached.path == path {
		return cached.st, true
	}
	if path == "" || strings.IndexByte(path, 0) >= 0 {
		if path != "" && !quiet {
			c.rt.warn(c.fn, EWarning, "Filename contains null byte")
		}
		return phpstream.StatInfo{}, false
	}
	// php_stat asks without open_basedir's check, quietly for the
	// existence checks (recorded: userwrapper/log-url-stat).
	flags := int64(urlStatIgnoreOpenBasedir)
	if quiet {
		flags |= STREAM_URL_STAT_QUIET
	}
	st, err := c.urlStat(path, flags)
	if err != nil {
		if !quiet {
			c.rt.warn(c.fn, EWarning, "stat failed for "+path)
		}
		return phpstream.StatInfo{}, false
	}
	rt.mu.Lock()
	rt.stats = statCache{path: path, st: st, set: true}
	rt.mu.Unlock()
	return st, true
}

// statArg parses the single string argument of the stat functions (a
// plain string: NUL bytes are php_stat's to refuse).
func (c *call) statArg() (string, error) {
	if err := c.arity(1, 1); err != nil {
		return "", err
	}
	p, _, err := c.str(0, param{name: "filename"})
	return p, err
}

// file_exists(string $filename): bool
func fileExists(c *call) (Value, error) {
	path, err := c.statArg()
	if err != nil {
		return nil, err
	}
	if path == "" || strings.IndexByte(path, 0) >= 0 {
		return false, nil
	}
	// access(2) for plain files; any other wrapper's url_stat, through
	// the stat cache.
	if exists, err := phpstream.URLExists(path, c.openOptions()); err == nil {
		return exists, nil
	}
	_, ok := c.statOf(path, true)
	return ok, nil
}

// is_file(string $filename): bool
func isFile(c *call) (Value, error) {
	path, err := c.statArg()
	if err != nil {
		return nil, err
	}
	st, ok := c.statOf(path, true)
	return ok && st.Mode&syscall.S_IFMT == syscall.S_IFREG, nil
}

// is_dir(string $filename): bool
func isDir(c *call) (Value, error) {
	path, err := c.statArg()
	if err != nil {
		return nil, err
	}
	st, ok := c.statOf(path, true)
	return ok && st.Mode&syscall.S_IFMT == syscall.S_IFDIR, nil
}

// filesize(string $filename): int|false
func filesize(c *call) (Value, error) {
	path, err := c.statArg()
	if err != nil {
		return nil, err
	}
	st, ok := c.statOf(path, false)
	if !ok {
		return false, nil
	}
	return st.Size, nil
}

// urlStatIgnoreOpenBasedir is the url_stat flag
// PHP_STREAM_URL_STAT_IGNORE_OPEN_BASEDIR, which PHP's scripts have no
// constant for (STREAM_URL_STAT_QUIET and _LINK are generated).
const urlStatIgnoreOpenBasedir = 4

// urlStat is php_stream_stat_path: the wrapper's url_stat with flags.
// php_stat gives url_stat no context, copy its own (recorded:
// userwrapper/log-url-stat, userwrapper/log-file-functions).
func (c *call) urlStat(path string, flags int64) (phpstream.StatInfo, error) {
	return phpstream.URLStat(path, int(flags), c.wrapperOptions(path, c.fn != "copy"))
}
