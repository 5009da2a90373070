package compat

import (
	"errors"
	"math"
	"syscall"

	"github.com/phpsock/phpsock/internal/phpvalue"
	"github.com/phpsock/phpsock/phpstream"
)

// flock and PHP's metadata functions touch, chmod, chown and chgrp
// (ext/standard/file.c and filestat.c): argument parsing here, the rest
// in phpstream (Stream.Flock, Touch, Chmod, Chown, Chgrp), which raises
// PHP's warnings through the call's diagnostics. Recorded: meta/flock-*,
// meta/*.

func init() {
	functions["flock"] = flock
	functions["touch"] = touch
	functions["chmod"] = chmod
	functions["chown"] = chown
	functions["chgrp"] = chgrp
}

// flock(resource $stream, int $operation, &$would_block = null): bool
func flock(c *call) (Value, error) {
	if err := c.arity(2, 3); err != nil {
		return nil, err
	}
	if _, ok := c.arg(0).(*Resource); !ok {
		return nil, c.typeError(1, param{name: "stream"}, "resource", c.arg(0))
	}
	op, _, err := c.integer(1, param{name: "operation"})
	if err != nil {
		return nil, err
	}
	r, err := c.sockStream(0)
	if err != nil {
		return nil, err
	}
	// PHP looks at the low bits only; phpstream refuses op&3 == 0 before
	// anything else, as php_flock_common does.
	err = r.Stream().Flock(int(op & 7))
	if errors.Is(err, phpstream.ErrLockOperation) {
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($operation) must be one of LOCK_SH, LOCK_EX, or LOCK_UN"}
	}
	wouldBlock := c.ref(2)
	if wouldBlock != nil {
		wouldBlock.V = int64(0)
		if err != nil && errors.Is(err, syscall.EWOULDBLOCK) {
			wouldBlock.V = int64(1)
		}
	}
	return err == nil, nil
}

// touch(string $filename, ?int $mtime = null, ?int $atime = null): bool
func touch(c *call) (Value, error) {
	if err := c.arity(1, 3); err != nil {
		return nil, err
	}
	path, err := c.path(0, "filename")
	if err != nil {
		return nil, err
	}
	var mtime, atime int64
	var mset, aset bool
	if c.has(1) {
		if mtime, mset, err = c.integer(1, param{name: "mtime", nullable: true}); err != nil {
			return nil, err
		}
	}
	if c.has(2) {
		if atime, aset, err = c.integer(2, param{name: "atime", nullable: true}); err != nil {
			return nil, err
		}
	}
	var t *phpstream.FileTimes
	switch {
	case mset && aset:
		t = &phpstream.FileTimes{Mtime: mtime, Atime: atime}
	case mset:
		t = &phpstream.FileTimes{Mtime: mtime, Atime: mtime}
	case aset:
		return nil, &Error{Class: "ValueError", Message: c.fn + "(): Argument #2 ($mtime) cannot be null when argument #3 ($atime) is an integer"}
	}
	if path == "" {
		return false, nil
	}
	return phpstream.Touch(path, t, c.wrapperOptions(path, true)) == nil, nil
}

// chmod(string $filename, int $permissions): bool
func chmod(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	path, err := c.path(0, "filename")
	if err != nil {
		return nil, err
	}
	mode, _, err := c.integer(1, param{name: "permissions"})
	if err != nil {
		return nil, err
	}
	return phpstream.Chmod(path, mode, c.wrapperOptions(path, true)) == nil, nil
}

// chown(string $filename, string|int $user): bool
func chown(c *call) (Value, error) {
	path, owner, err := c.ownerArgs("user")
	if err != nil {
		return nil, err
	}
	return phpstream.Chown(path, owner, c.wrapperOptions(path, true)) == nil, nil
}

// chgrp(string $filename, string|int $group): bool
func chgrp(c *call) (Value, error) {
	path, owner, err := c.ownerArgs("group")
	if err != nil {
		return nil, err
	}
	return phpstream.Chgrp(path, owner, c.wrapperOptions(path, true)) == nil, nil
}

// ownerArgs parses chown's and chgrp's (string $filename, string|int $name).
func (c *call) ownerArgs(name string) (string, phpstream.Owner, error) {
	if err := c.arity(2, 2); err != nil {
		return "", phpstream.Owner{}, err
	}
	path, err := c.path(0, "filename")
	if err != nil {
		return "", phpstream.Owner{}, err
	}
	o, err := c.strOrInt(1, param{name: name})
	return path, o, err
}

// strOrInt converts argument i as Z_PARAM_STR_OR_LONG does: a string
// stays a name; other scalars become an int where zend_parse_arg_long_weak
// takes them, else a string (a float without an int value).
func (c *call) strOrInt(i int, p param) (phpstream.Owner, error) {
	switch t := c.arg(i).(type) {
	case string:
		return phpstream.Owner{Name: t, ByName: true}, nil
	case nil:
		c.nullDeprecated("Passing null to parameter #" + itoa(int64(i+1)) + " ($" + p.name + ") of type string|int is deprecated")
		return phpstream.Owner{}, nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) || t < -9.223372036854775808e18 || t >= 9.223372036854775808e18 {
			return phpstream.Owner{Name: phpvalue.FloatString(t), ByName: true}, nil
		}
	case int64, bool:
	default:
		return phpstream.Owner{}, c.typeError(i+1, p, "string|int", t)
	}
	n, _, err := c.integer(i, p)
	return phpstream.Owner{ID: n}, err
}
