package main

import (
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
			assert.Equal(t, len(partial), countBy(objects)["skipped/unchanged"], "the resumed run skips what the partial run published")
			requireSameFindings(t, wantFindings, findingIDs(readTable[scanner.Finding](t, out, "findings"), root))
			temps, _ := filepath.Glob(filepath.Join(out, "*", "dt=*", ".*"))
			assert.Empty(t, temps, "no temporary files left in the dataset")
			_, err := os.Stat(filepath.Join(out, stagingDir))
			assert.ErrorIs(t, err, os.ErrNotExist, "the crashed run's staging files are removed")
		})
	}
}
