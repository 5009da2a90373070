package phpstream

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/phpsock/phpsock/internal/phpvalue"
)

// This file is PHP's ftp:// and ftps:// wrapper
// (ext/standard/ftp_fopen_wrapper.c of Debian's PHP 8.2.36) on a control
// connection opened through the tcp:// transport, as the recordings show
// it (ftp/* and ftps/* cases):
//
//   - the session: the greeting (2xx), for ftps:// "AUTH TLS" (234, else
//     "AUTH SSL" and 334) and the handshake through the same crypto code as
//     stream_socket_enable_crypto, then "PBSZ 0" and "PROT P" (a 2xx
//     encrypts the data connections), then USER (the URL's user, else
//     "anonymous") and, after a 3xx, PASS (the URL's password, else ini
//     from, else "anonymous");
//   - an open: "TYPE I", "SIZE path" (reading needs a 2xx; writing with w
//     needs a failure, or the overwrite option and a 2xx "DELE path"),
//     EPSV (229, the port between the third and fourth '|') or else PASV
//     (227 with h1,h2,h3,h4,p1,p2), "REST n" for a positive integer
//     resume_pos option (3xx), RETR, STOR or APPE, the data connection,
//     then 150 or 125; an ftps data connection then does its handshake;
//   - the stream is the data connection (stream_type tcp_socket/ssl,
//     wrapper_type "ftp"); closing it reads the transfer's answer in write
//     modes (226 or 250, else PHP's warning "FTP server error") and sends
//     QUIT on the control connection;
//   - url_stat (CWD for a directory, TYPE I, SIZE, MDTM), unlink (DELE),
//     rename (RNFR, RNTO), mkdir (MKD; recursive: CWD up the path to an
//     existing directory, then MKD down) and rmdir (RMD), each on its own
//     session.
//
// A reply is read as get_ftp_result reads it: lines of at most 510 bytes
// until one that starts with three digits and a space, its code then the
// number the last line read starts with. Reads wait for
// default_socket_timeout, as in PHP. PHP reads the lines of one reply
// without limit (a server that sends endless lines holds it for ever);
// phpsock stops after MaxFTPReply bytes and takes the reply as failed
// (docs/ftp.md).

// MaxFTPReply bounds the bytes phpsock reads for one FTP reply (its lines
// before the final "nnn " line). PHP has no bound: a server that never
// ends a reply holds the open until the script is killed.
const MaxFTPReply = 1 << 20

// ftpLineMax is the buffer get_ftp_result reads lines into: lines of at
// most 510 bytes (php_stream_gets of sizeof(tmp_line)-1).
const ftpLineMax = 511

// ftpSession is one control connection.
type ftpSession struct {
	s    *Stream
	o    OpenOptions
	diag DiagnosticFunc
	// timeout is the connect and read timeout (default_socket_timeout).
	timeout time.Duration
	// logErr receives PHP's wrapper errors; nil where PHP calls the
	// connect without REPORT_ERRORS and the errors are never shown.
	logErr func(string)
	u      *phpURL
	useSSL bool
	// sslOnData says the data connections are encrypted (PROT P taken).
	sslOnData bool
}

// result is get_ftp_result on the control connection: the reply's code
// and the last line read (PHP's tmp_line, with its line break; "" when
// nothing was read).
func (f *ftpSession) result() (int, string) {
	return ftpReply(func() ([]byte, bool) {
		f.s.mu.Lock()
		b, ok := f.s.getLine(nil, ftpLineMax)
		f.s.readDone()
		return b, ok
	})
}

// ftpReply is get_ftp_result over next, which gives the lines
// php_stream_gets would (false at the end or a timeout): lines are read
// until one that ends the reply, and the code is the number the last line
// read starts with. After MaxFTPReply bytes without an end the reply is
// given up with code 0, where PHP would read on.
func ftpReply(next func() ([]byte, bool)) (int, string) {
	last := ""
	total := 0
	for {
		b, ok := next()
		if !ok {
			break
		}
		last = string(b)
		if ftpFinalLine(last) {
			break
		}
		if total += len(b); total > MaxFTPReply {
			return 0, last
		}
	}
	return ftpCode(last), last
}

// ftpFinalLine reports whether line ends a reply: three digits and a space.
func ftpFinalLine(line string) bool {
	return len(line) >= 4 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2]) && line[3] == ' '
}

// ftpCode is get_ftp_result's strtol(line, NULL, 10) kept in an int:
// atoi's value (white space, sign, digits; the saturated long truncated).
func ftpCode(line string) int { return int(atoi(line)) }

// write sends one command (php_stream_write_string); a failed send raises
// PHP's notice. What the control stream's own I/O raises goes to the
// session's DiagnosticFunc, the stream's own (ftpDial).
func (f *ftpSession) write(cmd string) {
	if _, err := f.s.Fwrite([]byte(cmd)); err != nil {
		var oe *OpError
		if errors.As(err, &oe) && oe.Text != "" {
			f.diag.emit(ENotice, oe.Text)
		}
	}
}

func (f *ftpSession) log(msg string) {
	if f.logErr != nil {
		f.logErr(msg)
	}
}

// close closes the control connection without QUIT, as PHP's error paths
// do.
func (f *ftpSession) close() { f.s.Close() }

// dial connects a tcp:// transport with the open's dialer and context; a
// failure raises PHP's "connect() failed" warning unless errText takes
// the text (the data connection's "Failed to set up data channel").
func ftpDial(o OpenOptions, diag DiagnosticFunc, address string, timeout time.Duration, errText *string) *Stream {
	var d Dialer
	if o.Dialer != nil {
		d = *o.Dialer
	}
	if d.Diagnostics == nil {
		d.Diagnostics = diag
	}
	d.Context = o.Context
	switch {
	case timeout < 0:
		d.Timeout = 0
	case timeout < time.Millisecond:
		d.Timeout = time.Nanosecond
	default:
		d.Timeout = timeout
	}
	s, err := d.Dial(context.Background(), address)
	if err != nil {
		if oe, ok := err.(*OpError); ok && oe.Text != "" {
			if errText != nil {
				*errText = oe.Text
			} else {
				diag.emit(EWarning, "connect() failed: "+oe.Text)
			}
		}
		return nil
	}
	s.SetTimeout(timeout)
	s.SetDiagnostics(diag)
	return s
}

// ftpTimeout is default_socket_timeout, the connect and read timeout of
// every FTP connection (the wrapper has no timeout option).
func ftpTimeout(o OpenOptions) time.Duration {
	if o.DefaultSocketTimeout < 0 {
		return -1
	}
	return o.DefaultSocketTimeout
}

// enableCrypto is php_stream_xport_crypto_setup and _enable with
// SSLv23_CLIENT on s, host being the name the transport was opened with.
func ftpEnableCrypto(s *Stream, o OpenOptions, diag DiagnosticFunc, host string, timeout time.Duration) bool {
	opts := TLSClientOptions{Context: o.Context, Method: CryptoMethodSSLv23Client, URLName: host,
		Timeout: max(timeout, 0)}
	if o.Dialer != nil {
		opts.IniCAFile, opts.IniCAPath, opts.Dir = o.Dialer.CAFile, o.Dialer.CAPath, o.Dialer.Dir
	}
	s.SetDiagnostics(diag)
	info, _, err := s.EnableCrypto(context.Background(), CryptoMethodSSLv23Client, opts)
	if err == nil && info != nil && o.Dialer != nil && o.Dialer.OnCrypto != nil {
		o.Dialer.OnCrypto(info)
	}
	return err == nil
}

// ftpConnect is php_ftp_fopen_connect: the logged-in session, or nil (a
// URL without a path fails before connecting).
func ftpConnect(url string, o OpenOptions, logErr func(string)) *ftpSession {
	u, ok := parsePHPURL(url)
	if !ok || !u.hasPath {
		return nil
	}
	f := &ftpSession{o: o, diag: o.Diagnostics, timeout: ftpTimeout(o), logErr: logErr, u: u}
	f.useSSL = len(u.scheme) > 3 && u.scheme[3] == 's'
	port := u.port
	if port == 0 {
		port = 21
	}
	f.s = ftpDial(o, f.diag, "tcp://"+u.host+":"+strconv.Itoa(int(port)), f.timeout, nil)
	if f.s == nil {
		return nil
	}
	if code, _ := f.result(); code > 299 || code < 200 {
		f.close()
		return nil
	}
	reuse := false
	if f.useSSL {
		f.write("AUTH TLS\r\n")
		if code, _ := f.result(); code != 234 {
			f.write("AUTH SSL\r\n")
			if code, _ := f.result(); code != 334 {
				f.log("Server doesn't support FTPS.")
				f.close()
				return nil
			}
			reuse = true
		}
		if !ftpEnableCrypto(f.s, o, f.diag, u.host, f.timeout) {
			f.log(msgFTPNoSSL)
			f.close()
			return nil
		}
		f.write("PBSZ 0\r\n")
		f.result()
		f.write("PROT P\r\n")
		code, _ := f.result()
		f.sslOnData = code >= 200 && code <= 299 || reuse
	}
	var code int
	if u.hasUser {
		user := string(urlDecode(u.user))
		if hasCtrl(user) {
			f.log("Invalid login " + cString(user))
			f.close()
			return nil
		}
		f.write("USER " + cString(user) + "\r\n")
	} else {
		f.write("USER anonymous\r\n")
	}
	code, _ = f.result()
	if code >= 300 && code <= 399 {
		switch {
		case u.hasPass:
			pass := string(urlDecode(u.pass))
			if hasCtrl(pass) {
				f.log("Invalid password " + cString(pass))
				f.close()
				return nil
			}
			f.write("PASS " + cString(pass) + "\r\n")
		case o.From != "":
			f.write("PASS " + o.From + "\r\n")
		default:
			f.write("PASS anonymous\r\n")
		}
		code, _ = f.result()
	}
	if code > 299 || code < 200 {
		f.close()
		return nil
	}
	return f
}

// path is the URL's path as PHP sends it in commands (up to a NUL byte).
func (f *ftpSession) path() string { return cString(f.u.path) }

// pasv is php_fopen_do_pasv: EPSV, else PASV; the data port (0 on
// failure) and the host PASV named ("" after EPSV: the URL's host).
func (f *ftpSession) pasv() (port uint16, host string) {
	f.write("EPSV\r\n")
	if code, line := f.result(); code == 229 {
		return ftpEPSVPort(line), ""
	}
	f.write("PASV\r\n")
	if code, line := f.result(); code == 227 {
		return ftpPASVAddr(line)
	}
	return 0, ""
}

// ftpEPSVPort reads the port of a 229 reply: the number after the third
// '|' from the fifth byte on (0: none).
func ftpEPSVPort(line string) uint16 {
	bars := 0
	i := min(4, len(line))
	for ; i < len(line); i++ {
		if line[i] == '|' {
			if bars++; bars == 3 {
				break
			}
		}
	}
	if bars < 3 {
		return 0
	}
	return uint16(strtoul(line[i+1:]))
}

// ftpPASVAddr reads a 227 reply: from the first digit after the code,
// four numbers and commas make the host (commas turned into dots, cut to
// an address buffer), then the port's two bytes; port 0 when the reply
// does not have that shape.
func ftpPASVAddr(line string) (port uint16, host string) {
	i := min(4, len(line))
	for i < len(line) && !isDigit(line[i]) {
		i++
	}
	if i == len(line) {
		return 0, ""
	}
	start := i
	for k := 0; k < 4; k++ {
		for i < len(line) && isDigit(line[i]) {
			i++
		}
		if i == len(line) || line[i] != ',' {
			return 0, ""
		}
		i++
	}
	host = strings.ReplaceAll(line[start:i-1], ",", ".")
	if len(host) > 45 { // the ip buffer is INET6_ADDRSTRLEN (46) bytes
		host = host[:45]
	}
	hi, n := strtoulPrefix(line[i:])
	i += n
	if i == len(line) || line[i] != ',' {
		return 0, ""
	}
	lo, _ := strtoulPrefix(line[i+1:])
	return uint16(hi*256) + uint16(lo), host
}

// msgFTPNoSSL is what the ftp wrapper logs when a handshake fails.
const msgFTPNoSSL = "Unable to activate SSL mode"

// ftpOpen is one fopen of an ftp:// URL (php_stream_url_wrap_ftp).
type ftpOpen struct {
	o    OpenOptions
	errs []string
	// connected: a connect was started (opendir's errno, ftpdir.go).
	connected bool
}

func (w *ftpOpen) logError(msg string) { w.errs = append(w.errs, msg) }

func (w *ftpOpen) fail() error {
	if len(w.errs) == 0 {
		return &OpenError{Msg: "operation failed"}
	}
	return &OpenError{Msg: strings.Join(w.errs, "\n")}
}

// openFTP is php_stream_url_wrap_ftp.
func openFTP(url, mode string, o OpenOptions) (*Stream, error) {
	w := &ftpOpen{o: o}
	readWrite := 0
	if strings.ContainsAny(mode, "r+") {
		readWrite = 1
	}
	if strings.ContainsAny(mode, "wa+") {
		if readWrite != 0 {
			w.logError("FTP does not support simultaneous read/write connections")
			return nil, w.fail()
		}
		readWrite = 2
		if strings.IndexByte(mode, 'a') >= 0 {
			readWrite = 3
		}
	}
	if readWrite == 0 {
		w.logError("Unknown file open mode")
		return nil, w.fail()
	}
	if _, ok := o.Context.Option("ftp", "proxy"); ok {
		if readWrite != 1 {
			w.logError("FTP proxy may only be used in read mode")
			return nil, w.fail()
		}
		// PHP hands the URL to the http wrapper, which sends it to the
		// proxy (recorded: ftp/proxy-read).
		return openHTTPAs(url, mode, o, "ftp")
	}

	f := ftpConnect(url, o, w.logError)
	if f == nil {
		return nil, w.fail()
	}
	tmp := "" // PHP's tmp_line: the last reply this function read
	fail := func() (*Stream, error) {
		f.close()
		if tmp != "" {
			w.logError("FTP server reports " + cString(tmp))
		}
		return nil, w.fail()
	}
	var code int
	f.write("TYPE I\r\n")
	if code, tmp = f.result(); code > 299 || code < 200 {
		return fail()
	}
	f.write("SIZE " + f.path() + "\r\n")
	code, tmp = f.result()
	switch readWrite {
	case 1:
		if code > 299 || code < 200 {
			return fail()
		}
	case 2:
		if code <= 299 && code >= 200 {
			overwrite := false
			if v, ok := o.Context.Option("ftp", "overwrite"); ok {
				overwrite = phpvalue.Bool(v)
			}
			if !overwrite {
				w.logError("Remote file already exists and overwrite context option not specified")
				return fail()
			}
			f.write("DELE " + f.path() + "\r\n")
			if code, tmp = f.result(); code >= 300 || code <= 199 {
				return fail()
			}
		}
	}
	port, host := f.pasv()
	if port == 0 {
		return fail()
	}
	cmd := "RETR"
	switch readWrite {
	case 1:
		if v, ok := o.Context.Option("ftp", "resume_pos"); ok {
			if n, isInt := v.(int64); isInt && n > 0 {
				f.write("REST " + strconv.FormatInt(n, 10) + "\r\n")
				if code, tmp = f.result(); code < 300 || code > 399 {
					w.logError("Unable to resume from offset " + strconv.FormatInt(n, 10))
					return fail()
				}
			}
		}
	case 2:
		cmd = "STOR"
	case 3:
		cmd = "APPE"
	}
	tmp = cmd
	f.write(cmd + " " + f.path() + "\r\n")
	if host == "" {
		host = f.u.host
	}
	var dataErr string
	data := ftpDial(o, f.diag, "tcp://"+host+":"+strconv.Itoa(int(port)), f.timeout, &dataErr)
	if data == nil {
		tmp = ""
		st, err := fail()
		if dataErr != "" {
			w.logError("Failed to set up data channel: " + dataErr)
			err = w.fail()
		}
		return st, err
	}
	if code, tmp = f.result(); code != 150 && code != 125 {
		data.Close()
		return fail()
	}
	if f.sslOnData && !ftpEnableCrypto(data, o, f.diag, host, f.timeout) {
		w.logError(msgFTPNoSSL)
		data.Close()
		tmp = ""
		return fail()
	}
	// The stream keeps the transport's mode, "r+", whatever the open's
	// (recorded: ftp/read-fopen-meta, ftp/write-fopen-w).
	data.mu.Lock()
	data.origin = origin{wrapperType: "ftp", uri: url, mode: "r+"}
	data.mu.Unlock()
	// PHP's stream_closer runs once the data connection is closed. It
	// waits for the control answer (up to the timeout), which afterClose's
	// contract asks hooks not to do; it is registered first, so a wait
	// that another goroutine registers later is woken after it.
	data.afterClose(func() { f.closeData(data) })
	return data, nil
}

// closeData is php_stream_ftp_stream_close, after the data connection is
// closed: the transfer's answer (226 or 250, else PHP's warning, raised on
// the data stream's DiagnosticFunc: the closing function's), then QUIT. PHP reads the answer in
// "write modes", which its test finds in the stream's mode "r+" after
// reads too.
//
// A stream an http redirect adopted closes the control connection without
// either: its wrapper is http's, which has no closer (recorded:
// http/redirect-to-ftp; PHP leaves the connection open until the script
// ends).
func (f *ftpSession) closeData(data *Stream) {
	if data.adopted.Load() {
		f.close()
		return
	}
	if code, line := f.result(); code != 226 && code != 250 {
		data.warn(EWarning, "FTP server error "+strconv.Itoa(code)+":"+cString(line))
	}
	f.write("QUIT\r\n")
	f.close()
}

// ftpStat is the ftp wrapper's url_stat (php_stream_ftp_url_stat): a
// directory when CWD to the path succeeds (mode 0755), else a file (0644)
// whose SIZE must succeed; MDTM gives the mtime (-1 without one).
func ftpStat(url string, o OpenOptions) (StatInfo, error) {
	f := ftpConnect(url, o, nil)
	if f == nil {
		return StatInfo{}, opError("stat", url, ErrOpFailed)
	}
	defer f.close()
	st := StatInfo{Mode: 0o644}
	f.write("CWD " + f.path() + "\r\n")
	if code, _ := f.result(); code < 200 || code > 299 {
		st.Mode |= 0o100000 // S_IFREG
	} else {
		st.Mode |= 0o040000 | 0o111 // S_IFDIR, executable by all
	}
	f.write("TYPE I\r\n")
	if code, _ := f.result(); code < 200 || code > 299 {
		return StatInfo{}, opError("stat", url, ErrOpFailed)
	}
	f.write("SIZE " + f.path() + "\r\n")
	if code, line := f.result(); code < 200 || code > 299 {
		if st.Mode&0o040000 == 0 {
			return StatInfo{}, opError("stat", url, ErrOpFailed)
		}
	} else {
		st.Size = int64(ftpAtoi(line, 4))
	}
	f.write("MDTM " + f.path() + "\r\n")
	st.Mtime = -1
	if code, line := f.result(); code == 213 {
		if t, ok := mdtmTime(line); ok {
			st.Mtime = t
		}
	}
	st.Atime, st.Ctime = -1, -1
	st.Nlink, st.Rdev = 1, -1
	st.Blksize = 4096
	st.Blocks = int64(int32((4095 + st.Size) / 4096))
	return st, nil
}

// ftpAtoi is atoi(line + off) (0 past the end).
func ftpAtoi(line string, off int) int32 {
	if off >= len(line) {
		return 0
	}
	return atoi(line[off:])
}

// mdtmTime reads the MDTM answer's "YYYYMMDDhhmmss" after its first digit
// (sscanf "%4d%2d%2d%2d%2d%2d"), as a UTC time.
func mdtmTime(line string) (int64, bool) {
	p := min(4, len(line))
	for p < len(line) && !isDigit(line[p]) {
		p++
	}
	s := line[p:]
	var f [6]int
	for k, width := range [6]int{4, 2, 2, 2, 2, 2} {
		i := 0
		for i < len(s) && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r') {
			i++
		}
		s = s[i:]
		j, neg := 0, false
		if j < len(s) && j < width && (s[j] == '+' || s[j] == '-') {
			neg = s[j] == '-'
			j++
		}
		start := j
		n := 0
		for j < len(s) && j < width && isDigit(s[j]) {
			n = n*10 + int(s[j]-'0')
			j++
		}
		if j == start {
			return 0, false
		}
		if neg {
			n = -n
		}
		f[k] = n
		s = s[j:]
	}
	return time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, time.UTC).Unix(), true
}

// ftpOp opens the session of an operation (unlink, mkdir, rmdir): nil
// after PHP's "Unable to connect to url" warning.
func ftpOp(url string, o OpenOptions) *ftpSession {
	f := ftpConnect(url, o, nil)
	if f == nil {
		o.Diagnostics.emit(EWarning, "Unable to connect to "+url)
	}
	return f
}

// ftpUnlink is the ftp wrapper's unlink (DELE); its warnings go to
// o.Diagnostics.
func ftpUnlink(url string, o OpenOptions) bool {
	f := ftpOp(url, o)
	if f == nil {
		return false
	}
	defer f.close()
	f.write("DELE " + f.path() + "\r\n")
	if code, line := f.result(); code < 200 || code > 299 {
		o.Diagnostics.emit(EWarning, "Error Deleting file: "+cString(line))
		return false
	}
	return true
}

// ftpRmdir is the ftp wrapper's rmdir (RMD).
func ftpRmdir(url string, o OpenOptions) bool {
	f := ftpOp(url, o)
	if f == nil {
		return false
	}
	defer f.close()
	f.write("RMD " + f.path() + "\r\n")
	if code, line := f.result(); code < 200 || code > 299 {
		o.Diagnostics.emit(EWarning, cString(line))
		return false
	}
	return true
}

// ftpMkdir is the ftp wrapper's mkdir: MKD, or with recursive a CWD to
// each parent from the deepest until one exists, then MKD of each missing
// directory down to the path.
func ftpMkdir(url string, o OpenOptions, recursive bool) bool {
	f := ftpOp(url, o)
	if f == nil {
		return false
	}
	defer f.close()
	path := f.path()
	if !recursive {
		f.write("MKD " + path + "\r\n")
		code, _ := f.result()
		return code >= 200 && code <= 299
	}
	// buf is PHP's copy of the path in which '/' become NULs as it
	// climbs; cut is where the first NUL stands (-1: none).
	buf := []byte(path)
	str := func() string { return cString(string(buf)) }
	cut := -1
	for {
		s := str()
		p := strings.LastIndexByte(s, '/')
		if p < 0 {
			cut = -1
			break
		}
		buf[p] = 0
		cut = p
		dir := str()
		if dir == "" {
			dir = "/"
		}
		f.write("CWD " + dir + "\r\n")
		if code, _ := f.result(); code >= 200 && code <= 299 {
			buf[p] = '/'
			break
		}
	}
	dir := str()
	if dir == "" {
		dir = "/"
	}
	f.write("MKD " + dir + "\r\n")
	code, _ := f.result()
	if code >= 200 && code <= 299 {
		p := cut
		if p < 0 {
			p = 0
		}
		for ; p != len(buf); p++ {
			if buf[p] == 0 && p+1 < len(buf) && buf[p+1] != 0 {
				buf[p] = '/'
				f.write("MKD " + str() + "\r\n")
				var line string
				if code, line = f.result(); code < 200 || code > 299 {
					o.Diagnostics.emit(EWarning, cString(line))
					break
				}
			}
		}
	}
	return code >= 200 && code <= 299
}

// ftpRename is the ftp wrapper's rename: both URLs must name the same
// scheme, host and port (21 and none being the same) and a path; then
// RNFR and RNTO on one session. rename() calls it without REPORT_ERRORS,
// so its own failures are silent (recorded: ftp/rename, ftp/ops-refused);
// the connect's warnings remain.
func ftpRename(from, to string, o OpenOptions) bool {
	uf, ok1 := parsePHPURL(from)
	ut, ok2 := parsePHPURL(to)
	if !ok1 || !ok2 || !uf.hasScheme || !ut.hasScheme || uf.scheme != ut.scheme ||
		!uf.hasHost || !ut.hasHost || uf.host != ut.host ||
		(uf.port != ut.port && int(uf.port)*int(ut.port) != 0 && int(uf.port)+int(ut.port) != 21) ||
		!uf.hasPath || !ut.hasPath {
		return false
	}
	f := ftpConnect(from, o, nil)
	if f == nil {
		return false
	}
	defer f.close()
	f.write("RNFR " + cString(uf.path) + "\r\n")
	if code, _ := f.result(); code < 300 || code > 399 {
		return false
	}
	f.write("RNTO " + cString(ut.path) + "\r\n")
	code, _ := f.result()
	return code >= 200 && code <= 299
}
