package compat_test

import (
	"fmt"
	"log"
	"net"

	"github.com/phpsock/phpsock/compat"
)

// echoOnce serves one connection on 127.0.0.1, answering each write with
// "re:" and what was written.
func echoOnce() (net.Listener, int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 512)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			c.Write(append([]byte("re:"), buf[:n]...))
		}
	}()
	return ln, ln.Addr().(*net.TCPAddr).Port
}

// fsockopen, fwrite and fread as a PHP script would use them:
//
//	$fp = fsockopen("127.0.0.1", $port, $errno, $errstr, 5);
//	fwrite($fp, "ping");
//	echo fread($fp, 100);
func ExampleRuntime_Fsockopen() {
	ln, port := echoOnce()
	defer ln.Close()

	rt := compat.NewRuntime()
	defer rt.Close()
	var errno int
	var errstr string
	fp, err := rt.Fsockopen("127.0.0.1", port, &errno, &errstr, 5)
	if err != nil || fp == nil {
		log.Fatal(err, errno, errstr)
	}
	defer rt.Fclose(fp)
	fmt.Println(errno, errstr == "")
	n, _, _ := rt.Fwrite(fp, "ping")
	fmt.Println(n)
	reply, _, _ := rt.Fread(fp, 100)
	fmt.Println(reply)
	// Output:
	// 0 true
	// 4
	// re:ping
}

// The generic entry point takes PHP's arguments as Go values; a
// by-reference parameter takes a *compat.Ref, which the call writes.
//
//	$fp = stream_socket_client("tcp://[::1", $errno, $errstr, 5);
func ExampleRuntime_Call() {
	rt := compat.NewRuntime()
	defer rt.Close()

	errno, errstr := &compat.Ref{}, &compat.Ref{}
	v, err := rt.Call("stream_socket_client", "tcp://[::1", errno, errstr, 5.0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%v %#v %q\n", v, errno.V, errstr.V)

	// A TypeError PHP would throw is returned as a *compat.Error.
	_, err = rt.Call("stream_socket_client", "tcp://127.0.0.1:80", errno, errstr, 5.0, "x")
	fmt.Println(err)

	// A successful connect returns a *compat.Resource.
	ln, _ := echoOnce()
	defer ln.Close()
	v, err = rt.Call("stream_socket_client", "tcp://"+ln.Addr().String(), errno, errstr, 5.0)
	if err != nil {
		log.Fatal(err)
	}
	fp := v.(*compat.Resource)
	defer rt.Fclose(fp)
	fmt.Printf("%s %#v %q\n", fp.Type(), errno.V, errstr.V)
	// Output:
	// false 0 "Failed to parse IPv6 address \"[::1\""
	// TypeError: stream_socket_client(): Argument #5 ($flags) must be of type int, string given
	// stream 0 ""
}

// Warnings, notices and deprecations go to the diagnostics sink, worded
// as PHP's error handler receives them.
func ExampleRuntime_SetDiagnostics() {
	rt := compat.NewRuntime()
	defer rt.Close()
	rt.SetDiagnostics(func(d compat.Diagnostic) {
		fmt.Printf("%s: %s\n", d.Level, d.String())
	})
	// fsockopen("127.0.0.1", 0.5): port 0, so no port is appended.
	v, _ := rt.Call("fsockopen", "127.0.0.1", 0.5)
	fmt.Println(v)
	// Output:
	// E_DEPRECATED: Implicit conversion from float 0.5 to int loses precision
	// E_WARNING: fsockopen(): Unable to connect to 127.0.0.1:0 (Failed to parse address "127.0.0.1")
	// false
}
