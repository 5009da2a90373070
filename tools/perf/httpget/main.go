// Command httpget is tools/perf/php/httpget.php ported to phpsock: N times
// file_get_contents(URL) through the http/https wrapper, with an ssl
// context verifying "localhost" against CAFILE, each body checked to be
// BYTES long. One request reports MB/s, several report requests per second.
//
//	httpget URL N BYTES CAFILE
package main

import (
	"fmt"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/tools/perf/perfclock"
)

func main() {
	a := perfclock.Args(4, "URL N BYTES CAFILE")
	url, n, bytes, cafile := a[0], perfclock.Count(a[1]), perfclock.Count(a[2]), a[3]
	rt := compat.NewRuntime()
	rt.SetDiagnostics(func(d compat.Diagnostic) { perfclock.Fatal("PHP warning: %s", d.String()) })
	ctx, err := rt.StreamContextCreate(compat.Options{"ssl": {"cafile": cafile, "peer_name": "localhost"}}, nil)
	if err != nil {
		perfclock.Fatal("context: %v", err)
	}
	t := perfclock.Start()
	total := 0
	for i := 0; i < n; i++ {
		body, ok, err := rt.FileGetContents(url, false, ctx, 0, compat.NullInt)
		if err != nil || !ok || len(body) != bytes {
			perfclock.Fatal("request %d: got %v (%d bytes), want %d bytes", i, err, len(body), bytes)
		}
		total += len(body)
	}
	if n == 1 {
		t.Report(float64(total)/1e6, "MB/s", fmt.Sprintf("bytes=%d", total))
	} else {
		t.Report(float64(n), "req/s", fmt.Sprintf("n=%d bytes=%d", n, total))
	}
}
