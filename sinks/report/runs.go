package report

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/piiscan/piiscan/sinks"
)

// maxSummaryBytes bounds one run summary read into memory. The sink caps
// notes and column verdicts, so real summaries are far smaller.
const maxSummaryBytes = 64 << 20

// runAgg is what the report knows of one run while it reads.
type runAgg struct {
	id       string
	summary  bool
	started  time.Time // earliest shard start
	finished time.Time // latest shard end
	version  string
	ruleset  string
	targets  []string
	interr   bool
	listStop bool // a summary says the listing stopped
	randKey  bool
	shards   map[string]struct{} // shard suffixes seen in file names
	summed   map[string]struct{} // shard suffixes with a summary
	dates    map[string]struct{}
	objects  int64
	findings int64
}

func newRunAgg(id string) *runAgg {
	return &runAgg{id: id, shards: map[string]struct{}{}, summed: map[string]struct{}{}, dates: map[string]struct{}{}}
}

// readSummaries reads ROOT/scans/*.json and merges the shards of each
// run. A summary that does not decode is a problem, not an error: the
// Parquet files are the data, summaries only describe the runs.
func readSummaries(root string) (map[string]*runAgg, []Problem, error) {
	runs := map[string]*runAgg{}
	entries, err := os.ReadDir(filepath.Join(root, scansDir))
	if errors.Is(err, fs.ErrNotExist) {
		return runs, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("list run summaries: %w", err)
	}
	var problems []Problem
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		rel := scansDir + "/" + name
		s, err := readSummary(filepath.Join(root, scansDir, name))
		if err != nil {
			problems = append(problems, Problem{Path: rel, Error: errText(err)})
			continue
		}
		id, shard := scanIDOf(strings.TrimSuffix(name, ".json"))
		id = cmp.Or(s.ScanID, id)
		r := runs[id]
		if r == nil {
			r = newRunAgg(id)
			runs[id] = r
		}
		r.addSummary(s, cmp.Or(s.Shard, shard))
	}
	return runs, problems, nil
}

func readSummary(p string) (sinks.Summary, error) {
	var s sinks.Summary
	f, err := os.Open(p)
	if err != nil {
		return s, errors.New(errText(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSummaryBytes+1))
	if err != nil {
		return s, errors.New(errText(err))
	}
	if len(data) > maxSummaryBytes {
		return s, fmt.Errorf("run summary larger than %d MiB", maxSummaryBytes>>20)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("decode run summary: %w", err)
	}
	if s.ScanID == "" {
		return s, errors.New("decode run summary: no scan_id")
	}
	return s, nil
}

// addSummary merges one shard's summary.
func (r *runAgg) addSummary(s sinks.Summary, shard string) {
	if !r.summary || s.StartedAt.Before(r.started) {
		r.started = s.StartedAt.UTC()
	}
	if s.FinishedAt.After(r.finished) {
		r.finished = s.FinishedAt.UTC()
	}
	if !r.summary {
		r.version, r.ruleset, r.targets = s.Version, s.Ruleset, s.Targets
	}
	r.summary = true
	r.interr = r.interr || s.Interrupted
	r.listStop = r.listStop || s.ListingStopped
	r.randKey = r.randKey || s.RandomHMACKey
	r.shards[shard] = struct{}{}
	r.summed[shard] = struct{}{}
	if !s.StartedAt.IsZero() {
		r.dates[s.StartedAt.UTC().Format(time.DateOnly)] = struct{}{}
	}
}

// when orders runs in time: the start of the run, or the start of its
// first partition's day when it has no summary.
func (r *runAgg) when() time.Time {
	if r.summary && !r.started.IsZero() {
		return r.started
	}
	first := ""
	for d := range r.dates {
		if first == "" || d < first {
			first = d
		}
	}
	t, _ := time.Parse(time.DateOnly, first)
	return t
}

// newer orders runs newest first, by time then by id.
func newer(a, b *runAgg) int {
	return cmp.Or(b.when().Compare(a.when()), strings.Compare(b.id, a.id))
}

// toRun converts the aggregate into its report form.
func (r *runAgg) toRun() Run {
	dates := sortedKeys(r.dates)
	run := Run{
		ScanID:         r.id,
		HasSummary:     r.summary,
		Shards:         max(len(r.shards), 1),
		Dates:          dates,
		Version:        r.version,
		Ruleset:        r.ruleset,
		Targets:        slices.Clip(append([]string{}, r.targets...)),
		Interrupted:    r.interr,
		ListingStopped: r.listStop,
		RandomHMACKey:  r.randKey,
		Objects:        r.objects,
		Findings:       r.findings,
	}
	if r.summary {
		run.StartedAt, run.FinishedAt = r.started, r.finished
		run.DurationMS = r.finished.Sub(r.started).Milliseconds()
	}
	r.checkShards(&run)
	return run
}

// checkShards fills the run's shard count and the shards it lacks. The
// count is the largest n of the run's "-shard-<i>-of-<n>" suffixes (a run
// of one shard count; scan refuses to mix them under one scan id).
func (r *runAgg) checkShards(run *Run) {
	seen := map[int]bool{}
	for suffix := range r.shards {
		i, n, ok := parseShard(suffix)
		if !ok {
			continue
		}
		run.ShardCount = max(run.ShardCount, n)
		seen[i] = true
		if _, summed := r.summed[suffix]; r.summary && !summed {
			run.UnfinishedShards = append(run.UnfinishedShards, i)
		}
	}
	for i := 1; i <= run.ShardCount; i++ {
		if !seen[i] {
			run.MissingShards = append(run.MissingShards, i)
		}
	}
	slices.Sort(run.UnfinishedShards)
}

// parseShard reads "-shard-<i>-of-<n>".
func parseShard(suffix string) (i, n int, ok bool) {
	if _, err := fmt.Sscanf(suffix, "-shard-%d-of-%d", &i, &n); err != nil || i < 1 || i > n {
		return 0, 0, false
	}
	return i, n, true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
