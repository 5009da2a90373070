package compat

import (
	"testing"

	"github.com/phpsock/phpsock/phpstream"
)

// TestGoConstantsArePHPs checks a sample of the Go constants
// (constants_go.go) against the table by name (constants_php.go): both are
// written by tools/mkconst from one run of PHP, so a hand edit of either
// file, or a generator that typed one group differently, fails here.
func TestGoConstantsArePHPs(t *testing.T) {
	for name, v := range map[string]Value{
		"STREAM_CLIENT_PERSISTENT":        int64(STREAM_CLIENT_PERSISTENT),
		"STREAM_CLIENT_ASYNC_CONNECT":     int64(STREAM_CLIENT_ASYNC_CONNECT),
		"STREAM_CLIENT_CONNECT":           int64(STREAM_CLIENT_CONNECT),
		"STREAM_SERVER_BIND":              int64(STREAM_SERVER_BIND),
		"STREAM_SERVER_LISTEN":            int64(STREAM_SERVER_LISTEN),
		"STREAM_CRYPTO_METHOD_TLS_CLIENT": int64(STREAM_CRYPTO_METHOD_TLS_CLIENT),
		"STREAM_CRYPTO_METHOD_TLS_SERVER": int64(STREAM_CRYPTO_METHOD_TLS_SERVER),
		"STREAM_CRYPTO_METHOD_ANY_CLIENT": int64(STREAM_CRYPTO_METHOD_ANY_CLIENT),
		"STREAM_SHUT_RDWR":                int64(STREAM_SHUT_RDWR),
		"STREAM_PF_UNIX":                  int64(STREAM_PF_UNIX),
		"STREAM_SOCK_STREAM":              int64(STREAM_SOCK_STREAM),
		"STREAM_IPPROTO_IP":               int64(STREAM_IPPROTO_IP),
		"STREAM_PEEK":                     int64(STREAM_PEEK),
		"SEEK_END":                        int64(SEEK_END),
		"FILE_APPEND":                     int64(FILE_APPEND),
		"FILE_NO_DEFAULT_CONTEXT":         int64(FILE_NO_DEFAULT_CONTEXT),
		"LOCK_EX":                         int64(LOCK_EX),
		"E_WARNING":                       int64(E_WARNING),
		"E_DEPRECATED":                    int64(E_DEPRECATED),
		"STREAM_NOTIFY_PROGRESS":          int64(STREAM_NOTIFY_PROGRESS),
		"PHP_INT_MAX":                     int64(PHP_INT_MAX),
		"PHP_OS":                          PHP_OS,
		"PHP_EOL":                         PHP_EOL,
		"PHP_OS_FAMILY":                   PHP_OS_FAMILY,
		"PHP_FLOAT_EPSILON":               float64(PHP_FLOAT_EPSILON),
	} {
		if php, ok := phpConstants[name]; !ok || php != v {
			t.Errorf("%s = %#v in Go, %#v (%v) in PHP", name, v, php, ok)
		}
	}
}

// TestEngineCryptoConstants checks phpstream's own crypto method and
// protocol numbers (which phpstream, below compat, cannot take from the
// generated file) against PHP's, so the engine and compat agree.
func TestEngineCryptoConstants(t *testing.T) {
	for name, v := range map[string]int64{
		"STREAM_CRYPTO_METHOD_SSLv2_CLIENT":   phpstream.CryptoMethodSSLv2Client,
		"STREAM_CRYPTO_METHOD_SSLv3_CLIENT":   phpstream.CryptoMethodSSLv3Client,
		"STREAM_CRYPTO_METHOD_SSLv23_CLIENT":  phpstream.CryptoMethodSSLv23Client,
		"STREAM_CRYPTO_METHOD_ANY_CLIENT":     phpstream.CryptoMethodAnyClient,
		"STREAM_CRYPTO_METHOD_TLS_CLIENT":     phpstream.CryptoMethodTLSClient,
		"STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT": phpstream.CryptoMethodTLSv10Client,
		"STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT": phpstream.CryptoMethodTLSv11Client,
		"STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT": phpstream.CryptoMethodTLSv12Client,
		"STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT": phpstream.CryptoMethodTLSv13Client,
		"STREAM_CRYPTO_METHOD_SSLv2_SERVER":   phpstream.CryptoMethodSSLv2Server,
		"STREAM_CRYPTO_METHOD_SSLv3_SERVER":   phpstream.CryptoMethodSSLv3Server,
		"STREAM_CRYPTO_METHOD_SSLv23_SERVER":  phpstream.CryptoMethodSSLv23Server,
		"STREAM_CRYPTO_METHOD_ANY_SERVER":     phpstream.CryptoMethodAnyServer,
		"STREAM_CRYPTO_METHOD_TLS_SERVER":     phpstream.CryptoMethodTLSServer,
		"STREAM_CRYPTO_METHOD_TLSv1_0_SERVER": phpstream.CryptoMethodTLSv10Server,
		"STREAM_CRYPTO_METHOD_TLSv1_1_SERVER": phpstream.CryptoMethodTLSv11Server,
		"STREAM_CRYPTO_METHOD_TLSv1_2_SERVER": phpstream.CryptoMethodTLSv12Server,
		"STREAM_CRYPTO_METHOD_TLSv1_3_SERVER": phpstream.CryptoMethodTLSv13Server,
		"STREAM_CRYPTO_PROTO_SSLv3":           phpstream.CryptoProtoSSLv3,
		"STREAM_CRYPTO_PROTO_TLSv1_0":         phpstream.CryptoProtoTLSv10,
		"STREAM_CRYPTO_PROTO_TLSv1_1":         phpstream.CryptoProtoTLSv11,
		"STREAM_CRYPTO_PROTO_TLSv1_2":         phpstream.CryptoProtoTLSv12,
		"STREAM_CRYPTO_PROTO_TLSv1_3":         phpstream.CryptoProtoTLSv13,
	} {
		if php, ok := phpConstants[name]; !ok || php != v {
			t.Errorf("phpstream's %s = %d, PHP's %v (%v)", name, v, php, ok)
		}
	}
}
