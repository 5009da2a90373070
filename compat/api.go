package compat

// Typed entry points for ported code: one PHP line becomes one Go line.
//
//	$fp = fsockopen("127.0.0.1", 80, $errno, $errstr, 30);
//	fp := rt.Fsockopen("127.0.0.1", 80, &errno, &errstr, 30)
//
// A PHP false is a nil *Resource; warnings go to the runtime's diagnostics
// sink. Arguments are already Go-typed, so PHP's TypeErrors cannot happen;
// the ValueErrors PHP throws for bad values are returned as *Error where a
// function can throw one.

// Fsockopen is PHP's fsockopen. A timeout < 0 waits forever; pass
// DefaultTimeout to use default_socket_timeout.
func (rt *Runtime) Fsockopen(hostname string, port int, errno *int, errstr *string, timeout float64) (*Resource, error) {
	return rt.typedConnect("fsockopen", hostname, int64(port), errno, errstr, timeout)
}

// Pfsockopen is PHP's pfsockopen.
func (rt *Runtime) Pfsockopen(hostname string, port int, errno *int, errstr *string, timeout float64) (*Resource, error) {
	return rt.typedConnect("pfsockopen", hostname, int64(port), errno, errstr, timeout)
}

// DefaultTimeout passed as a timeout means PHP's null: default_socket_timeout.
var DefaultTimeout = nanTimeout()

func nanTimeout() float64 {
	var zero float64
	return zero / zero
}

func (rt *Runtime) typedConnect(fn, hostname string, port int64, errno *int, errstr *string, timeout float64) (*Resource, error) {
	var timeoutArg Value = timeout
	if timeout != timeout { // DefaultTimeout
		timeoutArg = nil
	}
	e, s := &Ref{}, &Ref{}
	if errstr != nil {
		s.V = *errstr
	}
	v, err := rt.Call(fn, hostname, port, e, s, timeoutArg)
	copyOut(e, s, errno, errstr)
	if err != nil {
		return nil, err
	}
	r, _ := v.(*Resource)
	return r, nil
}

// StreamSocketClient is PHP's stream_socket_client. ctx may be nil (the
// default context).
func (rt *Runtime) StreamSocketClient(address string, errno *int, errstr *string, timeout float64, flags int, ctx *Resource) (*Resource, error) {
	var timeoutArg Value = timeout
	if timeout != timeout {
		timeoutArg = nil
	}
	var ctxArg Value
	if ctx != nil {
		ctxArg = ctx
	}
	e, s := &Ref{}, &Ref{}
	v, err := rt.Call("stream_socket_client", address, e, s, timeoutArg, int64(flags), ctxArg)
	copyOut(e, s, errno, errstr)
	if err != nil {
		return nil, err
	}
	r, _ := v.(*Resource)
	return r, nil
}

func copyOut(e, s *Ref, errno *int, errstr *string) {
	if n, ok := e.V.(int64); ok && errno != nil {
		*errno = int(n)
	}
	if str, ok := s.V.(string); ok && errstr != nil {
		*errstr = str
	}
}

// Fclose is PHP's fclose.
func (rt *Runtime) Fclose(stream *Resource) bool {
	v, err := rt.Call("fclose", stream)
	return err == nil && v == true
}

// Fwrite is PHP's fwrite; ok is false where PHP returns false.
func (rt *Runtime) Fwrite(stream *Resource, data string) (n int, ok bool) {
	v, err := rt.Call("fwrite", stream, data)
	if err != nil {
		return 0, false
	}
	i, ok := v.(int64)
	return int(i), ok
}

// Fread is PHP's fread; ok is false where PHP returns false.
func (rt *Runtime) Fread(stream *Resource, length int) (string, bool) {
	v, err := rt.Call("fread", stream, int64(length))
	if err != nil {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}
