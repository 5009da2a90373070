package compat

import "math"

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

// floatConstants are PHP's float constants cases use as arguments.
var floatConstants = map[string]float64{
	"NAN":               math.NaN(),
	"INF":               math.Inf(1),
	"PHP_FLOAT_EPSILON": math.SmallestNonzeroFloat64 * 0, // replaced in init
}

func init() {
	floatConstants["PHP_FLOAT_EPSILON"] = math.Nextafter(1, 2) - 1
	floatConstants["PHP_FLOAT_MAX"] = math.MaxFloat64
	floatConstants["PHP_FLOAT_MIN"] = 2.2250738585072014e-308
}

// intConstants are PHP's int constants besides the stream ones.
var intConstants = map[string]int64{
	"PHP_INT_MAX":  math.MaxInt64,
	"PHP_INT_MIN":  math.MinInt64,
	"PHP_INT_SIZE": 8,
}

// Constant returns the value of a PHP constant of phpsock's surface (and
// the few core constants cases pass as arguments: NAN, INF, PHP_INT_MAX...).
func (rt *Runtime) Constant(name string) (Value, bool) {
	if v, ok := constants[name]; ok {
		return v, true
	}
	if v, ok := intConstants[name]; ok {
		return v, true
	}
	if v, ok := floatConstants[name]; ok {
		return v, true
	}
	return nil, false
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
