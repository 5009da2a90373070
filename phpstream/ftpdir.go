package phpstream

import (
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// This file is the ftp wrapper's opendir (php_stream_ftp_opendir and the
// "ftpdir" ops): a session, "TYPE A", EPSV or PASV, the data connection
// (opened before the command, as PHP does), "NLST path", a 150 or 125
// reply, and for ftps:// with PROT P the data connection's handshake. The
// listing is the data connection's lines, one entry each; it cannot be
// rewound. Closing it closes the control connection (no QUIT) and the
// data connection (recorded: dir/ftp-*).

// ftpDir is an ftp:// listing: the session and its NLST data connection.
type ftpDir struct {
	f    *ftpSession
	data *Stream
}

// openFTPDir is php_stream_ftp_opendir.
func openFTPDir(url string, o OpenOptions) (DirOps, error) {
	w := &ftpOpen{o: o}
	if u, ok := parsePHPURL(url); ok && u.hasPath {
		w.connected = true // the connect's errno stays (DirOpenError.Errno)
	}
	f := ftpConnect(url, o, w.logError)
	if f == nil {
		return nil, w.dirFail()
	}
	tmp := "" // PHP's tmp_line: the last reply this function read
	fail := func() (DirOps, error) {
		f.close()
		if tmp != "" {
			w.logError("FTP server reports " + cString(tmp))
		}
		return nil, w.dirFail()
	}
	var code int
	f.write("TYPE A\r\n")
	if code, tmp = f.result(); code > 299 || code < 200 {
		return fail()
	}
	tmp = ""
	port, host := f.pasv()
	if port == 0 {
		return fail()
	}
	if host == "" {
		host = f.u.host
	}
	data := ftpDial(o, f.diag, "tcp://"+host+":"+strconv.Itoa(int(port)), f.timeout, nil)
	if data == nil {
		return fail()
	}
	p := f.path()
	if p == "" {
		p = "/"
	}
	f.write("NLST " + p + "\r\n")
	if code, tmp = f.result(); code != 150 && code != 125 {
		data.Close()
		return fail()
	}
	if f.sslOnData && !ftpEnableCrypto(data, o, f.diag, host, f.timeout) {
		w.logError(msgFTPNoSSL)
		data.Close()
		return fail()
	}
	return &ftpDir{f: f, data: data}, nil
}

// dirFail is the open's logged errors as opendir's warning text.
func (w *ftpOpen) dirFail() error {
	e := &DirOpenError{Msg: "operation failed"}
	if len(w.errs) > 0 {
		e.Msg = strings.Join(w.errs, "\n")
	}
	// A failed handshake leaves errno 0 (recorded: dir/ftps-list).
	if w.connected && !slices.Contains(w.errs, msgFTPNoSSL) {
		e.Errno = syscall.EINPROGRESS
	}
	return e
}

// Readdir is php_ftp_dirstream_read: nothing once the data connection is
// at its end (feof's liveness check), else one line of at most
// DirentSize-1 bytes, whose basename PHP copies less its last byte and
// then cuts one byte shorter again: "name\r\n" gives "name", "name\n"
// "nam" (recorded: dir/ftp-lf-lines), a last line "/two/ab" without an
// end "". A basename of one byte leaves the record holding the line as
// read: "/one/k" (recorded: dir/ftp-short-lines). What the data
// connection raises is the calling function's (readdir's, not opendir's).
func (d *ftpDir) Readdir(diag DiagnosticFunc) (string, bool) {
	d.data.SetDiagnostics(diag)
	if d.data.Feof() {
		return "", false
	}
	line, ok := d.data.Fgets(DirentSize)
	if !ok {
		return "", false
	}
	base := phpBasename(string(line))
	switch len(base) {
	case 0:
		return "", true
	case 1:
		return string(line), true
	}
	n := min(DirentSize, len(base)-1)
	return base[:n-1], true
}

// Close is php_ftp_dirstream_close.
func (d *ftpDir) Close(diag DiagnosticFunc) {
	d.data.SetDiagnostics(diag)
	d.f.close()
	d.data.Close()
}

// phpBasename is php_basename without a suffix in an ASCII-compatible
// locale: trailing slashes dropped, then what follows the last slash.
func phpBasename(s string) string {
	s = strings.TrimRight(s, "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}
