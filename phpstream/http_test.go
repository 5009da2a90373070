package phpstream

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestDechunkSplits decodes chunked bodies fed in every split into two
// pieces: the decoder keeps its state across calls as PHP's does.
func TestDechunkSplits(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world"},
		{"4;ext=1\r\nabcd\r\n0\r\nTrailer: x\r\n\r\nignored", "abcd"},
		{"3\nabc\n0\n\n", "abc"},
		{"xyz\r\nraw", "xyz\r\nraw"},                   // not a size: passed through
		{"2\r\nokzz\r\n", "okzz\r\n"},                  // no line break after the data
		{"10000000000000003\r\nabcdef", "abcdef"},      // the size wraps to 3, then no CRLF
		{"A\r\n0123456789\r\n0\r\n\r\n", "0123456789"}, // upper-case hex
	} {
		for cut := 0; cut <= len(tc.in); cut++ {
			var d dechunker
			a := []byte(tc.in[:cut])
			b := []byte(tc.in[cut:])
			got := string(a[:d.decode(a)]) + string(b[:d.decode(b)])
			if got != tc.want {
				t.Errorf("%q cut at %d: %q, want %q", tc.in, cut, got, tc.want)
			}
		}
	}
}

// TestParsePHPURL checks php_url_parse's split of the URLs the http
// wrapper sees (parse_url of PHP 8.2 gives the same parts).
func TestParsePHPURL(t *testing.T) {
	for _, tc := range []struct {
		in                             string
		ok                             bool
		scheme, user, pass, host, path string
		query                          string
		port                           uint16
	}{
		{"http://h/p?q#f", true, "http", "", "", "h", "/p", "q", 0},
		{"http://u:p@h:81", true, "http", "u", "p", "h", "", "", 81},
		{"http://a:b@c@h/", true, "http", "a", "b@c", "h", "/", "", 0},
		{"http://[::1]:8080/x", true, "http", "", "", "[::1]", "/x", "", 8080},
		{"http://h:99999/", false, "", "", "", "", "", "", 0},
		{"http:///p", false, "", "", "", "", "", "", 0},
		{"http://h/a\tb", true, "http", "", "", "h", "/a_b", "", 0},
	} {
		u, ok := parsePHPURL(tc.in)
		if ok != tc.ok {
			t.Errorf("%q: ok %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if u.scheme != tc.scheme || u.user != tc.user || u.pass != tc.pass || u.host != tc.host ||
			u.path != tc.path || u.query != tc.query || u.port != tc.port {
			t.Errorf("%q: %+v", tc.in, *u)
		}
	}
}

func TestStripURLPassword(t *testing.T) {
	for in, want := range map[string]string{
		"http://user:secret@h/p": "http://...@h/p",
		"http://ab@h/":           "http://..@h/",
		"http://@h/":             "http://@h/",
		"http://h/p":             "http://h/p",
		"/plain/path@x":          "/plain/path@x",
	} {
		if got := StripURLPassword(in); got != want {
			t.Errorf("StripURLPassword(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStripHeader removes every line of a header, folded lines included,
// and a last one with the line break before it.
func TestStripHeader(t *testing.T) {
	in := "Cookie: a\r\n folded\r\nX: 1\r\ncookie : b\r\nY: 2\r\nCookie: c"
	got, _ := stripHeader(in, strings.ToLower(in), "cookie")
	if want := "X: 1\r\nY: 2"; got != want {
		t.Errorf("stripHeader = %q, want %q", got, want)
	}
}

// TestHTTPEndlessHeaderLineIsBounded sends a header line that never ends:
// the open fails at MaxHTTPResponseHead instead of reading on (PHP reads
// until its memory_limit kills the script).
func TestHTTPEndlessHeaderLineIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 16 MiB")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// The server sends until the client gives up (or 4 times the bound,
	// which a client reading on would take).
	sent := make(chan int, 1)
	go func() {
		n := 0
		defer func() { sent <- n }()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		go io.Copy(io.Discard, c)
		c.Write([]byte("HTTP/1.1 200 OK\r\nX-Endless: "))
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for n < 4*MaxHTTPResponseHead {
			m, err := c.Write(chunk)
			n += m
			if err != nil {
				return
			}
		}
	}()
	s, err := OpenURL("http://"+ln.Addr().String()+"/", "r", OpenOptions{DefaultSocketTimeout: 10 * time.Second})
	if err == nil {
		s.Close()
		t.Fatal("an endless header line opened")
	}
	var oe *OpenError
	if !errors.As(err, &oe) || !strings.Contains(oe.Msg, "over phpsock's limit") {
		t.Fatalf("error %v; want the header limit", err)
	}
	ln.Close()
	if n := <-sent; n >= 4*MaxHTTPResponseHead {
		t.Errorf("the client read all %d bytes the server sent", n)
	}
}
