package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/piiscan/piiscan/sinks/report"
)

// reportFlags are the flags of `piiscan report`.
type reportFlags struct {
	html    string
	format  string
	since   string
	until   string
	scanIDs []string
	latest  bool
	depth   int
	top     int
	quiet   bool
}

func newReportCmd() *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report OUT",
		Short: "Summarize a findings dataset: tables, JSON, or an HTML page with charts",
		Long: "report reads the dataset a scan wrote to OUT (findings, objects and run summaries) and prints\n" +
			"findings by category and sensitivity, by data type, by day and by object prefix, the objects with\n" +
			"the most findings, objects by status and the runs. --html also writes one self-contained HTML page\n" +
			"(inline charts, no scripts, nothing fetched). Reports show counts and names, never found values.",
		Example: "  piiscan report ./piiscan-out\n" +
			"  piiscan report ./piiscan-out --latest --html report.html\n" +
			"  piiscan report /warehouse/piiscan --since 2026-11-01 --format json",
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return usageErr("report needs the dataset directory OUT (the --out of a scan)")
			case len(args) > 1:
				return usageErr("report takes one dataset directory, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runReport(cmd, args[0], f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.html, "html", "", "also write the report as a self-contained HTML page to `FILE`")
	fl.StringVar(&f.format, "format", "text", "terminal output: text (aligned tables) or json")
	fl.StringVar(&f.since, "since", "", "only dt partitions (the UTC day a run started) from `YYYY-MM-DD` on")
	fl.StringVar(&f.until, "until", "", "only dt partitions up to `YYYY-MM-DD` (inclusive)")
	fl.StringArrayVar(&f.scanIDs, "scan-id", nil, "only the run `ID`, all its shards (repeatable)")
	fl.BoolVar(&f.latest, "latest", false, "only the newest run (among those the other filters keep); its unchanged objects (--incremental) count with their last real scan")
	fl.IntVar(&f.depth, "prefix-depth", report.DefaultPrefixDepth, "folder levels below the bucket, or below the common directory of local files, that make an object prefix")
	fl.IntVar(&f.top, "top", report.DefaultTop, "rows of the data type, prefix, object and run tables")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stdout (with --html)")
	return cmd
}

func runReport(cmd *cobra.Command, out string, f reportFlags) error {
	opts, err := reportOptions(out, f)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := report.Build(ctx, out, opts)
	switch {
	case ctx.Err() != nil:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	case errors.Is(err, report.ErrNotDataset):
		return usageErr("%s: %w (give the --out directory of a scan)", out, err)
	case err != nil:
		return usageErr("report %s: %w", out, err)
	}

	if !f.quiet {
		stdout := cmd.OutOrStdout()
		if f.format == "json" {
			err = report.RenderJSON(stdout, r)
		} else {
			err = report.RenderText(stdout, r)
		}
		if err != nil {
			return usageErr("%w", err)
		}
	}
	if f.html != "" {
		if err := report.WriteHTMLFile(f.html, r); err != nil {
			return usageErr("--html %s: %w", f.html, err)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "piiscan: wrote the HTML report to %s\n", f.html)
	}
	if n := len(r.Problems); n > 0 {
		return &exitError{code: exitFailedObjs, err: fmt.Errorf("%d file(s) of the dataset could not be read; the report covers the rest", n)}
	}
	return nil
}

// reportOptions checks the flags; every problem is a usage error.
func reportOptions(out string, f reportFlags) (report.Options, error) {
	opts := report.Options{ScanIDs: f.scanIDs, Latest: f.latest, PrefixDepth: f.depth, Top: f.top, Version: version}
	if isOSS(out) {
		return opts, usageErr("report reads a local dataset directory; copy %s locally first (ossutil cp -r)", out)
	}
	if f.format != "text" && f.format != "json" {
		return opts, usageErr("--format %q: want text or json", f.format)
	}
	if f.depth < 1 || f.depth > report.MaxPrefixDepth {
		return opts, usageErr("--prefix-depth %d: want 1..%d", f.depth, report.MaxPrefixDepth)
	}
	if f.top < 1 || f.top > report.MaxTop {
		return opts, usageErr("--top %d: want 1..%d", f.top, report.MaxTop)
	}
	if f.quiet && f.html == "" {
		return opts, usageErr("--quiet without --html would print nothing")
	}
	for _, id := range f.scanIDs {
		if strings.TrimSpace(id) == "" {
			return opts, usageErr("--scan-id is empty")
		}
	}
	var err error
	if opts.Since, err = parseDay("--since", f.since); err != nil {
		return opts, err
	}
	if opts.Until, err = parseDay("--until", f.until); err != nil {
		return opts, err
	}
	if err := opts.Validate(); err != nil {
		return opts, usageErr("%w", err)
	}
	return opts, nil
}

// parseDay parses an optional YYYY-MM-DD flag.
func parseDay(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usageErr("%s %q: want YYYY-MM-DD", flag, s)
	}
	return t, nil
}
