package compat

// The typed functions on open streams: reading, writing, positions,
// timeouts and buffers, metadata (see typed.go for the conventions).

// Fclose is PHP's
//
//	fclose(resource $stream): bool
func (rt *Runtime) Fclose(stream *Resource) (bool, error) {
	return boolResult(rt.Call("fclose", resArg(stream)))
}

// Fwrite is PHP's
//
//	fwrite(resource $stream, string $data, ?int $length = null): int|false
//
// length is optional (NullInt is PHP's null); ok is false where PHP
// returns false.
func (rt *Runtime) Fwrite(stream *Resource, data string, length ...int) (n int, ok bool, err error) {
	return rt.write("fwrite", stream, data, length)
}

// Fputs is PHP's fputs, an alias of fwrite.
func (rt *Runtime) Fputs(stream *Resource, data string, length ...int) (n int, ok bool, err error) {
	return rt.write("fputs", stream, data, length)
}

func (rt *Runtime) write(fn string, stream *Resource, data string, length []int) (int, bool, error) {
	return intOrFalse(rt.Call(fn, optionalInts([]Value{resArg(stream), data}, length)...))
}

// Fread is PHP's
//
//	fread(resource $stream, int $length): string|false
func (rt *Runtime) Fread(stream *Resource, length int) (string, bool, error) {
	return stringOrFalse(rt.Call("fread", resArg(stream), int64(length)))
}

// Fgets is PHP's
//
//	fgets(resource $stream, ?int $length = null): string|false
//
// length is optional (NullInt is PHP's null: a whole line).
func (rt *Runtime) Fgets(stream *Resource, length ...int) (string, bool, error) {
	return stringOrFalse(rt.Call("fgets", optionalInts([]Value{resArg(stream)}, length)...))
}

// Fgetc is PHP's
//
//	fgetc(resource $stream): string|false
func (rt *Runtime) Fgetc(stream *Resource) (string, bool, error) {
	return stringOrFalse(rt.Call("fgetc", resArg(stream)))
}

// Feof is PHP's
//
//	feof(resource $stream): bool
func (rt *Runtime) Feof(stream *Resource) (bool, error) {
	return boolResult(rt.Call("feof", resArg(stream)))
}

// Fflush is PHP's
//
//	fflush(resource $stream): bool
func (rt *Runtime) Fflush(stream *Resource) (bool, error) {
	return boolResult(rt.Call("fflush", resArg(stream)))
}

// StreamGetLine is PHP's
//
//	stream_get_line(resource $stream, int $length, string $ending = ""): string|false
//
// ending is optional.
func (rt *Runtime) StreamGetLine(stream *Resource, length int, ending ...string) (string, bool, error) {
	args := []Value{resArg(stream), int64(length)}
	for _, e := range ending {
		args = append(args, e)
	}
	return stringOrFalse(rt.Call("stream_get_line", args...))
}

// StreamGetContents is PHP's
//
//	stream_get_contents(resource $stream, ?int $length = null, int $offset = -1): string|false
//
// Both optional parameters are given: NullInt and -1 are PHP's defaults
// (everything, from where the stream is).
func (rt *Runtime) StreamGetContents(stream *Resource, length, offset int) (string, bool, error) {
	return stringOrFalse(rt.Call("stream_get_contents", resArg(stream), nullableInt(length), int64(offset)))
}

// Fpassthru is PHP's
//
//	fpassthru(resource $stream): int
//
// The bytes are read and counted; phpsock has no output to print them to.
func (rt *Runtime) Fpassthru(stream *Resource) (int, error) {
	return intResult(rt.Call("fpassthru", resArg(stream)))
}

// Fseek is PHP's
//
//	fseek(resource $stream, int $offset, int $whence = SEEK_SET): int
//
// whence is optional. PHP returns 0 or -1.
func (rt *Runtime) Fseek(stream *Resource, offset int, whence ...Whence) (int, error) {
	args := []Value{resArg(stream), int64(offset)}
	for _, w := range whence {
		args = append(args, int64(w))
	}
	return intResult(rt.Call("fseek", args...))
}

// Rewind is PHP's
//
//	rewind(resource $stream): bool
func (rt *Runtime) Rewind(stream *Resource) (bool, error) {
	return boolResult(rt.Call("rewind", resArg(stream)))
}

// Ftell is PHP's
//
//	ftell(resource $stream): int|false
func (rt *Runtime) Ftell(stream *Resource) (int, bool, error) {
	return intOrFalse(rt.Call("ftell", resArg(stream)))
}

// Ftruncate is PHP's
//
//	ftruncate(resource $stream, int $size): bool
func (rt *Runtime) Ftruncate(stream *Resource, size int) (bool, error) {
	return boolResult(rt.Call("ftruncate", resArg(stream), int64(size)))
}

// StreamCopyToStream is PHP's
//
//	stream_copy_to_stream(resource $from, resource $to, ?int $length = null,
//	    int $offset = 0): int|false
//
// Both optional parameters are given: NullInt and 0 are PHP's defaults.
func (rt *Runtime) StreamCopyToStream(from, to *Resource, length, offset int) (int, bool, error) {
	return intOrFalse(rt.Call("stream_copy_to_stream", resArg(from), resArg(to), nullableInt(length), int64(offset)))
}

// StreamSetTimeout is PHP's
//
//	stream_set_timeout(resource $stream, int $seconds, int $microseconds = 0): bool
//
// microseconds is optional.
func (rt *Runtime) StreamSetTimeout(stream *Resource, seconds int, microseconds ...int) (bool, error) {
	return rt.setTimeout("stream_set_timeout", stream, seconds, microseconds)
}

// SocketSetTimeout is PHP's socket_set_timeout, an alias of stream_set_timeout.
func (rt *Runtime) SocketSetTimeout(stream *Resource, seconds int, microseconds ...int) (bool, error) {
	return rt.setTimeout("socket_set_timeout", stream, seconds, microseconds)
}

func (rt *Runtime) setTimeout(fn string, stream *Resource, seconds int, microseconds []int) (bool, error) {
	return boolResult(rt.Call(fn, optionalInts([]Value{resArg(stream), int64(seconds)}, microseconds)...))
}

// StreamSetBlocking is PHP's
//
//	stream_set_blocking(resource $stream, bool $enable): bool
func (rt *Runtime) StreamSetBlocking(stream *Resource, enable bool) (bool, error) {
	return boolResult(rt.Call("stream_set_blocking", resArg(stream), enable))
}

// SocketSetBlocking is PHP's socket_set_blocking, an alias of stream_set_blocking.
func (rt *Runtime) SocketSetBlocking(stream *Resource, enable bool) (bool, error) {
	return boolResult(rt.Call("socket_set_blocking", resArg(stream), enable))
}

// StreamSetChunkSize is PHP's
//
//	stream_set_chunk_size(resource $stream, int $size): int
//
// It returns the previous chunk size.
func (rt *Runtime) StreamSetChunkSize(stream *Resource, size int) (int, error) {
	return intResult(rt.Call("stream_set_chunk_size", resArg(stream), int64(size)))
}

// StreamSetReadBuffer is PHP's
//
//	stream_set_read_buffer(resource $stream, int $size): int
func (rt *Runtime) StreamSetReadBuffer(stream *Resource, size int) (int, error) {
	return intResult(rt.Call("stream_set_read_buffer", resArg(stream), int64(size)))
}

// StreamSetWriteBuffer is PHP's
//
//	stream_set_write_buffer(resource $stream, int $size): int
func (rt *Runtime) StreamSetWriteBuffer(stream *Resource, size int) (int, error) {
	return intResult(rt.Call("stream_set_write_buffer", resArg(stream), int64(size)))
}

// StreamIsLocal is PHP's
//
//	stream_is_local(resource|string $stream): bool
//
// for a stream; StreamIsLocalURL is the same function for a URL.
func (rt *Runtime) StreamIsLocal(stream *Resource) (bool, error) {
	return boolResult(rt.Call("stream_is_local", resArg(stream)))
}

// StreamIsLocalURL is PHP's stream_is_local(string $stream): whether the
// wrapper of url is local.
func (rt *Runtime) StreamIsLocalURL(url string) (bool, error) {
	return boolResult(rt.Call("stream_is_local", url))
}

// StreamIsatty is PHP's
//
//	stream_isatty(resource $stream): bool
func (rt *Runtime) StreamIsatty(stream *Resource) (bool, error) {
	return boolResult(rt.Call("stream_isatty", resArg(stream)))
}

// StreamSupportsLock is PHP's
//
//	stream_supports_lock(resource $stream): bool
func (rt *Runtime) StreamSupportsLock(stream *Resource) (bool, error) {
	return boolResult(rt.Call("stream_supports_lock", resArg(stream)))
}

// GetResourceType is PHP's
//
//	get_resource_type(resource $resource): string
//
// "stream", "persistent stream", "stream-context", or "Unknown" once
// closed. A nil resource (PHP's false) is PHP's TypeError.
func (rt *Runtime) GetResourceType(resource *Resource) (string, error) {
	return stringResult(rt.Call("get_resource_type", resArg(resource)))
}

// IsResource is PHP's
//
//	is_resource(mixed $value): bool
//
// for a resource: false for a closed one and for nil (PHP's false).
func (rt *Runtime) IsResource(value *Resource) (bool, error) {
	return boolResult(rt.Call("is_resource", resArg(value)))
}

// MetaData is what stream_get_meta_data returns, typed. Fields PHP does
// not set for a stream are zero; Array is PHP's array itself, with the
// keys in PHP's order and the fields of particular wrappers (data:'s
// mediatype and base64, a wrapper_data that is not a list of strings).
type MetaData struct {
	TimedOut    bool   // timed_out
	Blocked     bool   // blocked
	EOF         bool   // eof
	WrapperType string // wrapper_type ("" when PHP has none)
	StreamType  string // stream_type
	Mode        string // mode
	UnreadBytes int    // unread_bytes
	Seekable    bool   // seekable
	URI         string // uri ("" when PHP has none)
	// WrapperData is wrapper_data when it is a list of strings (http's
	// response header lines); nil otherwise.
	WrapperData []string
	// Crypto is crypto, set once TLS is on; nil otherwise.
	Crypto *CryptoMeta
	Array  *Array
}

// CryptoMeta is stream_get_meta_data's crypto array.
type CryptoMeta struct {
	Protocol      string // protocol ("TLSv1.3")
	CipherName    string // cipher_name
	CipherBits    int    // cipher_bits
	CipherVersion string // cipher_version
	ALPNProtocol  string // alpn_protocol ("" when none was agreed)
}

// StreamGetMetaData is PHP's
//
//	stream_get_meta_data(resource $stream): array
//
// as a MetaData built from the array Call returns.
func (rt *Runtime) StreamGetMetaData(stream *Resource) (MetaData, error) {
	return metaData(rt.Call("stream_get_meta_data", resArg(stream)))
}

// SocketGetStatus is PHP's socket_get_status, an alias of stream_get_meta_data.
func (rt *Runtime) SocketGetStatus(stream *Resource) (MetaData, error) {
	return metaData(rt.Call("socket_get_status", resArg(stream)))
}

func metaData(v Value, err error) (MetaData, error) {
	if err != nil {
		return MetaData{}, err
	}
	a, _ := v.(*Array)
	m := MetaData{Array: a}
	get := func(k string) Value { v, _ := a.Get(k); return v }
	m.TimedOut, _ = get("timed_out").(bool)
	m.Blocked, _ = get("blocked").(bool)
	m.EOF, _ = get("eof").(bool)
	m.WrapperType, _ = get("wrapper_type").(string)
	m.StreamType, _ = get("stream_type").(string)
	m.Mode, _ = get("mode").(string)
	n, _ := get("unread_bytes").(int64)
	m.UnreadBytes = int(n)
	m.Seekable, _ = get("seekable").(bool)
	m.URI, _ = get("uri").(string)
	if wd, ok := get("wrapper_data").(*Array); ok && allStrings(wd) {
		m.WrapperData = stringList(wd)
	}
	if c, ok := get("crypto").(*Array); ok {
		cg := func(k string) Value { v, _ := c.Get(k); return v }
		m.Crypto = &CryptoMeta{}
		m.Crypto.Protocol, _ = cg("protocol").(string)
		m.Crypto.CipherName, _ = cg("cipher_name").(string)
		bits, _ := cg("cipher_bits").(int64)
		m.Crypto.CipherBits = int(bits)
		m.Crypto.CipherVersion, _ = cg("cipher_version").(string)
		m.Crypto.ALPNProtocol, _ = cg("alpn_protocol").(string)
	}
	return m, nil
}

func allStrings(a *Array) bool {
	for i := 0; i < a.Len(); i++ {
		if _, v := a.At(i); !isString(v) {
			return false
		}
	}
	return true
}

func isString(v Value) bool { _, ok := v.(string); return ok }

// Stat is what fstat returns, typed: the named fields of PHP's array
// (which also holds them under 0..12).
type Stat struct {
	Dev, Ino, Mode, Nlink, UID, GID, Rdev, Size int
	Atime, Mtime, Ctime                         int
	Blksize, Blocks                             int
}

// Fstat is PHP's
//
//	fstat(resource $stream): array|false
//
// ok is false where PHP returns false.
func (rt *Runtime) Fstat(stream *Resource) (Stat, bool, error) {
	v, err := rt.Call("fstat", resArg(stream))
	if err != nil {
		return Stat{}, false, err
	}
	a, ok := v.(*Array)
	if !ok {
		return Stat{}, false, nil
	}
	f := func(k string) int { v, _ := a.Get(k); n, _ := v.(int64); return int(n) }
	return Stat{
		Dev: f("dev"), Ino: f("ino"), Mode: f("mode"), Nlink: f("nlink"), UID: f("uid"), GID: f("gid"),
		Rdev: f("rdev"), Size: f("size"), Atime: f("atime"), Mtime: f("mtime"), Ctime: f("ctime"),
		Blksize: f("blksize"), Blocks: f("blocks"),
	}, true, nil
}
