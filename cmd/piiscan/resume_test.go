package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
)

// TestResume interrupts an incremental scan of the built binary after its
// first checkpoint, by SIGINT, by SIGTERM (a Kubernetes pod being evicted,
// then retried under the same scan id) and by SIGKILL (a crash), and
// resumes it with the same state: the partial run stops within seconds
// with readable files, and the partial and the resumed run together hold
// exactly the findings and objects rows of one uninterrupted run, with no
// object missing and none scanned twice.
func TestResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and scans a corpus seven times")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	for i := range 6 {
		_, err := corpus.Generate(filepath.Join(dir, fmt.Sprintf("set%d", i)), corpus.Options{Seed: int64(20 + i), AsOf: testAsOf})
		require.NoError(t, err)
	}
	root := "file://" + filepath.ToSlash(dir) + "/"
	asOf := testAsOf.Format(time.DateOnly)
	ref := t.TempDir()
	code, stderr := runBinary(t, bin, nil, "scan", dir, "--out", ref, "--scan-id", "ref", "--as-of", asOf, "--quiet")
	require.Equal(t, exitOK, code, stderr)
	wantObjects := objectIDs(readTable[scanner.ObjectRow](t, ref, "objects"), root, true)
	wantFindings := findingIDs(readTable[scanner.Finding](t, ref, "findings"), root)
	t.Logf("%d objects, %d findings", len(wantObjects), len(wantFindings))

	tests := []struct {
		name     string
		sig      syscall.Signal
		resumeID string
	}{
		{"SIGINT", syscall.SIGINT, "resumed"},
		{"SIGTERM then a retry under the same scan id", syscall.SIGTERM, "partial"},
		{"crash", syscall.SIGKILL, "resumed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			state := filepath.Join(t.TempDir(), "state.jsonl")
			args := func(id string) []string {
				return []string{"scan", dir, "--out", out, "--incremental", state, "--checkpoint-every", "10", "--workers", "1",
					"--scan-id", id, "--as-of", asOf, "--quiet"}
			}
			p := startBinary(t, bin, nil, args("partial")...)
			require.True(t, waitFor(t, time.Minute, func() bool { _, err := os.Stat(state); return err == nil }), "first checkpoint")
			start := time.Now()
			require.NoError(t, p.cmd.Process.Signal(tt.sig))
			code := p.wait()
			took := time.Since(start)
			if tt.sig == syscall.SIGKILL {
				assert.Equal(t, -1, code)
			} else {
				assert.Equal(t, exitInterrupted, code, p.stderr.String())
				assert.Less(t, took, 10*time.Second, "stops within seconds")
			}
			h := readStateHeader(t, state)
			assert.False(t, h.Complete)
			partial := readTable[scanner.ObjectRow](t, out, "objects")
			assert.Equal(t, h.Objects, int64(len(partial)), "the state holds exactly the objects of the published files")
			assert.Less(t, len(partial), len(wantObjects), "interrupted before the end")
			t.Logf("%s after %d objects, stopped in %v", tt.sig, len(partial), took.Round(time.Millisecond))

			code, stderr := runBinary(t, bin, nil, args(tt.resumeID)...)
			require.Equal(t, exitOK, code, stderr)
			assert.True(t, readStateHeader(t, state).Complete)
			objects := readTable[scanner.ObjectRow](t, out, "objects")
			assert.Equal(t, wantObjects, objectIDs(objects, root, true), "one real row per object")
			if tt.resumeID == "partial" {
				assert.Zero(t, countBy(objects)["skipped/unchanged"], "a retry under the same scan id does not list again what its earlier attempt wrote")
				assert.Len(t, objects, len(wantObjects), "one row per object under the scan id")
			} else {
				assert.Equal(t, len(partial), countBy(objects)["skipped/unchanged"], "the resumed run skips what the partial run published")
			}
			requireSameFindings(t, wantFindings, findingIDs(readTable[scanner.Finding](t, out, "findings"), root))
			temps, _ := filepath.Glob(filepath.Join(out, "*", "dt=*", ".*"))
			assert.Empty(t, temps, "no temporary files left in the dataset")
			_, err := os.Stat(filepath.Join(out, stagingDir))
			assert.ErrorIs(t, err, os.ErrNotExist, "the crashed run's staging files are removed")
		})
	}
}

// TestRetryKeepsFailOn: a retry under the same scan id judges --fail-on
// on the whole run, the earlier attempt's findings included, and writes no
// second row for the objects that attempt wrote.
func TestRetryKeepsFailOn(t *testing.T) {
	src := writeTree(t, map[string]string{"a.txt": "身份证号：" + cliID + "\n"})
	out, state := t.TempDir(), filepath.Join(t.TempDir(), "state.jsonl")
	args := []string{"scan", src, "--out", out, "--incremental", state, "--scan-id", "job-1", "--fail-on", "S3", "--quiet"}
	res := runCLI(t, "", args...)
	require.Equal(t, exitFindings, res.code, res.stderr)
	// Make the state that of an attempt that was interrupted after it
	// published a.txt, then retry with a clean file added.
	b, err := os.ReadFile(state)
	require.NoError(t, err)
	b = bytes.Replace(b, []byte(`"complete":true`), []byte(`"complete":false`), 1)
	require.NoError(t, os.WriteFile(state, b, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "b.txt"), []byte("nothing here\n"), 0o644))

	res = runCLI(t, "", args...)
	assert.Equal(t, exitFindings, res.code, "a.txt's S3 finding, written by the first attempt, counts: %s", res.stderr)
	rows := readTable[scanner.ObjectRow](t, out, "objects")
	assert.Len(t, rows, 2, "a.txt once, b.txt once")
	for _, r := range rows {
		assert.NotEqual(t, string(scanner.ReasonUnchanged), r.Reason, r.Object)
	}
}

// TestRetryKeepsPartition: a retry under the same scan id that continues
// an unfinished incremental run started on an earlier day (a nightly job
// evicted after midnight UTC and retried) publishes its parts in the dt=
// partition of the run, the day its first attempt started, so that the
// files of one scan id are in one partition and the run summary's outputs
// name all of them; and the state keeps the run's start for a further retry.
func TestRetryKeepsPartition(t *testing.T) {
	src := writeTree(t, map[string]string{"a.txt": "身份证号：" + cliID + "\n"})
	out, state := t.TempDir(), filepath.Join(t.TempDir(), "state.jsonl")
	args := []string{"scan", src, "--out", out, "--incremental", state, "--scan-id", "nightly", "--quiet"}
	res := runCLI(t, "", args...)
	require.Equal(t, exitOK, res.code, res.stderr)
	// Make it an attempt that started the day before and was interrupted
	// after it published a.txt.
	started := time.Date(2026, 1, 2, 23, 50, 0, 0, time.UTC)
	for _, table := range []string{"findings", "objects"} {
		dirs, err := filepath.Glob(filepath.Join(out, table, "dt=*"))
		require.NoError(t, err)
		require.Len(t, dirs, 1)
		require.NoError(t, os.Rename(dirs[0], filepath.Join(out, table, "dt=2026-01-02")))
	}
	h := readStateHeader(t, state)
	b, err := os.ReadFile(state)
	require.NoError(t, err)
	b = bytes.Replace(b, []byte(`"complete":true`), []byte(`"complete":false`), 1)
	at, err := json.Marshal(h.StartedAt)
	require.NoError(t, err)
	b = bytes.Replace(b, []byte(`"started_at":`+string(at)), []byte(`"started_at":"`+started.Format(time.RFC3339Nano)+`"`), 1)
	require.NoError(t, os.WriteFile(state, b, 0o644))
	require.Equal(t, started, readStateHeader(t, state).StartedAt)
	require.NoError(t, os.WriteFile(filepath.Join(src, "b.txt"), []byte("邮箱 user@example.com\n"), 0o644))

	res = runCLI(t, "", args...)
	require.Equal(t, exitOK, res.code, res.stderr)
	for _, table := range []string{"findings", "objects"} {
		files, err := filepath.Glob(filepath.Join(out, table, "*", "*.parquet"))
		require.NoError(t, err)
		assert.Len(t, files, 2, "%s: a part of each attempt", table)
		for _, f := range files {
			assert.Equal(t, "dt=2026-01-02", filepath.Base(filepath.Dir(f)), "%s is in the run's partition", f)
		}
	}
	sum := readSummaryFile(t, out, "nightly")
	assert.Equal(t, "findings/dt=2026-01-02/nightly-part-*.parquet", sum.Outputs.Findings)
	assert.Equal(t, "objects/dt=2026-01-02/nightly-part-*.parquet", sum.Outputs.Objects)
	assert.Equal(t, started, readStateHeader(t, state).StartedAt, "the state keeps the run's start for the next retry")
	assert.Len(t, readTable[scanner.ObjectRow](t, out, "objects"), 2, "a.txt once, b.txt once")
}
