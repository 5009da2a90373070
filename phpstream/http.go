package phpstream

import (
	"context"
	"encoding/base64"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/phpsock/phpsock/internal/phpvalue"
)

// This file is PHP's http:// and https:// wrapper
// (ext/standard/http_fopen_wrapper.c of Debian's PHP 8.2.36): its own
// HTTP/1.x client on a socket stream opened through the transports
// (tcp:// or ssl://, so the "socket" and "ssl" context options apply), as
// the recordings show it (http/* and https/* cases):
//
//   - the request: "GET /path?query HTTP/1.1" (protocol_version changes
//     the version, method the method, request_fulluri sends the whole
//     URL), then Authorization from user:pass@ in the URL, From (ini
//     from), Host (with the port unless it is the scheme's default),
//     "Connection: close" unless the header option has a Connection
//     header, User-Agent (the option, else ini user_agent), the header
//     option (a string or an array of lines, trimmed), Content-Length and
//     Content-Type for content; all written at once;
//   - the response: a status line of at most 126 bytes (a 1xx other than
//     101 is skipped up to the next "HTTP/1" line), then header lines,
//     trailing white space stripped, folded lines joined, a line without
//     a colon or with white space in its name failing the open; the status
//     and header lines are $http_response_header and wrapper_data (every
//     response's when redirects were followed); "Transfer-Encoding:
//     chunked" puts the dechunk filter on the body and is not kept;
//   - a status outside 200-399 fails the open ("HTTP request failed!
//     <status line>") unless ignore_errors; a Location is followed for
//     301-303, 307 and 308 (any status with follow_location) up to
//     max_redirects (20) times, 307 and 308 keeping the method and the
//     content, the others turning into a GET without content headers;
//   - failures are PHP's wrapper errors: OpenError's text is every error
//     the wrapper logged, one per line ("Failed to open stream: ..." in
//     the caller's warning); notices and warnings PHP raises directly go
//     to OpenOptions.Diagnostics when they happen.
//
// The stream is the socket itself (stream_type tcp_socket/ssl, not
// seekable) with wrapper_type "http", the mode given, the URL as uri and
// its position starting at the body. Reads wait for the "timeout" option
// (default_socket_timeout without it), so a server that stops sending
// ends the open or the read after that time, as in PHP; the header lines
// of an open are bounded by MaxHTTPResponseHead, where PHP has no bound.

// Flags of one request of an open (PHP's HTTP_WRAPPER_*).
const (
	httpHeaderInit = 1 << iota // the first request, not a redirect's
	httpRedirected
	httpKeepMethod // a 307 or 308 redirect: same method and content
	httpStripAuth  // a redirect to another origin: no credentials
)

// httpRedirectMax is PHP_URL_REDIRECT_MAX, max_redirects' default.
const httpRedirectMax = 20

// httpMaxLocation is the longest Location value PHP accepts
// (HTTP_HEADER_MAX_LOCATION_SIZE; recorded: http/location-over-limit).
const httpMaxLocation = 8182

// MaxHTTPResponseHead bounds the header lines phpsock reads in one open
// (16 MiB over every response, redirects included; a single endless line
// stops there too). PHP has no limit of its own: an endless header is read
// until the script's memory_limit ends it with a fatal error; phpsock
// fails the open instead, with a warning PHP never gives.
const MaxHTTPResponseHead = 16 << 20

// httpOpen is one fopen of an http:// URL: the wrapper errors it logged
// and the response headers of every request it made.
type httpOpen struct {
	o          OpenOptions
	ctx        *Context
	mode       string
	errs       []string
	headers    []string
	headersSet bool
	// headBytes counts the header lines read over every response of the
	// open (redirects included), for MaxHTTPResponseHead.
	headBytes int
	// unsupported is set when a redirect leads to a scheme a run-time
	// wrapper has taken over (stream_wrapper_register("ftp", ...)), which
	// this package cannot open: the open fails with ErrUnsupportedURL.
	unsupported bool
	// label is the label of the wrapper the open is for ("http", or "ftp"
	// through the ftp wrapper's proxy), whose context options name the
	// proxy.
	label string
}

// openHTTP is php_stream_url_wrap_http.
func openHTTP(url, mode string, o OpenOptions) (*Stream, error) {
	return openHTTPAs(url, mode, o, "http")
}

// openHTTPAs is php_stream_url_wrap_http called for the wrapper labelled
// label: "ftp" when the ftp wrapper hands a read through its proxy option
// over (the proxy is then the "ftp" context's, and the stream is the ftp
// wrapper's).
func openHTTPAs(url, mode string, o OpenOptions, label string) (*Stream, error) {
	h := &httpOpen{o: o, ctx: o.Context, mode: mode, label: label}
	s := h.request(url, httpRedirectMax, httpHeaderInit)
	if h.headersSet && o.HTTPResponseHeader != nil {
		*o.HTTPResponseHeader = append([]string{}, h.headers...)
	}
	if s != nil {
		return s, nil
	}
	if h.unsupported {
		return nil, ErrUnsupportedURL
	}
	if len(h.errs) == 0 {
		return nil, &OpenError{Msg: "operation failed"}
	}
	return nil, &OpenError{Msg: strings.Join(h.errs, "\n")}
}

// logError is php_stream_wrapper_log_error.
func (h *httpOpen) logError(msg string) { h.errs = append(h.errs, msg) }

// option is the http context option name.
func (h *httpOpen) option(name string) (any, bool) { return h.ctx.Option("http", name) }

// stringOption is an http option that is a non-empty string.
func (h *httpOpen) stringOption(name string) (string, bool) {
	v, ok := h.option(name)
	s, isStr := v.(string)
	return s, ok && isStr && s != ""
}

// proxyOption is the proxy option of the wrapper's own context options,
// if it is a non-empty string.
func (h *httpOpen) proxyOption() (string, bool) {
	v, ok := h.ctx.Option(h.label, "proxy")
	s, isStr := v.(string)
	return s, ok && isStr && s != ""
}

// request is php_stream_url_wrap_http_ex: one request, and the redirects
// it leads to.
func (h *httpOpen) request(path string, redirectMax, flags int) *Stream {
	if redirectMax < 1 {
		h.logError("Redirection limit reached, aborting")
		return nil
	}
	u, ok := parsePHPURL(path)
	if !ok {
		return nil
	}
	useSSL, useProxy, fullURI := false, false, false
	var transport string
	if !strings.EqualFold(u.scheme, "http") && !strings.EqualFold(u.scheme, "https") {
		proxy, ok := h.proxyOption()
		if !ok {
			return h.openOther(path)
		}
		fullURI, useProxy, transport = true, true, proxy
	} else {
		if strings.ContainsAny(h.mode, "awx+") {
			h.logError("HTTP wrapper does not support writeable connections")
			return nil
		}
		if v, ok := h.option("request_fulluri"); ok {
			fullURI = phpvalue.Bool(v)
		}
		// "HTTPS://" is TLS too (recorded: https/uppercase-scheme).
		useSSL = len(u.scheme) > 4 && u.scheme[4]|0x20 == 's'
		if u.port == 0 {
			u.port = 80
			if useSSL {
				u.port = 443
			}
		}
		if proxy, ok := h.proxyOption(); ok {
			useProxy, transport = true, proxy
		} else {
			scheme := "tcp"
			if useSSL {
				scheme = "ssl"
			}
			transport = scheme + "://" + u.host + ":" + strconv.Itoa(int(u.port))
		}
	}
	if fullURI && strings.ContainsAny(path, "\r\n") {
		h.logError("HTTP wrapper full URI path does not allow CR or LF characters")
		return nil
	}

	timeout := h.timeout()
	s := h.connect(transport, timeout)
	if s == nil {
		return nil
	}
	if useProxy && useSSL {
		if !h.proxyConnect(s, u, timeout) {
			return nil
		}
	}

	if flags&httpHeaderInit != 0 {
		if v, ok := h.option("max_redirects"); ok {
			redirectMax = int(int32(phpvalue.Int(v)))
		}
	}
	req, userHeaders, have := h.requestHead(u, path, fullURI, useSSL, useProxy, flags)
	req = h.requestTail(req, userHeaders, have, flags)
	h.write(s, req)
	h.headersSet = true

	info := httpResponse{follow: true}
	status, rawStatus, ok := h.statusLine(s, &info)
	if !ok {
		s.Close()
		h.logError("HTTP request failed!")
		return nil
	}
	h.headers = append(h.headers, status)
	if !h.responseHeaders(s, &info) {
		s.Close()
		return nil
	}

	if !info.reqOK || (info.hasLocation && info.follow) {
		if !info.follow || (info.ignoreErrors && redirectMax <= 1) {
			return h.finish(s, path, &info, flags)
		}
		s.Close()
		if !info.hasLocation {
			h.logError("HTTP request failed! " + rawStatus)
			return nil
		}
		newPath := h.redirectURL(u, info.location, useSSL)
		nu, ok := parsePHPURL(newPath)
		if !ok {
			h.logError("Invalid redirect URL! " + newPath)
			return nil
		}
		for _, part := range []string{nu.user, nu.pass, nu.path} {
			if hasCtrl(string(urlDecode(part))) {
				h.logError("Invalid redirect URL! " + newPath)
				return nil
			}
		}
		next := httpRedirected | flags&httpStripAuth
		if !sameOrigin(u, nu, useSSL) {
			next |= httpStripAuth
		}
		if info.code == 307 || info.code == 308 {
			next |= httpKeepMethod
		}
		rs := h.request(newPath, redirectMax-1, next)
		if rs != nil && flags&httpHeaderInit != 0 {
			h.setOrigin(rs, path)
		}
		return rs
	}
	return h.finish(s, path, &info, flags)
}

// openOther opens a redirect's Location of another scheme (ftp:// or
// ftps://, the others being taken as relative paths: recorded
// http/redirect-to-file-is-relative) with that scheme's wrapper, as PHP's
// php_stream_open_wrapper_ex does: a failure raises the wrapper's own
// "Failed to open stream" warning for that URL, and the http open then
// fails with "operation failed" (recorded: http/redirect-to-ftp-refused).
// The stream it returns becomes the http open's (recorded:
// http/redirect-to-ftp-fopen-meta).
func (h *httpOpen) openOther(path string) *Stream {
	o := h.o
	o.HTTPResponseHeader = nil // the http open's, not the other wrapper's
	s, err := openURL(path, h.mode, o)
	if err == nil {
		s.adopted.Store(true)
		return s
	}
	var oe *OpenError
	switch {
	case errors.As(err, &oe):
		if o.Diagnostics != nil {
			o.Diagnostics(Diagnostic{Level: EWarning, Param: StripURLPassword(path), Message: oe.Error(), Prefixed: true})
		}
	default:
		h.unsupported = true // ErrUserWrapper: docs/http.md says why it stops here
	}
	return nil
}

// sameOrigin reports whether a redirect from u to nu stays with the same
// scheme, host and port (a missing port being the scheme's default of the
// request made); one that does not drops the credentials of the header
// option (recorded: http/redirect-cross-origin-auth).
func sameOrigin(u, nu *phpURL, useSSL bool) bool {
	def := uint16(80)
	if useSSL {
		def = 443
	}
	port := func(p uint16) uint16 {
		if p == 0 {
			return def
		}
		return p
	}
	return u.hasScheme && nu.hasScheme && strings.EqualFold(u.scheme, nu.scheme) &&
		u.hasHost && nu.hasHost && strings.EqualFold(u.host, nu.host) && port(u.port) == port(nu.port)
}

// finish is the end of a request that returns its stream: the position
// starts at the body, the mode is the one given, the dechunk filter goes
// on, and the first request's stream gets the headers as wrapper_data.
func (h *httpOpen) finish(s *Stream, path string, info *httpResponse, flags int) *Stream {
	s.mu.Lock()
	s.position = 0
	if info.chunked {
		s.appendReadFilter(&dechunker{})
	}
	s.mu.Unlock()
	if flags&httpHeaderInit != 0 {
		h.setOrigin(s, path)
	}
	return s
}

// setOrigin marks s as the stream the open of url returns.
func (h *httpOpen) setOrigin(s *Stream, url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.origin = origin{wrapperType: h.label, uri: url, mode: h.mode}
	// The headers replace whatever wrapper_data the stream had: a user
	// stream's object, when a redirect led to a user wrapper (recorded:
	// http/redirect-to-user-ftp).
	s.wrapperData, s.hasWrapperData, s.userData = append([]string{}, h.headers...), true, nil
}

// timeout is the connect and read timeout: the "timeout" option (seconds,
// a float), else default_socket_timeout; negative is none.
func (h *httpOpen) timeout() time.Duration {
	v, ok := h.option("timeout")
	if !ok {
		if h.o.DefaultSocketTimeout < 0 {
			return -1
		}
		return h.o.DefaultSocketTimeout
	}
	d := phpvalue.Float(v)
	sec := math.Trunc(d)
	usec := math.Trunc((d - sec) * 1e6)
	switch {
	case math.IsNaN(d) || sec < 0 || usec < 0:
		return -1
	case sec >= math.MaxInt64/1e9:
		return math.MaxInt64
	}
	return time.Duration(sec)*time.Second + time.Duration(usec)*time.Microsecond
}

// connect opens the transport (php_stream_xport_create with the
// context) and sets the read timeout; a failure logs the transport's
// error text.
func (h *httpOpen) connect(transport string, timeout time.Duration) *Stream {
	var d Dialer
	if h.o.Dialer != nil {
		d = *h.o.Dialer
	}
	if d.Diagnostics == nil {
		d.Diagnostics = h.o.Diagnostics
	}
	d.Context = h.ctx
	switch {
	case timeout < 0:
		d.Timeout = 0
	case timeout < time.Millisecond:
		d.Timeout = time.Nanosecond // PHP polls once
	default:
		d.Timeout = timeout
	}
	s, err := d.Dial(context.Background(), transport)
	if err != nil {
		if oe, ok := err.(*OpError); ok && oe.Text != "" {
			h.logError(oe.Text)
		}
		return nil
	}
	s.SetTimeout(timeout)
	s.SetDiagnostics(h.o.Diagnostics) // the request's I/O warns as the open
	return s
}

// proxyConnect is the CONNECT PHP sends a proxy for an https:// URL, then
// the TLS handshake with the target's name (recorded: https/proxy-*).
func (h *httpOpen) proxyConnect(s *Stream, u *phpURL, timeout time.Duration) bool {
	req := "CONNECT " + u.host + ":" + strconv.Itoa(int(u.port)) + " HTTP/1.0\r\n"
	if v, ok := h.option("header"); ok {
		if line, found := proxyAuthorization(v); found {
			req += line + "\r\n"
		}
	}
	req += "\r\n"
	if n := h.write(s, req); n != len(req) {
		h.logError("Cannot connect to HTTPS server through proxy")
		s.Close()
		return false
	}
	for {
		s.mu.Lock()
		line, ok := s.getLine(nil, 1023)
		s.readDone()
		if !ok || line[0] == '\n' || line[0] == '\r' {
			break
		}
	}
	ctx := h.ctx
	if _, set := ctx.Option("ssl", "peer_name"); !set {
		// The name to verify is the target's, not the proxy's.
		ctx = NewContext()
		if h.ctx != nil {
			h.ctx.Each(ctx.SetOption)
		}
		ctx.SetOption("ssl", "peer_name", u.host)
	}
	opts := TLSClientOptions{Context: ctx, Method: CryptoMethodSSLv23Client, URLName: u.host,
		Timeout: max(timeout, 0)}
	if h.o.Dialer != nil {
		opts.IniCAFile, opts.IniCAPath, opts.Dir = h.o.Dialer.CAFile, h.o.Dialer.CAPath, h.o.Dialer.Dir
	}
	if _, _, err := s.EnableCrypto(context.Background(), CryptoMethodSSLv23Client, opts); err != nil {
		h.logError("Cannot connect to HTTPS server through proxy")
		s.Close()
		return false
	}
	return true
}

// proxyAuthorization finds the first Proxy-Authorization line of the
// header option (a string or an array of them).
func proxyAuthorization(v any) (string, bool) {
	find := func(s string) (string, bool) {
		for s != "" {
			s = strings.TrimLeft(s, " \t")
			p := strings.IndexAny(s, ":\r\n")
			if p >= 0 && s[p] == ':' {
				end := strings.IndexAny(s[p:], "\r\n")
				if end < 0 {
					end = len(s)
				} else {
					end += p
				}
				if strings.EqualFold(s[:p+1], "Proxy-Authorization:") {
					return s[:end], true
				}
				p = end
			} else if p < 0 {
				p = len(s)
			}
			s = strings.TrimLeft(s[p:], "\r\n")
		}
		return "", false
	}
	switch t := v.(type) {
	case string:
		return find(cString(t))
	case OptionArray:
		for i := 0; i < t.Len(); i++ {
			if _, e := t.At(i); e != nil {
				if s, ok := e.(string); ok {
					if line, found := find(cString(s)); found {
						return line, true
					}
				}
			}
		}
	}
	return "", false
}

// Which headers the header option has (PHP's HTTP_HEADER_* bits).
const (
	haveUserAgent = 1 << iota
	haveHost
	haveAuth
	haveFrom
	haveContentLength
	haveContentType
	haveConnection
)

// userHeaderBits are the header names behind each bit, lowered, as the
// user's header lines are searched for them.
var userHeaderBits = [...]struct {
	bit  int
	name string
}{
	{haveUserAgent, "user-agent:"}, {haveHost, "host:"}, {haveFrom, "from:"}, {haveAuth, "authorization:"},
	{haveContentLength, "content-length:"}, {haveContentType, "content-type:"}, {haveConnection, "connection:"},
}

// requestHead builds the request up to the user's headers: the request
// line, Authorization, From, Host, Connection and User-Agent.
func (h *httpOpen) requestHead(u *phpURL, path string, fullURI, useSSL, useProxy bool, flags int) (req, userHeaders string, have int) {
	var b strings.Builder
	method := "GET"
	if m, ok := h.stringOption("method"); ok {
		if flags&httpRedirected == 0 || flags&httpKeepMethod != 0 || m == "GET" || m == "HEAD" {
			method = m
		}
	}
	b.WriteString(method + " ")
	switch {
	case fullURI:
		b.WriteString(path)
	default:
		if u.hasPath && u.path != "" {
			b.WriteString(u.path)
		} else {
			b.WriteByte('/')
		}
		if u.hasQuery {
			b.WriteString("?" + u.query)
		}
	}
	if v, ok := h.option("protocol_version"); ok {
		b.WriteString(" HTTP/" + formatFixed1(phpvalue.Float(v)) + "\r\n")
	} else {
		b.WriteString(" HTTP/1.1\r\n")
	}

	userHeaders, have = h.userHeaders(flags, useProxy, useSSL)

	if have&haveAuth == 0 && u.hasUser {
		cred := cString(string(urlDecode(u.user))) + ":"
		if u.hasPass {
			cred += cString(string(urlDecode(u.pass)))
		}
		b.WriteString("Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(cred)) + "\r\n")
	}
	if have&haveFrom == 0 && h.o.From != "" {
		b.WriteString("From: " + h.o.From + "\r\n")
	}
	if have&haveHost == 0 {
		b.WriteString("Host: " + u.host)
		if useSSL && u.port != 443 || !useSSL && u.port != 80 {
			b.WriteString(":" + strconv.Itoa(int(u.port)))
		}
		b.WriteString("\r\n")
	}
	if have&haveConnection == 0 {
		b.WriteString("Connection: close\r\n")
	}
	ua := h.o.UserAgent
	if v, ok := h.option("user_agent"); ok {
		if s, isStr := v.(string); isStr {
			ua = s
		}
	}
	if ua = cString(ua); have&haveUserAgent == 0 && ua != "" {
		b.WriteString("User-Agent: " + ua + "\r\n")
	}
	return b.String(), userHeaders, have
}

// userHeaders is the header option as PHP sends it: an array's string
// elements or a string, trimmed; on a redirect that changes the method,
// without Content-Length and Content-Type lines; on a redirect to another
// origin, without Authorization, Cookie (and Proxy-Authorization when
// not through a proxy); with a proxy CONNECT, without the
// Proxy-Authorization line (sent to the proxy).
func (h *httpOpen) userHeaders(flags int, useProxy, useSSL bool) (string, int) {
	v, ok := h.option("header")
	if !ok {
		return "", 0
	}
	var raw string
	switch t := v.(type) {
	case string:
		raw = t
	case OptionArray:
		var b strings.Builder
		for i := 0; i < t.Len(); i++ {
			if _, e := t.At(i); e != nil {
				if s, ok := e.(string); ok {
					b.WriteString(s + "\r\n")
				}
			}
		}
		raw = b.String()
	default:
		return "", 0
	}
	tmp := strings.Trim(raw, " \t\n\r\v\x00")
	if tmp == "" {
		return "", 0
	}
	user, lower := tmp, strings.ToLower(tmp)
	if flags&httpHeaderInit == 0 && flags&httpKeepMethod == 0 {
		user, lower = stripHeader(user, lower, "content-length")
		user, lower = stripHeader(user, lower, "content-type")
	}
	if flags&httpStripAuth != 0 {
		user, lower = stripHeader(user, lower, "authorization")
		user, lower = stripHeader(user, lower, "cookie")
		if !useProxy {
			user, lower = stripHeader(user, lower, "proxy-authorization")
		}
	}
	if user == "" {
		// Everything was stripped: no header lines at all.
		return "", 0
	}
	have := 0
	for _, h := range userHeaderBits {
		if hasHeader(lower, h.name) {
			have |= h.bit
		}
	}
	if useProxy && useSSL {
		if i := strings.Index(lower, "proxy-authorization:"); i >= 0 && (i == 0 || lower[i-1] == '\n') {
			s, p := i, i+len("proxy-authorization:")
			for s > 0 && (lower[s-1] == ' ' || lower[s-1] == '\t') {
				s--
			}
			for p < len(lower) && lower[p] != '\r' && lower[p] != '\n' {
				p++
			}
			for p < len(lower) && (lower[p] == '\r' || lower[p] == '\n') {
				p++
			}
			if p == len(lower) {
				for s > 0 && (lower[s-1] == '\r' || lower[s-1] == '\n') {
					s--
				}
				user = user[:s]
			} else {
				user = user[:s] + user[p:]
			}
		}
	}
	return user, have
}

// stripHeader is PHP's strip_header: every line whose name is name (white
// space allowed before the colon) goes, with the folded lines that
// continue it; a last one takes the line break before it along.
func stripHeader(user, lower, name string) (string, string) {
	next := func(i int) int {
		for i < len(lower) && lower[i] != 0 && lower[i] != '\r' && lower[i] != '\n' {
			i++
		}
		if i < len(lower) && lower[i] == '\r' {
			i++
		}
		if i < len(lower) && lower[i] == '\n' {
			i++
		}
		return i
	}
	for line := 0; line < len(lower) && lower[line] != 0; {
		if !strings.HasPrefix(lower[line:], name) {
			line = next(line)
			continue
		}
		colon := line + len(name)
		for colon < len(lower) && (lower[colon] == ' ' || lower[colon] == '\t') {
			colon++
		}
		if colon >= len(lower) || lower[colon] != ':' {
			line = next(line)
			continue
		}
		end := next(line)
		for end < len(lower) && (lower[end] == ' ' || lower[end] == '\t') {
			end = next(end)
		}
		if end == len(lower) || lower[end] == 0 {
			for line > 0 && (lower[line-1] == '\r' || lower[line-1] == '\n') {
				line--
			}
		}
		user, lower = user[:line]+user[end:], lower[:line]+lower[end:]
	}
	return user, lower
}

// hasHeader is check_has_header: name at the start or after a CRLF (not
// a bare LF: recorded http/request-header-lf-before-host).
func hasHeader(lower, name string) bool {
	for off := 0; ; {
		i := strings.Index(lower[off:], name)
		if i < 0 {
			return false
		}
		if i += off; i == 0 || i >= 2 && lower[i-1] == '\n' && lower[i-2] == '\r' {
			return true
		}
		off = i + 1
	}
}

// requestTail appends the user's headers and the content.
func (h *httpOpen) requestTail(req, userHeaders string, have, flags int) string {
	content, hasContent := "", false
	if flags&(httpHeaderInit|httpKeepMethod) != 0 {
		content, hasContent = h.stringOption("content")
	}
	if userHeaders != "" {
		if hasContent && have&haveContentLength == 0 {
			req += "Content-Length: " + strconv.Itoa(len(content)) + "\r\n"
			have |= haveContentLength
		}
		req += cString(userHeaders) + "\r\n"
	}
	if !hasContent {
		return req + "\r\n"
	}
	if have&haveContentLength == 0 {
		req += "Content-Length: " + strconv.Itoa(len(content)) + "\r\n"
	}
	if have&haveContentType == 0 {
		req += "Content-Type: application/x-www-form-urlencoded\r\n"
		h.o.Diagnostics.emit(ENotice, "Content-type not specified assuming application/x-www-form-urlencoded")
	}
	return req + "\r\n" + content
}

// write is php_stream_write of the request; a failed send raises PHP's
// notice. It returns what was written.
func (h *httpOpen) write(s *Stream, req string) int {
	n, err := s.Fwrite([]byte(req))
	if oe, ok := err.(*OpError); ok {
		h.o.Diagnostics.emit(ENotice, oe.Text)
	}
	return n
}

// httpResponse is what the response's lines told (PHP's
// php_stream_http_response_header_info and friends).
type httpResponse struct {
	code         int
	reqOK        bool
	ignoreErrors bool
	follow       bool
	hasLocation  bool
	location     string
	chunked      bool
}

// statusLine reads the status line (skipping 1xx responses but 101):
// the line without its line break, and as read (PHP's failure message
// shows that one). ok is false when the server sent nothing.
func (h *httpOpen) statusLine(s *Stream, info *httpResponse) (status, raw string, ok bool) {
	readLine := func() (string, bool) {
		s.mu.Lock()
		defer s.readDone()
		if s.feof() {
			return "", false
		}
		line, ok := s.getLine(nil, 127)
		return string(line), ok
	}
	line, ok := readLine()
	if !ok {
		return "", "", false
	}
	info.code = statusCode(line)
	if v, ok := h.option("ignore_errors"); ok {
		info.ignoreErrors = phpvalue.Bool(v)
	}
	info.reqOK = info.ignoreErrors
	if info.code >= 100 && info.code < 200 && info.code != 101 {
		for {
			next, ok := readLine()
			if !ok {
				break
			}
			line = next
			if hasPrefixFold(line, "HTTP/1") {
				break
			}
		}
		info.code = statusCode(line)
	}
	if info.code >= 200 && info.code < 400 {
		info.reqOK = true
	}
	status = line
	if strings.HasSuffix(status, "\n") {
		status = strings.TrimSuffix(strings.TrimSuffix(status, "\n"), "\r")
	} else {
		// The rest of a long status line is read and dropped (in pieces,
		// at most MaxHTTPResponseHead bytes: PHP reads all of it at once).
		for total := 0; total < MaxHTTPResponseHead; {
			s.mu.Lock()
			rest, ok := s.getLine(nil, ChunkSize+1)
			s.readDone()
			total += len(rest)
			if !ok || rest[len(rest)-1] == '\n' {
				break
			}
		}
	}
	return status, line, true
}

// statusCode is atoi(line + 9) for a line longer than 9 bytes, else 0.
func statusCode(line string) int {
	if len(line) <= 9 {
		return 0
	}
	return int(atoi(line[9:]))
}

// responseHeaders reads the header lines up to the blank line (or the end
// of the stream), joining folded lines; false after PHP's error (logged).
func (h *httpOpen) responseHeaders(s *Stream, info *httpResponse) bool {
	var last string
	haveLast := false
	var lineBuf []byte // getLine's buffer, reused: each line becomes a string anyway
	for {
		s.mu.Lock()
		if s.feof() {
			s.readDone()
			break
		}
		// A line is read only up to what is left of the bound, so an
		// endless one stops there too.
		b, ok := s.getLine(lineBuf[:0], MaxHTTPResponseHead-h.headBytes+2)
		lineBuf = b
		s.readDone()
		if !ok {
			break
		}
		if h.headBytes += len(b); h.headBytes > MaxHTTPResponseHead {
			// PHP reads on until its memory_limit kills the script;
			// phpsock gives up (docs/http.md).
			h.logError("HTTP response header over phpsock's limit of " + strconv.Itoa(MaxHTTPResponseHead) + " bytes")
			return false
		}
		line := string(b)
		lastLine := false
		switch line[0] {
		case '\r':
			if len(line) < 2 || line[1] != '\n' {
				h.logError("HTTP invalid header name (cannot start with CR character)!")
				return false
			}
			lastLine = true
		case '\n':
			lastLine = true
		}
		if haveLast {
			if !lastLine {
				trimmed, spaces := trimHeaderLine(line)
				if spaces && trimmed == "" {
					continue // only white space: an empty folded line
				}
				if trimmed[0] == ' ' || trimmed[0] == '\t' {
					last += " " + strings.TrimLeft(trimmed, " \t")
					continue
				}
				line = trimmed
			}
			if !h.header(last, info) {
				return false
			}
			haveLast = false
		} else if !lastLine {
			if line[0] == ' ' || line[0] == '\t' {
				h.logError("HTTP invalid response format (folding header at the start)!")
				return false
			}
			line, _ = trimHeaderLine(line)
		}
		if lastLine {
			break
		}
		last, haveLast = line, true
	}
	if haveLast {
		// A response cut short in its headers: its last line is processed
		// too, and an error it causes is logged but ignored (recorded:
		// http/response-eof-in-headers-no-colon).
		h.header(last, info)
	}
	return true
}

// trimHeaderLine is php_stream_http_response_header_trim: the line break
// and then trailing spaces and tabs go; spaces says there were some.
func trimHeaderLine(line string) (string, bool) {
	line = strings.TrimRight(line, "\r\n")
	t := strings.TrimRight(line, " \t")
	return t, len(t) != len(line)
}

// header processes one complete header line (the end of
// php_stream_http_response_headers_parse): false after an error.
func (h *httpOpen) header(line string, info *httpResponse) bool {
	colon := strings.IndexByte(line, ':')
	if colon < 0 {
		h.logError("HTTP invalid response format (no colon in header line)!")
		return false
	}
	if colon > 1 && strings.ContainsAny(line[1:colon], " \t") {
		h.logError("HTTP invalid response format (space in header name)!")
		return false
	}
	v := colon + 1
	for v < len(line)-1 && (line[v] == ' ' || line[v] == '\t') {
		v++
	}
	value := line[min(v, len(line)):]
	store := true
	switch {
	case hasPrefixFold(line, "Location:"):
		if f, ok := h.option("follow_location"); ok {
			info.follow = phpvalue.Bool(f)
		} else if !(info.code >= 300 && info.code < 304 || info.code == 307 || info.code == 308) {
			info.follow = false
		}
		if len(value) > httpMaxLocation {
			h.logError("HTTP Location header size is over the limit of " + strconv.Itoa(httpMaxLocation) + " bytes")
			return false
		}
		info.location, info.hasLocation = value, true
	case hasPrefixFold(line, "Transfer-Encoding:") && hasPrefixFold(value, "Chunked"):
		decode := true
		if d, ok := h.option("auto_decode"); ok {
			decode = phpvalue.Bool(d)
		}
		if decode {
			info.chunked, store = true, false
		}
	}
	if store {
		h.headers = append(h.headers, line)
	}
	return true
}

// redirectURL is the URL a Location leads to: an absolute http(s) or
// ftp(s) URL as it is, anything else relative to the request's URL (a
// path without '/' after the request path's directory, as PHP joins it).
func (h *httpOpen) redirectURL(u *phpURL, loc string, useSSL bool) string {
	if len(loc) >= 8 && (hasPrefixFold(loc, "http://") || hasPrefixFold(loc, "https://") ||
		hasPrefixFold(loc, "ftp://") || hasPrefixFold(loc, "ftps://")) {
		return loc
	}
	locPath := loc
	if !strings.HasPrefix(loc, "/") {
		if len(loc) > 1 && u.hasPath {
			dir := u.path
			if i := strings.LastIndexByte(dir, '/'); i >= 0 {
				dir = dir[:i+1]
			} else {
				dir = "/" // an empty path becomes "/"; PHP writes '/' over another's first byte and cuts after it
			}
			if dir == "/" {
				locPath = dir + loc
			} else {
				locPath = dir + "/" + loc
			}
		} else {
			locPath = "/" + loc
		}
	}
	if useSSL && u.port != 443 || !useSSL && u.port != 80 {
		return u.scheme + "://" + u.host + ":" + strconv.Itoa(int(u.port)) + locPath
	}
	return u.scheme + "://" + u.host + locPath
}

// formatFixed1 is printf's "%.1F" as PHP's spprintf writes it.
func formatFixed1(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NAN"
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}
