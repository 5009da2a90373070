package compat

import (
	"path/filepath"
	"testing"
)

// TestMetaDataFields checks that each typed field of MetaData is the
// array entry it names, on a php://memory stream, a data: stream and a
// TLS stream, and that MetaData leaves no entry of PHP's array untyped
// but the ones it documents as Array-only.
func TestMetaDataFields(t *testing.T) {
	rt := NewRuntime()
	defer rt.Close()
	addr := tlsServer(t)
	ctx, _ := rt.StreamContextCreate(Options{"ssl": {"cafile": filepath.Join(certDir, "ca.pem"), "peer_name": "localhost"}}, nil)
	tlsStream, err := rt.StreamSocketClient("tls://"+addr, nil, nil, 5, STREAM_CLIENT_CONNECT, ctx)
	if err != nil || tlsStream == nil {
		t.Fatalf("connect: %v", err)
	}
	mem, _ := rt.Fopen("php://memory", "w+", false, nil)
	data, _ := rt.Fopen("data:text/plain;base64,SGk=", "r", false, nil)
	arrayOnly := map[string]bool{"mediatype": true, "base64": true}
	for _, s := range []*Resource{mem, data, tlsStream} {
		m, err := rt.StreamGetMetaData(s)
		if err != nil {
			t.Fatal(err)
		}
		typed := map[string]Value{
			"timed_out": m.TimedOut, "blocked": m.Blocked, "eof": m.EOF, "wrapper_type": m.WrapperType,
			"stream_type": m.StreamType, "mode": m.Mode, "unread_bytes": int64(m.UnreadBytes),
			"seekable": m.Seekable, "uri": m.URI,
		}
		for i := 0; i < m.Array.Len(); i++ {
			k, v := m.Array.At(i)
			name := k.(string)
			switch {
			case name == "crypto":
				c := v.(*Array)
				for key, want := range map[string]Value{"protocol": m.Crypto.Protocol, "cipher_name": m.Crypto.CipherName,
					"cipher_bits": int64(m.Crypto.CipherBits), "cipher_version": m.Crypto.CipherVersion} {
					if got, _ := c.Get(key); got != want {
						t.Errorf("%s: crypto[%s] = %#v, CryptoMeta has %#v", m.StreamType, key, got, want)
					}
				}
			case arrayOnly[name]:
			default:
				want, ok := typed[name]
				if !ok {
					t.Errorf("%s: %s has no MetaData field", m.StreamType, name)
				} else if v != want {
					t.Errorf("%s: %s = %#v, MetaData has %#v", m.StreamType, name, v, want)
				}
			}
		}
		if _, ok := m.Array.Get("crypto"); ok != (m.Crypto != nil) {
			t.Errorf("%s: crypto in the array %v, MetaData.Crypto %v", m.StreamType, ok, m.Crypto)
		}
	}
	if m, _ := rt.StreamGetMetaData(tlsStream); m.Crypto == nil || m.Crypto.Protocol != "TLSv1.3" {
		t.Errorf("TLS stream's crypto: %+v", m.Crypto)
	}
}
