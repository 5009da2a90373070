// Package perfclock is the timing helper of the perf programs in tools/perf:
// it measures the wall and CPU time of a timed region and prints the RESULT
// line the shared perf harness (../shared/perf/run.sh) reads:
//
//	RESULT <value> <unit> elapsed=<seconds> cpu=<seconds> [detail]
//
// With PERFCLOCK_CPUPROFILE set to a file name, the timed region is also
// CPU-profiled into that file (for go tool pprof).
package perfclock

import (
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"time"
)

// Clock is a started timed region.
type Clock struct {
	wall time.Time
	cpu  time.Duration
}

// Start starts the timed region.
func Start() Clock {
	if name := os.Getenv("PERFCLOCK_CPUPROFILE"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			Fatal("cpu profile: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			Fatal("cpu profile: %v", err)
		}
	}
	return Clock{time.Now(), processCPU()}
}

// Report prints the RESULT line for ops operations counted in unit.
func (c Clock) Report(ops float64, unit, detail string) {
	el := time.Since(c.wall)
	cpu := processCPU() - c.cpu
	pprof.StopCPUProfile() // a no-op unless Start started one
	fmt.Printf("RESULT %.6g %s elapsed=%.6f cpu=%.6f %s\n", ops/el.Seconds(), unit, el.Seconds(), cpu.Seconds(), detail)
}

// Args returns the n command-line arguments or exits with the usage.
func Args(n int, usage string) []string {
	if len(os.Args)-1 != n {
		fmt.Fprintf(os.Stderr, "usage: %s %s\n", os.Args[0], usage)
		os.Exit(2)
	}
	return os.Args[1:]
}

// Count parses a non-negative decimal argument or exits.
func Count(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		Fatal("bad number %q", s)
	}
	return n
}

// Fatal reports a failure on stderr and exits 1.
func Fatal(format string, a ...any) {
	fmt.Fprintf(os.Stderr, os.Args[0]+": "+format+"\n", a...)
	os.Exit(1)
}

// Skip reports a mode the program does not implement.
func Skip(format string, a ...any) {
	fmt.Printf("SKIP "+format+"\n", a...)
	os.Exit(0)
}
