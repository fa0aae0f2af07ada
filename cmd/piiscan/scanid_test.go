package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScanIDConflict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		names []string
		shard string
		want  string
	}{
		{"no summaries", nil, "", ""},
		{"another id with the same start", []string{"nightly-2.json", "nightly2.json", "nightly-2-shard-1-of-2.json"}, "", ""},
		{"the same id", []string{"nightly.json"}, "", "nightly.json"},
		{"a shard after an unsharded run", []string{"nightly.json"}, "-shard-1-of-2", "nightly.json"},
		{"unsharded after a shard", []string{"nightly-shard-2-of-2.json"}, "", "nightly-shard-2-of-2.json"},
		{"the same shard again", []string{"nightly-shard-1-of-2.json"}, "-shard-1-of-2", "nightly-shard-1-of-2.json"},
		{"another shard of the run", []string{"nightly-shard-1-of-2.json"}, "-shard-2-of-2", ""},
		{"another shard count", []string{"nightly-shard-1-of-2.json"}, "-shard-2-of-3", "nightly-shard-1-of-2.json"},
		{"temporary and other files", []string{".nightly.json.tmp", "nightly.txt"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanIDConflict(tt.names, "nightly", tt.shard))
		})
	}
}

// TestScanIDReused: a scan id a finished run used is refused before
// anything is scanned, also on another day (another dt= partition, so no
// file name collides) and by a sharded run after an unsharded one; either
// would give a second row per object under one id. The shards of one run
// share their id.
func TestScanIDReused(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	scanDir := func(t *testing.T, dir string, args ...string) cliResult {
		return runCLI(t, "", append([]string{"scan", dir, "--quiet"}, args...)...)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("phone 13812348000\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.txt"), []byte("phone 13912345678\n"), 0o644))
	res := scanDir(t, dir, "--out", out, "--scan-id", "nightly")
	require.Equal(t, exitOK, res.code, res.stderr)
	// The run as it would be seen the next day: its files in another
	// partition.
	for _, table := range []string{"findings", "objects"} {
		parts, err := filepath.Glob(filepath.Join(out, table, "dt=*"))
		require.NoError(t, err)
		require.Len(t, parts, 1)
		require.NoError(t, os.Rename(parts[0], filepath.Join(out, table, "dt=2020-01-01")))
	}

	for _, extra := range [][]string{nil, {"--shard", "1/2"}} {
		res = scanDir(t, dir, append([]string{"--out", out, "--scan-id", "nightly"}, extra...)...)
		assert.Equal(t, exitUsage, res.code, "%v\n%s", extra, res.stderr)
		assert.Contains(t, res.stderr, "--scan-id nightly: already used by the run of "+filepath.Join(out, "scans", "nightly.json"))
	}
	objects, err := filepath.Glob(filepath.Join(out, "objects", "*", "*.parquet"))
	require.NoError(t, err)
	assert.Len(t, objects, 1, "nothing was written by the refused runs")

	for _, shard := range []string{"1/2", "2/2"} {
		res = scanDir(t, dir, "--out", out, "--scan-id", "sharded", "--shard", shard)
		assert.Equal(t, exitOK, res.code, "%s\n%s", shard, res.stderr)
	}
	res = scanDir(t, dir, "--out", out, "--scan-id", "sharded", "--shard", "1/3")
	assert.Equal(t, exitUsage, res.code, res.stderr)
}

// TestScanIDReusedOSS: the same check on an oss:// --out, whose run
// summaries are listed.
func TestScanIDReusedOSS(t *testing.T) {
	env := newOSSEnv(t, []string{"data", "results"}, nil)
	env.write(t, "data", "a.txt", "phone 13812348000\n")
	res := env.scan(t, "oss://data/", "--out", "oss://results/piiscan", "--scan-id", "n1", "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)
	res = env.scan(t, "oss://data/", "--out", "oss://results/piiscan", "--scan-id", "n1", "--shard", "1/2", "--quiet")
	assert.Equal(t, exitUsage, res.code, res.stderr)
	assert.Contains(t, res.stderr, "--scan-id n1: already used by the run of oss://results/piiscan/scans/n1.json")
	res = env.scan(t, "oss://data/", "--out", "oss://results/piiscan", "--scan-id", "n2", "--quiet")
	assert.Equal(t, exitOK, res.code, res.stderr)
}
