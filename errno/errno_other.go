//go:build !linux

package errno

import "syscall"

// glibcErrno reports whether Name and Message answer from the generated
// glibc table; there is none outside Linux.
const glibcErrno = false

func message(e syscall.Errno) string { return e.Error() }

// gaiMessage returns the text macOS's gai_strerror (Libinfo) gives for the
// error that code, a glibc EAI_* value, stands for. It is a fallback for
// every platform without glibc: other systems word some texts differently.
func gaiMessage(code int) string {
	switch int32(code) {
	case EAI_ADDRFAMILY:
		return "Address family for nodename not supported"
	case EAI_AGAIN:
		return "Temporary failure in name resolution"
	case EAI_BADFLAGS:
		return "Invalid value for ai_flags"
	case EAI_FAIL:
		return "Non-recoverable failure in name resolution"
	case EAI_FAMILY:
		return "ai_family not supported"
	case EAI_MEMORY:
		return "Memory allocation failure"
	case EAI_NODATA:
		return "No address associated with nodename"
	case EAI_NONAME:
		return "nodename nor servname provided, or not known"
	case EAI_SERVICE:
		return "servname not supported for ai_socktype"
	case EAI_SOCKTYPE:
		return "ai_socktype not supported"
	case EAI_SYSTEM:
		return "System error"
	case EAI_OVERFLOW:
		return "argument buffer overflow"
	}
	return "Unknown error"
}
