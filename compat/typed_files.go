package compat

// The typed functions on files and URLs (see typed.go for the conventions).

// optionalContext appends the optional ?resource $context of copy,
// unlink, rename and rmdir (nil: PHP's null).
func optionalContext(args []Value, context []*Resource) []Value {
	for _, c := range context {
		args = append(args, nullableRes(c))
	}
	return args
}

// Fopen is PHP's
//
//	fopen(string $filename, string $mode, bool $use_include_path = false,
//	    ?resource $context = null): resource|false
//
// Both optional parameters are given: false and nil are PHP's defaults.
func (rt *Runtime) Fopen(filename, mode string, useIncludePath bool, context *Resource) (*Resource, error) {
	return resourceResult(rt.Call("fopen", filename, mode, useIncludePath, nullableRes(context)))
}

// FileGetContents is PHP's
//
//	file_get_contents(string $filename, bool $use_include_path = false,
//	    ?resource $context = null, int $offset = 0, ?int $length = null): string|false
//
// All optional parameters are given: false, nil, 0 and NullInt are PHP's
// defaults.
func (rt *Runtime) FileGetContents(filename string, useIncludePath bool, context *Resource, offset, length int) (string, bool, error) {
	return stringOrFalse(rt.Call("file_get_contents", filename, useIncludePath, nullableRes(context), int64(offset), nullableInt(length)))
}

// FilePutContents is PHP's
//
//	file_put_contents(string $filename, mixed $data, int $flags = 0,
//	    ?resource $context = null): int|false
//
// data is a string, a list of strings ([]string or an *Array, written
// one after the other) or a stream *Resource (copied), converted by
// ToValue. Both optional parameters are given: 0 and nil are PHP's
// defaults; flags are FILE_APPEND, LOCK_EX...
func (rt *Runtime) FilePutContents(filename string, data Value, flags FileFlags, context *Resource) (int, bool, error) {
	return intOrFalse(rt.Call("file_put_contents", filename, ToValue(data), int64(flags), nullableRes(context)))
}

// File is PHP's
//
//	file(string $filename, int $flags = 0, ?resource $context = null): array|false
//
// The lines are a []string; ok is false where PHP returns false. Both
// optional parameters are given: 0 and nil are PHP's defaults.
func (rt *Runtime) File(filename string, flags FileFlags, context *Resource) ([]string, bool, error) {
	v, err := rt.Call("file", filename, int64(flags), nullableRes(context))
	if err != nil {
		return nil, false, err
	}
	a, ok := v.(*Array)
	if !ok {
		return nil, false, nil
	}
	return stringList(a), true, nil
}

// Readfile is PHP's
//
//	readfile(string $filename, bool $use_include_path = false,
//	    ?resource $context = null): int|false
//
// The bytes are read and counted; phpsock has no output to print them
// to. Both optional parameters are given: false and nil are PHP's
// defaults.
func (rt *Runtime) Readfile(filename string, useIncludePath bool, context *Resource) (int, bool, error) {
	return intOrFalse(rt.Call("readfile", filename, useIncludePath, nullableRes(context)))
}

// Copy is PHP's
//
//	copy(string $from, string $to, ?resource $context = null): bool
//
// context is optional.
func (rt *Runtime) Copy(from, to string, context ...*Resource) (bool, error) {
	return boolResult(rt.Call("copy", optionalContext([]Value{from, to}, context)...))
}

// Unlink is PHP's
//
//	unlink(string $filename, ?resource $context = null): bool
//
// context is optional.
func (rt *Runtime) Unlink(filename string, context ...*Resource) (bool, error) {
	return boolResult(rt.Call("unlink", optionalContext([]Value{filename}, context)...))
}

// Rename is PHP's
//
//	rename(string $from, string $to, ?resource $context = null): bool
//
// context is optional.
func (rt *Runtime) Rename(from, to string, context ...*Resource) (bool, error) {
	return boolResult(rt.Call("rename", optionalContext([]Value{from, to}, context)...))
}

// Mkdir is PHP's
//
//	mkdir(string $directory, int $permissions = 0777, bool $recursive = false,
//	    ?resource $context = null): bool
//
// All optional parameters are given: 0o777, false and nil are PHP's
// defaults.
func (rt *Runtime) Mkdir(directory string, permissions int, recursive bool, context *Resource) (bool, error) {
	return boolResult(rt.Call("mkdir", directory, int64(permissions), recursive, nullableRes(context)))
}

// Rmdir is PHP's
//
//	rmdir(string $directory, ?resource $context = null): bool
//
// context is optional.
func (rt *Runtime) Rmdir(directory string, context ...*Resource) (bool, error) {
	return boolResult(rt.Call("rmdir", optionalContext([]Value{directory}, context)...))
}

// FileExists is PHP's
//
//	file_exists(string $filename): bool
func (rt *Runtime) FileExists(filename string) (bool, error) {
	return boolResult(rt.Call("file_exists", filename))
}

// IsFile is PHP's
//
//	is_file(string $filename): bool
func (rt *Runtime) IsFile(filename string) (bool, error) {
	return boolResult(rt.Call("is_file", filename))
}

// IsDir is PHP's
//
//	is_dir(string $filename): bool
func (rt *Runtime) IsDir(filename string) (bool, error) {
	return boolResult(rt.Call("is_dir", filename))
}

// Filesize is PHP's
//
//	filesize(string $filename): int|false
func (rt *Runtime) Filesize(filename string) (int, bool, error) {
	return intOrFalse(rt.Call("filesize", filename))
}

// StreamGetWrappers is PHP's
//
//	stream_get_wrappers(): array
func (rt *Runtime) StreamGetWrappers() ([]string, error) {
	v, err := rt.Call("stream_get_wrappers")
	if err != nil {
		return nil, err
	}
	a, _ := v.(*Array)
	return stringList(a), nil
}

// StreamGetTransports is PHP's
//
//	stream_get_transports(): array
func (rt *Runtime) StreamGetTransports() ([]string, error) {
	v, err := rt.Call("stream_get_transports")
	if err != nil {
		return nil, err
	}
	a, _ := v.(*Array)
	return stringList(a), nil
}
