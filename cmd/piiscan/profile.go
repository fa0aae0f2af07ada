package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"

	"github.com/spf13/cobra"
)

// profiles writes Go pprof profiles of one invocation when asked
// (--cpuprofile, --memprofile): how to see where a slow scan spends its
// time on your own data, with `go tool pprof bin/piiscan FILE`. --trace
// writes a Go execution trace (`go tool trace FILE`), which shows when
// each goroutine ran: the workers, the sink and the listing side by side.
type profiles struct {
	cpuPath, memPath, tracePath string
	cpu, trace                  *os.File
}

// register adds the profile flags to every command and starts the trace
// and the CPU profile before the command runs.
func (p *profiles) register(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&p.cpuPath, "cpuprofile", "", "write a Go CPU profile of this run to `FILE` (for go tool pprof)")
	f.StringVar(&p.memPath, "memprofile", "", "write a Go heap profile (allocations) at the end of this run to `FILE`")
	f.StringVar(&p.tracePath, "trace", "", "write a Go execution trace of this run to `FILE` (for go tool trace)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if p.memPath != "" {
			runtime.MemProfileRate = 64 << 10
		}
		var err error
		if p.tracePath != "" {
			if p.trace, err = startTo(p.tracePath, "--trace", trace.Start); err != nil {
				return err
			}
		}
		if p.cpuPath != "" {
			p.cpu, err = startTo(p.cpuPath, "--cpuprofile", pprof.StartCPUProfile)
		}
		return err
	}
}

// startTo creates path and starts writing a profile or trace to it; flag
// names the option in the usage error.
func startTo(path, flag string, start func(io.Writer) error) (*os.File, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, usageErr("%s: %w", flag, err)
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, usageErr("%s: %w", flag, err)
	}
	return f, nil
}

// stopTo stops a profile or trace started by startTo and closes its file.
func stopTo(f *os.File, stop func(), flag string, stderr io.Writer) {
	if f == nil {
		return
	}
	stop()
	if err := f.Close(); err != nil {
		fmt.Fprintln(stderr, "piiscan: "+flag+":", err)
	}
}

// stop ends the CPU profile and the trace and writes the heap profile,
// whatever the command's outcome; problems are reported on stderr and do
// not change the exit code.
func (p *profiles) stop(stderr io.Writer) {
	stopTo(p.cpu, pprof.StopCPUProfile, "--cpuprofile", stderr)
	stopTo(p.trace, trace.Stop, "--trace", stderr)
	p.cpu, p.trace = nil, nil
	if p.memPath == "" {
		return
	}
	// The profile holds what was allocated up to the last completed
	// collection; a scan that ends a few collections in would leave most
	// of its allocations out (the run after the last one, often most of
	// it), so collect once more first.
	runtime.GC()
	f, err := os.Create(p.memPath)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "piiscan: --memprofile:", err)
	}
}
