package compat

import "testing"

// TestGoConstantsArePHPs checks the Go constants named after PHP's against
// the table generated from PHP (constants_php.go).
func TestGoConstantsArePHPs(t *testing.T) {
	for name, v := range map[string]int64{
		"STREAM_CLIENT_PERSISTENT":    STREAM_CLIENT_PERSISTENT,
		"STREAM_CLIENT_ASYNC_CONNECT": STREAM_CLIENT_ASYNC_CONNECT,
		"STREAM_CLIENT_CONNECT":       STREAM_CLIENT_CONNECT,
		"STREAM_SERVER_BIND":          STREAM_SERVER_BIND,
		"STREAM_SERVER_LISTEN":        STREAM_SERVER_LISTEN,
	} {
		if php, ok := phpConstants[name]; !ok || php != v {
			t.Errorf("%s = %d in Go, %v (%v) in PHP", name, v, php, ok)
		}
	}
}
