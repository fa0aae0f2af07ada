package sinks

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/piiscan/piiscan/sinks/termtable"
)

// Limits on the text summary; the JSON summary has everything.
const (
	topDataTypes   = 10
	renderVerdicts = 20
	renderNotes    = 20
)

// levels are the sensitivity columns always shown, so that tables of
// different runs line up.
var levels = []string{"S1", "S2", "S3", "S4"}

// statusOrder is the order of the objects table: the lifecycle order of
// DESIGN.md section 3 rather than alphabetical.
var statusOrder = []string{"complete", "partial", "skipped", "failed"}

// RenderText writes a plain-text summary of s for people, meant for
// stderr: findings by category and sensitivity, top data types, objects by
// status with reasons, bytes and throughput, minors, column verdicts,
// where the output files are, and the random-key warning. It uses no
// colour or terminal control, so it reads the same in CI logs. Write
// errors are ignored, as for any diagnostic print.
func RenderText(w io.Writer, s Summary) {
	s = s.normalized()
	c := s.Counters
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }

	head := "piiscan " + cmp.Or(s.Version, "dev") + ": scan " + s.ScanID + s.Shard
	p("%s finished in %s\n", head, time.Duration(s.DurationMS*int64(time.Millisecond)))
	if s.Interrupted {
		p("INTERRUPTED: outputs are valid but cover only the objects that finished\n")
	}
	if s.ListingStopped {
		p("LISTING STOPPED: outputs are valid but cover only the objects listed before the error\n")
	}
	if s.Ruleset != "" || s.AsOf != "" {
		p("ruleset %s (%s), ages as of %s\n", cmp.Or(s.Ruleset, "-"), cmp.Or(s.RulesetHash, "-"), cmp.Or(s.AsOf, "-"))
	}

	p("\nFindings: %d in %d objects, %d about minors\n", c.Findings, c.ObjectsWithFindings, c.Minors)
	if c.Findings > 0 {
		renderCategories(w, c)
		renderDataTypes(w, c)
	}

	recorded := fmt.Sprintf("%d", c.Objects)
	if s.ObjectsListed != c.Objects {
		recorded += fmt.Sprintf(" of %d listed", s.ObjectsListed)
	}
	p("\nObjects: %s\n", recorded)
	if c.Objects > 0 {
		renderObjects(w, c)
	}
	p("\nBytes: %s scanned (decoded) of %s listed, %.1f MB/s\n",
		humanBytes(c.BytesScanned), humanBytes(c.ObjectBytes), s.ThroughputMBs)

	if len(s.ColumnVerdicts) > 0 {
		p("\nColumn verdicts:\n")
		tw := newTable(w)
		fmt.Fprintln(tw, "  DATA TYPE\tCOLUMN\tSHARE\tSAMPLED\tOBJECT")
		for _, v := range s.ColumnVerdicts[:min(len(s.ColumnVerdicts), renderVerdicts)] {
			fmt.Fprintf(tw, "  %s\t%s\t%.0f%%\t%d\t%s\n", v.DataType, v.Column, v.Share*100, v.Sampled, v.Object)
		}
		_ = tw.Flush()
		more(w, int64(len(s.ColumnVerdicts)-renderVerdicts)+c.VerdictsDropped)
	}
	if len(s.Notes) > 0 {
		p("\nNotes:\n")
		for _, n := range s.Notes[:min(len(s.Notes), renderNotes)] {
			p("  - %s\n", n)
		}
		more(w, int64(len(s.Notes)-renderNotes)+c.NotesDropped)
	}

	p("\nOutputs in %s:\n", cmp.Or(s.Outputs.Root, "."))
	tw := newTable(w)
	for _, o := range [][2]string{{"findings", s.Outputs.Findings}, {"objects", s.Outputs.Objects}, {"summary", s.Outputs.Summary}} {
		if o[1] != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", o[0], o[1])
		}
	}
	_ = tw.Flush()
	if s.RandomHMACKey {
		p("\nWARNING: %s\n", s.HMACKeyNote)
	}
}

// renderCategories prints the category x sensitivity table with totals.
func renderCategories(w io.Writer, c Tally) {
	cols := slices.Clone(levels)
	for s := range c.FindingsBySensitivity {
		if !slices.Contains(cols, s) {
			cols = append(cols, s)
		}
	}
	slices.Sort(cols[len(levels):])

	cats := slices.Collect(maps.Keys(c.FindingsByCategory))
	total := func(cat string) (n int64) {
		for _, v := range c.FindingsByCategory[cat] {
			n += v
		}
		return n
	}
	slices.SortFunc(cats, func(a, b string) int {
		return cmp.Or(cmp.Compare(total(b), total(a)), cmp.Compare(a, b))
	})

	tw := newTable(w)
	fmt.Fprintf(tw, "  CATEGORY\t%s\tTOTAL\n", strings.Join(cols, "\t"))
	for _, cat := range cats {
		fmt.Fprintf(tw, "  %s", cmp.Or(cat, "(none)"))
		for _, l := range cols {
			fmt.Fprintf(tw, "\t%d", c.FindingsByCategory[cat][l])
		}
		fmt.Fprintf(tw, "\t%d\n", total(cat))
	}
	fmt.Fprint(tw, "  TOTAL")
	for _, l := range cols {
		fmt.Fprintf(tw, "\t%d", c.FindingsBySensitivity[l])
	}
	fmt.Fprintf(tw, "\t%d\n", c.Findings)
	_ = tw.Flush()
}

// renderDataTypes prints the most frequent data types.
func renderDataTypes(w io.Writer, c Tally) {
	types := slices.Collect(maps.Keys(c.FindingsByDataType))
	slices.SortFunc(types, func(a, b string) int {
		return cmp.Or(cmp.Compare(c.FindingsByDataType[b], c.FindingsByDataType[a]), cmp.Compare(a, b))
	})
	fmt.Fprintf(w, "\nTop data types:\n")
	tw := newTable(w)
	for _, t := range types[:min(len(types), topDataTypes)] {
		fmt.Fprintf(tw, "  %s\t%d\n", t, c.FindingsByDataType[t])
	}
	_ = tw.Flush()
	more(w, int64(len(types)-topDataTypes))
}

// renderObjects prints objects by status, with their reasons.
func renderObjects(w io.Writer, c Tally) {
	statuses := slices.Clone(statusOrder)
	var extra []string
	for s := range c.ObjectsByStatus {
		if !slices.Contains(statuses, s) {
			extra = append(extra, s)
		}
	}
	slices.Sort(extra)
	tw := newTable(w)
	fmt.Fprintln(tw, "  STATUS\tCOUNT\tREASONS")
	for _, s := range append(statuses, extra...) {
		n := c.ObjectsByStatus[s]
		if n == 0 {
			continue
		}
		// "-" rather than an empty cell: tabwriter would pad an empty last
		// cell with trailing blanks, and leaving the cell out breaks the
		// column's alignment.
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", s, n, cmp.Or(reasons(c.ObjectReasons[s]), "-"))
	}
	_ = tw.Flush()
}

// reasons formats reason counts as "timeout 2, malformed 1", most
// frequent first.
func reasons(m map[string]int64) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b))
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// more notes how many entries a list left out.
func more(w io.Writer, n int64) {
	if n > 0 {
		fmt.Fprintf(w, "  ... and %d more (see the summary JSON)\n", n)
	}
}

// newTable aligns tab-separated cells by display width, so Chinese column
// and object names keep the columns straight.
func newTable(w io.Writer) *termtable.Writer {
	return termtable.NewWriter(w)
}

// humanBytes formats n in decimal units (kB, MB, ...), matching the MB of
// the throughput figure.
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, exp := float64(n), 0
	for v >= unit && exp < 5 {
		v /= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", v, " kMGTP"[exp])
}
