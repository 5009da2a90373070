package phpstream_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

// Dial a listener, then read its greeting the way PHP's fgets does.
func ExampleDialer_Dial() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write([]byte("220 ready\r\n"))
		c.Read(make([]byte, 1)) // until the client closes
	}()

	d := &phpstream.Dialer{Timeout: 5 * time.Second}
	s, err := d.Dial(context.Background(), "tcp://"+ln.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	s.SetTimeout(5 * time.Second) // stream_set_timeout($s, 5)
	line, _ := s.Fgets(0)
	fmt.Printf("%q\n", line)
	fmt.Println(s.Meta().StreamType)
	// Output:
	// "220 ready\r\n"
	// tcp_socket/ssl
}

// PHP's address parsing: the first colon splits, the port is atoi with a
// 16-bit wrap, and brackets are needed for IPv6.
func ExampleParseHostPort() {
	for _, addr := range []string{
		"127.0.0.1:80",
		"[::1]:443",
		"example.invalid:80/path",
		"h:-1",
		"h:70000",
		"::1",
		"[::1]",
		"h:",
	} {
		hp, err := phpstream.ParseHostPort(addr)
		if err != nil {
			fmt.Printf("%-24q error: %v\n", addr, err)
			continue
		}
		fmt.Printf("%-24q host %q port %d\n", addr, hp.Host, hp.Port)
	}
	// Output:
	// "127.0.0.1:80"           host "127.0.0.1" port 80
	// "[::1]:443"              host "::1" port 443
	// "example.invalid:80/path" host "example.invalid" port 80
	// "h:-1"                   host "h" port 65535
	// "h:70000"                host "h" port 4464
	// "::1"                    host "" port 0
	// "[::1]"                  error: Failed to parse IPv6 address "[::1]"
	// "h:"                     error: Failed to parse address "h:"
}

// A scheme needs two characters or more; without one the address is tcp.
func ExampleSplitScheme() {
	for _, addr := range []string{
		"udp://127.0.0.1:53",
		"unix:///run/php.sock",
		"TLS://h:443",
		"127.0.0.1:80",
		"a://h:1",
		"tcp:/h:1",
	} {
		scheme, rest := phpstream.SplitScheme(addr)
		fmt.Printf("%-22q %-6q %q\n", addr, scheme, rest)
	}
	// Output:
	// "udp://127.0.0.1:53"   "udp"  "127.0.0.1:53"
	// "unix:///run/php.sock" "unix" "/run/php.sock"
	// "TLS://h:443"          "TLS"  "h:443"
	// "127.0.0.1:80"         "tcp"  "127.0.0.1:80"
	// "a://h:1"              "tcp"  "a://h:1"
	// "tcp:/h:1"             "tcp"  "tcp:/h:1"
}
