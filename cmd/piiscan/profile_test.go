package main

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readProfile checks that p is a gzip-compressed pprof profile (the format
// go tool pprof reads) with content, and returns its size uncompressed.
func readProfile(t *testing.T, p string) int {
	t.Helper()
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	z, err := gzip.NewReader(f)
	require.NoError(t, err, "%s is gzip, as pprof writes it", p)
	b, err := io.ReadAll(z)
	require.NoError(t, err)
	return len(b)
}

func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	res := scanDir(t, filepath.Join("..", "..", "testdata", "demo"), "--cpuprofile", cpu, "--memprofile", mem)
	require.LessOrEqual(t, res.code, exitFindings, res.stderr)
	assert.Positive(t, readProfile(t, cpu), "CPU profile")
	assert.Positive(t, readProfile(t, mem), "heap profile")

	t.Run("execution trace", func(t *testing.T) {
		tr := filepath.Join(dir, "scan.trace")
		res := scanDir(t, filepath.Join("..", "..", "testdata", "demo"), "--trace", tr)
		require.LessOrEqual(t, res.code, exitFindings, res.stderr)
		b, err := os.ReadFile(tr)
		require.NoError(t, err)
		// A Go execution trace starts with its header ("go 1.26 trace")
		// and holds the events of the whole run.
		require.Greater(t, len(b), 1000, "the trace holds the run's events")
		assert.Regexp(t, `^go 1\.\d+ trace\x00`, string(b[:16]))
	})

	t.Run("unwritable profile path is a usage error", func(t *testing.T) {
		res := scanDir(t, filepath.Join("..", "..", "testdata", "demo"), "--cpuprofile", filepath.Join(dir, "no", "such", "cpu.prof"))
		assert.Equal(t, exitUsage, res.code)
		assert.Contains(t, res.stderr, "--cpuprofile")

		res = scanDir(t, filepath.Join("..", "..", "testdata", "demo"), "--trace", filepath.Join(dir, "no", "such", "scan.trace"))
		assert.Equal(t, exitUsage, res.code)
		assert.Contains(t, res.stderr, "--trace")

		// A trace already started is still ended and closed.
		tr := filepath.Join(dir, "started.trace")
		res = scanDir(t, filepath.Join("..", "..", "testdata", "demo"), "--trace", tr, "--cpuprofile", filepath.Join(dir, "no", "such", "cpu.prof"))
		assert.Equal(t, exitUsage, res.code)
		b, err := os.ReadFile(tr)
		require.NoError(t, err)
		assert.Regexp(t, `^go 1\.\d+ trace\x00`, string(b[:16]))
	})
}

// TestTuneGC: the binary collects at defaultGCPercent unless the user set
// GOGC, which then wins.
func TestTuneGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(old) })

	t.Setenv("GOGC", "")
	tuneGC()
	assert.Equal(t, defaultGCPercent, debug.SetGCPercent(100))

	t.Setenv("GOGC", "50")
	tuneGC()
	assert.Equal(t, 100, debug.SetGCPercent(100), "GOGC set: left to the runtime")
}
