package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/piiscan/piiscan/scanner"
)

// startProgress shows live progress: a redrawn line on a terminal, a log
// line every 10 seconds otherwise. The returned function stops it.
func startProgress(c *console, p *scanner.Progress, logger *slog.Logger, quiet bool) func() {
	if quiet {
		return func() {}
	}
	every := 10 * time.Second
	if c.tty {
		every = 200 * time.Millisecond
	}
	start := time.Now()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				c.clearProgress()
				return
			case <-t.C:
				el := time.Since(start)
				bytes := p.Bytes.Load()
				rate := float64(bytes) / el.Seconds()
				if c.tty {
					c.setProgress(fmt.Sprintf("objects %d/%d  %s  findings %d  failed %d  %s/s  %s",
						p.Done.Load(), p.Listed.Load(), humanize.IBytes(uint64(bytes)), p.Findings.Load(),
						p.Failed.Load(), humanize.IBytes(uint64(rate)), el.Truncate(time.Second)))
				} else {
					logger.Info("progress", "objects_done", p.Done.Load(), "objects_listed", p.Listed.Load(),
						"bytes", bytes, "findings", p.Findings.Load(), "failed", p.Failed.Load(), "mb_s", rate/1e6)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
