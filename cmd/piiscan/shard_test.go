package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// TestShardsUnionEqualsSingleRun runs three shards of the labelled corpus
// as processes of the built binary, as the pods of a Kubernetes Indexed
// Job would (two take their shard from JOB_COMPLETION_INDEX, one from
// --shard): each writes its own files under the same dataset, and
// together they hold exactly the findings and objects rows of one
// unsharded run.
func TestShardsUnionEqualsSingleRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it four times")
	}
	bin := buildBinary(t)
	m, err := labelledCorpus()
	require.NoError(t, err)
	root := "file://" + filepath.ToSlash(m.Root) + "/"
	// The single run is made by the same binary: the tree may change
	// between the build of this test and the build above.
	single := t.TempDir()
	code, stderr := runBinary(t, bin, nil, "scan", m.Root, "--out", single, "--scan-id", "single", "--as-of", testAsOf.Format(time.DateOnly), "--quiet")
	require.Equal(t, exitOK, code, stderr)

	out := t.TempDir()
	common := []string{"scan", m.Root, "--out", out, "--scan-id", "sharded", "--as-of", testAsOf.Format(time.DateOnly), "--quiet"}
	shards := []struct {
		env  []string
		args []string
	}{
		{[]string{envJobIndex + "=0"}, []string{"--shards", "3"}},
		{nil, []string{"--shard", "2/3"}},
		{[]string{envJobIndex + "=2"}, []string{"--shards", "3"}},
	}
	start := time.Now()
	var procs []*proc
	for _, s := range shards {
		procs = append(procs, startBinary(t, bin, s.env, append(append([]string{}, common...), s.args...)...))
	}
	for i, p := range procs {
		require.Equal(t, exitOK, p.wait(), "shard %d: %s", i+1, p.stderr.String())
	}
	t.Logf("three shards in %v", time.Since(start).Round(time.Millisecond))

	seen := map[string]int{}
	for i := 1; i <= 3; i++ {
		name := fmt.Sprintf("sharded-shard-%d-of-3", i)
		for _, table := range []string{"findings", "objects"} {
			files, err := filepath.Glob(filepath.Join(out, table, "dt=*", name+".parquet"))
			require.NoError(t, err)
			assert.Len(t, files, 1, "shard %d writes its own %s file", i, table)
		}
		sum := readSummaryFile(t, out, name)
		assert.Equal(t, fmt.Sprintf("-shard-%d-of-3", i), sum.Shard)
		assert.Positive(t, sum.Counters.Objects, "every shard gets objects")
		assert.Contains(t, sum.Notes[len(sum.Notes)-1], fmt.Sprintf("shard %d/3", i))
		objects, err := readParquet[scanner.ObjectRow](t, out, "objects", name)
		require.NoError(t, err)
		for _, o := range objects {
			seen[o.Object]++
			assert.Equal(t, i, scanner.ShardOf(o.Object, 3), "the shard owns %s", o.Object)
		}
	}
	for o, n := range seen {
		assert.Equal(t, 1, n, "%s is in exactly one shard", o)
	}

	requireSameFindings(t, findingIDs(readTable[scanner.Finding](t, single, "findings"), root),
		findingIDs(readTable[scanner.Finding](t, out, "findings"), root))
	assert.Equal(t, objectIDs(readTable[scanner.ObjectRow](t, single, "objects"), root, false),
		objectIDs(readTable[scanner.ObjectRow](t, out, "objects"), root, false))
}

// readParquet reads the Parquet files of one table whose name starts with
// stem.
func readParquet[T any](t *testing.T, out, table, stem string) ([]T, error) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(out, table, "dt=*", stem+"*.parquet"))
	if err != nil {
		return nil, err
	}
	var rows []T
	for _, f := range files {
		rs, err := parquet.ReadFile[T](f)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return rows, nil
}

// TestIncrementalSharded: each shard keeps its own state file, named after
// the one given, and a second run of the shards skips everything.
func TestIncrementalSharded(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	for i := range 12 {
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.txt", i)), []byte("mail a@example.com\n"), 0o644))
	}
	state := filepath.Join(t.TempDir(), "state.jsonl")
	for run, want := range []string{"complete", "skipped/unchanged"} {
		total := 0
		for i := 1; i <= 2; i++ {
			id := fmt.Sprintf("run%d", run)
			res := incScan(t, dir, out, state, id, "--shard", fmt.Sprintf("%d/2", i))
			require.Equal(t, exitOK, res.code, res.stderr)
			rows, err := readParquet[scanner.ObjectRow](t, out, "objects", fmt.Sprintf("%s-shard-%d-of-2-part-", id, i))
			require.NoError(t, err)
			for k, n := range countBy(rows) {
				assert.Equal(t, want, k)
				total += n
			}
			h := readStateHeader(t, filepath.Join(filepath.Dir(state), fmt.Sprintf("state-shard-%d-of-2.jsonl", i)))
			assert.Equal(t, fmt.Sprintf("-shard-%d-of-2", i), h.Shard)
		}
		assert.Equal(t, 12, total, "the shards cover every object once")
	}
}
