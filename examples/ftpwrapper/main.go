// Command ftpwrapper is client.php, an FTP client written as PHP code in
// the wild writes one (the backup uploaders and feed importers that use
// PHP's ftp:// wrapper rather than the ftp extension), ported line by
// line to Go with compat's typed API: file_get_contents, fopen and
// file_put_contents of ftp:// and ftps:// URLs (AUTH TLS), the `ftp`
// context's overwrite option, file_exists, is_file, is_dir and filesize
// through the wrapper's url_stat, mkdir, rmdir, rename and unlink, and
// scandir, opendir and readdir of directories (NLST). It
// prints the same transcript as the PHP script.
//
// Usage:
//
//	ftpwrapper SCENARIO HOST PORT CERTDIR
//
// main_test.go runs it and client.php against the same vsftpd.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/examples/internal/livetest"
)

func main() {
	tr := &livetest.Transcript{Echo: func(line string) { fmt.Println(line) }}
	if err := run(os.Args[1:], tr); err != nil {
		fmt.Fprintln(os.Stderr, "ftpwrapper:", err)
		os.Exit(2)
	}
}

// client is the PHP script's global state: the runtime (PHP's process)
// and the transcript its out() writes. The PHP functions' Go errors (an
// uncaught exception in PHP) are kept in err: the first one stops the
// scenario, the calls after it do nothing.
type client struct {
	rt  *compat.Runtime
	out func(label string, v any)
	err error
}

// ok records err and reports whether the script goes on.
func (c *client) ok(err error) bool {
	if c.err == nil {
		c.err = err
	}
	return c.err == nil
}

// The PHP functions the script calls, each returning its PHP value.

func (c *client) fileGetContents(url string, ctx *compat.Resource, offset, length int) any {
	if c.err != nil {
		return nil
	}
	s, ok, err := c.rt.FileGetContents(url, false, ctx, offset, length)
	c.ok(err)
	return livetest.OrFalse(s, ok)
}

func (c *client) filePutContents(url string, data compat.Value, flags compat.FileFlags, ctx *compat.Resource) any {
	if c.err != nil {
		return nil
	}
	n, ok, err := c.rt.FilePutContents(url, data, flags, ctx)
	c.ok(err)
	return livetest.OrFalse(n, ok)
}

func (c *client) scandir(url string, order compat.ScandirOrder) any {
	if c.err != nil {
		return nil
	}
	names, ok, err := c.rt.Scandir(url, order, nil)
	c.ok(err)
	return livetest.OrFalse(names, ok)
}

func (c *client) readdir(d *compat.Resource) any {
	if c.err != nil {
		return nil
	}
	name, ok, err := c.rt.Readdir(d)
	c.ok(err)
	return livetest.OrFalse(name, ok)
}

func (c *client) boolCall(f func() (bool, error)) any {
	if c.err != nil {
		return nil
	}
	b, err := f()
	c.ok(err)
	return b
}

func (c *client) context(options compat.Options) *compat.Resource {
	if c.err != nil {
		return nil
	}
	ctx, err := c.rt.StreamContextCreate(options, nil)
	c.ok(err)
	return ctx
}

// statURL prints what the url_stat functions say about url.
func (c *client) statURL(url string) {
	c.out("file_exists", c.boolCall(func() (bool, error) { return c.rt.FileExists(url) }))
	c.out("is_file", c.boolCall(func() (bool, error) { return c.rt.IsFile(url) }))
	c.out("is_dir", c.boolCall(func() (bool, error) { return c.rt.IsDir(url) }))
	if c.err != nil {
		return
	}
	size, ok, err := c.rt.Filesize(url)
	c.ok(err)
	c.out("filesize", livetest.OrFalse(size, ok))
}

// read opens url with fopen and reads it to the end with fread.
func (c *client) read(url string, ctx *compat.Resource) {
	if c.err != nil {
		return
	}
	fp, err := c.rt.Fopen(url, "r", false, ctx)
	if !c.ok(err) {
		return
	}
	c.out("fopen", fp)
	if fp == nil {
		return
	}
	meta, err := c.rt.StreamGetMetaData(fp)
	if !c.ok(err) {
		return
	}
	c.out("wrapper_type", meta.WrapperType)
	c.out("stream_type", meta.StreamType)
	body := ""
	for {
		eof, err := c.rt.Feof(fp)
		if !c.ok(err) {
			return
		}
		if eof {
			break
		}
		chunk, ok, err := c.rt.Fread(fp, 6)
		if !c.ok(err) {
			return
		}
		if !ok {
			c.out("fread", false)
			break
		}
		body += chunk
	}
	c.out("body", body)
	c.out("fclose", c.boolCall(func() (bool, error) { return c.rt.Fclose(fp) }))
}

// run is the PHP script: args are its $argv[1:].
func run(args []string, tr *livetest.Transcript) error {
	if len(args) != 4 {
		return fmt.Errorf("usage: ftpwrapper SCENARIO HOST PORT CERTDIR")
	}
	scenario, host, port, certs := args[0], args[1], args[2], args[3]
	ftp := "ftp://" + host + ":" + port
	ftps := "ftps://" + host + ":" + port

	rt := compat.NewRuntime()
	defer rt.Close()
	rt.SetDiagnostics(tr.Diagnostics())
	c := &client{rt: rt, out: tr.Out}
	out := c.out
	exists := func(url string) any { return c.boolCall(func() (bool, error) { return rt.FileExists(url) }) }
	isDir := func(url string) any { return c.boolCall(func() (bool, error) { return rt.IsDir(url) }) }
	mkdir := func(url string, recursive bool) any {
		return c.boolCall(func() (bool, error) { return rt.Mkdir(url, 0o777, recursive, nil) })
	}
	rmdir := func(url string) any { return c.boolCall(func() (bool, error) { return rt.Rmdir(url) }) }
	rename := func(from, to string) any { return c.boolCall(func() (bool, error) { return rt.Rename(from, to) }) }
	unlink := func(url string, ctx ...*compat.Resource) any {
		return c.boolCall(func() (bool, error) { return rt.Unlink(url, ctx...) })
	}
	get := func(url string) any { return c.fileGetContents(url, nil, 0, compat.NullInt) }

	switch scenario {
	case "get":
		out("file_get_contents", get(ftp+"/pub/hello.txt"))
		out("offset 6", c.fileGetContents(ftp+"/pub/hello.txt", nil, 6, compat.NullInt))
		out("length 5", c.fileGetContents(ftp+"/pub/hello.txt", nil, 0, 5))
		out("resume_pos 6", c.fileGetContents(ftp+"/pub/hello.txt", c.context(compat.Options{"ftp": {"resume_pos": 6}}), 0, compat.NullInt))
		c.read(ftp+"/pub/hello.txt", nil)
	case "put":
		out("new", c.filePutContents(ftp+"/pub/new.txt", "first\n", 0, nil))
		out("exists, no overwrite", c.filePutContents(ftp+"/pub/new.txt", "second\n", 0, nil))
		overwrite := c.context(compat.Options{"ftp": {"overwrite": true}})
		out("overwrite", c.filePutContents(ftp+"/pub/new.txt", "second\n", 0, overwrite))
		out("append", c.filePutContents(ftp+"/pub/new.txt", "third\n", compat.FILE_APPEND, nil))
		out("read back", get(ftp+"/pub/new.txt"))
		out("list of strings", c.filePutContents(ftp+"/pub/list.txt", []string{"a", "b", "c\n"}, 0, nil))
		out("read back", get(ftp+"/pub/list.txt"))
		out("not writable", c.filePutContents(ftp+"/top.txt", "x", 0, nil))
		out("encoded name", c.filePutContents(ftp+"/pub/two%20words.txt", "percent\n", 0, nil))
		out("exists as", []any{exists(ftp + "/pub/two%20words.txt"), exists(ftp + "/pub/two words.txt")})
	case "modes":
		for _, step := range []struct{ mode, label, data string }{
			{"w", "fopen w", "written with fwrite\n"},
			{"a", "fopen a", "appended\n"},
		} {
			if c.err != nil {
				break
			}
			fp, err := rt.Fopen(ftp+"/pub/written.txt", step.mode, false, nil)
			if !c.ok(err) {
				break
			}
			out(step.label, fp)
			n, ok, err := rt.Fwrite(fp, step.data)
			if !c.ok(err) {
				break
			}
			out("fwrite", livetest.OrFalse(n, ok))
			out("fclose", c.boolCall(func() (bool, error) { return rt.Fclose(fp) }))
			out("read back", get(ftp+"/pub/written.txt"))
		}
		for _, step := range []struct{ label, file, mode string }{
			{"fopen w existing", "written.txt", "w"},
			{"fopen x", "new.txt", "x"},
			{"fopen r+", "written.txt", "r+"},
		} {
			if c.err != nil {
				break
			}
			fp, err := rt.Fopen(ftp+"/pub/"+step.file, step.mode, false, nil)
			c.ok(err)
			out(step.label, fp)
		}
	case "stat":
		c.statURL(ftp + "/pub/hello.txt")
		c.statURL(ftp + "/pub")
		c.statURL(ftp + "/pub/missing.txt")
	case "dirs":
		out("mkdir", mkdir(ftp+"/pub/dir", false))
		out("mkdir again", mkdir(ftp+"/pub/dir", false))
		out("is_dir", isDir(ftp+"/pub/dir"))
		out("mkdir recursive", mkdir(ftp+"/pub/a/b/c", true))
		out("is_dir", isDir(ftp+"/pub/a/b/c"))
		out("scandir", c.scandir(ftp+"/pub", compat.SCANDIR_SORT_ASCENDING))
		if d, err := rt.Opendir(ftp+"/pub/a", nil); c.ok(err) {
			out("readdir", c.readdir(d))
			out("readdir at the end", c.readdir(d))
			c.ok(rt.Closedir(d))
		}
		out("scandir empty", c.scandir(ftp+"/pub/a/b/c", compat.SCANDIR_SORT_DESCENDING))
		out("rename", rename(ftp+"/pub/hello.txt", ftp+"/pub/dir/moved.txt"))
		out("old gone", exists(ftp+"/pub/hello.txt"))
		out("moved", get(ftp+"/pub/dir/moved.txt"))
		out("rmdir not empty", rmdir(ftp+"/pub/dir"))
		out("unlink", unlink(ftp+"/pub/dir/moved.txt"))
		out("rmdir", rmdir(ftp+"/pub/dir"))
		out("is_dir", isDir(ftp+"/pub/dir"))
		out("rename to another server", rename(ftp+"/pub/a", "ftp://"+host+":1/pub/a"))
	case "missing":
		out("file_get_contents", get(ftp+"/pub/missing.txt"))
		c.read(ftp+"/pub/missing.txt", nil)
		out("unlink", unlink(ftp+"/pub/missing.txt"))
		out("rename", rename(ftp+"/pub/missing.txt", ftp+"/pub/other.txt"))
		out("rmdir", rmdir(ftp+"/pub/missing"))
		out("mkdir in missing", mkdir(ftp+"/pub/missing/dir", false))
		out("scandir", c.scandir(ftp+"/pub/missing", compat.SCANDIR_SORT_ASCENDING))
		if c.err == nil {
			d, err := rt.Opendir(ftp+"/pub/missing", nil)
			c.ok(err)
			out("opendir", livetest.OrFalse(d, d != nil))
			if d != nil {
				c.ok(rt.Closedir(d))
			}
		}
	case "login":
		out("user and password", get("ftp://alice:secret@"+host+":"+port+"/pub/hello.txt"))
		out("anonymous named", get("ftp://anonymous:me%40example.test@"+host+":"+port+"/pub/hello.txt"))
	case "ftps":
		ctx := c.context(compat.Options{"ssl": {
			"cafile":    certs + "/ca.pem",
			"peer_name": "localhost",
		}})
		out("file_get_contents", c.fileGetContents(ftps+"/pub/hello.txt", ctx, 0, compat.NullInt))
		c.read(ftps+"/pub/hello.txt", ctx)
		out("file_put_contents", c.filePutContents(ftps+"/pub/tls.txt", "over TLS\n", 0, ctx))
		out("read back", c.fileGetContents(ftps+"/pub/tls.txt", ctx, 0, compat.NullInt))
		out("unlink", unlink(ftps+"/pub/tls.txt", ctx))
	case "large":
		// 1 MiB up and down, plain and over TLS.
		data := strings.Repeat("0123456789abcdef", 65536)
		ctx := c.context(compat.Options{
			"ftp": {"overwrite": true},
			"ssl": {"cafile": certs + "/ca.pem", "peer_name": "localhost"},
		})
		for _, base := range []string{ftp, ftps} {
			out("file_put_contents", c.filePutContents(base+"/pub/large.bin", data, 0, ctx))
			if c.err != nil {
				break
			}
			// filesize takes no context: ftps:// verifies with the
			// default one, without the test's CA.
			size, ok, err := rt.Filesize(base + "/pub/large.bin")
			c.ok(err)
			out("filesize", livetest.OrFalse(size, ok))
			back := c.fileGetContents(base+"/pub/large.bin", ctx, 0, compat.NullInt)
			s, _ := back.(string) // strlen(false) is 0
			out("length", len(s))
			out("same", back == data)
		}
	case "ftps-wrong-name":
		out("wrong peer_name", c.fileGetContents(ftps+"/pub/hello.txt", c.context(compat.Options{"ssl": {
			"cafile":    certs + "/ca.pem",
			"peer_name": "wrong.example",
		}}), 0, compat.NullInt))
		out("verify_peer_name off", c.fileGetContents(ftps+"/pub/hello.txt", c.context(compat.Options{"ssl": {
			"cafile":           certs + "/ca.pem",
			"peer_name":        "wrong.example",
			"verify_peer_name": false,
		}}), 0, compat.NullInt))
	case "ftps-no-cafile":
		out("no cafile", get(ftps+"/pub/hello.txt"))
		out("verify_peer off", c.fileGetContents(ftps+"/pub/hello.txt", c.context(compat.Options{"ssl": {
			"verify_peer": false,
		}}), 0, compat.NullInt))
	case "paused":
		// The server accepts (the kernel does) and answers nothing: the
		// wrapper waits default_socket_timeout for the greeting.
		old, err := rt.Call("ini_set", "default_socket_timeout", "1")
		c.ok(err)
		out("ini_set", old)
		out("file_get_contents", get(ftp+"/pub/hello.txt"))
		out("file_exists", exists(ftp+"/pub/hello.txt"))
	case "refused":
		out("file_get_contents", get(ftp+"/pub/hello.txt"))
		out("file_put_contents", c.filePutContents(ftp+"/pub/new.txt", "x", 0, nil))
		out("file_exists", exists(ftp+"/pub/hello.txt"))
		out("ftps", get(ftps+"/pub/hello.txt"))
	default:
		return fmt.Errorf("unknown scenario %s", scenario)
	}
	return c.err
}
