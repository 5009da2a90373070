//go:build 386 || amd64 || arm || arm64 || loong64 || riscv64 || s390x

// The examples show glibc texts, which need the asm-generic errno table.

package errno_test

import (
	"fmt"
	"syscall"

	"github.com/phpsock/phpsock/errno"
)

func ExampleMessage() {
	e := syscall.ECONNREFUSED
	fmt.Printf("%s: %s\n", errno.Name(e), errno.Message(e))
	fmt.Println(errno.Message(0))
	fmt.Println(errno.Message(4000))
	// Output:
	// ECONNREFUSED: Connection refused
	// Success
	// Unknown error 4000
}

func ExampleGaiMessage() {
	fmt.Println("getaddrinfo for nosuchhost failed:", errno.GaiMessage(errno.EAI_NONAME))
	// Output:
	// getaddrinfo for nosuchhost failed: Name or service not known
}
