// Command wrapperrun measures phpsock's wrappers beside PHP 8.2 in one run:
// file_get_contents of one large body over http:// and https://, many small
// GETs, and a php://temp write and read-back. It serves the bodies itself
// on loopback (nginx, with the test certificates for https), then runs
// each PHP script of tools/perf/php and its Go port (tools/perf/httpget,
// tools/perf/tempbulk) alternately, ROUNDS times, and prints a markdown
// table of medians. Both sides print the shared perf harness's RESULT line.
//
//	go run ./tools/perf/wrapperrun [-rounds 5] [-big 1073741824] [-small 2000] [-temp 268435456] [-php php]
//
// Run it from the module's root on a quiet machine.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	rounds := flag.Int("rounds", 5, "runs of each side per workload")
	big := flag.Int("big", 1<<30, "bytes of the large body")
	small := flag.Int("small", 2000, "requests of the small-GET workload")
	temp := flag.Int("temp", 256<<20, "bytes written to php://temp")
	php := flag.String("php", "php", "the PHP 8.2 CLI")
	certs := flag.String("certs", "conformance/testdata/certs", "the test certificates")
	flag.Parse()
	log.SetFlags(0)

	dir, err := os.MkdirTemp("", "wrapperrun")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bins := map[string]string{}
	for _, name := range []string{"httpget", "tempbulk"} {
		bins[name] = filepath.Join(dir, name)
		if out, err := exec.Command("go", "build", "-o", bins[name], "./tools/perf/"+name).CombinedOutput(); err != nil {
			log.Fatalf("build %s: %v\n%s", name, err, out)
		}
	}

	plain, secure, stop := serve(*certs, *big)
	defer stop()
	cafile := filepath.Join(*certs, "ca.pem")
	type workload struct {
		name string
		args []string
		prog string
	}
	smallURL := "/small"
	loads := []workload{
		{"http file_get_contents " + size(*big), []string{"http://" + plain + "/big", "1", strconv.Itoa(*big), cafile}, "httpget"},
		{"https file_get_contents " + size(*big), []string{"https://" + secure + "/big", "1", strconv.Itoa(*big), cafile}, "httpget"},
		{"http small GETs", []string{"http://" + plain + smallURL, strconv.Itoa(*small), strconv.Itoa(len(smallBody)), cafile}, "httpget"},
		{"https small GETs", []string{"https://" + secure + smallURL, strconv.Itoa(*small / 4), strconv.Itoa(len(smallBody)), cafile}, "httpget"},
		{"php://temp write+read " + size(*temp), []string{strconv.Itoa(*temp)}, "tempbulk"},
	}
	fmt.Printf("| workload | unit | PHP median | phpsock median | phpsock/PHP | PHP CPU/op | phpsock CPU/op |\n|---|---|---:|---:|---:|---:|---:|\n")
	failed := false
	for _, w := range loads {
		var pv, gv, pc, gc []float64
		unit := ""
		for r := 0; r < *rounds; r++ {
			for _, side := range []string{"php", "go"} {
				var cmd *exec.Cmd
				if side == "php" {
					cmd = exec.Command(*php, append([]string{"-n", "tools/perf/php/" + w.prog + ".php"}, w.args...)...)
				} else {
					cmd = exec.Command(bins[w.prog], w.args...)
				}
				res, err := run(cmd)
				if err != nil {
					log.Printf("%s (%s): %v", w.name, side, err)
					failed = true
					continue
				}
				unit = res.unit
				ops := res.value * res.elapsed
				if side == "php" {
					pv, pc = append(pv, res.value), append(pc, res.cpu/ops)
				} else {
					gv, gc = append(gv, res.value), append(gc, res.cpu/ops)
				}
			}
		}
		if len(pv) == 0 || len(gv) == 0 {
			continue
		}
		fmt.Printf("| %s | %s | %.4g | %.4g | %.2f× | %s | %s |\n", w.name, unit, median(pv), median(gv), median(gv)/median(pv), cpuPerOp(median(pc), unit), cpuPerOp(median(gc), unit))
	}
	if failed {
		stop()
		os.Exit(1)
	}
}

// smallBody is the small GETs' response body.
var smallBody = []byte("hello, world\n")

// serve starts nginx (Debian's nginx-light or nginx) on loopback, with http
// and https servers, and returns their addresses and a stop function.
// /big is a sparse file of big bytes (zeros, sent with sendfile), /small
// holds smallBody.
func serve(certs string, big int) (plain, secure string, stop func()) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/nginx"); err2 != nil {
			log.Fatal("wrapperrun needs nginx (Debian package nginx-light)")
		}
		bin = "/usr/sbin/nginx"
	}
	dir, err := os.MkdirTemp("", "wrapperrun-nginx")
	if err != nil {
		log.Fatal(err)
	}
	www := filepath.Join(dir, "www")
	if err := os.Mkdir(www, 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(www, "small"), smallBody, 0o644); err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(filepath.Join(www, "big"))
	if err == nil {
		err = f.Truncate(int64(big))
		f.Close()
	}
	if err != nil {
		log.Fatal(err)
	}
	certs, _ = filepath.Abs(certs)
	p1, p2 := freePort(), freePort()
	conf := fmt.Sprintf(`daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	client_body_temp_path %[1]s/body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	default_type application/octet-stream;
	server {
		listen 127.0.0.1:%[2]d;
		listen 127.0.0.1:%[3]d ssl;
		ssl_certificate %[4]s/localhost.pem;
		ssl_certificate_key %[4]s/localhost.key;
		root %[1]s/www;
	}
}
`, dir, p1, p2, certs)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", confPath, "-e", filepath.Join(dir, "error.log"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	plain, secure = fmt.Sprintf("127.0.0.1:%d", p1), fmt.Sprintf("127.0.0.1:%d", p2)
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", secure)
		if err == nil {
			c.Close()
			break
		}
		if i == 100 {
			cmd.Process.Kill()
			log.Fatalf("nginx did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return plain, secure, func() {
		cmd.Process.Kill()
		cmd.Wait()
		os.RemoveAll(dir)
	}
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type result struct {
	value, elapsed, cpu float64
	unit                string
}

// run runs one side and parses its RESULT line.
func run(cmd *exec.Cmd) (result, error) {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	f := strings.Fields(string(out))
	if len(f) < 5 || f[0] != "RESULT" {
		return result{}, fmt.Errorf("no RESULT line in %q", out)
	}
	var r result
	r.unit = f[2]
	r.value, _ = strconv.ParseFloat(f[1], 64)
	r.elapsed, _ = strconv.ParseFloat(strings.TrimPrefix(f[3], "elapsed="), 64)
	r.cpu, _ = strconv.ParseFloat(strings.TrimPrefix(f[4], "cpu="), 64)
	return r, nil
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// cpuPerOp formats the client's CPU seconds per unit of work: per MB for
// throughputs, per request otherwise.
func cpuPerOp(sec float64, unit string) string {
	if unit == "MB/s" {
		return fmt.Sprintf("%.3g ms/MB", sec*1e3)
	}
	return fmt.Sprintf("%.3g µs/req", sec*1e6)
}

func size(n int) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d B", n)
}
