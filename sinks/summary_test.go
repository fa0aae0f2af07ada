package sinks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// sampleSummary is the summary of the sample dataset, with fixed times
// and a fixed output root so that it can be compared with golden files.
func sampleSummary(t *testing.T) Summary {
	t.Helper()
	p := writeDataset(t, testConfig(t.TempDir()), sampleResults())
	d := 62500 * time.Millisecond
	s := Summary{
		Version:       "v0.1.0-test",
		StartedAt:     scannedAt.Add(-time.Second),
		FinishedAt:    scannedAt.Add(-time.Second + d),
		DurationMS:    d.Milliseconds(),
		AsOf:          "2026-11-23",
		Ruleset:       "builtin@2026.11",
		RulesetHash:   "sha256:feedc0de",
		Flags:         map[string]string{"workers": "2", "fail-on": "S3", "out": "piiscan-out"},
		Targets:       []string{"/data", "oss://bucket/logs/"},
		RandomHMACKey: true,
		ObjectsListed: 5,
	}
	p.FillSummary(&s)
	s.Outputs.Root = "piiscan-out"
	s.ThroughputMBs = Throughput(s.Counters.BytesScanned, d)
	return s
}

// assertNoValues checks that no masked value or fingerprint of the sample
// data leaked into out: summaries carry counts only.
func assertNoValues(t *testing.T, out string) {
	t.Helper()
	for _, r := range sampleResults() {
		for _, f := range r.Findings {
			assert.NotContains(t, out, f.MaskedValue)
			assert.NotContains(t, out, f.Fingerprint)
		}
	}
}

func TestWriteSummaryGolden(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	s := sampleSummary(t)
	path, err := WriteSummary(root, s)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "scans", testScan+".json"), path)

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assertGolden(t, "summary.json", string(data))
	assertNoValues(t, string(data))
	assert.Contains(t, string(data), `"hmac_key_note": "`+RandomKeyNote+`"`, "a random key gets the default note")

	entries, err := os.ReadDir(filepath.Join(root, "scans"))
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file is left")

	// A later write of the same run replaces the summary atomically.
	s.Interrupted = true
	_, err = WriteSummary(root, s)
	require.NoError(t, err)
	data, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"interrupted": true`)
}

func TestWriteSummaryEmptyIsStable(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	path, err := WriteSummary(root, Summary{ScanID: "scan-1", Counters: Tally{}})
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "null", "empty maps and lists are {} and [], never null")
	for _, key := range []string{
		"version", "scan_id", "shard", "started_at", "finished_at", "duration_ms", "as_of", "ruleset",
		"ruleset_hash", "flags", "targets", "interrupted", "random_hmac_key", "hmac_key_note", "counters",
		"objects_listed", "throughput_mb_s", "column_verdicts", "notes", "outputs",
		"findings_by_category", "objects_by_status", "object_reasons",
	} {
		assert.Contains(t, string(data), fmt.Sprintf("%q:", key))
	}
	assert.Contains(t, string(data), `"hmac_key_note": ""`, "no note without a random key")
	assert.Contains(t, string(data), `"summary": "scans/scan-1.json"`)
	assert.Contains(t, string(data), fmt.Sprintf(`"root": %q`, root), "an empty root is filled in")
}

func TestPublishSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fail    error
		wantErr bool
	}{
		{"ok", nil, false},
		{"upload error", errors.New("upload refused"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			var gotLocal, gotRel string
			publish := func(_ context.Context, local, rel string) error {
				gotLocal, gotRel = local, rel
				return tt.fail
			}
			s := Summary{ScanID: "scan-1", Shard: ShardSuffix(1, 2)}
			path, err := PublishSummary(t.Context(), root, s, publish)
			if tt.wantErr {
				assert.ErrorIs(t, err, tt.fail)
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, filepath.Join(root, "scans", "scan-1-shard-1-of-2.json"), path)
			assert.Equal(t, path, gotLocal)
			assert.Equal(t, "scans/scan-1-shard-1-of-2.json", gotRel)
			assert.FileExists(t, path, "the local summary stays when publishing fails")
		})
	}
}

func TestWriteSummaryErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		root    string
		s       Summary
		wantErr string
	}{
		{"no root", "", Summary{ScanID: "scan-1"}, "root is empty"},
		{"no scan id", "out", Summary{}, "invalid scan id"},
		{"path in scan id", "out", Summary{ScanID: "../../etc/x"}, "invalid scan id"},
		{"bad shard", "out", Summary{ScanID: "scan-1", Shard: "/x"}, "invalid shard suffix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := WriteSummary(tt.root, tt.s)
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestRenderTextGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	RenderText(&buf, sampleSummary(t))
	assertGolden(t, "summary.txt", buf.String())
	assertNoValues(t, buf.String())
}

func TestRenderTextCases(t *testing.T) {
	t.Parallel()
	many := NewTally()
	many.Findings = 12
	for i := range 12 {
		many.FindingsByDataType[fmt.Sprintf("type_%02d", i)] = 1
		many.FindingsBySensitivity["S1"]++
	}
	many.FindingsByCategory["organization"] = map[string]int64{"S1": 12}
	tests := []struct {
		name    string
		s       Summary
		want    []string
		notWant []string
	}{
		{
			name:    "empty run",
			s:       Summary{ScanID: "scan-1"},
			want:    []string{"scan scan-1 finished in 0s", "Findings: 0 in 0 objects, 0 about minors", "Objects: 0\n"},
			notWant: []string{"CATEGORY", "STATUS", "WARNING", "INTERRUPTED", "Column verdicts", "Notes"},
		},
		{
			name: "interrupted with random key",
			s:    Summary{ScanID: "scan-1", Interrupted: true, RandomHMACKey: true, ObjectsListed: 3},
			want: []string{"INTERRUPTED: outputs are valid", "WARNING: " + RandomKeyNote, "Objects: 0 of 3 listed"},
		},
		{
			name:    "more data types than shown",
			s:       Summary{ScanID: "scan-1", Counters: many},
			want:    []string{"type_00", "type_09", "... and 2 more", "organization  12  0   0   0   12"},
			notWant: []string{"type_10"},
		},
		{
			name: "many notes",
			s:    Summary{ScanID: "scan-1", Notes: make([]string, 25), Counters: Tally{NotesDropped: 5}},
			want: []string{"Notes:", "... and 10 more"},
		},
		{
			name: "verdicts",
			s: Summary{ScanID: "scan-1", ColumnVerdicts: []scanner.ColumnVerdict{
				{Object: "file:///data/a.csv", Column: "mobile", DataType: "cn_mobile", Share: 0.875, Sampled: 80},
			}},
			want: []string{"DATA TYPE  COLUMN  SHARE  SAMPLED  OBJECT", "cn_mobile  mobile  88%    80       file:///data/a.csv"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			RenderText(&buf, tt.s)
			for _, w := range tt.want {
				assert.Contains(t, buf.String(), w)
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, buf.String(), w)
			}
		})
	}
}

func TestThroughput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		bytes int64
		d     time.Duration
		want  float64
	}{
		{"zero duration", 100, 0, 0},
		{"negative duration", 100, -time.Second, 0},
		{"one MB per second", 10_000_000, 10 * time.Second, 1},
		{"rounded", 1_000_000, 3 * time.Second, 0.333},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.InDelta(t, tt.want, Throughput(tt.bytes, tt.d), 1e-9)
		})
	}
}

func TestTallyLevels(t *testing.T) {
	t.Parallel()
	tally := NewTally()
	tally.FindingsBySensitivity["S2"] = 3
	tally.FindingsBySensitivity["S3"] = 2
	tests := []struct {
		level string
		want  int64
	}{{"S1", 5}, {"S2", 5}, {"S3", 2}, {"S4", 0}}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tally.AtOrAbove(tt.level))
		})
	}
	assert.Equal(t, "S3", tally.MaxSensitivity())
	assert.Equal(t, "", NewTally().MaxSensitivity())
}

func TestHumanBytes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int64
		want string
	}{{0, "0 B"}, {999, "999 B"}, {1500, "1.5 kB"}, {12_300_000, "12.3 MB"}, {1 << 40, "1.1 TB"}}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, humanBytes(tt.n))
		})
	}
}
