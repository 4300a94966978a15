package bench

import (
	"syscall"
	"testing"
	"time"
)

// The benchmarks also report cpu-ns/op: the CPU time of the whole process
// (user + system, every thread, GC workers included) divided by b.N. On a
// machine where other jobs compete for the cores, wall-clock ns/op grows
// with the time the process waits to be scheduled; CPU time does not, so
// it is the steadier basis for comparing two implementations measured at
// different moments.

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter measures process CPU time across a benchmark loop, minus the
// stretches between pause and resume.
type cpuMeter struct {
	start, excluded, pausedAt time.Duration
}

// meterCPU starts a cpuMeter; call its report after the loop (defer it).
func meterCPU() *cpuMeter { return &cpuMeter{start: processCPU()} }

func (m *cpuMeter) pause()  { m.pausedAt = processCPU() }
func (m *cpuMeter) resume() { m.excluded += processCPU() - m.pausedAt }

func (m *cpuMeter) report(b *testing.B) {
	if b.N > 0 {
		used := processCPU() - m.start - m.excluded
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
