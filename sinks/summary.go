package sinks

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/piiscan/piiscan/scanner"
)

// RandomKeyNote is the Summary.HMACKeyNote used when a run had no
// PIISCAN_HMAC_KEY and the caller left the note empty.
const RandomKeyNote = "PIISCAN_HMAC_KEY was not set: fingerprints use a random per-run key " +
	"and cannot be joined with other runs"

// Summary is the run summary written to ROOT/scans/<scan_id><shard>.json.
// Its JSON form is a contract for dashboards: keys are snake_case and
// always present (empty maps and lists are written as {} and []). It holds
// counts, ids and paths only, never a value found in the data.
type Summary struct {
	// Version is the piiscan version that ran.
	Version string `json:"version"`
	ScanID  string `json:"scan_id"`
	// Shard is the file name suffix, e.g. "-shard-1-of-3", or "".
	Shard      string    `json:"shard"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	DurationMS int64     `json:"duration_ms"`
	// AsOf is the reference date for ages, YYYY-MM-DD.
	AsOf string `json:"as_of"`
	// Ruleset is the rule pack id and version; RulesetHash its content hash.
	Ruleset     string `json:"ruleset"`
	RulesetHash string `json:"ruleset_hash"`
	// Flags are the effective command-line flags, secrets excluded.
	Flags   map[string]string `json:"flags"`
	Targets []string          `json:"targets"`
	// Interrupted is true when the run was cancelled; outputs are valid
	// but cover only the objects that finished.
	Interrupted bool `json:"interrupted"`
	// ListingStopped is true when the listing stopped with an error after
	// listing objects (exit 3): the objects listed were scanned and are in
	// the outputs, the rest of the targets were not listed, so the run
	// covers only part of them (the notes say where it stopped).
	ListingStopped bool `json:"listing_stopped"`
	// RandomHMACKey is true when fingerprints were keyed with a random
	// per-run key, so they cannot be joined across runs; HMACKeyNote says
	// so in words (RandomKeyNote when left empty).
	RandomHMACKey bool   `json:"random_hmac_key"`
	HMACKeyNote   string `json:"hmac_key_note"`
	Counters      Tally  `json:"counters"`
	// ObjectsListed counts objects the source listed; it equals
	// Counters.Objects unless the run was interrupted.
	ObjectsListed int64 `json:"objects_listed"`
	// ThroughputMBs is decoded bytes scanned per second, in MB (10^6
	// bytes); see Throughput.
	ThroughputMBs  float64                 `json:"throughput_mb_s"`
	ColumnVerdicts []scanner.ColumnVerdict `json:"column_verdicts"`
	Notes          []string                `json:"notes"`
	Outputs        Outputs                 `json:"outputs"`
}

// Outputs says where a run's files are: Root is the output root as the
// user gave it (a local directory or an oss:// URL), the others are
// slash-separated paths under it.
type Outputs struct {
	Root     string `json:"root"`
	Findings string `json:"findings"`
	Objects  string `json:"objects"`
	Summary  string `json:"summary"`
}

// Throughput returns bytes per second in MB (10^6 bytes), rounded to
// three decimals so that summaries diff cleanly. It is 0 for d <= 0.
func Throughput(bytes int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	v := float64(bytes) / 1e6 / d.Seconds()
	return math.Round(v*1000) / 1000
}

// SummaryRelPath returns the summary's slash-separated path under the
// output root: scans/<scan_id><shard>.json.
func SummaryRelPath(scanID, shard string) string {
	return path.Join(scansDir, scanID+shard+".json")
}

// WriteSummary writes s to ROOT/scans/<scan_id><shard>.json atomically
// (temporary file and rename, replacing an earlier summary of the same
// run) and returns the local path. It is PublishSummary without a hook.
func WriteSummary(root string, s Summary) (string, error) {
	return PublishSummary(context.Background(), root, s, nil)
}

// PublishSummary writes s like WriteSummary and then, when publish is not
// nil, calls it with the local and relative paths. Before writing it sets
// Outputs.Summary (and Outputs.Root when empty), and normalizes s as
// described on Summary.
func PublishSummary(ctx context.Context, root string, s Summary, publish PublishFunc) (string, error) {
	return PlaceSummary(ctx, root, s, publish, os.Rename)
}

// PlaceSummary is PublishSummary with the rename of the written file to
// its final name done by place: a Placer's Place, so that a summary of
// another run of the same scan id and shard is not replaced (an
// *ExistsError then), or its Replace.
func PlaceSummary(ctx context.Context, root string, s Summary, publish PublishFunc, place func(tmp, final string) error) (string, error) {
	if root == "" {
		return "", fmt.Errorf("write summary: root is empty")
	}
	if err := validateName(s.ScanID, s.Shard); err != nil {
		return "", fmt.Errorf("write summary: %w", err)
	}
	rel := SummaryRelPath(s.ScanID, s.Shard)
	s.Outputs.Summary = rel
	if s.Outputs.Root == "" {
		s.Outputs.Root = root
	}
	data, err := MarshalSummary(s)
	if err != nil {
		return "", err
	}
	local, err := writeFileAtomic(filepath.Join(root, scansDir), path.Base(rel), data, place)
	if err != nil {
		return "", fmt.Errorf("write summary: %w", err)
	}
	if publish != nil {
		if err := publish(ctx, local, rel); err != nil {
			return local, fmt.Errorf("publish %s: %w", rel, err)
		}
	}
	return local, nil
}

// MarshalSummary returns the summary's JSON form (indented, with a final
// newline) after normalizing it, as written by WriteSummary. cmd can use
// it to print the summary on stdout.
func MarshalSummary(s Summary) ([]byte, error) {
	data, err := json.MarshalIndent(s.normalized(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode summary: %w", err)
	}
	return append(data, '\n'), nil
}

// normalized returns s with nil maps and slices made empty (so the JSON
// has {} and [] rather than null), times in UTC, and the summary path and
// the key note filled when empty.
func (s Summary) normalized() Summary {
	if s.Flags == nil {
		s.Flags = map[string]string{}
	}
	if s.Targets == nil {
		s.Targets = []string{}
	}
	if s.ColumnVerdicts == nil {
		s.ColumnVerdicts = []scanner.ColumnVerdict{}
	}
	if s.Notes == nil {
		s.Notes = []string{}
	}
	s.Counters = s.Counters.clone() // clone allocates every nil map
	s.StartedAt = s.StartedAt.UTC()
	s.FinishedAt = s.FinishedAt.UTC()
	if s.Outputs.Summary == "" && s.ScanID != "" {
		s.Outputs.Summary = SummaryRelPath(s.ScanID, s.Shard)
	}
	if s.RandomHMACKey && s.HMACKeyNote == "" {
		s.HMACKeyNote = RandomKeyNote
	}
	return s
}
