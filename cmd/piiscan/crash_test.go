package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/piiscan/piiscan/scanner"
)

// crashCase is a run killed at a crash point (crashpoint.go) and then
// resumed.
type crashCase struct {
	name  string
	point string // PIISCAN_CRASHPOINT of the killed run
	every string // --checkpoint-every
	// resumeID is the scan id of the resumed run: a new one, as the next
	// run of a scheduled job has, or "crashed" for a retry under the same
	// scan id (a Kubernetes pod retried within its Job).
	resumeID string
}

// crashCases cut a checkpoint at each of its steps. The labelled corpus
// has 62 objects: with --checkpoint-every 10 and one worker the run
// publishes 7 parts; with 0 it publishes one, when it closes.
var crashCases = []crashCase{
	{"intent saved, nothing published", "intent:2", "10", "resumed"},
	{"findings published, objects not", "findings:2", "10", "resumed"},
	{"part published, state not saved", "objects:2", "10", "resumed"},
	{"state saved, intent not removed", "state:2", "10", "resumed"},
	{"part published before the first state save", "objects:1", "10", "resumed"},
	{"findings of the first part published", "findings:1", "10", "resumed"},
	{"final part published, state not saved", "objects:1", "0", "resumed"},
	{"part published, retried under the same scan id", "objects:2", "10", "crashed"},
	{"findings published, retried under the same scan id", "findings:3", "10", "crashed"},
}

// TestCrashInCheckpoint kills an incremental scan (SIGKILL from inside
// the process, so the cut is exact) at each step of a checkpoint, then
// resumes it: the killed run's published parts and the resumed run hold
// exactly one real objects row per object and every finding once, whatever
// the step, with a new scan id or the same one. --max-object-size makes a
// third of the objects skipped/too_large, an outcome that a finished run's
// successor scans again but a resumed one does not. The killed run's
// staging folder and intent record are gone after the resume.
func TestCrashInCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and scans a corpus twenty times")
	}
	bin := buildBinary(t, "piiscan_crashpoints")
	m, err := labelledCorpus()
	require.NoError(t, err)
	root := "file://" + filepath.ToSlash(m.Root) + "/"
	common := []string{"--as-of", testAsOf.Format(time.DateOnly), "--max-object-size", "16KiB", "--workers", "1", "--quiet"}
	ref := t.TempDir()
	code, stderr := runBinary(t, bin, nil, append([]string{"scan", m.Root, "--out", ref, "--scan-id", "ref"}, common...)...)
	require.Equal(t, exitOK, code, stderr)
	refObjects := readTable[scanner.ObjectRow](t, ref, "objects")
	require.NotZero(t, countBy(refObjects)["skipped/too_large"])
	wantObjects := objectIDs(refObjects, root, true)
	wantFindings := findingIDs(readTable[scanner.Finding](t, ref, "findings"), root)

	for _, tt := range crashCases {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			state := filepath.Join(t.TempDir(), "state.jsonl")
			args := func(id string) []string {
				return append([]string{"scan", m.Root, "--out", out, "--incremental", state, "--checkpoint-every", tt.every, "--scan-id", id}, common...)
			}
			p := startBinary(t, bin, []string{envCrashpoint + "=" + tt.point}, args("crashed")...)
			require.Equal(t, -1, p.wait(), "killed at %s: %s", tt.point, p.stderr.String())
			crashed := len(publishedRows(t, out))

			code, stderr := runBinary(t, bin, nil, args(tt.resumeID)...)
			require.Equal(t, exitOK, code, stderr)
			objects := readTable[scanner.ObjectRow](t, out, "objects")
			assert.Equal(t, wantObjects, objectIDs(objects, root, true), "one real row per object")
			if tt.resumeID == "crashed" {
				assert.Len(t, objects, len(wantObjects), "one row per object under the scan id")
			} else {
				assert.Equal(t, crashed, countBy(objects)["skipped/unchanged"], "the resumed run skips what the killed run published")
			}
			requireSameFindings(t, wantFindings, findingIDs(readTable[scanner.Finding](t, out, "findings"), root))
			assert.NoFileExists(t, state+intentSuffix, "the intent record is removed")
			assert.NoDirExists(t, filepath.Join(out, stagingDir), "the killed run's staging folder is removed")
		})
	}
}

// publishedRows reads the objects rows of a dataset that may have none.
func publishedRows(t *testing.T, out string) []scanner.ObjectRow {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(out, "objects", "dt=*", "*.parquet"))
	require.NoError(t, err)
	if len(files) == 0 {
		return nil
	}
	return readTable[scanner.ObjectRow](t, out, "objects")
}

// TestCrashInCheckpointOSS is TestCrashInCheckpoint with the data, the
// outputs and the state in osslocal: the intent record is an object
// beside the state, and a findings file published without its objects
// file is deleted from the bucket.
func TestCrashInCheckpointOSS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and scans a corpus through osslocal")
	}
	bin := buildBinary(t, "piiscan_crashpoints")
	m, err := labelledCorpus()
	require.NoError(t, err)
	env := newOSSEnv(t, []string{"data", "results"}, nil)
	copyTree(t, m.Root, filepath.Join(env.root, "data", "c"))
	root := "oss://data/c/"
	common := []string{"--endpoint", env.url, "--as-of", testAsOf.Format(time.DateOnly), "--max-object-size", "16KiB", "--workers", "1", "--quiet"}
	code, stderr := runBinary(t, bin, nil, append([]string{"scan", root, "--out", "oss://results/ref/", "--scan-id", "ref"}, common...)...)
	require.Equal(t, exitOK, code, stderr)
	wantObjects := objectIDs(readOSSTable[scanner.ObjectRow](t, env, "results", "ref/", "objects"), root, true)
	wantFindings := findingIDs(readOSSTable[scanner.Finding](t, env, "results", "ref/", "findings"), root)

	for i, tt := range []crashCase{crashCases[1], crashCases[2], crashCases[4], crashCases[7]} {
		t.Run(tt.name, func(t *testing.T) {
			prefix := "run" + string(rune('a'+i)) + "/"
			state := "oss://results/" + prefix + "state/state.jsonl"
			args := func(id string) []string {
				return append([]string{"scan", root, "--out", "oss://results/" + prefix + "out/", "--incremental", state,
					"--checkpoint-every", tt.every, "--scan-id", id}, common...)
			}
			p := startBinary(t, bin, []string{envCrashpoint + "=" + tt.point}, args("crashed")...)
			require.Equal(t, -1, p.wait(), "killed at %s: %s", tt.point, p.stderr.String())

			code, stderr := runBinary(t, bin, nil, args(tt.resumeID)...)
			require.Equal(t, exitOK, code, stderr)
			objects := readOSSTable[scanner.ObjectRow](t, env, "results", prefix+"out/", "objects")
			assert.Equal(t, wantObjects, objectIDs(objects, root, true), "one real row per object")
			requireSameFindings(t, wantFindings, findingIDs(readOSSTable[scanner.Finding](t, env, "results", prefix+"out/", "findings"), root))
			assert.Equal(t, []string{prefix + "state/state.jsonl"}, env.keys(t, "results", prefix+"state/"), "the intent record is removed")
		})
	}
}

// TestFailedUploadIsUndone: the last part's objects file cannot be
// uploaded (a RAM policy denies it) after its findings file was. The run
// fails and leaves its state as it was, with the part's intent record; the
// next run removes the lone findings file and scans the part's objects
// again, so that every finding is in the dataset once.
func TestFailedUploadIsUndone(t *testing.T) {
	root := t.TempDir()
	for _, b := range []string{"data", "results"} {
		require.NoError(t, os.Mkdir(filepath.Join(root, b), 0o755))
	}
	start := func(deny ...string) (*ossEnv, func()) {
		srv, err := server.New(server.Config{Root: root, AccessKeyID: ossTestID, AccessKeySecret: ossTestSecret, DenyPrefixes: deny})
		require.NoError(t, err)
		url, stop, err := srv.Start("127.0.0.1:0")
		require.NoError(t, err)
		return &ossEnv{root: root, url: url}, stop
	}
	t.Setenv(envOSSKeyID, ossTestID)
	t.Setenv(envOSSSecret, ossTestSecret)
	t.Setenv(envOSSToken, "")
	env, stop := start("results/run/objects/")
	env.write(t, "data", "a.txt", "身份证号："+cliID+"\n")
	env.write(t, "data", "b.csv", "name,phone\nzhang,13812348000\n")
	args := []string{"oss://data/", "--out", "oss://results/run/", "--incremental", "oss://results/state/state.jsonl", "--checkpoint-every", "0", "--quiet"}

	res := env.scan(t, append(args, "--scan-id", "denied")...)
	assert.Equal(t, exitUsage, res.code, res.stderr)
	assert.Contains(t, res.stderr, "AccessDenied")
	require.Len(t, env.keys(t, "results", "run/findings/"), 1, "the findings file was uploaded")
	assert.Empty(t, env.keys(t, "results", "run/objects/"))
	assert.Equal(t, []string{"state/state.jsonl.pending"}, env.keys(t, "results", "state/"), "no state saved, the intent record kept")
	stop()

	env, stop = start()
	defer stop()
	res = env.scan(t, append(args, "--scan-id", "next", "--log-level", "warn")...)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "did not finish publishing its last part")
	objects := readOSSTable[scanner.ObjectRow](t, env, "results", "run/", "objects")
	assert.Equal(t, map[string]int{"complete": 2}, countBy(objects))
	var want int64
	for _, o := range objects {
		want += o.Findings
	}
	findings := readOSSTable[scanner.Finding](t, env, "results", "run/", "findings")
	assert.Len(t, findings, int(want), "every finding once")
	assert.Equal(t, []string{"state/state.jsonl"}, env.keys(t, "results", "state/"))
}
