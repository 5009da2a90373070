package compat_test

import (
	"fmt"
	"log"
	"net"
	"strings"
	"syscall"

	"github.com/phpsock/phpsock/compat"
)

// A refused connect, with glibc's text as PHP on Linux prints it:
//
//	$fp = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
func ExampleRuntime_Call_refused() {
	// A port that refuses: listen, note the address, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	addr := "tcp://" + ln.Addr().String()
	ln.Close()

	rt := compat.NewRuntime()
	defer rt.Close()
	rt.SetDiagnostics(func(d compat.Diagnostic) {
		// Hide the port, which changes from run to run.
		fmt.Printf("%s: %s\n", d.Level, strings.Replace(d.String(), addr, "tcp://127.0.0.1:PORT", 1))
	})
	errno, errstr := &compat.Ref{}, &compat.Ref{}
	v, _ := rt.Call("stream_socket_client", addr, errno, errstr, 5.0)
	fmt.Println(v, errno.V == int64(syscall.ECONNREFUSED), errstr.V)
	// Output:
	// E_WARNING: stream_socket_client(): Unable to connect to tcp://127.0.0.1:PORT (Connection refused)
	// false true Connection refused
}
