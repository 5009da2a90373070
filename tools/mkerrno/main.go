//go:build linux && cgo

// Command mkerrno generates the lookup tables of package
// github.com/phpsock/phpsock/errno from the host's GNU C library.
//
// It uses cgo, at generation time only, to ask glibc's strerror for the
// text of every errno number from 0 to 4095 and gai_strerror for the text
// of every EAI_* code that <netdb.h> defines with _GNU_SOURCE. Symbolic
// errno names come from golang.org/x/sys/unix.ErrnoName. The program never
// calls setlocale, so the C library runs in the "C" locale and produces its
// untranslated English texts whatever LANG or LC_* say.
//
// Usage, from the module root on a Linux host with glibc, cgo and a C
// compiler:
//
//	go run ./tools/mkerrno -dir errno
//
// It writes two gofmt'ed files into the directory given by -dir:
//
//	zerrno_linux.go  errno and gai_strerror tables (build tag linux)
//	zeai.go          the EAI_* constants (all platforms)
//
// The errno table is only valid for architectures that use the kernel's
// asm-generic errno numbering, so mkerrno refuses to run anywhere else.
package main

/*
#define _GNU_SOURCE
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <gnu/libc-version.h>

// mk_strerror copies strerror's text into buf. strerror may return a
// per-thread buffer for unknown numbers, so the copy is made in C, before
// the calling thread can run anything else.
static void mk_strerror(int e, char *buf, size_t n) {
	snprintf(buf, n, "%s", strerror(e));
}

struct mk_eai {
	const char *name;
	int code;
};

#define MK_EAI(x) { #x, x },

// mk_eais lists the EAI_* codes this C library defines.
static const struct mk_eai mk_eais[] = {
#ifdef EAI_BADFLAGS
	MK_EAI(EAI_BADFLAGS)
#endif
#ifdef EAI_NONAME
	MK_EAI(EAI_NONAME)
#endif
#ifdef EAI_AGAIN
	MK_EAI(EAI_AGAIN)
#endif
#ifdef EAI_FAIL
	MK_EAI(EAI_FAIL)
#endif
#ifdef EAI_FAMILY
	MK_EAI(EAI_FAMILY)
#endif
#ifdef EAI_SOCKTYPE
	MK_EAI(EAI_SOCKTYPE)
#endif
#ifdef EAI_SERVICE
	MK_EAI(EAI_SERVICE)
#endif
#ifdef EAI_MEMORY
	MK_EAI(EAI_MEMORY)
#endif
#ifdef EAI_SYSTEM
	MK_EAI(EAI_SYSTEM)
#endif
#ifdef EAI_OVERFLOW
	MK_EAI(EAI_OVERFLOW)
#endif
#ifdef EAI_NODATA
	MK_EAI(EAI_NODATA)
#endif
#ifdef EAI_ADDRFAMILY
	MK_EAI(EAI_ADDRFAMILY)
#endif
#ifdef EAI_INPROGRESS
	MK_EAI(EAI_INPROGRESS)
#endif
#ifdef EAI_CANCELED
	MK_EAI(EAI_CANCELED)
#endif
#ifdef EAI_NOTCANCELED
	MK_EAI(EAI_NOTCANCELED)
#endif
#ifdef EAI_ALLDONE
	MK_EAI(EAI_ALLDONE)
#endif
#ifdef EAI_INTR
	MK_EAI(EAI_INTR)
#endif
#ifdef EAI_IDN_ENCODE
	MK_EAI(EAI_IDN_ENCODE)
#endif
};

static int mk_neai(void) { return (int)(sizeof mk_eais / sizeof mk_eais[0]); }
static const char *mk_eai_name(int i) { return mk_eais[i].name; }
static int mk_eai_code(int i) { return mk_eais[i].code; }
*/
import "C"

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

const (
	// maxErrno is the largest errno number probed. Linux reserves
	// -4095..-1 for error returns, so no errno can be larger.
	maxErrno = 4095

	// maxGaiProbe bounds the range of codes probed with gai_strerror to
	// detect codes the EAI_* list in the preamble does not know about.
	maxGaiProbe = 4096

	// regenerate is the command written into the generated headers.
	regenerate = "go run ./tools/mkerrno -dir errno"
)

// genericArches are the GOARCH values whose Linux errno numbers follow
// include/uapi/asm-generic/errno*.h. The others (mips*, ppc*, sparc64)
// renumber some or all errors. The list was checked against the errorList
// tables of golang.org/x/sys/unix v0.50.0.
var genericArches = []string{"386", "amd64", "arm", "arm64", "loong64", "riscv64", "s390x"}

// eaiDocs describes the EAI_* codes for the doc comments of the generated
// constants. Codes missing here get no line comment.
var eaiDocs = map[string]string{
	"EAI_BADFLAGS":    "invalid value for ai_flags",
	"EAI_NONAME":      "node or service is not known",
	"EAI_AGAIN":       "temporary failure in name resolution",
	"EAI_FAIL":        "non-recoverable failure in name resolution",
	"EAI_FAMILY":      "ai_family not supported",
	"EAI_SOCKTYPE":    "ai_socktype not supported",
	"EAI_SERVICE":     "service not supported for ai_socktype",
	"EAI_MEMORY":      "memory allocation failure",
	"EAI_SYSTEM":      "system error, see errno",
	"EAI_OVERFLOW":    "argument buffer overflow",
	"EAI_NODATA":      "no address associated with the name (GNU)",
	"EAI_ADDRFAMILY":  "address family of the name not supported (GNU)",
	"EAI_INPROGRESS":  "request in progress (GNU, getaddrinfo_a)",
	"EAI_CANCELED":    "request canceled (GNU, getaddrinfo_a)",
	"EAI_NOTCANCELED": "request not canceled (GNU, getaddrinfo_a)",
	"EAI_ALLDONE":     "all requests done (GNU, getaddrinfo_a)",
	"EAI_INTR":        "interrupted by a signal (GNU, gai_suspend)",
	"EAI_IDN_ENCODE":  "IDN encoding failed (GNU)",
}

// errnoEntry is what the C library and x/sys say about one errno number.
type errnoEntry struct {
	num  int
	name string // from unix.ErrnoName; "" if none
	text string // from strerror; "" if glibc reports it as unknown
}

// eaiEntry is one EAI_* code with its gai_strerror text.
type eaiEntry struct {
	name string
	code int
	text string
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("mkerrno: ")
	dir := flag.String("dir", "errno", "directory to write zerrno_linux.go and zeai.go into")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s\n", regenerate)
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if !slices.Contains(genericArches, runtime.GOARCH) {
		log.Fatalf("GOARCH=%s does not use the asm-generic errno numbers; run on one of %s",
			runtime.GOARCH, strings.Join(genericArches, ", "))
	}

	g := &generator{
		libc: C.GoString(C.gnu_get_libc_version()),
		xsys: moduleVersion("golang.org/x/sys"),
	}
	g.probeErrno()
	g.probeGai()

	files := []struct {
		name string
		gen  func(*bytes.Buffer)
	}{
		{"zeai.go", g.writeEAI},
		{"zerrno_linux.go", g.writeTables},
	}
	for _, f := range files {
		var buf bytes.Buffer
		f.gen(&buf)
		src, err := format.Source(buf.Bytes())
		if err != nil {
			log.Fatalf("formatting %s: %v\n%s", f.name, err, buf.Bytes())
		}
		if err := os.WriteFile(filepath.Join(*dir, f.name), src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// generator holds everything probed from the C library.
type generator struct {
	libc string // gnu_get_libc_version()
	xsys string // version of golang.org/x/sys this program was built with

	unknownPrefix string // strerror text before the number of an unknown errno
	errnos        []errnoEntry

	gaiUnknown string // gai_strerror text for an unknown code
	eais       []eaiEntry
}

// strerror returns the C library's text for errno number n.
func strerror(n int) string {
	var buf [1024]C.char
	C.mk_strerror(C.int(n), &buf[0], C.size_t(len(buf)))
	return C.GoString(&buf[0])
}

// gaiStrerror returns the C library's text for getaddrinfo error code n.
func gaiStrerror(n int) string {
	return C.GoString(C.gai_strerror(C.int(n)))
}

// probeErrno fills g.unknownPrefix and g.errnos. It fails if glibc does not
// format unknown numbers as a fixed prefix followed by the signed decimal
// number, because package errno rebuilds those texts itself.
func (g *generator) probeErrno() {
	const probe = 99999
	t := strerror(probe)
	prefix, ok := strings.CutSuffix(t, strconv.Itoa(probe))
	if !ok || prefix == "" {
		log.Fatalf("strerror(%d) = %q: not a prefix followed by the number", probe, t)
	}
	g.unknownPrefix = prefix
	for _, n := range []int{-1, -2147483648, 2147483647, maxErrno + 1, 65536} {
		if got, want := strerror(n), prefix+strconv.Itoa(n); got != want {
			log.Fatalf("strerror(%d) = %q, want %q", n, got, want)
		}
	}

	for n := 0; n <= maxErrno; n++ {
		e := errnoEntry{num: n, name: unix.ErrnoName(syscall.Errno(n))}
		if t := strerror(n); t != prefix+strconv.Itoa(n) {
			e.text = t
		}
		if e.name != "" || e.text != "" {
			g.errnos = append(g.errnos, e)
		}
	}
	if len(g.errnos) == 0 {
		log.Fatal("strerror knows no errno number at all")
	}
}

// probeGai fills g.gaiUnknown and g.eais, sorted by code. It fails if
// gai_strerror has a text for a code in [-maxGaiProbe, maxGaiProbe] that
// is not one of the EAI_* macros listed in the C preamble.
func (g *generator) probeGai() {
	g.gaiUnknown = gaiStrerror(1 << 30)
	if g.gaiUnknown == "" {
		log.Fatal("gai_strerror returns an empty text for an unknown code")
	}
	seen := make(map[int]string)
	for i := range int(C.mk_neai()) {
		e := eaiEntry{
			name: C.GoString(C.mk_eai_name(C.int(i))),
			code: int(C.mk_eai_code(C.int(i))),
		}
		if prev, dup := seen[e.code]; dup {
			log.Fatalf("%s and %s share code %d", prev, e.name, e.code)
		}
		seen[e.code] = e.name
		e.text = gaiStrerror(e.code)
		g.eais = append(g.eais, e)
	}
	if len(g.eais) == 0 {
		log.Fatal("<netdb.h> defines no EAI_* code")
	}
	slices.SortFunc(g.eais, func(a, b eaiEntry) int { return cmp.Compare(a.code, b.code) })
	for n := -maxGaiProbe; n <= maxGaiProbe; n++ {
		if _, ok := seen[n]; ok {
			continue
		}
		if t := gaiStrerror(n); t != g.gaiUnknown {
			log.Fatalf("gai_strerror(%d) = %q, but no EAI_* macro in the list has that value", n, t)
		}
	}
}

// moduleVersion returns the version of module path this binary was built
// with, or "(unknown)".
func moduleVersion(path string) string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	for _, m := range bi.Deps {
		if m.Path != path {
			continue
		}
		if m.Replace != nil {
			m = m.Replace
		}
		if m.Version == "" {
			return "(devel)"
		}
		return m.Version
	}
	return "(unknown)"
}

// header writes the common first lines of a generated file.
func (g *generator) header(b *bytes.Buffer, what string) {
	fmt.Fprintf(b, "// Code generated by tools/mkerrno; DO NOT EDIT.\n")
	fmt.Fprintf(b, "// Regenerate on a Linux/glibc host: %s\n", regenerate)
	fmt.Fprintf(b, "//\n")
	fmt.Fprintf(b, "// %s\n", what)
	fmt.Fprintf(b, "// Generated from GNU C Library %s and golang.org/x/sys %s.\n\n", g.libc, g.xsys)
}

// writeEAI writes zeai.go: the EAI_* constants, for every platform.
func (g *generator) writeEAI(b *bytes.Buffer) {
	g.header(b, "EAI_* codes as defined by <netdb.h> with _GNU_SOURCE.")
	fmt.Fprintf(b, "package errno\n\n")
	fmt.Fprintf(b, "// getaddrinfo error codes, with the values glibc's <netdb.h> gives them\n")
	fmt.Fprintf(b, "// (compiled with _GNU_SOURCE). They are the codes [GaiMessage] accepts on\n")
	fmt.Fprintf(b, "// every platform, even where the native C library numbers them differently.\n")
	fmt.Fprintf(b, "const (\n")
	for _, e := range g.eais {
		fmt.Fprintf(b, "\t%s = %d", e.name, e.code)
		if d := eaiDocs[e.name]; d != "" {
			fmt.Fprintf(b, " // %s", d)
		}
		fmt.Fprintf(b, "\n")
	}
	fmt.Fprintf(b, ")\n")
}

// writeTables writes zerrno_linux.go: the strerror and gai_strerror tables.
func (g *generator) writeTables(b *bytes.Buffer) {
	g.header(b, "Texts of strerror and gai_strerror in the \"C\" locale, errno names from\n// unix.ErrnoName.")
	fmt.Fprintf(b, "//go:build linux\n\n")
	fmt.Fprintf(b, "package errno\n\n")
	fmt.Fprintf(b, "import \"runtime\"\n\n")

	fmt.Fprintf(b, "// libcVersion is the version of the GNU C library the texts come from.\n")
	fmt.Fprintf(b, "const libcVersion = %q\n\n", g.libc)

	fmt.Fprintf(b, "// genericArch reports whether errnoTable matches the errno numbers of\n")
	fmt.Fprintf(b, "// the target: true on the architectures that use the asm-generic numbers.\n")
	fmt.Fprintf(b, "const genericArch = ")
	for i, a := range genericArches {
		if i > 0 {
			fmt.Fprintf(b, " ||\n\t")
		}
		fmt.Fprintf(b, "runtime.GOARCH == %q", a)
	}
	fmt.Fprintf(b, "\n\n")

	fmt.Fprintf(b, "// unknownErrnoPrefix precedes the decimal number in strerror's text for\n")
	fmt.Fprintf(b, "// a number it does not know.\n")
	fmt.Fprintf(b, "const unknownErrnoPrefix = %q\n\n", g.unknownPrefix)

	fmt.Fprintf(b, "// unknownGaiText is gai_strerror's text for a code it does not know.\n")
	fmt.Fprintf(b, "const unknownGaiText = %q\n\n", g.gaiUnknown)

	fmt.Fprintf(b, "// errnoTable is indexed by errno number. name is unix.ErrnoName's answer\n")
	fmt.Fprintf(b, "// (\"\" if none); text is strerror's (\"\" if glibc reports the number as\n")
	fmt.Fprintf(b, "// unknown). Numbers past the end are unknown to both.\n")
	fmt.Fprintf(b, "var errnoTable = [...]struct {\n\tname, text string\n}{\n")
	for _, e := range g.errnos {
		fmt.Fprintf(b, "\t%d: {%q, %q},\n", e.num, e.name, e.text)
	}
	fmt.Fprintf(b, "}\n\n")

	fmt.Fprintf(b, "// gaiTable holds gai_strerror's text for each EAI_* code, sorted by code.\n")
	fmt.Fprintf(b, "var gaiTable = [...]struct {\n\tcode int\n\ttext string\n}{\n")
	for _, e := range g.eais {
		fmt.Fprintf(b, "\t{%s, %q},\n", e.name, e.text)
	}
	fmt.Fprintf(b, "}\n")
}
