package compat

import (
	"errors"
	"sort"

	"github.com/phpsock/phpsock/errno"
	"github.com/phpsock/phpsock/internal/phpvalue"
	"github.com/phpsock/phpsock/phpstream"
)

// PHP's directory functions (ext/standard/dir.c): opendir, readdir,
// rewinddir, closedir and scandir over phpstream's directory streams,
// for plain directories, file://, ftp://, ftps://, glob:// and user
// wrappers (dir_opendir, dir_readdir, dir_rewinddir, dir_closedir).
// opendir sets the runtime's default directory (PHP's DIRG(default_dir)),
// which readdir, rewinddir and closedir use when called without a handle
// or with null, until closedir closes it (recorded: dir/default-dir).

func init() {
	functions["opendir"] = opendir
	functions["readdir"] = readdir
	functions["rewinddir"] = rewinddir
	functions["closedir"] = closedir
	functions["scandir"] = scandir
}

// opendir(string $directory, ?resource $context = null): resource|false
func opendir(c *call) (Value, error) {
	if err := c.arity(1, 2); err != nil {
		return nil, err
	}
	dir, err := c.path(0, "directory")
	if err != nil {
		return nil, err
	}
	if err := c.optContext(1); err != nil {
		return nil, err
	}
	s, _, ok := c.openDir(dir, c.rt.defaultContextOr(c.openCtx))
	if !ok {
		return false, nil
	}
	r := newStreamResource(s, false, "")
	c.rt.setDefaultDir(r)
	return r, nil
}

// setDefaultDir is php_set_default_dir: r (nil: none) becomes the
// default directory, and the previous one loses that reference, closed
// if nothing else held it (recorded: dir/user-default-dir-unbound).
func (rt *Runtime) setDefaultDir(r *Resource) {
	if r != nil {
		r.refMu.Lock()
		r.defaultDir = true
		r.refMu.Unlock()
	}
	rt.mu.Lock()
	old := rt.defaultDir
	rt.defaultDir = r
	rt.mu.Unlock()
	if old == nil || old == r {
		return
	}
	old.refMu.Lock()
	old.defaultDir = false
	freed := old.freed
	old.refMu.Unlock()
	if freed {
		old.close()
	}
}

// heldByDefaultDir reports whether r is the default directory, marking
// it freed by the caller (Free) so that losing that status closes it.
func (r *Resource) heldByDefaultDir() bool {
	r.refMu.Lock()
	defer r.refMu.Unlock()
	r.freed = true
	return r.defaultDir
}

// openDir is php_stream_opendir with REPORT_ERRORS and the context ctx
// (opendir's is the default one when none was given, scandir's none;
// recorded: dir/user-context): the directory stream, or ok false after
// PHP's warnings (none for ""), with the failure scandir reports.
func (c *call) openDir(dir string, ctx *Resource) (*phpstream.Stream, phpstream.DirOpenError, bool) {
	o := c.openOptions()
	if mayConnect(dir) {
		// The ftp wrapper's sessions take ctx alone: scandir without a
		// context has none, not the default one (recorded:
		// dir/ftps-default-context).
		c.connectOptions(&o, ctx.Context(), nil)
	}
	s, err := phpstream.OpenDir(dir, o)
	if errors.Is(err, phpstream.ErrUserWrapper) {
		if w, ok := c.userWrapperOf(dir); ok {
			s, err = c.openUserDir(w, dir, ctx)
		}
	}
	var de *phpstream.DirOpenError
	switch {
	case err == nil:
		return s, phpstream.DirOpenError{}, true
	case errors.As(err, &de):
		c.rt.emit(Diagnostic{Level: EWarning, Func: c.fn, Param: phpstream.StripURLPassword(dir), Message: de.Error(), Prefixed: true})
		return nil, *de, false
	}
	return nil, phpstream.DirOpenError{}, false // ErrEmptyDirPath: no warning
}

// dirHandle is PHP's FETCH_DIRP: the optional ?resource $dir_handle, or
// the default directory when it is missing or null.
func (c *call) dirHandle() (*Resource, error) {
	if err := c.arity(0, 1); err != nil {
		return nil, err
	}
	var r *Resource
	switch v := c.arg(0).(type) {
	case nil:
		c.rt.mu.Lock()
		r = c.rt.defaultDir
		c.rt.mu.Unlock()
		if r == nil {
			return nil, &Error{Class: "TypeError", Message: "No resource supplied"}
		}
	case *Resource:
		r = v
	default:
		return nil, &Error{Class: "TypeError", Message: c.fn + "(): Argument #1 ($dir_handle) must be of type resource or null, " + typeName(v) + " given"}
	}
	if r.closed.Load() || r.kind != kindStream || r.persistent {
		return nil, &Error{Class: "TypeError", Message: c.fn + "(): supplied resource is not a valid Directory resource"}
	}
	if !r.stream.IsDir() {
		return nil, &Error{Class: "TypeError", Message: c.fn + "(): Argument #1 ($dir_handle) must be a valid Directory resource"}
	}
	return r, nil
}

// readdir(?resource $dir_handle = null): string|false
func readdir(c *call) (Value, error) {
	r, err := c.dirHandle()
	if err != nil {
		return nil, err
	}
	name, ok := r.stream.Readdir()
	c.rt.raiseQueued(c.fn, r) // the default directory is no argument Call looks at
	if !ok {
		return false, nil
	}
	return name, nil
}

// rewinddir(?resource $dir_handle = null): void — a seek to 0, which an
// ftp:// listing cannot do (PHP's "Stream does not support seeking").
func rewinddir(c *call) (Value, error) {
	r, err := c.dirHandle()
	if err != nil {
		return nil, err
	}
	c.seek(r.stream, 0, int(SEEK_SET))
	c.rt.raiseQueued(c.fn, r)
	return nil, nil
}

// closedir(?resource $dir_handle = null): void
func closedir(c *call) (Value, error) {
	r, err := c.dirHandle()
	if err != nil {
		return nil, err
	}
	r.close()
	c.rt.raiseQueued(c.fn, r)
	c.rt.mu.Lock()
	isDefault := c.rt.defaultDir == r
	c.rt.mu.Unlock()
	if isDefault {
		c.rt.setDefaultDir(nil)
	}
	return nil, nil
}

// scandir(string $directory, int $sorting_order = SCANDIR_SORT_ASCENDING,
// ?resource $context = null): array|false
//
// The entries sorted as strcoll in PHP's "C" collation (byte order),
// reversed for any order but ASCENDING and NONE (recorded:
// dir/scandir-orders). A failure adds "(errno N): text" with the errno
// PHP's open left (phpstream.DirOpenError.Errno says which).
func scandir(c *call) (Value, error) {
	if err := c.arity(1, 3); err != nil {
		return nil, err
	}
	dir, err := c.path(0, "directory")
	if err != nil {
		return nil, err
	}
	order := int64(SCANDIR_SORT_ASCENDING)
	if c.has(1) {
		if order, _, err = c.integer(1, param{name: "sorting_order"}); err != nil {
			return nil, err
		}
	}
	if err := c.optContext(2); err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #1 ($directory) cannot be empty"}
	}
	s, de, ok := c.openDir(dir, c.openCtx)
	if !ok {
		c.rt.warn(c.fn, EWarning, "(errno "+itoa(int64(de.Errno))+"): "+errno.Message(de.Errno))
		return false, nil
	}
	names, complete := s.Entries()
	s.Close()
	if !complete {
		c.rt.warn(c.fn, EWarning, "Directory listing over phpsock's limit of "+itoa(phpstream.MaxDirEntries)+" entries")
		return false, nil
	}
	switch order {
	case int64(SCANDIR_SORT_ASCENDING):
		sort.Strings(names)
	case int64(SCANDIR_SORT_NONE):
	default:
		sort.Sort(sort.Reverse(sort.StringSlice(names)))
	}
	out := NewArray()
	for _, n := range names {
		out.Append(n)
	}
	return out, nil
}

// openUserDir is user_wrapper_opendir: a fresh object with ctx as its
// context, dir_opendir($path,
// $options), and the stream over its dir_* methods; a missing method, an
// exception or a false result is PHP's `"X::dir_opendir" call failed`
// (recorded: dir/user-*).
func (c *call) openUserDir(w *userWrapper, url string, ctx *Resource) (*phpstream.Stream, error) {
	obj := c.newObject(w, ctx)
	if obj == nil {
		return nil, &phpstream.DirOpenError{Msg: "operation failed"}
	}
	ret, _, ok := c.method(obj, "dir_opendir", url, int64(0))
	if !ok || !phpvalue.Bool(ret) {
		return nil, &phpstream.DirOpenError{Msg: `"` + w.class.Name() + `::dir_opendir" call failed`}
	}
	info := phpstream.DirInfo{WrapperType: phpstream.UserStreamLabel, StreamType: "user-space-dir", Data: &Object{Class: w.class.Name(), Data: obj}}
	return phpstream.NewDirStream(&userDirOps{u: userOps{c: c.rt, w: w, obj: obj}}, info, c.diagnostics()), nil
}

// userDirOps is a user directory's listing: PHP's
// php_stream_userspace_dir_ops over the object's dir_* methods.
type userDirOps struct{ u userOps }

var (
	_ phpstream.DirOps      = (*userDirOps)(nil)
	_ phpstream.DirRewinder = (*userDirOps)(nil)
)

// Readdir is php_userstreamop_readdir: true and false end the listing,
// anything else is converted to a string (an array with the engine's
// "Array to string conversion"); a missing method warns.
func (d *userDirOps) Readdir(diag phpstream.DiagnosticFunc) (string, bool) {
	ret, exists, ok := d.u.call("dir_readdir")
	switch {
	case !exists:
		warnf(diag, "%s is not implemented!", d.u.name("dir_readdir"))
		return "", false
	case !ok:
		return "", false
	}
	if _, isBool := ret.(bool); isBool {
		return "", false
	}
	return stringOf(diag, ret), true
}

// Rewind is php_userstreamop_rewinddir: dir_rewinddir, missing or not.
func (d *userDirOps) Rewind(phpstream.DiagnosticFunc) { d.u.call("dir_rewinddir") }

// Close is php_userstreamop_closedir: dir_closedir, missing or not.
func (d *userDirOps) Close(phpstream.DiagnosticFunc) { d.u.call("dir_closedir") }
