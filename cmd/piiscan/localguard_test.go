package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/sinks/sinkstest"
)

// The local twins of ossguard_test.go: two runs of one --scan-id (and
// shard) writing to one local --out, both past the start-up checks.

// guardSource writes a few files with findings (guardMail, guardMobile).
func guardSource(t *testing.T) string {
	t.Helper()
	src := t.TempDir()
	for i, name := range []string{"a.txt", "b/c.csv", "d.txt"} {
		p := filepath.Join(src, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(strings.Repeat("contact "+guardMail+" or "+guardMobile+"\n", i+1)), 0o644))
	}
	return src
}

// onPlace sets the hook run once, before the first rename into place of a
// local --out file whose path matches match (in the renaming goroutine),
// for the rest of the test. Tests using it must not be parallel.
func onPlace(t *testing.T, match func(final string) bool, fn func(final string)) {
	t.Helper()
	fired := false
	beforePlace = func(final string) {
		if !fired && match(filepath.ToSlash(final)) {
			fired = true
			fn(final)
		}
	}
	t.Cleanup(func() { beforePlace = nil })
}

// requireLocalGuardMessage checks the losing run's exit code and its
// one-line error: the file, the scan id and what happened, and no raw value.
func requireLocalGuardMessage(t *testing.T, res cliResult, file, says string) {
	t.Helper()
	require.Equal(t, exitUsage, res.code, "stderr:\n%s", res.stderr)
	var lines []string
	for l := range strings.Lines(res.stderr) {
		if strings.HasPrefix(l, "piiscan: ") {
			lines = append(lines, l)
		}
	}
	require.Len(t, lines, 1, "one error line in:\n%s", res.stderr)
	assert.Contains(t, lines[0], file+" was written by another run while this one ran")
	assert.Contains(t, lines[0], says)
	assert.NotContains(t, res.stderr, guardMail)
	assert.NotContains(t, res.stderr, guardMobile)
}

// datasetFiles lists every file under out (relative, slash-separated),
// hidden ones too: a temporary file left behind shows.
func datasetFiles(t *testing.T, out string) []string {
	t.Helper()
	var files []string
	require.NoError(t, filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(out, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	}))
	return files
}

// checkLocalDataset reads out with DuckDB, as a dashboard would: objects
// rows per scan id and the findings count.
func checkLocalDataset(t *testing.T, out string) (objects map[string]int64, findings int64) {
	t.Helper()
	sinkstest.RequireDuckDB(t)
	o := sinkstest.DuckDBQuery(t, "SELECT scan_id, count(*) AS n FROM "+sinkstest.ReadParquetSQL(out, "objects")+" GROUP BY scan_id")
	objects = map[string]int64{}
	for _, r := range o.Rows {
		objects[r["scan_id"].(string)] = int64(r["n"].(float64))
	}
	f := sinkstest.DuckDBQuery(t, "SELECT count(*) AS n FROM "+sinkstest.ReadParquetSQL(out, "findings"))
	return objects, int64(f.Rows[0]["n"].(float64))
}

// TestLocalOutConcurrentRunsSameScanID: while a run of --scan-id nightly
// (and --shard 1/2) is about to rename its findings file into place, the
// other run of the same id and shard, which passed the start-up checks at
// the same time, renames its findings and objects files and its summary
// into the same --out (the test runs it to the end in a directory of its
// own and moves its files in at that moment: both runs cannot hold the
// same temporary names at once, the moment itself is the race). Before,
// the first run renamed its files over the other's: both exited 0, and
// --out held its files beside the other's summary. Now it exits 2 naming
// the file and the scan id, leaves none of its files, and the other run's
// dataset is whole and is what its summary counts.
func TestLocalOutConcurrentRunsSameScanID(t *testing.T) {
	for _, tt := range []struct {
		name, shard, suffix, says string
	}{
		{"unsharded", "", "", "another run with the same --scan-id nightly is writing there"},
		{"the same shard", "1/2", "-shard-1-of-2", "another run with the same --scan-id nightly and --shard 1/2 is writing there"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := guardSource(t)
			if tt.shard != "" {
				// Objects go to shards by a hash of their key, which holds
				// the random temporary folder: with three objects, one run
				// in eight had none in shard 1. With 16, one in 65,536.
				for i := range 13 {
					p := filepath.Join(src, fmt.Sprintf("e%02d.txt", i))
					require.NoError(t, os.WriteFile(p, []byte("contact "+guardMail+"\n"), 0o644))
				}
			}
			other, out := filepath.Join(t.TempDir(), "other"), filepath.Join(t.TempDir(), "out")
			args := func(out string) []string {
				a := []string{"scan", src, "--out", out, "--scan-id", "nightly", "--quiet"}
				if tt.shard != "" {
					a = append(a, "--shard", tt.shard)
				}
				return a
			}
			second := runCLI(t, "", args(other)...)
			require.Equal(t, exitOK, second.code, "the run that publishes first: %s", second.stderr)
			otherFiles := datasetFiles(t, other)
			require.Len(t, otherFiles, 3, "%v", otherFiles)

			var taken string
			onPlace(t, func(p string) bool { return strings.Contains(p, "/findings/") }, func(final string) {
				taken = final
				for _, rel := range otherFiles {
					to := filepath.Join(out, filepath.FromSlash(rel))
					require.NoError(t, os.MkdirAll(filepath.Dir(to), 0o755))
					require.NoError(t, os.Rename(filepath.Join(other, filepath.FromSlash(rel)), to))
				}
			})
			first := runCLI(t, "", args(out)...)
			require.NotEmpty(t, taken, "the hook ran")
			assert.Regexp(t, `findings/dt=\d{4}-\d{2}-\d{2}/nightly`+tt.suffix+`\.parquet$`, filepath.ToSlash(taken))
			requireLocalGuardMessage(t, first, taken, tt.says)
			assert.Equal(t, otherFiles, datasetFiles(t, out), "only the other run's files, and no temporary file")

			sum := readSummaryFile(t, out, "nightly"+tt.suffix)
			require.Positive(t, sum.Counters.Objects)
			objects, findings := checkLocalDataset(t, out)
			assert.Equal(t, map[string]int64{"nightly": sum.Counters.Objects}, objects, "one row per object: the other run's")
			assert.Equal(t, sum.Counters.Findings, findings, "the findings file is the one the summary counts")
			assert.Positive(t, findings)
		})
	}
}

// TestLocalOutConflictTakesBackOwnFiles puts another run's file at the
// name of the run's objects file, or of its summary, just before the run
// renames its own there: the run exits 2 naming the file, removes the
// files it had placed (its findings file; with the summary, its objects
// file too), and leaves the other run's file as it was. Before, the file
// was replaced and the run exited 0. In "findings replaced", the other
// run had also replaced the run's placed findings file (a plain rename,
// as a writer on a file system without no-replace renames does): that
// file is the other run's now, and stays; taking back by name would have
// deleted it.
func TestLocalOutConflictTakesBackOwnFiles(t *testing.T) {
	for _, tt := range []struct {
		name, at        string
		replaceFindings bool
		want            []string // what is left: the other run's files
	}{
		{"objects file", "/objects/", false, []string{"objects"}},
		{"summary", "/scans/", false, []string{"scans"}},
		{"findings replaced", "/objects/", true, []string{"findings", "objects"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const foreign = "written by the other run"
			out := filepath.Join(t.TempDir(), "out")
			var taken string
			onPlace(t, func(p string) bool { return strings.Contains(p, tt.at) }, func(final string) {
				taken = final
				require.NoError(t, os.WriteFile(final, []byte(foreign), 0o644))
				if tt.replaceFindings {
					findings := strings.Replace(final, string(filepath.Separator)+"objects"+string(filepath.Separator), string(filepath.Separator)+"findings"+string(filepath.Separator), 1)
					require.FileExists(t, findings, "the findings file is placed first")
					tmp := findings + ".other"
					require.NoError(t, os.WriteFile(tmp, []byte(foreign), 0o644))
					require.NoError(t, os.Rename(tmp, findings))
				}
			})
			res := runCLI(t, "", "scan", guardSource(t), "--out", out, "--scan-id", "dup", "--quiet")
			require.NotEmpty(t, taken, "the hook ran")
			requireLocalGuardMessage(t, res, taken, "another run with the same --scan-id dup is writing there")
			left := datasetFiles(t, out)
			require.Len(t, left, len(tt.want), "only the other run's files are left: %v", left)
			for i, table := range tt.want {
				assert.True(t, strings.HasPrefix(left[i], table+"/"), "%v", left)
				b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(left[i])))
				require.NoError(t, err)
				assert.Equal(t, foreign, string(b))
			}
		})
	}
}

// TestLocalOutConcurrentIncrementalRuns races two --incremental runs of
// one scan id (each with its own state): while the first is about to
// rename its first part into place, the second runs to the end in the
// same --out (the parts are written in staging folders of their own, so
// both run for real). Before, the first run's parts replaced the second's
// (place checked the name, then renamed) and its summary replaced the
// second's: both exited 0. Now the first exits 2 naming the part, and
// the dataset is the second run's, whole.
func TestLocalOutConcurrentIncrementalRuns(t *testing.T) {
	src, state, out := guardSource(t), t.TempDir(), filepath.Join(t.TempDir(), "out")
	args := func(st string) []string {
		return []string{"scan", src, "--out", out, "--scan-id", "daily", "--quiet", "--incremental", filepath.Join(state, st)}
	}
	var second cliResult
	var taken string
	onPlace(t, func(p string) bool { return strings.Contains(p, "/findings/") }, func(final string) {
		taken = final
		second = runCLI(t, "", args("b.jsonl")...)
	})
	first := runCLI(t, "", args("a.jsonl")...)
	require.Equal(t, exitOK, second.code, "the run that published first: %s", second.stderr)
	assert.Regexp(t, `findings/dt=\d{4}-\d{2}-\d{2}/daily-part-0001\.parquet$`, filepath.ToSlash(taken))
	requireLocalGuardMessage(t, first, taken, "another run with the same --scan-id daily is writing there")
	sum := readSummaryFile(t, out, "daily")
	objects, findings := checkLocalDataset(t, out)
	assert.Equal(t, map[string]int64{"daily": 3}, objects)
	assert.Equal(t, sum.Counters.Findings, findings)
	assert.Positive(t, findings)

	// The first run's intent record named the part the second run holds:
	// it is removed, so that a rerun of the first run's state does not
	// take that part for its own (it adopted its objects and exited 0,
	// continuing the scan id, before). The rerun is refused: the id is the
	// second run's.
	assert.NoFileExists(t, filepath.Join(state, "a.jsonl"+intentSuffix))
	beforePlace = nil
	again := runCLI(t, "", args("a.jsonl")...)
	require.Equal(t, exitUsage, again.code, "stderr:\n%s", again.stderr)
	assert.Contains(t, again.stderr, "--scan-id daily: already used by the run of")
	assert.Equal(t, sum, readSummaryFile(t, out, "daily"), "the second run's summary stays")
}
