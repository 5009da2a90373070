//go:build !unix

package perfclock

import "time"

// processCPU is not measured on this platform; the perf harness runs on Linux.
func processCPU() time.Duration { return 0 }
