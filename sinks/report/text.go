package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// levelNames are the sensitivity columns always shown, lowest first, as
// in the scan summary; other values found in the data follow.
var levelNames = []string{"S1", "S2", "S3", "S4"}

// levelsOf returns the sensitivity columns of a report.
func levelsOf(r *Report) []string {
	out := slices.Clone(levelNames)
	for _, k := range sortedKeys(r.BySensitivity) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// top is the table size of the renderings.
func (r *Report) top() int {
	if r.Filter.Top > 0 {
		return r.Filter.Top
	}
	return DefaultTop
}

// RenderJSON writes the report as indented JSON with a final newline.
func RenderJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write report json: %w", err)
	}
	return nil
}

// RenderText writes the report as aligned plain-text tables for a
// terminal or a log: no colour and no terminal control, and values from
// the dataset are escaped (see clean). Long lists are cut to
// Filter.Top rows with a line saying how many more there are.
func RenderText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	lv := levelsOf(r)
	t := r.Totals

	p("piiscan report of %s\n", clean(r.Dataset))
	period := "no partitions read"
	switch {
	case r.FirstDate != "" && r.FirstDate == r.LastDate:
		period = "date " + r.FirstDate + " (dt partition)"
	case r.FirstDate != "":
		period = "dates " + r.FirstDate + " .. " + r.LastDate + " (dt partitions)"
	}
	p("%s run(s), %s\n", group(t.Runs), period)
	if f := filterText(r.Filter); f != "" {
		p("filter: %s\n", clean(f))
	}
	if len(r.Runs) > 1 && !r.Filter.Latest && len(r.Filter.ScanIDs) != 1 {
		p("note: counts add up every run; an object scanned by several runs is counted once per run (--latest or --scan-id for one run)\n")
	}
	if t.CarriedObjects > 0 {
		p("note: %s\n", clean(carriedText(r)))
	}

	p("\nFindings: %s in %s of %s objects, %s about minors\n",
		group(t.Findings), group(t.ObjectsWithFindings), group(t.Objects), group(t.Minors))
	if t.Findings > 0 {
		parts := make([]string, 0, len(lv))
		for _, l := range slices.Backward(lv) {
			parts = append(parts, l+" "+group(r.BySensitivity[l]))
		}
		p("  %s\n", strings.Join(parts, ", "))

		p("\n")
		tb := newTable(append(append([]string{"CATEGORY"}, right(lv)...), ">TOTAL", ">MINORS")...)
		for _, c := range r.ByCategory {
			tb.add(append(append([]string{c.Category}, levelCells(c.Levels, lv)...), group(c.Total), group(c.Minors))...)
		}
		tb.add(append(append([]string{"total"}, levelCells(r.BySensitivity, lv)...), group(t.Findings), group(t.Minors))...)
		tb.write(bw)

		p("\n")
		tb = newTable(append(append([]string{"DATA TYPE", "CATEGORY"}, right(lv)...), ">TOTAL")...)
		for _, d := range r.ByDataType[:min(len(r.ByDataType), r.top())] {
			tb.add(append(append([]string{d.DataType, d.Category}, levelCells(d.Levels, lv)...), group(d.Total))...)
		}
		tb.write(bw)
		more(bw, len(r.ByDataType)-r.top(), "data types")
	}

	if len(r.ByDay) > 0 {
		p("\n")
		tb := newTable(append(append([]string{"DATE", ">RUNS", ">OBJECTS", ">FINDINGS"}, right(lv)...), ">MINORS")...)
		for _, d := range r.ByDay {
			tb.add(append(append([]string{d.Date, group(d.Runs), group(d.Objects), group(d.Findings)}, levelCells(d.Levels, lv)...), group(d.Minors))...)
		}
		tb.write(bw)
	}

	if len(r.ByPrefix) > 0 {
		p("\n")
		if r.PrefixRoot != "" {
			p("Local prefixes start at %s (the common directory of the local objects)\n", clean(r.PrefixRoot))
		}
		tb := newTable(append([]string{fmt.Sprintf("PREFIX (depth %d)", r.Filter.PrefixDepth), ">OBJECTS", ">WITH FINDINGS", ">FINDINGS"}, right(lv)...)...)
		for _, x := range r.ByPrefix {
			tb.add(append([]string{x.Prefix, group(x.Objects), group(x.ObjectsWithFindings), group(x.Findings)}, levelCells(x.Levels, lv)...)...)
		}
		tb.write(bw)
		more(bw, int(r.PrefixesTotal)-len(r.ByPrefix), "prefixes")
	}

	if len(r.TopObjects) > 0 {
		p("\n")
		tb := newTable(append(append([]string{"TOP OBJECTS", ">FINDINGS"}, right(lv)...), "STATUS", "DATE", "SCAN ID")...)
		for _, o := range r.TopObjects {
			tb.add(append(append([]string{o.Object, group(o.Findings)}, levelCells(o.Levels, lv)...), o.Status, o.Date, o.ScanID)...)
		}
		tb.write(bw)
	}

	if len(r.ObjectsByStatus) > 0 {
		p("\n")
		tb := newTable("STATUS", ">OBJECTS", "REASONS")
		for _, s := range r.ObjectsByStatus {
			reasons := make([]string, 0, len(s.Reasons))
			for _, x := range s.Reasons {
				reasons = append(reasons, x.Reason+" "+group(x.Objects))
			}
			tb.add(s.Status, group(s.Objects), strings.Join(reasons, ", "))
		}
		tb.add("total", group(t.Objects), "")
		tb.write(bw)
	}

	if len(r.Runs) > 0 {
		p("\n")
		tb := newTable("SCAN ID", "STARTED (UTC)", ">DURATION", ">SHARDS", ">OBJECTS", ">FINDINGS", "NOTES")
		for _, run := range r.Runs[:min(len(r.Runs), r.top())] {
			started, took := "-", "-"
			if run.HasSummary {
				started = run.StartedAt.Format("2006-01-02 15:04:05")
				took = (time.Duration(run.DurationMS) * time.Millisecond).String()
			}
			tb.add(run.ScanID, started, took, fmt.Sprint(run.Shards), group(run.Objects), group(run.Findings), strings.Join(runNotes(run), ", "))
		}
		tb.write(bw)
		more(bw, len(r.Runs)-r.top(), "runs")
	}

	if len(r.Problems) > 0 {
		p("\nProblems: %d file(s) could not be read; the report covers the rest\n", len(r.Problems))
		for _, x := range r.Problems {
			p("  %s: %s\n", clean(x.Path), clean(x.Error))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// right marks columns as right-aligned for newTable.
func right(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = ">" + n
	}
	return out
}

func levelCells(l Levels, lv []string) []string {
	out := make([]string, len(lv))
	for i, k := range lv {
		out[i] = group(l[k])
	}
	return out
}

func more(w io.Writer, n int, what string) {
	if n > 0 {
		fmt.Fprintf(w, "... and %s more %s (--top to show more, --format json for all)\n", group(int64(n)), what)
	}
}

// runNotes are the remarks of the runs table.
func runNotes(r Run) []string {
	var notes []string
	if r.Latest {
		notes = append(notes, "latest")
	}
	if !r.HasSummary {
		notes = append(notes, "no summary (crashed or still running)")
	}
	for _, i := range r.MissingShards {
		notes = append(notes, fmt.Sprintf("shard %d of %d missing", i, r.ShardCount))
	}
	for _, i := range r.UnfinishedShards {
		notes = append(notes, fmt.Sprintf("shard %d of %d without summary (crashed or still running)", i, r.ShardCount))
	}
	if r.Interrupted {
		notes = append(notes, "interrupted")
	}
	if r.ListingStopped {
		notes = append(notes, "listing stopped: part of the targets")
	}
	if r.RandomHMACKey {
		notes = append(notes, "random HMAC key")
	}
	return notes
}

// filterText describes the filter, or "" when the report is unfiltered.
func filterText(f Filter) string {
	var parts []string
	if f.Since != "" {
		parts = append(parts, "since "+f.Since)
	}
	if f.Until != "" {
		parts = append(parts, "until "+f.Until)
	}
	if len(f.ScanIDs) > 0 {
		parts = append(parts, "scan id "+strings.Join(f.ScanIDs, ", "))
	}
	if f.Latest {
		parts = append(parts, "latest run only")
	}
	return strings.Join(parts, "; ")
}

// carriedText says which objects of a one-run report are counted with
// an earlier run's scan.
func carriedText(r *Report) string {
	return fmt.Sprintf("%s objects unchanged since an earlier scan (--incremental) are counted with their last scan, from %s",
		group(r.Totals.CarriedObjects), strings.Join(r.CarriedFrom, ", "))
}
