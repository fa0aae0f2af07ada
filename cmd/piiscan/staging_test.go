package main

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// TestStagingRemovesOnlyStale: a run removes the staging folders of runs
// that are gone (unlocked, of the old unlocked kind and known or old, or
// left half removed) and keeps those of live runs, those being made, and
// recent ones it cannot judge.
func TestStagingRemovesOnlyStale(t *testing.T) {
	parent := filepath.Join(t.TempDir(), stagingDir)
	live, err := newStaging(parent, "nightly-shard-2-of-2")
	require.NoError(t, err)
	if live.lock == nil {
		t.Skip("no flock on this system")
	}
	defer live.remove()
	killed, err := newStaging(parent, "nightly-shard-1-of-2")
	require.NoError(t, err)
	require.NoError(t, killed.lock.Close()) // what the kernel does when a run is killed
	mkdir := func(name string, age time.Duration, lock bool) string {
		p := filepath.Join(parent, name)
		require.NoError(t, os.MkdirAll(filepath.Join(p, "objects"), 0o755))
		files := []string{filepath.Join(p, "objects", ".x.parquet.tmp")}
		if lock {
			files = append(files, filepath.Join(p, stagingLock))
		}
		for _, f := range files {
			require.NoError(t, os.WriteFile(f, nil, 0o644))
		}
		old := time.Now().Add(-age)
		for _, f := range append(files, filepath.Join(p, "objects"), p) {
			require.NoError(t, os.Chtimes(f, old, old))
		}
		return p
	}
	legacyOwn := mkdir("daily-7", 0, false)
	legacyOld := mkdir("daily-5", 25*time.Hour, false)
	legacyRecent := mkdir("daily-6", time.Hour, false)
	making := mkdir("daily-8~123", 0, false) // made, not yet locked
	makingOld := mkdir("daily-4~456", 25*time.Hour, false)
	trash := mkdir(stagingTrash+"daily-3~789", 0, true) // a removal cut short

	own, err := newStaging(parent, "daily-7")
	require.NoError(t, err)
	defer own.remove()
	own.removeStale([]string{"daily-7"}, slog.New(slog.DiscardHandler))

	for p, kept := range map[string]bool{
		live.dir: true, killed.dir: false, own.dir: true,
		legacyOwn: false, legacyOld: false, legacyRecent: true, making: true, makingOld: false, trash: false,
	} {
		_, err := os.Stat(p)
		assert.Equal(t, kept, err == nil, "%s kept", filepath.Base(p))
	}
}

// TestStagingKeepsLiveShard: two shards of one run write to one --out.
// Shard 1 stops itself (SIGSTOP) right after its first checkpoint, live
// and holding its staging folder; shard 2 then runs from start to end, and
// its cleanup must keep that folder. After SIGCONT shard 1 finishes, and
// the shards together hold every object once.
func TestStagingKeepsLiveShard(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc to see a stopped process")
	}
	bin := buildBinary(t, "piiscan_crashpoints")
	m, err := labelledCorpus()
	require.NoError(t, err)
	out, stateDir := t.TempDir(), t.TempDir()
	args := func(shard int) []string {
		return []string{"scan", m.Root, "--out", out, "--incremental", filepath.Join(stateDir, "state.jsonl"), "--checkpoint-every", "3",
			"--workers", "1", "--scan-id", "nightly", "--shard", fmt.Sprintf("%d/2", shard), "--as-of", testAsOf.Format(time.DateOnly), "--quiet"}
	}
	first := startBinary(t, bin, []string{envCrashpoint + "=stop:state:1"}, args(1)...)
	defer func() { _ = first.cmd.Process.Signal(syscall.SIGCONT) }()
	require.True(t, waitFor(t, time.Minute, func() bool { return processStopped(first.cmd.Process.Pid) }), "shard 1 stops after its first checkpoint")
	dirs, err := filepath.Glob(filepath.Join(out, stagingDir, "nightly-shard-1-of-2~*"))
	require.NoError(t, err)
	require.Len(t, dirs, 1, "shard 1 stages its next part")

	code, stderr := runBinary(t, bin, nil, args(2)...)
	require.Equal(t, exitOK, code, stderr)
	assert.DirExists(t, dirs[0], "the live shard's staging folder is kept")

	require.NoError(t, first.cmd.Process.Signal(syscall.SIGCONT))
	require.Equal(t, exitOK, first.wait(), first.stderr.String())
	objects := map[string]int{}
	for _, r := range readTable[scanner.ObjectRow](t, out, "objects") {
		objects[r.Object]++
	}
	assert.Len(t, objects, len(m.Files), "every object")
	for o, n := range objects {
		assert.Equal(t, 1, n, o)
	}
	_, err = os.Stat(filepath.Join(out, stagingDir))
	assert.True(t, errors.Is(err, os.ErrNotExist), "the last run to finish removes the staging root")
}

// processStopped reads the state letter of /proc/<pid>/stat: T is stopped.
func processStopped(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(b, ')') // the command name may hold spaces
	return i >= 0 && i+2 < len(b) && b[i+2] == 'T'
}
