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

// register adds the profile flags to every command and starts the CPU
// profile before the command runs.
func (p *profiles) register(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&p.cpuPath, "cpuprofile", "", "write a Go CPU profile of this run to `FILE` (for go tool pprof)")
	f.StringVar(&p.memPath, "memprofile", "", "write a Go heap profile (allocations) at the end of this run to `FILE`")
	f.StringVar(&p.tracePath, "trace", "", "write a Go execution trace of this run to `FILE` (for go tool trace)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if p.memPath != "" {
			runtime.MemProfileRate = 64 << 10
		}
		if p.tracePath != "" {
			f, err := os.Create(p.tracePath)
			if err != nil {
				return usageErr("--trace: %w", err)
			}
			if err := trace.Start(f); err != nil {
				f.Close()
				return usageErr("--trace: %w", err)
			}
			p.trace = f
		}
		if p.cpuPath == "" {
			return nil
		}
		f, err := os.Create(p.cpuPath)
		if err != nil {
			return usageErr("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return usageErr("--cpuprofile: %w", err)
		}
		p.cpu = f
		return nil
	}
}

// stop ends the CPU profile and writes the heap profile, whatever the
// command's outcome; problems are reported on stderr and do not change the
// exit code.
func (p *profiles) stop(stderr io.Writer) {
	if p.cpu != nil {
		pprof.StopCPUProfile()
		if err := p.cpu.Close(); err != nil {
			fmt.Fprintln(stderr, "piiscan: --cpuprofile:", err)
		}
		p.cpu = nil
	}
	if p.trace != nil {
		trace.Stop()
		if err := p.trace.Close(); err != nil {
			fmt.Fprintln(stderr, "piiscan: --trace:", err)
		}
		p.trace = nil
	}
	if p.memPath == "" {
		return
	}
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
