package phpstream

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ftpLines gives the lines of b as php_stream_gets with the 512-byte
// buffer of get_ftp_result reads them: up to a '\n' or 510 bytes.
func ftpLines(b []byte) func() ([]byte, bool) {
	return func() ([]byte, bool) {
		if len(b) == 0 {
			return nil, false
		}
		n := len(b)
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			n = i + 1
		}
		n = min(n, ftpLineMax-1)
		line := b[:n]
		b = b[n:]
		return line, true
	}
}

// TestFTPReply checks get_ftp_result's reading of replies, as the recorded
// cases show PHP's: multi-line replies end at "nnn " (ftp/greeting-multiline),
// a line is cut at 510 bytes and the rest may end the reply
// (ftp/reply-long-line), what precedes the final line is skipped
// (ftp/reply-garbage-then-code), a reply cut short keeps its last line and
// the number it starts with (ftp/greeting-no-newline-close: "220" at the
// end of the stream is a 220), and a line without a number is 0
// (ftp/close-done-garbage).
func TestFTPReply(t *testing.T) {
	for _, tc := range []struct {
		in   string
		code int
		last string
	}{
		{"220 ready\r\n", 220, "220 ready\r\n"},
		{"220-Welcome\r\n220-to the\r\n220 fixture\r\nextra\r\n", 220, "220 fixture\r\n"},
		{strings.Repeat("x", 510) + "213 11\r\n", 213, "213 11\r\n"},
		{"what?\r\n213-x\r\n 213 y\r\n213 11\r\n", 213, "213 11\r\n"},
		{"220", 220, "220"},
		{"junk\r\n", 0, "junk\r\n"},
		{"", 0, ""},
		{"-12 x\r\n", -12, "-12 x\r\n"},
		{"99999999999999999999\r\n", -1, "99999999999999999999\r\n"},
		{"-99999999999999999999\r\n", 0, "-99999999999999999999\r\n"},
		{"1234 x\r\n", 1234, "1234 x\r\n"},
		{"123\t\r\n", 123, "123\t\r\n"},
	} {
		code, last := ftpReply(ftpLines([]byte(tc.in)))
		if code != tc.code || last != tc.last {
			t.Errorf("%q: %d %q, want %d %q", tc.in, code, last, tc.code, tc.last)
		}
	}
}

// TestFTPReplyBound feeds a reply that never ends: phpsock gives it up
// after MaxFTPReply bytes, where PHP reads on for ever (docs/ftp.md).
func TestFTPReplyBound(t *testing.T) {
	lines := 0
	next := func() ([]byte, bool) {
		lines++
		return []byte("garbage without end\r\n"), true
	}
	done := make(chan int)
	go func() {
		code, _ := ftpReply(next)
		done <- code
	}()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("code %d, want 0", code)
		}
		if want := MaxFTPReply/len("garbage without end\r\n") + 1; lines != want {
			t.Errorf("read %d lines, want %d", lines, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("an endless reply was read without bound")
	}
}

// TestFTPPassiveReplies checks php_fopen_do_pasv's reading of 229 and 227
// replies (the fixture's are recorded in ftp/read-file-get-contents and
// ftp/epsv-refused-pasv; malformed ones in ftp/epsv-garbage and
// ftp/pasv-garbage).
func TestFTPPassiveReplies(t *testing.T) {
	for _, tc := range []struct {
		in   string
		port uint16
	}{
		{"229 Entering Extended Passive Mode (|||6446|)\r\n", 6446},
		{"229 no bars here\r\n", 0},
		{"229 (||6446|)\r\n", 0},
		{"229 (|||70000|)\r\n", 70000 & 0xffff},
		{"229 (|||x|)\r\n", 0},
		{"229", 0},
		{"22", 0},
	} {
		if got := ftpEPSVPort(tc.in); got != tc.port {
			t.Errorf("EPSV %q: %d, want %d", tc.in, got, tc.port)
		}
	}
	for _, tc := range []struct {
		in   string
		port uint16
		host string
	}{
		{"227 Entering Passive Mode (127,0,0,1,25,45).\r\n", 25*256 + 45, "127.0.0.1"},
		{"227 =10,1,2,3,0,21\r\n", 21, "10.1.2.3"},
		{"227 nothing\r\n", 0, ""},
		{"227 (127,0,0,1)\r\n", 0, ""},
		{"227 (127,0,0,1,1)\r\n", 0, ""},
		{"227 (1,2,3,4,,5)\r\n", 5, "1.2.3.4"},
		{"227 (1,2,3,4,256,1)\r\n", 1, "1.2.3.4"},
		{"227", 0, ""},
	} {
		port, host := ftpPASVAddr(tc.in)
		if port != tc.port || host != tc.host {
			t.Errorf("PASV %q: %d %q, want %d %q", tc.in, port, host, tc.port, tc.host)
		}
	}
}

// TestMDTM checks the MDTM answer's reading (sscanf "%4d%2d%2d%2d%2d%2d"
// after the first digit), with mktime's normalisation of fields out of
// range.
func TestMDTM(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"213 20200102030405\r\n", time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC).Unix(), true},
		{"213 x20201302030405\r\n", time.Date(2021, 1, 2, 3, 4, 5, 0, time.UTC).Unix(), true},
		{"213 2020010203\r\n", 0, false},
		{"213 \r\n", 0, false},
		{"213", 0, false},
	} {
		got, ok := mdtmTime(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("%q: %d %v, want %d %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// ftpReplySeeds cover every branch of ftpReply and the passive replies.
var ftpReplySeeds = []string{
	"220 ready\r\n",
	"220-a\r\n220 b\r\n",
	"229 Entering Extended Passive Mode (|||6446|)\r\n",
	"227 Entering Passive Mode (127,0,0,1,25,45).\r\n",
	"213 20200102030405\r\n",
	strings.Repeat("x", 510) + "213 11\r\n",
	"junk",
	"-99999999999999999999 \r\n",
	"",
}

// FuzzFTPReply feeds arbitrary server bytes to the reply reader and the
// parsers of what a reply carries: they never panic, a reply ends at the
// first final line, and its code is the number its last line starts with.
// Seeds: ftpReplySeeds and testdata/fuzz/FuzzFTPReply.
func FuzzFTPReply(f *testing.F) {
	for _, s := range ftpReplySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		code, last := ftpReply(ftpLines(b))
		if ftpFinalLine(last) && (code < 0 || code > 999) {
			t.Fatalf("final line %q gave code %d", last, code)
		}
		if last != "" && !bytes.Contains(b, []byte(last)) {
			t.Fatalf("last line %q is not in the input", last)
		}
		ftpEPSVPort(last)
		ftpPASVAddr(last)
		mdtmTime(last)
		ftpAtoi(last, 4)
	})
}

// TestFTPReplyCorpus keeps the checked-in seed corpus readable (a file the
// fuzzer cannot parse would only fail under -fuzz).
func TestFTPReplyCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/fuzz/FuzzFTPReply/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed corpus: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("go test fuzz v1\n[]byte(")) {
			t.Errorf("%s: not a fuzz corpus file", name)
		}
	}
}

// ExampleMaxFTPReply shows the bound phpsock puts on one FTP reply.
func ExampleMaxFTPReply() {
	fmt.Println(MaxFTPReply)
	// Output: 1048576
}
