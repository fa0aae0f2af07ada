package scanner_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// TestIntentAdopt: the objects of a killed run's part, adopted from its
// intent record into a complete run's state, are skipped by the run that
// resumes, whatever their outcome, and stay skipped after that run's
// state is read back (the killed run is pending until a run completes).
func TestIntentAdopt(t *testing.T) {
	t.Parallel()
	a, b, c := obj("file:///d/a.csv", 10), obj("file:///d/b.csv", 20), obj("file:///d/c.csv", 30)
	base := scanner.NewState(runInfo("daily-1", "rs1"))
	base.Record(a, scanner.StatusComplete, "", t0, "S3")
	s, _ := roundTrip(t, base, true, runInfo("daily-3", "rs1"))

	// daily-2 rescanned a (changed) and found b too large, published the
	// part and was killed before it saved the state.
	a2 := a
	a2.Size = 11
	rec := &scanner.StateIntent{Format: scanner.IntentFormat, ScanID: "daily-2", Part: 1, Ruleset: "rs1", Files: []string{"/out/objects/x.parquet"}}
	for _, o := range []struct {
		info   scanner.ObjectInfo
		status scanner.Status
		reason scanner.Reason
		level  string
	}{
		{a2, scanner.StatusComplete, "", "S2"},
		{b, scanner.StatusSkipped, scanner.ReasonTooLarge, ""},
		{c, scanner.StatusSkipped, scanner.ReasonUnchanged, ""}, // an unchanged row: nothing to record
	} {
		if e, ok := scanner.NewIntentEntry(o.info, o.status, o.reason, t0.Add(time.Minute), o.level); ok {
			rec.Objects = append(rec.Objects, e)
		}
	}
	require.Len(t, rec.Objects, 2)
	var buf bytes.Buffer
	require.NoError(t, rec.Encode(&buf))
	got, err := scanner.ReadIntent(&buf)
	require.NoError(t, err)
	assert.Equal(t, rec, got)

	assert.Equal(t, 2, s.Adopt(got))
	for _, o := range []scanner.ObjectInfo{a2, b} {
		reason, note := s.Skip(o)
		assert.Equal(t, scanner.ReasonUnchanged, reason, o.Key)
		assert.Contains(t, note, "by run daily-2, which this run resumes")
	}
	reason, _ := s.Skip(a)
	assert.Equal(t, scanner.ReasonNone, reason, "the older version is scanned")

	// daily-3 is killed in turn after its first checkpoint: daily-4 still
	// skips what daily-2 published.
	next, text := roundTrip(t, s, false, runInfo("daily-4", "rs1"))
	assert.Contains(t, text, `"pending":["daily-2"]`)
	reason, _ = next.Skip(b)
	assert.Equal(t, scanner.ReasonUnchanged, reason)
	level, ok := next.EarlierAttempt(a2.Key)
	assert.False(t, ok, "written by another scan id")
	assert.Empty(t, level)
}

// TestReadIntentRejects: a record that cannot be trusted is an error.
func TestReadIntentRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, want string
	}{
		{"not json", "{", "read intent record"},
		{"other format", `{"piiscan_intent":2,"scan_id":"r","part":1,"files":["f"]}`, "format 2"},
		{"no files", `{"piiscan_intent":1,"scan_id":"r","part":1,"files":[]}`, "no scan id, part or files"},
		{"no part", `{"piiscan_intent":1,"scan_id":"r","files":["f"]}`, "no scan id, part or files"},
		{"object without version", `{"piiscan_intent":1,"scan_id":"r","part":1,"files":["f"],"objects":[{"k":"file:///a","s":"complete"}]}`, "object 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := scanner.ReadIntent(strings.NewReader(tt.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
