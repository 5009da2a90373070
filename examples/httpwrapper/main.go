// Command httpwrapper is client.php, an HTTP client written as PHP code in
// the wild writes one (the file_get_contents and fopen calls of feed
// readers, webhook senders and update checkers), ported line by line to
// Go with compat's typed API: http:// and https:// URLs with `http` and
// `ssl` context options, the response's status and headers read from
// $http_response_header (Runtime.HTTPResponseHeader) and
// stream_get_meta_data()['wrapper_data']. It prints the same transcript
// as the PHP script.
//
// Usage:
//
//	httpwrapper SCENARIO HOST HTTP_PORT HTTPS_PORT CERTDIR
//
// main_test.go runs it and client.php against the same nginx (a plain and
// a TLS port).
package main

import (
	"crypto/md5"
	"fmt"
	"net/url"
	"os"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/examples/internal/livetest"
)

func main() {
	tr := &livetest.Transcript{Echo: func(line string) { fmt.Println(line) }}
	if err := run(os.Args[1:], tr); err != nil {
		fmt.Fprintln(os.Stderr, "httpwrapper:", err)
		os.Exit(2)
	}
}

// client is the PHP script's global state: the runtime (PHP's process)
// and the transcript its out() writes.
type client struct {
	rt  *compat.Runtime
	out func(label string, v any)
}

// get reads url with file_get_contents and prints the body and the
// response headers of every response it saw. PHP sets
// $http_response_header in get's scope only when the call sent its
// request; the runtime keeps the last one set, a new array for each, so
// an unchanged array is PHP's unset variable (?? null).
func (c *client) get(label, url string, ctx *compat.Resource) error {
	before := c.rt.HTTPResponseHeader()
	body, ok, err := c.rt.FileGetContents(url, false, ctx, 0, compat.NullInt)
	if err != nil {
		return err
	}
	c.out(label, livetest.OrFalse(body, ok))
	var headers any
	if h := c.rt.HTTPResponseHeader(); h != before {
		headers = h
	}
	c.out("headers", headers)
	return nil
}

// stream opens url with fopen, prints wrapper_data, then reads it to the
// end with fread.
func (c *client) stream(label, url string, ctx *compat.Resource) error {
	fp, err := c.rt.Fopen(url, "r", false, ctx)
	if err != nil {
		return err
	}
	c.out(label, fp)
	if fp == nil {
		return nil
	}
	meta, err := c.rt.StreamGetMetaData(fp)
	if err != nil {
		return err
	}
	c.out("wrapper_type", meta.WrapperType)
	c.out("wrapper_data", meta.WrapperData)
	crypto, _ := meta.Array.Get("crypto") // ?? null: absent is nil
	c.out("crypto", crypto)
	body := ""
	for {
		eof, err := c.rt.Feof(fp)
		if err != nil {
			return err
		}
		if eof {
			break
		}
		chunk, ok, err := c.rt.Fread(fp, 5)
		if err != nil {
			return err
		}
		if !ok {
			c.out("fread", false)
			break
		}
		body += chunk
	}
	c.out("body", body)
	closed, err := c.rt.Fclose(fp)
	if err != nil {
		return err
	}
	c.out("fclose", closed)
	return nil
}

// context is stream_context_create(options).
func (c *client) context(options compat.Options) (*compat.Resource, error) {
	return c.rt.StreamContextCreate(options, nil)
}

// run is the PHP script: args are its $argv[1:].
func run(args []string, tr *livetest.Transcript) error {
	if len(args) != 5 {
		return fmt.Errorf("usage: httpwrapper SCENARIO HOST HTTP_PORT HTTPS_PORT CERTDIR")
	}
	scenario, host, httpPort, httpsPort, certs := args[0], args[1], args[2], args[3], args[4]
	http := "http://" + host + ":" + httpPort
	https := "https://" + host + ":" + httpsPort

	rt := compat.NewRuntime()
	defer rt.Close()
	rt.SetDiagnostics(tr.Diagnostics())
	c := &client{rt: rt, out: tr.Out}

	// steps runs the scenario's calls in order, stopping at the first
	// error (a Go error: PHP's would be an uncaught exception).
	steps := func(fs ...func() error) error {
		for _, f := range fs {
			if err := f(); err != nil {
				return err
			}
		}
		return nil
	}
	// withCtx creates the context, then calls f with it.
	withCtx := func(options compat.Options, f func(*compat.Resource) error) func() error {
		return func() error {
			ctx, err := c.context(options)
			if err != nil {
				return err
			}
			return f(ctx)
		}
	}
	get := func(label, url string, options compat.Options) func() error {
		if options == nil {
			return func() error { return c.get(label, url, nil) }
		}
		return withCtx(options, func(ctx *compat.Resource) error { return c.get(label, url, ctx) })
	}
	stream := func(label, url string, options compat.Options) func() error {
		if options == nil {
			return func() error { return c.stream(label, url, nil) }
		}
		return withCtx(options, func(ctx *compat.Resource) error { return c.stream(label, url, ctx) })
	}

	switch scenario {
	case "get":
		return steps(
			get("file_get_contents", http+"/hello.txt", nil),
			get("range", http+"/hello.txt", compat.Options{"http": {
				"header": "Range: bytes=0-4",
			}}),
			stream("fopen", http+"/hello.txt", nil),
		)
	case "redirect":
		return steps(
			get("followed", http+"/old", nil),
			get("not-followed", http+"/old", compat.Options{"http": {"follow_location": 0}}),
			stream("fopen", http+"/old", nil),
		)
	case "loop":
		return steps(
			get("max_redirects 3", http+"/loop", compat.Options{"http": {"max_redirects": 3}}),
			get("max_redirects 1", http+"/loop", compat.Options{"http": {"max_redirects": 1}}),
		)
	case "notfound":
		return steps(
			get("plain", http+"/missing", nil),
			get("ignore_errors", http+"/missing", compat.Options{"http": {"ignore_errors": true}}),
			stream("fopen", http+"/missing", compat.Options{"http": {"ignore_errors": true}}),
		)
	case "chunked":
		// One context for both calls, as the script's $ctx.
		ctx, err := c.context(compat.Options{"http": {
			"protocol_version": 1.1,
			"header":           "Connection: close",
		}})
		if err != nil {
			return err
		}
		return steps(
			func() error { return c.get("http/1.1", http+"/ssi/page.txt", ctx) },
			func() error { return c.stream("fopen http/1.1", http+"/ssi/page.txt", ctx) },
			get("http/1.0", http+"/ssi/page.txt", nil),
		)
	case "post":
		// http_build_query(['a' => 1, 'b' => 'two words']): url.Values
		// encodes the same way (keys sorted, spaces as '+').
		query := url.Values{"a": {"1"}, "b": {"two words"}}.Encode()
		return steps(
			get("post", http+"/echo", compat.Options{"http": {
				"method":  "POST",
				"header":  "Content-Type: application/x-www-form-urlencoded\r\nX-Demo: yes",
				"content": query,
			}}),
			get("put-no-content", http+"/echo", compat.Options{"http": {
				"method":     "PUT",
				"user_agent": "phpsock-example/1.0",
			}}),
			get("http/1.1, own Host and User-Agent", http+"/echo", compat.Options{"http": {
				"protocol_version": "1.1",
				"header":           "Host: example.test\r\nUser-Agent: from-header/2",
				"user_agent":       "from-option/1",
			}}),
			get("content on GET", http+"/echo", compat.Options{"http": {
				"content": "ignored?",
				"header":  "Content-Length: 8",
			}}),
			get("post, 303 to GET", http+"/see-other", compat.Options{"http": {
				"method":  "POST",
				"header":  []string{"Content-Type: text/plain", "X-Demo: array"},
				"content": "body",
			}}),
		)
	case "functions":
		lines, ok, err := rt.File(http+"/ssi/page.txt", compat.FILE_IGNORE_NEW_LINES, nil)
		if err != nil {
			return err
		}
		c.out("file", livetest.OrFalse(lines, ok))
		c.out("headers", rt.HTTPResponseHeader())
		copied, err := rt.Copy(http+"/hello.txt", "php://memory")
		if err != nil {
			return err
		}
		c.out("copy", copied)
		if copied, err = rt.Copy(http+"/missing", "php://memory"); err != nil {
			return err
		}
		c.out("copy missing", copied)
		for _, mode := range []string{"w", "r+"} {
			fp, err := rt.Fopen(http+"/hello.txt", mode, false, nil)
			if err != nil {
				return err
			}
			c.out("fopen "+mode, fp)
		}
		n, ok, err := rt.FilePutContents(http+"/hello.txt", "x", 0, nil)
		if err != nil {
			return err
		}
		c.out("file_put_contents", livetest.OrFalse(n, ok))
		exists, err := rt.FileExists(http + "/hello.txt")
		if err != nil {
			return err
		}
		c.out("file_exists", exists)
		return nil
	case "proxy":
		// nginx itself as the proxy: it serves an absolute-form request
		// line, and answers CONNECT (https through a proxy) with an error.
		return steps(
			get("request_fulluri", http+"/hello.txt", compat.Options{"http": {
				"proxy":           "tcp://" + host + ":" + httpPort,
				"request_fulluri": true,
			}}),
			get("https through CONNECT", https+"/hello.txt", compat.Options{
				"http": {"proxy": "tcp://" + host + ":" + httpPort},
				"ssl":  {"cafile": certs + "/ca.pem"},
			}),
		)
	case "https":
		ctx, err := c.context(compat.Options{"ssl": {
			"cafile":    certs + "/ca.pem",
			"peer_name": "localhost",
		}})
		if err != nil {
			return err
		}
		return steps(
			func() error { return c.get("https", https+"/hello.txt", ctx) },
			func() error { return c.stream("fopen", https+"/hello.txt", ctx) },
			func() error { return c.get("redirect", https+"/old", ctx) },
			func() error { return c.get("http to https", http+"/to-https", ctx) },
		)
	case "large":
		// 1 MiB, with a Content-Length and then chunked (through SSI).
		body, ok, err := rt.FileGetContents(http+"/large.bin", false, nil, 0, compat.NullInt)
		if err != nil {
			return err
		}
		if !ok { // strlen(false) is 0, md5(false) md5('')
			body = ""
		}
		c.out("length", len(body))
		c.out("md5", fmt.Sprintf("%x", md5.Sum([]byte(body))))
		ctx, err := c.context(compat.Options{"http": {
			"protocol_version": 1.1,
			"header":           "Connection: close",
		}})
		if err != nil {
			return err
		}
		if body, ok, err = rt.FileGetContents(http+"/ssi/large.txt", false, ctx, 0, compat.NullInt); err != nil {
			return err
		}
		if !ok {
			body = ""
		}
		c.out("chunked length", len(body))
		c.out("chunked md5", fmt.Sprintf("%x", md5.Sum([]byte(body))))
		c.out("headers", rt.HTTPResponseHeader())
		return nil
	case "https-wrong-name":
		return steps(
			get("wrong peer_name", https+"/hello.txt", compat.Options{"ssl": {
				"cafile":    certs + "/ca.pem",
				"peer_name": "wrong.example",
			}}),
			get("verify_peer_name off", https+"/hello.txt", compat.Options{"ssl": {
				"cafile":           certs + "/ca.pem",
				"peer_name":        "wrong.example",
				"verify_peer_name": false,
			}}),
		)
	case "https-no-cafile":
		return steps(
			get("no cafile", https+"/hello.txt", nil),
			get("verify_peer off", https+"/hello.txt", compat.Options{"ssl": {
				"verify_peer": false,
			}}),
		)
	case "https-to-http-port":
		return steps(
			get("https to the plain port", "https://"+host+":"+httpPort+"/hello.txt", compat.Options{"ssl": {
				"cafile": certs + "/ca.pem",
			}}),
		)
	case "paused":
		// The server accepts (the kernel does) and answers nothing.
		return steps(
			get("timeout 1", http+"/hello.txt", compat.Options{"http": {"timeout": 1}}),
			stream("fopen timeout 0.5", http+"/hello.txt", compat.Options{"http": {"timeout": 0.5}}),
		)
	case "refused":
		return steps(
			get("refused", http+"/hello.txt", nil),
			stream("fopen", http+"/hello.txt", compat.Options{"http": {"timeout": 5}}),
		)
	}
	return fmt.Errorf("unknown scenario %s", scenario)
}
