package compat_test

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log"
	"net"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/phpsock/phpsock/compat"
)

// certs holds the test certificates: localhost.pem is issued by ca.pem
// for the name localhost.
var certs = filepath.Join("..", "conformance", "testdata", "certs")

// The STARTTLS dialogue of a mail client, and the server it talks to,
// both written as PHP writes them:
//
//	$ctx = stream_context_create(['ssl' => ['cafile' => $ca, 'peer_name' => 'localhost']]);
//	$s = stream_socket_client("tcp://$addr", $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $ctx);
//	fgets($s);
//	fwrite($s, "STARTTLS\r\n");
//	fgets($s);
//	stream_socket_enable_crypto($s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT);
//	echo stream_get_meta_data($s)['crypto']['protocol'];
func ExampleRuntime_StreamSocketEnableCrypto() {
	// The server: stream_socket_server with its certificate in the ssl
	// context, plain text until the client asks for TLS.
	srt := compat.NewRuntime()
	defer srt.Close()
	sctx, _ := srt.StreamContextCreate(compat.Options{"ssl": {
		"local_cert": filepath.Join(certs, "localhost.pem"),
		"local_pk":   filepath.Join(certs, "localhost.key"),
	}}, nil)
	srv, err := srt.StreamSocketServer("tcp://127.0.0.1:0", nil, nil, compat.STREAM_SERVER_BIND|compat.STREAM_SERVER_LISTEN, sctx)
	if err != nil || srv == nil {
		log.Fatal("stream_socket_server: ", err)
	}
	defer srt.Fclose(srv)
	addr, _, _ := srt.StreamSocketGetName(srv, false)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, _ := srt.StreamSocketAccept(srv, 5, nil)
		if c == nil {
			return
		}
		defer srt.Fclose(c)
		srt.Fwrite(c, "220 mail.example ESMTP\r\n")
		if line, _, _ := srt.Fgets(c); line == "STARTTLS\r\n" {
			srt.Fwrite(c, "220 Ready to start TLS\r\n")
			srt.StreamSocketEnableCrypto(c, true, compat.STREAM_CRYPTO_METHOD_TLS_SERVER, nil)
		}
		if line, _, _ := srt.Fgets(c); line == "EHLO client.example\r\n" {
			srt.Fwrite(c, "250 mail.example over TLS\r\n")
		}
	}()

	// The client.
	rt := compat.NewRuntime()
	defer rt.Close()
	rt.SetDiagnostics(func(d compat.Diagnostic) { fmt.Println(d.Level, d.String()) })
	ctx, _ := rt.StreamContextCreate(compat.Options{"ssl": {
		"cafile":    filepath.Join(certs, "ca.pem"),
		"peer_name": "localhost",
	}}, nil)
	var errno int
	var errstr string
	s, err := rt.StreamSocketClient("tcp://"+addr, &errno, &errstr, 5, compat.STREAM_CLIENT_CONNECT, ctx)
	if err != nil || s == nil {
		log.Fatal("stream_socket_client: ", err, errstr)
	}
	greeting, _, _ := rt.Fgets(s)
	fmt.Println("S:", strings.TrimRight(greeting, "\r\n"))
	rt.Fwrite(s, "STARTTLS\r\n")
	reply, _, _ := rt.Fgets(s)
	fmt.Println("S:", strings.TrimRight(reply, "\r\n"))
	if ok, _, err := rt.StreamSocketEnableCrypto(s, true, compat.STREAM_CRYPTO_METHOD_TLS_CLIENT, nil); !ok {
		log.Fatal("stream_socket_enable_crypto failed: ", err)
	}
	meta, _ := rt.StreamGetMetaData(s)
	fmt.Println("crypto:", meta.Crypto.Protocol)
	rt.Fwrite(s, "EHLO client.example\r\n")
	reply, _, _ = rt.Fgets(s)
	fmt.Println("S:", strings.TrimRight(reply, "\r\n"))
	rt.Fclose(s)
	<-done
	// Output:
	// S: 220 mail.example ESMTP
	// S: 220 Ready to start TLS
	// crypto: TLSv1.3
	// S: 250 mail.example over TLS
}

// tlsEcho serves TLS with localhost.pem on a loopback port, echoing
// lines, until stop is called.
func tlsEcho() (addr string, stop func()) {
	cert, err := tls.LoadX509KeyPair(filepath.Join(certs, "localhost.pem"), filepath.Join(certs, "localhost.key"))
	if err != nil {
		log.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		log.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				in := bufio.NewReader(c)
				for {
					line, err := in.ReadString('\n')
					if err != nil {
						return
					}
					c.Write([]byte("echo: " + line))
				}
			}()
		}
	}()
	return ln.Addr().String(), func() { ln.Close(); wg.Wait() }
}

// Implicit TLS: the ssl:// transport does the handshake as it connects,
// verifying the server with the ssl context options. A peer_name the
// certificate does not carry fails the connect with PHP's warnings (as
// recorded from PHP: phpt-openssl/bug54992-peer-name-mismatch).
//
//	$ctx = stream_context_create(['ssl' => ['cafile' => $ca, 'peer_name' => 'localhost']]);
//	$s = stream_socket_client("ssl://$addr", $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $ctx);
func ExampleRuntime_StreamSocketClient_implicitTLS() {
	addr, stop := tlsEcho()
	defer stop()
	rt := compat.NewRuntime()
	defer rt.Close()
	rt.SetDiagnostics(func(d compat.Diagnostic) {
		fmt.Println(d.Level, strings.Replace(d.String(), addr, "ADDR", 1))
	})

	ctx, _ := rt.StreamContextCreate(compat.Options{"ssl": {
		"cafile":    filepath.Join(certs, "ca.pem"),
		"peer_name": "localhost",
	}}, nil)
	s, err := rt.StreamSocketClient("ssl://"+addr, nil, nil, 5, compat.STREAM_CLIENT_CONNECT, ctx)
	if err != nil || s == nil {
		log.Fatal("stream_socket_client: ", err)
	}
	rt.Fwrite(s, "hello\n")
	line, _, _ := rt.Fgets(s)
	fmt.Print(line)
	meta, _ := rt.StreamGetMetaData(s)
	fmt.Println(meta.StreamType, meta.Crypto.Protocol)
	rt.Fclose(s)

	// The same server under a name its certificate does not have.
	rt.StreamContextSetOption(ctx, "ssl", "peer_name", "mail.example")
	s, _ = rt.StreamSocketClient("ssl://"+addr, nil, nil, 5, compat.STREAM_CLIENT_CONNECT, ctx)
	fmt.Println(s == nil)
	// Output:
	// echo: hello
	// tcp_socket/ssl TLSv1.3
	// E_WARNING stream_socket_client(): Peer certificate subjectAltName did not match expected name `mail.example'
	// E_WARNING stream_socket_client(): Failed to enable crypto
	// E_WARNING stream_socket_client(): Unable to connect to ssl://ADDR (Unknown error)
	// true
}

// A context with ssl options, reused for several connections and read
// back: capture_peer_cert leaves the server's certificate in it.
//
//	$ctx = stream_context_create(['ssl' => [
//	    'verify_peer' => true, 'cafile' => $ca, 'peer_name' => 'localhost',
//	    'capture_peer_cert' => true,
//	    'crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT]]);
//	$s = stream_socket_client("tls://$addr", $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $ctx);
//	$opts = stream_context_get_options($ctx);
func ExampleRuntime_StreamContextCreate() {
	addr, stop := tlsEcho()
	defer stop()
	rt := compat.NewRuntime()
	defer rt.Close()

	ctx, _ := rt.StreamContextCreate(compat.Options{"ssl": {
		"verify_peer":       true,
		"cafile":            filepath.Join(certs, "ca.pem"),
		"peer_name":         "localhost",
		"capture_peer_cert": true,
		"crypto_method":     compat.STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT,
	}}, nil)
	s, err := rt.StreamSocketClient("tls://"+addr, nil, nil, 5, compat.STREAM_CLIENT_CONNECT, ctx)
	if err != nil || s == nil {
		log.Fatal("stream_socket_client: ", err)
	}
	defer rt.Fclose(s)
	meta, _ := rt.StreamGetMetaData(s)
	fmt.Println(meta.Crypto.Protocol)

	opts, _ := rt.StreamContextGetOptions(ctx)
	var names []string
	for name := range opts["ssl"] {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Println(names)
	cert := opts["ssl"]["peer_certificate"].(*compat.Object)
	fmt.Println(cert.Class, cert.Data.(*x509.Certificate).Subject.CommonName)
	// Output:
	// TLSv1.2
	// [cafile capture_peer_cert crypto_method peer_certificate peer_name verify_peer]
	// OpenSSLCertificate localhost
}

// stream_select over several connections: wait until some have data,
// read what is ready, and leave the quiet one alone.
//
//	$read = [$a, $b, $c];
//	$n = stream_select($read, $write, $except, 1);
//	foreach ($read as $s) { echo fgets($s); }
func ExampleRuntime_StreamSelect() {
	// A server that answers the first and the third connection only.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	var wg sync.WaitGroup
	defer func() { ln.Close(); wg.Wait() }()
	wg.Add(1)
	go func() {
		defer wg.Done()
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for i := 0; i < 3; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			if i != 1 {
				fmt.Fprintf(c, "reply from connection %d\n", i)
			}
		}
		// Wait for the client to close (or the listener to).
		conns[1].Read(make([]byte, 1))
	}()

	rt := compat.NewRuntime()
	defer rt.Close()
	var streams []*compat.Resource
	for i := 0; i < 3; i++ {
		// Connections are accepted in order: connect one after the other.
		s, _ := rt.StreamSocketClient("tcp://"+ln.Addr().String(), nil, nil, 5, compat.STREAM_CLIENT_CONNECT, nil)
		streams = append(streams, s)
	}
	var replies []string
	for len(replies) < 2 {
		read := append([]*compat.Resource(nil), streams...)
		n, ok, err := rt.StreamSelect(&read, nil, nil, 5)
		if !ok || err != nil || n == 0 {
			log.Fatal("stream_select: ", n, ok, err)
		}
		for _, s := range read {
			line, _, _ := rt.Fgets(s)
			replies = append(replies, strings.TrimSpace(line))
		}
	}
	sort.Strings(replies)
	fmt.Println(strings.Join(replies, "\n"))

	// Nothing more is coming: a select with a zero timeout finds none.
	read := append([]*compat.Resource(nil), streams...)
	n, _, _ := rt.StreamSelect(&read, nil, nil, 0)
	fmt.Println(n, len(read))
	for _, s := range streams {
		rt.Fclose(s)
	}
	// Output:
	// reply from connection 0
	// reply from connection 2
	// 0 0
}
