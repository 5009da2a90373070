package compat

import "testing"

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
