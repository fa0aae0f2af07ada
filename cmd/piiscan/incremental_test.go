package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// incScan runs an incremental scan of dir into out with state.
func incScan(t *testing.T, dir, out, state, scanID string, extra ...string) cliResult {
	t.Helper()
	args := append([]string{"scan", dir, "--out", out, "--incremental", state, "--scan-id", scanID,
		"--as-of", testAsOf.Format(time.DateOnly), "--quiet"}, extra...)
	r := runCLI(t, "", args...)
	r.out = out
	return r
}

// TestIncrementalRescansOnlyChanged: a second run after changing one file
// rescans only that file; the others are one skipped/unchanged row each.
// A ruleset change rescans everything; a deleted file leaves the state.
func TestIncrementalRescansOnlyChanged(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	state := filepath.Join(t.TempDir(), "state", "piiscan.jsonl.gz")
	files := map[string]string{
		"a.txt": "id 440104195101058590\n", "b.csv": "name,phone\nzhang,13812348000\n",
		"c.jsonl": `{"mail":"zhang.san@example.com"}` + "\n", "d.txt": "nothing here\n", "e.log": "card 4111 1111 1111 1111\n",
	}
	for n, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644))
	}
	res := incScan(t, dir, out, state, "inc1")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, map[string]int{"complete": 5}, countBy(rowsOf(readTable[scanner.ObjectRow](t, out, "objects"), "inc1", objScan)))
	h := readStateHeaderGz(t, state)
	assert.True(t, h.Complete)
	assert.Equal(t, int64(5), h.Objects)

	f, err := os.OpenFile(filepath.Join(dir, "d.txt"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("phone 13912345678\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	res = incScan(t, dir, out, state, "inc2")
	require.Equal(t, exitOK, res.code, res.stderr)
	rows := rowsOf(readTable[scanner.ObjectRow](t, out, "objects"), "inc2", objScan)
	assert.Equal(t, map[string]int{"complete": 1, "skipped/unchanged": 4}, countBy(rows))
	for _, r := range rows {
		if r.Status == "complete" {
			assert.Equal(t, "d.txt", filepath.Base(r.Object), "only the changed file is rescanned")
		} else {
			assert.Contains(t, r.Error, "unchanged since its scan at")
		}
	}
	fs := rowsOf(readTable[scanner.Finding](t, out, "findings"), "inc2", findScan)
	require.Len(t, fs, 1)
	assert.Equal(t, "cn_mobile", fs[0].DataType)
	sum := readSummaryFile(t, out, "inc2")
	assert.Contains(t, sum.Notes, "incremental: state "+state+": 4 object(s) unchanged since their last scan were skipped (skipped/unchanged); the highest sensitivity among them when last scanned: S3 (2 object(s); --fail-on counts them)")
	assert.Equal(t, "objects/dt="+sinks.Partition(time.Now())+"/inc2-part-0001.parquet", sum.Outputs.Objects)

	pack := writePack(t, teamPack)
	res = incScan(t, dir, out, state, "inc3", "--rules", pack)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, map[string]int{"complete": 5}, countBy(rowsOf(readTable[scanner.ObjectRow](t, out, "objects"), "inc3", objScan)),
		"a ruleset change rescans everything")
	assert.Contains(t, readSummaryFile(t, out, "inc3").Notes[0], "the ruleset changed since the last run")

	require.NoError(t, os.Remove(filepath.Join(dir, "a.txt")))
	res = incScan(t, dir, out, state, "inc4", "--rules", pack)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, map[string]int{"skipped/unchanged": 4}, countBy(rowsOf(readTable[scanner.ObjectRow](t, out, "objects"), "inc4", objScan)))
	assert.Equal(t, int64(4), readStateHeaderGz(t, state).Objects, "a deleted file leaves the state")

	res = incScan(t, dir, out, state, "inc4")
	assert.Equal(t, exitUsage, res.code, "a finished scan id is not reused")
	assert.Contains(t, res.stderr, "scan id inc4 already finished")
}

func readStateHeaderGz(t *testing.T, p string) scanner.StateHeader {
	t.Helper()
	rc, err := (&fileStore{path: p, gz: true}).open(t.Context())
	require.NoError(t, err)
	defer rc.Close()
	st, err := scanner.ReadState(rc, scanner.StateRun{ScanID: "reader"})
	require.NoError(t, err)
	return st.Header()
}

// TestIncrementalCheckpoints: with --checkpoint-every 5 the labelled
// corpus is published in parts of five objects, whose union is the plain
// scan, and the summary counts them all.
func TestIncrementalCheckpoints(t *testing.T) {
	m, err := labelledCorpus()
	require.NoError(t, err)
	out := t.TempDir()
	state := filepath.Join(t.TempDir(), "state.jsonl")
	res := incScan(t, m.Root, out, state, "ck", "--checkpoint-every", "5", "--workers", "2")
	require.Equal(t, exitOK, res.code, res.stderr)

	parts, err := filepath.Glob(filepath.Join(out, "objects", "dt=*", "ck-part-*.parquet"))
	require.NoError(t, err)
	assert.Len(t, parts, (len(m.Files)+4)/5)
	_, err = os.Stat(filepath.Join(out, stagingDir))
	assert.ErrorIs(t, err, os.ErrNotExist, "the staging directory is removed")

	root := "file://" + filepath.ToSlash(m.Root) + "/"
	requireSameFindings(t, localCorpusIDs(t), findingIDs(readTable[scanner.Finding](t, out, "findings"), root))
	objects := readTable[scanner.ObjectRow](t, out, "objects")
	assert.Len(t, objects, len(m.Files))
	sum := readSummaryFile(t, out, "ck")
	assert.Equal(t, int64(len(m.Files)), sum.Counters.Objects)
	findings := readTable[scanner.Finding](t, out, "findings")
	assert.Equal(t, int64(len(findings)), sum.Counters.Findings)
	assert.Contains(t, sum.Outputs.Findings, "ck-part-*.parquet")
	h := readStateHeader(t, state)
	assert.Equal(t, len(parts), h.Parts)
	assert.Equal(t, int64(len(m.Files)), h.Objects)
}

// TestIncrementalOSS keeps the state in a bucket: the second run of the
// same objects skips them all.
func TestIncrementalOSS(t *testing.T) {
	env := newOSSEnv(t, []string{"data", "results"}, nil)
	env.write(t, "data", "exports/a.csv", "name,phone\nzhang,13812348000\n")
	env.write(t, "data", "exports/b.txt", "id 440104195101058590\n")
	state := "oss://results/piiscan/state.jsonl"
	for i, want := range []map[string]int{{"complete": 2}, {"skipped/unchanged": 2}} {
		id := []string{"o1", "o2"}[i]
		res := env.scan(t, "oss://data/exports/", "--out", "oss://results/run/", "--incremental", state, "--scan-id", id, "--quiet")
		require.Equal(t, exitOK, res.code, res.stderr)
		assert.Equal(t, want, countBy(rowsOf(readOSSTable[scanner.ObjectRow](t, env, "results", "run/", "objects"), id, objScan)))
	}
	assert.Contains(t, env.keys(t, "results", "piiscan/"), "piiscan/state.jsonl")
	assert.Contains(t, env.keys(t, "results", "run/objects/"), "run/objects/dt="+sinks.Partition(time.Now())+"/o2-part-0001.parquet")
}

// TestSampleCLI: a seeded object sample and byte windows, recorded in the
// rows and the summary.
func TestSampleCLI(t *testing.T) {
	m, err := labelledCorpus()
	require.NoError(t, err)
	sampled := func(seed string) (map[string]bool, cliResult) {
		res := scanDir(t, m.Root, "--sample-objects", "50", "--seed", seed, "--quiet")
		require.Equal(t, exitOK, res.code, res.stderr)
		out := map[string]bool{}
		rows := readTable[scanner.ObjectRow](t, res.out, "objects")
		require.Len(t, rows, len(m.Files), "one row per object, sampled out or not")
		for _, r := range rows {
			if r.Reason == "sampled_out" {
				out[r.Object] = true
			}
		}
		return out, res
	}
	a, res := sampled("7")
	b, _ := sampled("7")
	c, _ := sampled("8")
	assert.Equal(t, a, b, "the same seed picks the same sample")
	assert.NotEqual(t, a, c)
	assert.InDelta(t, len(m.Files)/2, len(a), float64(len(m.Files))/4)
	notes := readSummaryFile(t, res.out, "e2e").Notes
	assert.Contains(t, notes, "sampling: --sample-objects 50 with --seed 7: "+strconv.Itoa(len(a))+" object(s) sampled out (skipped/sampled_out), the others scanned")

	res = scanDir(t, m.Root, "--sample-bytes", "4KiB", "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)
	for _, r := range readTable[scanner.ObjectRow](t, res.out, "objects") {
		if r.Size > 4096 {
			assert.Equal(t, "partial/sampled", r.Status+"/"+r.Reason, r.Object)
			assert.Contains(t, r.Error, "sampled: read bytes 0-4095 of")
		} else {
			assert.NotEqual(t, "sampled", r.Reason, r.Object)
		}
	}
}

// TestOpsUsageErrors: bad operations flags stop the run with exit 2.
func TestOpsUsageErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("x"), 0o644))
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte("not a state\n"), 0o644))
	tests := []struct {
		name string
		env  string
		args []string
		want string
	}{
		{"shard zero", "", []string{"--shard", "0/3"}, "shards count from 1"},
		{"shard without scan id", "", []string{"--shard", "1/3", "--scan-id", ""}, "give every shard the same --scan-id"},
		{"shards without index", "", []string{"--shards", "3"}, "needs --shard i/N or JOB_COMPLETION_INDEX"},
		{"index out of range", "3", []string{"--shards", "3"}, "JOB_COMPLETION_INDEX=\"3\": want 0..2"},
		{"shard and shards disagree", "", []string{"--shard", "1/3", "--shards", "2"}, "disagree"},
		{"sample share", "", []string{"--sample-objects", "150"}, "between 0 and 100"},
		{"random start without window", "", []string{"--sample-at", "random"}, "needs --sample-bytes"},
		{"bad window", "", []string{"--sample-bytes", "lots"}, "--sample-bytes"},
		{"checkpoint without state", "", []string{"--checkpoint-every", "5"}, "needs --incremental"},
		{"corrupt state", "", []string{"--incremental", bad}, "remove it to scan every object again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envJobIndex, tt.env)
			res := scanDir(t, dir, tt.args...)
			assert.Equal(t, exitUsage, res.code, res.stderr)
			assert.Contains(t, res.stderr, tt.want)
			_, err := os.Stat(filepath.Join(res.out, "objects"))
			assert.ErrorIs(t, err, os.ErrNotExist, "nothing scanned")
		})
	}
}

// TestResolveShard: --shard, and JOB_COMPLETION_INDEX (0-based) with
// --shards.
func TestResolveShard(t *testing.T) {
	tests := []struct {
		name  string
		flags opsFlags
		index string
		want  scanner.Shard
	}{
		{"none", opsFlags{}, "", scanner.Shard{}},
		{"flag", opsFlags{shard: "2/3"}, "", scanner.Shard{Index: 2, Count: 3}},
		{"flag wins over the index", opsFlags{shard: "2/3"}, "0", scanner.Shard{Index: 2, Count: 3}},
		{"index 0 is shard 1", opsFlags{shards: 3}, "0", scanner.Shard{Index: 1, Count: 3}},
		{"last index", opsFlags{shards: 3}, "2", scanner.Shard{Index: 3, Count: 3}},
		{"index without --shards", opsFlags{}, "1", scanner.Shard{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := resolveShard(&tt.flags, func(string) string { return tt.index }, slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestStateLocation(t *testing.T) {
	for in, want := range map[string]string{
		"state.jsonl":                   "state-shard-2-of-3.jsonl",
		"/var/lib/piiscan/s.jsonl.gz":   "/var/lib/piiscan/s-shard-2-of-3.jsonl.gz",
		"oss://b/p.q/state":             "oss://b/p.q/state-shard-2-of-3",
		"oss://b/piiscan/state.jsonl":   "oss://b/piiscan/state-shard-2-of-3.jsonl",
		"./.hidden":                     "./.hidden-shard-2-of-3",
		"dir.d/state.v1.jsonl":          "dir.d/state-shard-2-of-3.v1.jsonl",
		"oss://b/piiscan/2026.11/state": "oss://b/piiscan/2026.11/state-shard-2-of-3",
	} {
		assert.Equal(t, want, stateLocation(in, "-shard-2-of-3"), in)
	}
	assert.Equal(t, "state.jsonl", stateLocation("state.jsonl", ""))
}

// TestAddTally: every counter of sinks.Tally is merged, so a counter
// added there cannot be dropped from the summaries of checkpointed runs.

// TestIncrementalFailOnCountsUnchanged: --fail-on judges the data a run
// covers, so a CI job whose data did not change fails as its first run
// did, instead of passing because nothing was read again; data without
// findings at the level still passes.
func TestIncrementalFailOnCountsUnchanged(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	state := filepath.Join(t.TempDir(), "state.jsonl")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("身份证 440104195101058590\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.txt"), []byte("phone 13812348000\n"), 0o644))
	res := incScan(t, dir, out, state, "ci1", "--fail-on", "S3")
	require.Equal(t, exitFindings, res.code, res.stderr)

	res = incScan(t, dir, out, state, "ci2", "--fail-on", "S3")
	assert.Equal(t, exitFindings, res.code, "nothing changed: the ID number is still there\n%s", res.stderr)
	rows := rowsOf(readTable[scanner.ObjectRow](t, out, "objects"), "ci2", objScan)
	assert.Equal(t, map[string]int{"skipped/unchanged": 2}, countBy(rows))
	s := readSummaryFile(t, out, "ci2")
	assert.Contains(t, s.Notes[len(s.Notes)-1], "the highest sensitivity among them when last scanned: S3 (1 object(s); --fail-on counts them)")

	res = incScan(t, dir, out, state, "ci3", "--fail-on", "S4")
	assert.Equal(t, exitOK, res.code, "S2 and S3 only: below S4\n%s", res.stderr)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("removed\n"), 0o644))
	res = incScan(t, dir, out, state, "ci4", "--fail-on", "S3")
	assert.Equal(t, exitOK, res.code, "the ID number is gone; b.txt is unchanged at S2\n%s", res.stderr)
}
