// Package errno names and describes system error numbers and getaddrinfo
// error codes the way the GNU C library does, so that Go code can build the
// same messages PHP prints, such as "Connection refused" or "Name or
// service not known".
//
// On Linux the names and texts come from tables generated from glibc's
// strerror and gai_strerror and from golang.org/x/sys/unix (see
// tools/mkerrno and the header of zerrno_linux.go for the glibc version);
// the package uses no cgo at run time. The tables are glibc's even when
// the program runs on a system with another C library, such as musl or
// Android's bionic, whose texts can differ: PHP built against those would
// print their texts, not these.
//
// The errno table is only valid where Linux uses the asm-generic errno
// numbers: 386, amd64, arm, arm64, loong64, riscv64 and s390x. On
// linux/mips*, linux/ppc64* and every other operating system, [Name] and
// [Message] fall back to the host's own information: [Message] returns
// [syscall.Errno.Error] (Go's texts, which are not the C library's), and
// [Name] returns what [golang.org/x/sys/unix.ErrnoName] says on systems
// x/sys supports and "" elsewhere (windows, plan9, js, wasip1). [GaiMessage]
// uses glibc's table on every Linux architecture; elsewhere it falls back to
// the texts of macOS's gai_strerror.
//
// Like the C functions, [Message] and [GaiMessage] see their argument as
// a C int (32 bits): higher bits are dropped.
//
// The package does not build on plan9, which has no [syscall.Errno].
//
// Looking up a known number or code does not allocate; only the "Unknown
// error N" text for an unknown errno number is built on the fly.
package errno

import "syscall"

// Name returns the symbolic name of error number e, such as "ECONNREFUSED",
// or "" if e has no name. When several names share a number (EAGAIN and
// EWOULDBLOCK, say) it returns the one [golang.org/x/sys/unix.ErrnoName]
// picks; on Linux that gives "ENOTSUP" for 95, not "EOPNOTSUPP", and
// "EFSCORRUPTED" for 117, not "EUCLEAN".
func Name(e syscall.Errno) string { return name(e) }

// Message returns the text glibc's strerror gives for error number e in
// the "C" locale: "Connection refused" for ECONNREFUSED, "Success" for 0,
// and "Unknown error 4000" for a number glibc does not know. On platforms
// without the glibc table it returns e.Error(); see the package
// documentation.
func Message(e syscall.Errno) string { return message(e) }

// GaiMessage returns the text glibc's gai_strerror gives for getaddrinfo
// error code, one of the EAI_* constants of this package: "Name or service
// not known" for [EAI_NONAME], "Temporary failure in name resolution" for
// [EAI_AGAIN], and "Unknown error" for a code glibc does not know (0
// included; glibc 2.36 has no text for [EAI_OVERFLOW] either). Outside Linux it returns macOS's text for the same error
// instead; see the package documentation.
func GaiMessage(code int) string { return gaiMessage(code) }
