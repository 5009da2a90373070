package phpstream_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"syscall"
	"time"

	"github.com/phpsock/phpsock/phpstream"
)

// A refused connect is an *OpError carrying PHP's errno and text (the
// glibc text, on Linux).
func ExampleDialer_Dial_refused() {
	// A port that refuses: listen, note the port, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	addr := "tcp://" + ln.Addr().String()
	ln.Close()

	_, err = (&phpstream.Dialer{Timeout: 5 * time.Second}).Dial(context.Background(), addr)
	var oe *phpstream.OpError
	if errors.As(err, &oe) {
		fmt.Println(oe.Op)
		fmt.Println(oe.Errno == syscall.ECONNREFUSED, errors.Is(err, syscall.ECONNREFUSED))
		fmt.Println(oe.Text)
	}
	// Output:
	// connect
	// true true
	// Connection refused
}
