package compat

import (
	"github.com/phpsock/phpsock/phpstream"
)

// A user wrapper's operations besides opening (user_wrapper_stat_url,
// _unlink, _rename, _mkdir, _rmdir in PHP's main/streams/userspace.c):
// phpstream's URLStat, Unlink, Rename, Mkdir and Rmdir call them through
// phpstream.URLOps after their wrapper lookup. Each makes a fresh object
// with the operation's context, calls the method, and takes only true
// (an array for url_stat) as success; a missing method is PHP's "X::m is
// not implemented!" warning (recorded: userwrapper/log-dir-ops,
// userwrapper/log-url-stat, userwrapper/missing-methods).

var (
	_ phpstream.URLOps    = (*userWrapper)(nil)
	_ phpstream.URLOpener = (*userWrapper)(nil)
)

// OpenURL is user_wrapper_opener for phpstream.OpenURL: fopen's own open
// of a URL of the wrapper's scheme, and the opens other wrappers make for
// the call (compress.zlib://var://x, an http redirect to it).
func (w *userWrapper) OpenURL(url, mode string, o phpstream.OpenOptions) (*phpstream.Stream, error) {
	s, oe := w.opCall(o).openUser(w, url, mode)
	if oe != nil {
		return nil, oe
	}
	return s, nil
}

// opCall is the PHP function call an operation serves (OpenOptions.Caller
// as wrapperOptions sets it); a bare call of the wrapper's runtime when
// the operation was started elsewhere.
func (w *userWrapper) opCall(o phpstream.OpenOptions) *call {
	if c, ok := o.Caller.(*call); ok && c.rt == w.rt {
		return c
	}
	return &call{rt: w.rt}
}

// contextOf is the stream-context resource o.Context belongs to: the
// call's own, else the default context; nil for none.
func (c *call) contextOf(o phpstream.OpenOptions) *Resource {
	if o.Context == nil {
		return nil
	}
	if c.openCtx != nil && c.openCtx.ctx == o.Context {
		return c.openCtx
	}
	return c.rt.defaultContext()
}

// opMethod calls method on a fresh object with o's context: its result,
// and called false when there was no object or no such method (PHP's
// "X::m is not implemented!" warning, raised here).
func (w *userWrapper) opMethod(o phpstream.OpenOptions, method string, args ...Value) (ret Value, ok, called bool) {
	c := w.opCall(o)
	obj := c.newObject(w, c.contextOf(o))
	if obj == nil {
		return nil, false, false
	}
	ret, exists, ok := c.method(obj, method, args...)
	if !exists {
		warnf(o.Diagnostics, "%s::%s is not implemented!", w.class.Name(), method)
		return nil, false, false
	}
	return ret, ok, true
}

// userOp is unlink, rename, mkdir and rmdir of a user wrapper: true only
// for a true result.
func (w *userWrapper) userOp(o phpstream.OpenOptions, method string, args ...Value) bool {
	ret, ok, called := w.opMethod(o, method, args...)
	return called && ok && ret == true
}

// URLStat is user_wrapper_stat_url: url_stat($path, $flags) of a fresh
// object (recorded: userwrapper/log-url-stat).
func (w *userWrapper) URLStat(url string, flags int, o phpstream.OpenOptions) (phpstream.StatInfo, bool) {
	ret, ok, called := w.opMethod(o, "url_stat", url, int64(flags))
	if !called {
		return phpstream.StatInfo{}, false
	}
	return statFromArray(ret, ok)
}

// Unlink is user_wrapper_unlink: unlink($path).
func (w *userWrapper) Unlink(url string, o phpstream.OpenOptions) bool {
	return w.userOp(o, "unlink", url)
}

// Rename is user_wrapper_rename: rename($path_from, $path_to).
func (w *userWrapper) Rename(from, to string, o phpstream.OpenOptions) bool {
	return w.userOp(o, "rename", from, to)
}

// Mkdir is user_wrapper_mkdir: mkdir($path, $mode, $options) with the mode
// as PHP's (int) and the options STREAM_REPORT_ERRORS, with
// STREAM_MKDIR_RECURSIVE (recorded: userwrapper/log-dir-ops,
// wrapperops/user-mkdir-mode).
func (w *userWrapper) Mkdir(url string, perm uint32, recursive bool, o phpstream.OpenOptions) bool {
	opts := int64(STREAM_REPORT_ERRORS)
	if recursive {
		opts |= STREAM_MKDIR_RECURSIVE
	}
	return w.userOp(o, "mkdir", url, int64(int32(perm)), opts)
}

// Rmdir is user_wrapper_rmdir: rmdir($path, $options), the options being
// STREAM_REPORT_ERRORS (recorded: userwrapper/log-dir-ops).
func (w *userWrapper) Rmdir(url string, o phpstream.OpenOptions) bool {
	return w.userOp(o, "rmdir", url, int64(STREAM_REPORT_ERRORS))
}
