package compat

// constants are the PHP constants of phpsock's surface with PHP 8.2's values.
var constants = map[string]int64{
	"STREAM_CLIENT_PERSISTENT":    STREAM_CLIENT_PERSISTENT,
	"STREAM_CLIENT_ASYNC_CONNECT": STREAM_CLIENT_ASYNC_CONNECT,
	"STREAM_CLIENT_CONNECT":       STREAM_CLIENT_CONNECT,
	"STREAM_SERVER_BIND":          4,
	"STREAM_SERVER_LISTEN":        8,
	"STREAM_SHUT_RD":              0,
	"STREAM_SHUT_WR":              1,
	"STREAM_SHUT_RDWR":            2,
	"STREAM_OOB":                  1,
	"STREAM_PEEK":                 2,
	"STREAM_PF_INET":              2,
	"STREAM_PF_INET6":             10,
	"STREAM_PF_UNIX":              1,
	"STREAM_IPPROTO_IP":           0,
	"STREAM_IPPROTO_TCP":          6,
	"STREAM_IPPROTO_UDP":          17,
	"STREAM_IPPROTO_ICMP":         1,
	"STREAM_IPPROTO_RAW":          255,
	"STREAM_SOCK_STREAM":          1,
	"STREAM_SOCK_DGRAM":           2,
	"STREAM_SOCK_RAW":             3,
	"STREAM_SOCK_SEQPACKET":       5,
	"STREAM_SOCK_RDM":             4,

	"STREAM_CRYPTO_METHOD_SSLv2_CLIENT":   3,
	"STREAM_CRYPTO_METHOD_SSLv3_CLIENT":   5,
	"STREAM_CRYPTO_METHOD_SSLv23_CLIENT":  57,
	"STREAM_CRYPTO_METHOD_ANY_CLIENT":     127,
	"STREAM_CRYPTO_METHOD_TLS_CLIENT":     121,
	"STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT": 9,
	"STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT": 17,
	"STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT": 33,
	"STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT": 65,
	"STREAM_CRYPTO_METHOD_SSLv2_SERVER":   2,
	"STREAM_CRYPTO_METHOD_SSLv3_SERVER":   4,
	"STREAM_CRYPTO_METHOD_SSLv23_SERVER":  120,
	"STREAM_CRYPTO_METHOD_ANY_SERVER":     126,
	"STREAM_CRYPTO_METHOD_TLS_SERVER":     120,
	"STREAM_CRYPTO_METHOD_TLSv1_0_SERVER": 8,
	"STREAM_CRYPTO_METHOD_TLSv1_1_SERVER": 16,
	"STREAM_CRYPTO_METHOD_TLSv1_2_SERVER": 32,
	"STREAM_CRYPTO_METHOD_TLSv1_3_SERVER": 64,
	"STREAM_CRYPTO_PROTO_SSLv3":           4,
	"STREAM_CRYPTO_PROTO_TLSv1_0":         8,
	"STREAM_CRYPTO_PROTO_TLSv1_1":         16,
	"STREAM_CRYPTO_PROTO_TLSv1_2":         32,
	"STREAM_CRYPTO_PROTO_TLSv1_3":         64,
}

// Constant returns the value of a PHP constant of phpsock's surface.
func (rt *Runtime) Constant(name string) (Value, bool) {
	v, ok := constants[name]
	if !ok {
		return nil, false
	}
	return v, true
}

// constant(string $name): mixed
func constantFn(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	name, _, err := c.str(0, param{name: "name"})
	if err != nil {
		return nil, err
	}
	if v, ok := c.rt.Constant(name); ok {
		return v, nil
	}
	return nil, &Error{Class: "Error", Message: "Undefined constant \"" + name + "\""}
}

// defined(string $constant_name): bool
func definedFn(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	name, _, err := c.str(0, param{name: "constant_name"})
	if err != nil {
		return nil, err
	}
	_, ok := c.rt.Constant(name)
	return ok, nil
}
