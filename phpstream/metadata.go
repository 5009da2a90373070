package phpstream

import (
	"errors"
	"os"
	"os/user"
	"strconv"
)

// This file is PHP's touch, chmod, chown and chgrp (ext/standard/
// filestat.c): a plain path they change themselves; anything else (a
// file:// URL too) goes to its wrapper's stream_metadata, which the plain
// files wrapper has (php_plain_files_metadata, with warnings of its own)
// and a run-time wrapper has through MetadataOps; other wrappers have none
// (PHP's "Cannot call ...() for a non-standard stream"; touch opens the
// URL in mode "c" instead when given no times). Only the plain files'
// stream_metadata clears PHP's stat cache (recorded:
// meta/chmod-stat-cache, meta/chown-stat-cache, meta/touch-stat-cache).
// PHP's warnings go to OpenOptions.Diagnostics; a failure is an *OpError.
// Recorded: meta/*.

// Options of MetadataOps.Metadata, as PHP's PHP_STREAM_META_*.
const (
	MetaTouch     = 1
	MetaOwnerName = 2
	MetaOwner     = 3
	MetaGroupName = 4
	MetaGroup     = 5
	MetaAccess    = 6
)

// FileTimes are touch's modification and access times, in seconds since
// the epoch.
type FileTimes struct{ Mtime, Atime int64 }

// Owner is chown's user or chgrp's group: looked up by Name (the user or
// group database) when ByName, else the number ID.
type Owner struct {
	Name   string
	ID     int64
	ByName bool
}

// MetadataOps is implemented by a wrapper registered at run time
// (Registry.Register) for stream_metadata, which Touch, Chmod, Chown and
// Chgrp call after the wrapper lookup found it; o is theirs, as for
// URLOps. value is, by option: a *FileTimes (nil: now) for MetaTouch, the
// name (string) for MetaOwnerName and MetaGroupName, the number (int64)
// for MetaOwner, MetaGroup and MetaAccess. ok false is PHP's failure.
type MetadataOps interface {
	// Metadata is stream_metadata(url, option, value).
	Metadata(url string, option int, value any, o OpenOptions) (ok bool)
}

// metaTarget is the lookup of touch, chmod, chown and chgrp: direct for a
// plain path, which the PHP function changes itself (not for a file://
// URL, nor where plain files are unregistered).
func metaTarget(url string, o OpenOptions) (l Located, found, direct bool) {
	l, found = o.Registry.Locate(url, o.Diagnostics, false)
	direct = found && l.User == nil && l.Wrapper == "" && !hasPrefixFold(url, "file://")
	return l, found, direct
}

// metadata is the wrapper's stream_metadata: the plain files wrapper's
// (a file:// URL) or a run-time wrapper's; has is false for a wrapper
// without one.
func metadata(l Located, found bool, url, op string, option int, value any, o OpenOptions) (err error, has bool) {
	switch {
	case !found:
		return nil, false
	case l.User != nil:
		m, ok := l.User.(MetadataOps)
		if !ok {
			return nil, false
		}
		if !m.Metadata(url, option, value, o) {
			return opError(op, url, ErrOpFailed), true
		}
		return nil, true
	case l.Wrapper == "":
		return plainMetadata(url, op, option, value, o), true
	}
	return nil, false
}

// plainMetadata is php_plain_files_metadata: its warnings name the path
// (url without "file://") as their parameter, and a failed system call is
// "Operation failed: strerror"; success clears the stat cache.
func plainMetadata(url, op string, option int, value any, o OpenOptions) error {
	name := plainURL(url)
	path := resolvePath(o.Dir, name)
	warn := func(msg string) {
		if o.Diagnostics != nil {
			o.Diagnostics(Diagnostic{Level: EWarning, Param: name, Message: msg, Prefixed: true})
		}
	}
	var err error
	switch option {
	case MetaTouch:
		if cerr := createMissing(path); cerr != nil {
			warn("Unable to create file " + name + " because " + errnoTextOf(cerr))
			return opError(op, url, cerr)
		}
		t, _ := value.(*FileTimes)
		err = utimePath(path, t)
	case MetaOwner, MetaOwnerName, MetaGroup, MetaGroupName:
		group := option == MetaGroup || option == MetaGroupName
		id, lerr := ownerID(value, option == MetaOwnerName || option == MetaGroupName, group)
		if lerr != nil {
			warn(lookupFailure(value, group))
			return opError(op, url, lerr)
		}
		if group {
			err = chownPath(path, -1, id)
		} else {
			err = chownPath(path, id, -1)
		}
	case MetaAccess:
		mode, _ := value.(int64)
		err = chmodPath(path, mode)
	}
	if err != nil {
		warn("Operation failed: " + errnoTextOf(err))
		return opError(op, url, err)
	}
	o.clearStatCache()
	return nil
}

// createMissing is touch's "create the file if it doesn't exist already":
// fopen(path, "w") when access(2) says it is not there.
func createMissing(path string) error {
	if accessPath(path) == nil {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return err
	}
	return f.Close()
}

// ownerID is the uid or gid value names: the number, or the name looked
// up (getpwnam, getgrnam).
func ownerID(value any, byName, group bool) (int, error) {
	if !byName {
		n, _ := value.(int64)
		return int(uint32(n)), nil // PHP's (uid_t) and (gid_t) casts
	}
	name, _ := value.(string)
	var id string
	if group {
		g, err := user.LookupGroup(name)
		if err != nil {
			return 0, err
		}
		id = g.Gid
	} else {
		u, err := user.Lookup(name)
		if err != nil {
			return 0, err
		}
		id = u.Uid
	}
	n, err := strconv.ParseUint(id, 10, 32)
	if err != nil {
		return 0, err
	}
	return int(n), nil
}

// lookupFailure is PHP's warning for a user or group name that is not
// found.
func lookupFailure(value any, group bool) string {
	name, _ := value.(string)
	if group {
		return "Unable to find gid for " + name
	}
	return "Unable to find uid for " + name
}

// nonStandard is the PHP functions' warning for a wrapper without
// stream_metadata.
func nonStandard(o OpenOptions, op, url, msg string) error {
	o.Diagnostics.emit(EWarning, msg)
	return opError(op, url, ErrNotSupported)
}

// Touch is PHP's touch: t nil sets both times to now. A plain path is
// created if missing (fopen "w": "Unable to create file %s because %s")
// and given the times (utime: "Utime failed: %s"); another URL goes to
// its wrapper's stream_metadata, or without one is opened in mode "c" and
// closed when t is nil ("Cannot call touch() for a non-standard stream"
// otherwise).
func Touch(url string, t *FileTimes, o OpenOptions) error {
	l, found, direct := metaTarget(url, o)
	if direct {
		path := resolvePath(o.Dir, l.Path)
		if err := createMissing(path); err != nil {
			o.Diagnostics.emit(EWarning, "Unable to create file "+url+" because "+errnoTextOf(err))
			return opError("touch", url, err)
		}
		if err := utimePath(path, t); err != nil {
			o.Diagnostics.emit(EWarning, "Utime failed: "+errnoTextOf(err))
			return opError("touch", url, err)
		}
		return nil
	}
	if err, has := metadata(l, found, url, "touch", MetaTouch, t, o); has {
		return err
	}
	if t != nil {
		return nonStandard(o, "touch", url, "Cannot call touch() for a non-standard stream")
	}
	s, err := OpenURL(url, "c", o)
	if err != nil {
		var oe *OpenError
		if errors.As(err, &oe) && o.Diagnostics != nil {
			o.Diagnostics(Diagnostic{Level: EWarning, Param: StripURLPassword(url), Message: oe.Error(), Prefixed: true})
		}
		return opError("touch", url, err)
	}
	s.Close()
	return nil
}

// Chmod is PHP's chmod: chmod(2) of a plain path with (mode_t)mode
// (strerror as the warning), another URL's
// stream_metadata, or "Cannot call chmod() for a non-standard stream".
func Chmod(url string, mode int64, o OpenOptions) error {
	l, found, direct := metaTarget(url, o)
	if direct {
		if err := chmodPath(resolvePath(o.Dir, l.Path), mode); err != nil {
			o.Diagnostics.emit(EWarning, errnoTextOf(err))
			return opError("chmod", url, err)
		}
		return nil // PHP 8.2 keeps its stat cache (recorded: meta/chmod-stat-cache)
	}
	if err, has := metadata(l, found, url, "chmod", MetaAccess, mode, o); has {
		return err
	}
	return nonStandard(o, "chmod", url, "Cannot call chmod() for a non-standard stream")
}

// Chown is PHP's chown: chown(2) of a plain path to the user (a name
// that is not found: "Unable to find uid for %s"; a failure: strerror),
// another URL's stream_metadata (MetaOwnerName or MetaOwner), or "Cannot
// call chown() for a non-standard stream".
func Chown(url string, owner Owner, o OpenOptions) error {
	return chownURL(url, owner, false, o)
}

// Chgrp is PHP's chgrp, as Chown for the group ("Unable to find gid for
// %s", MetaGroupName or MetaGroup, "Cannot call chgrp() ...").
func Chgrp(url string, group Owner, o OpenOptions) error {
	return chownURL(url, group, true, o)
}

func chownURL(url string, owner Owner, group bool, o OpenOptions) error {
	op, option, value := "chown", MetaOwner, any(owner.ID)
	if group {
		op, option = "chgrp", MetaGroup
	}
	if owner.ByName {
		option--
		value = owner.Name
	}
	l, found, direct := metaTarget(url, o)
	if !direct {
		if err, has := metadata(l, found, url, op, option, value, o); has {
			return err
		}
		return nonStandard(o, op, url, "Cannot call "+op+"() for a non-standard stream")
	}
	id, err := ownerID(value, owner.ByName, group)
	if err != nil {
		o.Diagnostics.emit(EWarning, lookupFailure(value, group))
		return opError(op, url, err)
	}
	uid, gid := id, -1
	if group {
		uid, gid = -1, id
	}
	if err := chownPath(resolvePath(o.Dir, l.Path), uid, gid); err != nil {
		o.Diagnostics.emit(EWarning, errnoTextOf(err))
		return opError(op, url, err)
	}
	return nil // the stat cache stays (recorded: meta/chown-stat-cache)
}
