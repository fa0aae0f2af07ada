// Package report summarizes a piiscan dataset (DESIGN.md section 3): it
// streams the findings and objects Parquet files and the run summaries,
// aggregates them as it reads, and renders the result as a terminal table,
// as JSON, or as one self-contained HTML page with inline SVG charts.
//
// A report holds counts, catalogue ids, statuses, object names and run
// ids only. It never reads the masked_value, fingerprint or evidence
// columns, so it cannot show them.
package report

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Defaults of Options.
const (
	DefaultPrefixDepth = 2
	DefaultTop         = 20
	// MaxPrefixDepth and MaxTop bound the options, so that a typo cannot
	// turn the prefix table into a copy of the objects table.
	MaxPrefixDepth = 32
	MaxTop         = 10000
)

// maxPrefixes caps the distinct prefixes held in memory. Objects under
// further prefixes are counted in an OtherPrefixes row, and
// Report.PrefixesCapped is set.
const maxPrefixes = 100_000

// ErrNotDataset is returned (wrapped) by Build when the root is not a
// readable directory with findings/, objects/ or scans/ in it.
var ErrNotDataset = errors.New("not a piiscan dataset")

// Options selects what Build reads and how it groups. The zero value
// reports the whole dataset with the defaults.
type Options struct {
	// Since and Until bound the dt partitions (the UTC start date of a
	// run), both inclusive; the zero time leaves that side open. Only the
	// date part is used.
	Since, Until time.Time
	// ScanIDs keeps only these runs (all shards of each); empty keeps all.
	ScanIDs []string
	// Latest keeps only the newest run among those the other filters keep.
	Latest bool
	// PrefixDepth is how many directory levels below the bucket (oss://)
	// or below the common directory of the local files (file://) make an
	// object's prefix. 0 means DefaultPrefixDepth.
	PrefixDepth int
	// Top is the number of rows of the prefix, object and data type
	// tables. 0 means DefaultTop.
	Top int
	// Version is the piiscan version, shown in the report.
	Version string
	// Now stamps Report.GeneratedAt; nil means time.Now.
	Now func() time.Time
	// Logger receives a warning per unreadable file; nil discards.
	Logger *slog.Logger
}

// Validate reports the first invalid option.
func (o Options) Validate() error {
	switch {
	case o.PrefixDepth < 0 || o.PrefixDepth > MaxPrefixDepth:
		return fmt.Errorf("prefix depth %d: want 1..%d", o.PrefixDepth, MaxPrefixDepth)
	case o.Top < 0 || o.Top > MaxTop:
		return fmt.Errorf("top %d: want 1..%d", o.Top, MaxTop)
	case !o.Since.IsZero() && !o.Until.IsZero() && day(o.Until).Before(day(o.Since)):
		return fmt.Errorf("since %s is after until %s", o.Since.Format(time.DateOnly), o.Until.Format(time.DateOnly))
	}
	for _, id := range o.ScanIDs {
		if id == "" {
			return errors.New("scan id is empty")
		}
	}
	return nil
}

func (o Options) withDefaults() Options {
	o.PrefixDepth = cmp.Or(o.PrefixDepth, DefaultPrefixDepth)
	o.Top = cmp.Or(o.Top, DefaultTop)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// day truncates t to its date (in t's own location, as the user typed it).
func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Levels counts findings by sensitivity (S1..S4; any other value the
// dataset holds keeps its own key).
type Levels map[string]int64

// Report is the summary of a dataset. Its JSON form is a contract for
// machines (`piiscan report --format json`): keys are snake_case, lists
// are never null, and list order is part of the output (largest first,
// dates ascending, runs newest first).
type Report struct {
	// Dataset is the root as given to Build.
	Dataset string `json:"dataset"`
	// Version is the piiscan version that made the report.
	Version     string    `json:"version"`
	GeneratedAt time.Time `json:"generated_at"`
	Filter      Filter    `json:"filter"`
	// FirstDate and LastDate are the first and last dt partitions read,
	// YYYY-MM-DD, or "" when nothing was read.
	FirstDate string `json:"first_date"`
	LastDate  string `json:"last_date"`
	Totals    Totals `json:"totals"`
	// BySensitivity counts findings by level.
	BySensitivity Levels `json:"by_sensitivity"`
	// ByCategory is in DESIGN.md's category order, unknown ones last.
	ByCategory []CategoryCount `json:"by_category"`
	// ByDataType holds every data type, most findings first.
	ByDataType []DataTypeCount `json:"by_data_type"`
	// ByDay has one entry per dt partition read, ascending.
	ByDay []DayCount `json:"by_day"`
	// PrefixRoot is the common directory of the local objects that
	// file:// prefixes start from ("" without local objects).
	PrefixRoot string `json:"prefix_root"`
	// ByPrefix holds the Filter.Top prefixes with the most findings (then
	// objects); PrefixesTotal counts them all. PrefixesCapped says that
	// there were more distinct prefixes than the report keeps in memory
	// (100,000): the objects under the later ones are counted in a row
	// named OtherPrefixes (a smaller prefix depth avoids it).
	ByPrefix       []PrefixCount `json:"by_prefix"`
	PrefixesTotal  int64         `json:"prefixes_total"`
	PrefixesCapped bool          `json:"prefixes_capped"`
	// TopObjects are the Filter.Top objects with the most findings in one
	// run (an object scanned by several runs appears once, with the run
	// where it had the most).
	TopObjects []ObjectCount `json:"top_objects"`
	// ObjectsByStatus is in lifecycle order (complete, partial, skipped,
	// failed), unknown statuses last.
	ObjectsByStatus []StatusCount `json:"objects_by_status"`
	// Runs are newest first; the first one is Latest. Their Objects and
	// Findings count their own rows (a carried row counts as an object of
	// the run it stands in for, its findings as none of it).
	Runs []Run `json:"runs"`
	// CarriedFrom are the earlier runs whose rows stand for the
	// unchanged objects of a one-run report (Totals.CarriedObjects),
	// newest first; empty otherwise.
	CarriedFrom []string `json:"carried_from"`
	// Problems are files that could not be read; the report covers the
	// rest.
	Problems []Problem `json:"problems"`
}

// OtherPrefixes names the row that collects prefixes beyond the cap.
const OtherPrefixes = "(other prefixes)"

// Filter echoes the options the report was built with.
type Filter struct {
	Since       string   `json:"since"`
	Until       string   `json:"until"`
	ScanIDs     []string `json:"scan_ids"`
	Latest      bool     `json:"latest"`
	PrefixDepth int      `json:"prefix_depth"`
	Top         int      `json:"top"`
}

// Totals are the report's headline numbers.
type Totals struct {
	Findings            int64 `json:"findings"`
	Minors              int64 `json:"minors"`
	Objects             int64 `json:"objects"`
	ObjectsWithFindings int64 `json:"objects_with_findings"`
	BytesScanned        int64 `json:"bytes_scanned"`
	ObjectBytes         int64 `json:"object_bytes"`
	Runs                int64 `json:"runs"`
	// FindingsFiles and ObjectsFiles count the Parquet files read.
	FindingsFiles int64 `json:"findings_files"`
	ObjectsFiles  int64 `json:"objects_files"`
	// CarriedObjects counts, in the report of one run (--latest or one
	// --scan-id), the objects that run listed as unchanged (scan
	// --incremental) and that are counted with their last real scan: that
	// row's status and findings, from an earlier run (Report.CarriedFrom).
	CarriedObjects int64 `json:"carried_objects"`
}

// CategoryCount is one category's findings.
type CategoryCount struct {
	Category string `json:"category"`
	Total    int64  `json:"total"`
	Levels   Levels `json:"levels"`
	Minors   int64  `json:"minors"`
}

// DataTypeCount is one data type's findings.
type DataTypeCount struct {
	DataType string `json:"data_type"`
	Category string `json:"category"`
	Total    int64  `json:"total"`
	Levels   Levels `json:"levels"`
}

// DayCount is one dt partition.
type DayCount struct {
	Date     string `json:"date"`
	Runs     int64  `json:"runs"`
	Objects  int64  `json:"objects"`
	Findings int64  `json:"findings"`
	Levels   Levels `json:"levels"`
	Minors   int64  `json:"minors"`
}

// PrefixCount is one object prefix.
type PrefixCount struct {
	Prefix              string `json:"prefix"`
	Objects             int64  `json:"objects"`
	ObjectsWithFindings int64  `json:"objects_with_findings"`
	Findings            int64  `json:"findings"`
	Levels              Levels `json:"levels"`
}

// ObjectCount is one object of the top objects table.
type ObjectCount struct {
	Object   string `json:"object"`
	ScanID   string `json:"scan_id"`
	Date     string `json:"date"`
	Status   string `json:"status"`
	Findings int64  `json:"findings"`
	Levels   Levels `json:"levels"`
}

// StatusCount counts objects of one status, with its reasons.
type StatusCount struct {
	Status  string        `json:"status"`
	Objects int64         `json:"objects"`
	Reasons []ReasonCount `json:"reasons"`
}

// ReasonCount counts objects of one reason code.
type ReasonCount struct {
	Reason  string `json:"reason"`
	Objects int64  `json:"objects"`
}

// Run is one scan run, its shards merged. Objects and Findings count the
// rows read; the rest comes from the run summaries (scans/*.json) and is
// empty when a run has none (HasSummary false: it crashed, or is still
// running).
type Run struct {
	ScanID      string    `json:"scan_id"`
	Latest      bool      `json:"latest"`
	HasSummary  bool      `json:"has_summary"`
	Shards      int       `json:"shards"`
	Dates       []string  `json:"dates"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"`
	DurationMS  int64     `json:"duration_ms"`
	Version     string    `json:"version"`
	Ruleset     string    `json:"ruleset"`
	Targets     []string  `json:"targets"`
	Interrupted bool      `json:"interrupted"`
	// ListingStopped: a summary of the run says its listing stopped with
	// an error after listing objects; the run covers part of its targets.
	ListingStopped bool  `json:"listing_stopped"`
	RandomHMACKey  bool  `json:"random_hmac_key"`
	Objects        int64 `json:"objects"`
	Findings       int64 `json:"findings"`
	// ShardCount is the n of the run's "-shard-<i>-of-<n>" files, 0 for an
	// unsharded run. MissingShards lists the shards (1..n) with neither
	// files nor summary, UnfinishedShards those with files but no summary
	// (crashed or still running) in a run that has summaries: either way
	// the run covers only part of its targets.
	ShardCount       int   `json:"shard_count"`
	MissingShards    []int `json:"missing_shards,omitempty"`
	UnfinishedShards []int `json:"unfinished_shards,omitempty"`
}

// Problem is a file the report could not use.
type Problem struct {
	// Path is slash-separated, relative to the dataset root.
	Path  string `json:"path"`
	Error string `json:"error"`
}
