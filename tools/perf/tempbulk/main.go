// Command tempbulk is tools/perf/php/tempbulk.php ported to phpsock: BYTES
// written into php://temp in 8192-byte fwrites (spilling to a temporary
// file past 2 MiB), rewound and read back with fread(8192) until feof.
// MB/s counts both passes.
//
//	tempbulk BYTES
package main

import (
	"fmt"
	"strings"

	"github.com/phpsock/phpsock/compat"
	"github.com/phpsock/phpsock/tools/perf/perfclock"
)

func main() {
	a := perfclock.Args(1, "BYTES")
	bytes := perfclock.Count(a[0])
	chunk := strings.Repeat("0123456789abcdef", 512)
	rt := compat.NewRuntime()
	rt.SetDiagnostics(func(d compat.Diagnostic) { perfclock.Fatal("PHP warning: %s", d.String()) })
	t := perfclock.Start()
	f, err := rt.Fopen("php://temp", "w+", false, nil)
	if err != nil || f == nil {
		perfclock.Fatal("fopen: %v", err)
	}
	for left := bytes; left > 0; left -= 8192 {
		data := chunk
		if left < 8192 {
			data = chunk[:left]
		}
		if _, ok, _ := rt.Fwrite(f, data); !ok {
			perfclock.Fatal("fwrite failed")
		}
	}
	if ok, err := rt.Rewind(f); err != nil || !ok {
		perfclock.Fatal("rewind failed: %v", err)
	}
	got := 0
	buf := make([]byte, 8192)
	for {
		eof, err := rt.Feof(f)
		if err != nil {
			perfclock.Fatal("feof: %v", err)
		}
		if eof {
			break
		}
		n, ok := f.Stream().FreadInto(buf)
		if !ok {
			perfclock.Fatal("fread failed")
		}
		got += n
	}
	rt.Fclose(f)
	if got != bytes {
		perfclock.Fatal("read %d bytes, want %d", got, bytes)
	}
	t.Report(2*float64(bytes)/1e6, "MB/s", fmt.Sprintf("bytes=%d", bytes))
}
