package phpstream_test

import (
	"bytes"
	"net"
	"testing"
)

// TestGetContentsSizes checks stream_get_contents across the sizes where
// its buffer fills exactly, grows, or is cut by maxlen.
func TestGetContentsSizes(t *testing.T) {
	for _, tc := range []struct{ size, maxlen int }{
		{0, -1}, {1, -1}, {32 << 10, -1}, {32<<10 + 1, -1}, {256 << 10, -1}, {300000, -1},
		{300000, 40000}, {300000, 32 << 10}, {300000, 256 << 10}, {100, 1 << 20},
	} {
		payload := make([]byte, tc.size)
		for i := range payload {
			payload[i] = byte(i * 7)
		}
		srv := startServer(t, "tcp", "", func(c net.Conn) {
			c.Write(payload)
			c.Close()
		})
		s := dial(t, srv.addr())
		got := s.GetContents(tc.maxlen)
		want := payload
		if tc.maxlen >= 0 && tc.maxlen < len(want) {
			want = want[:tc.maxlen]
		}
		if !bytes.Equal(got, want) {
			t.Errorf("size %d maxlen %d: got %d bytes, want %d (first difference at %d)", tc.size, tc.maxlen, len(got), len(want), firstDiff(got, want))
		}
		s.Close()
		srv.close()
	}
}
