package compat

import ()

// stream_get_transports(): array
func streamGetTransports(c *call) (Value, error) {
	if err := c.arity(0, 0); err != nil {
		return nil, err
	}
	out := NewArray()
	for _, t := range c.rt.profile.Transports {
		out.Append(t)
	}
	return out, nil
}

// get_resource_type(resource $resource): string
func getResourceType(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, ok := c.arg(0).(*Resource)
	if !ok {
		return nil, c.typeError(1, param{name: "resource"}, "resource", c.arg(0))
	}
	return r.Type(), nil
}

// is_resource(mixed $value): bool — false for closed resources.
func isResource(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, ok := c.arg(0).(*Resource)
	return ok && !r.closed.Load(), nil
}

// fclose(resource $stream): bool
func fclose(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.stream(0, param{name: "stream"})
	if err != nil {
		return nil, err
	}
	if r.stream.IsDir() {
		// opendir's PHP_STREAM_FLAG_NO_FCLOSE (recorded:
		// dir/plain-stream-functions; the warning's resource id is not
		// observed).
		c.rt.warn(c.fn, EWarning, itoa(r.id)+" is not a valid stream resource")
		return false, nil
	}
	if r.persistent {
		c.rt.mu.Lock()
		if c.rt.persistent[r.key] == r {
			delete(c.rt.persistent, r.key)
		}
		c.rt.mu.Unlock()
	}
	r.close() // the ftp wrapper's closer warns through the stream's queue
	return true, nil
}

// stream_get_meta_data(resource $stream): array
func streamGetMetaData(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	r, err := c.stream(0, param{name: "stream"})
	if err != nil {
		return nil, err
	}
	m := r.stream.Meta()
	out := NewArray()
	if ci := r.stream.Crypto(); ci != nil {
		crypto := NewArray()
		crypto.Set("protocol", ci.Protocol)
		crypto.Set("cipher_name", ci.CipherName)
		crypto.Set("cipher_bits", int64(ci.CipherBits))
		crypto.Set("cipher_version", ci.CipherVersion)
		if ci.ALPN != "" {
			crypto.Set("alpn_protocol", ci.ALPN)
		}
		out.Set("crypto", crypto)
	}
	for _, f := range m.Head {
		out.Set(f.Key, f.Value)
	}
	if m.Status {
		out.Set("timed_out", m.TimedOut)
		out.Set("blocked", m.Blocked)
		out.Set("eof", m.EOF)
	}
	if obj := r.stream.UserData(); obj != nil {
		out.Set("wrapper_data", obj) // a user stream's object
	}
	if m.HasWrapperData {
		wd := NewArray()
		for _, l := range m.WrapperData {
			wd.Append(l)
		}
		out.Set("wrapper_data", wd)
	}
	if m.WrapperType != "" {
		out.Set("wrapper_type", m.WrapperType)
	}
	out.Set("stream_type", m.StreamType)
	out.Set("mode", m.Mode)
	out.Set("unread_bytes", int64(m.UnreadBytes))
	out.Set("seekable", m.Seekable)
	if m.URI != "" {
		out.Set("uri", m.URI)
	}
	return out, nil
}

// stream_socket_get_name(resource $socket, bool $remote): string|false
func streamSocketGetName(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	r, err := c.stream(0, param{name: "socket"})
	if err != nil {
		return nil, err
	}
	remote, _, err := c.boolean(1, param{name: "remote"})
	if err != nil {
		return nil, err
	}
	if name, ok := r.stream.SocketName(remote); ok {
		return name, nil
	}
	return false, nil
}
