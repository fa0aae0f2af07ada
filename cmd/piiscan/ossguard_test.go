package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/piiscan/piiscan/sinks"
	"github.com/piiscan/piiscan/sinks/sinkstest"
)

// Synthetic values of the guard tests' source files; neither may appear in
// an error message.
const (
	guardMail   = "race.user@example.com"
	guardMobile = "13812348000"
)

// newGuardEnv is newOSSEnv with hook called on every request before
// osslocal answers it (in the request's goroutine), and the source bucket
// "src" holding a few files with findings.
func newGuardEnv(t *testing.T, hook func(r *http.Request)) *ossEnv {
	t.Helper()
	root := t.TempDir()
	for _, b := range []string{"src", "results"} {
		require.NoError(t, os.Mkdir(filepath.Join(root, b), 0o755))
	}
	srv, err := server.New(server.Config{Root: root, AccessKeyID: ossTestID, AccessKeySecret: ossTestSecret})
	require.NoError(t, err)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hook(r)
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	t.Setenv(envOSSKeyID, ossTestID)
	t.Setenv(envOSSSecret, ossTestSecret)
	t.Setenv(envOSSToken, "")
	e := &ossEnv{root: root, url: ts.URL}
	for i, name := range []string{"a.txt", "b/c.csv", "d.txt"} {
		e.write(t, "src", name, strings.Repeat("contact "+guardMail+" or "+guardMobile+"\n", i+1))
	}
	return e
}

// onceAt returns a hook that runs fn once, when the first PUT or POST of a
// key matching match arrives (a PutObject or a CompleteMultipartUpload, not
// yet answered). Requests fn makes pass.
func onceAt(match func(key string) bool, fn func()) func(*http.Request) {
	var fired atomic.Bool
	return func(r *http.Request) {
		if (r.Method == http.MethodPut || r.Method == http.MethodPost) && match(r.URL.Path) && fired.CompareAndSwap(false, true) {
			fn()
		}
	}
}

// requireGuardMessage checks the losing run's exit code and its one-line
// error: the key, the scan id and what happened, and no raw value.
func requireGuardMessage(t *testing.T, res cliResult, key, scanID string) {
	t.Helper()
	require.Equal(t, exitUsage, res.code, "stderr:\n%s", res.stderr)
	var line string
	for l := range strings.Lines(res.stderr) {
		if strings.HasPrefix(l, "piiscan: ") {
			line = l
		}
	}
	require.NotEmpty(t, line, "no error line in:\n%s", res.stderr)
	assert.Contains(t, line, "oss://results/"+key+" was written by another run while this one ran")
	assert.Contains(t, line, "another run with the same --scan-id "+scanID)
	assert.Equal(t, 1, strings.Count(strings.TrimSpace(line), "\n")+1, "one line: %q", line)
	assert.NotContains(t, res.stderr, guardMail)
	assert.NotContains(t, res.stderr, guardMobile)
}

// checkDataset reads what is under oss://results/prefix with DuckDB, as a
// dashboard would (osslocal keeps the objects as files under its root):
// objects rows per scan id and the findings count.
func checkDataset(t *testing.T, e *ossEnv, prefix string) (objects map[string]int64, findings int64) {
	t.Helper()
	sinkstest.RequireDuckDB(t)
	root := filepath.Join(e.root, "results", filepath.FromSlash(prefix))
	o := sinkstest.DuckDBQuery(t, "SELECT scan_id, count(*) AS n FROM "+sinkstest.ReadParquetSQL(root, "objects")+" GROUP BY scan_id")
	objects = map[string]int64{}
	for _, r := range o.Rows {
		objects[r["scan_id"].(string)] = int64(r["n"].(float64))
	}
	f := sinkstest.DuckDBQuery(t, "SELECT count(*) AS n FROM "+sinkstest.ReadParquetSQL(root, "findings"))
	return objects, int64(f.Rows[0]["n"].(float64))
}

// TestOSSOutConcurrentRunsSameScanID runs a second scan with the same
// --scan-id while the first one's findings upload is in flight (both have
// passed the start-up checks): the second one publishes everything, and
// the first one's upload then finds the key taken. Without
// x-oss-forbid-overwrite it replaced the other run's findings file, then
// its objects file and summary: both exited 0 and the dataset held a mix.
// Now the first run exits 2 naming the key, its objects file and summary
// are not published, and the other run's dataset is whole.
func TestOSSOutConcurrentRunsSameScanID(t *testing.T) {
	for _, tt := range []struct {
		name, shard, suffix, says string
	}{
		{"unsharded", "", "", "--scan-id nightly is writing there"},
		{"the same shard", "1/2", "-shard-1-of-2", "--scan-id nightly and --shard 1/2 is writing there"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"oss://src/", "--out", "oss://results/run", "--scan-id", "nightly", "--quiet"}
			if tt.shard != "" {
				args = append(args, "--shard", tt.shard)
			}
			var second cliResult
			var e *ossEnv
			e = newGuardEnv(t, onceAt(func(p string) bool { return strings.Contains(p, "/findings/") }, func() {
				second = e.scan(t, args...)
			}))
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp) // both runs' temporary outputs go here
			first := e.scan(t, args...)
			require.Equal(t, exitOK, second.code, "the run that published first: %s", second.stderr)
			keys := e.keys(t, "results", "")
			require.Len(t, keys, 3, "%v", keys)
			assert.Regexp(t, `^run/findings/dt=\d{4}-\d{2}-\d{2}/nightly`+tt.suffix+`\.parquet$`, keys[0])
			requireGuardMessage(t, first, keys[0], "nightly")
			assert.Contains(t, first.stderr, tt.says)

			var sum sinks.Summary
			b, err := os.ReadFile(e.download(t, "results", "run/scans/nightly"+tt.suffix+".json"))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &sum))
			require.Positive(t, sum.Counters.Objects)
			objects, findings := checkDataset(t, e, "run")
			assert.Equal(t, map[string]int64{"nightly": sum.Counters.Objects}, objects, "one row per object: the other run's")
			assert.Equal(t, sum.Counters.Findings, findings, "the findings file is the one the summary counts")
			assert.Positive(t, findings)
			left, err := filepath.Glob(filepath.Join(tmp, "piiscan-out-*"))
			require.NoError(t, err)
			assert.Empty(t, left, "the losing run's temporary outputs are removed")
		})
	}
}

// TestOSSOutConflictTakesBackOwnFiles puts another writer's object at the
// key of the run's objects file, or of its summary, just before the run
// uploads it: the run exits 2 naming the key, deletes the files it had
// published (its findings file; with the summary, its objects file too),
// and leaves the other writer's object as it was. Before, the objects file
// and summary were replaced and the run exited 0.
func TestOSSOutConflictTakesBackOwnFiles(t *testing.T) {
	for _, tt := range []struct{ name, at string }{
		{"objects file", "/objects/"},
		{"summary", "/scans/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const foreign = "written by the other run"
			var taken string
			var e *ossEnv
			e = newGuardEnv(t, onceAt(func(p string) bool { return strings.Contains(p, tt.at) }, func() {
				keys := e.keys(t, "results", "")
				require.NotEmpty(t, keys, "the findings file is published first")
				if tt.at == "/objects/" {
					taken = strings.Replace(keys[0], "/findings/", "/objects/", 1)
				} else {
					taken = "run/scans/dup.json"
				}
				require.NoError(t, e.bucket(t, "results").PutObject(taken, strings.NewReader(foreign)))
			}))
			res := e.scan(t, "oss://src/", "--out", "oss://results/run", "--scan-id", "dup", "--quiet")
			requireGuardMessage(t, res, taken, "dup")
			assert.Equal(t, []string{taken}, e.keys(t, "results", ""), "only the other writer's object is left")
			b, err := os.ReadFile(e.download(t, "results", taken))
			require.NoError(t, err)
			assert.Equal(t, foreign, string(b))
		})
	}
}

// TestOSSOutConcurrentIncrementalRuns races two --incremental runs of one
// scan id (each with its own state, as two pods of a misconfigured
// CronJob writing the same --scan-id to different state files): the second
// publishes its part while the first one's part upload is in flight. The
// first exits 2 naming the part's key; the parts in the dataset are the
// second run's, whole, and readable by DuckDB.
func TestOSSOutConcurrentIncrementalRuns(t *testing.T) {
	state := t.TempDir()
	var second cliResult
	var e *ossEnv
	e = newGuardEnv(t, onceAt(func(p string) bool { return strings.Contains(p, "/findings/") }, func() {
		second = e.scan(t, "oss://src/", "--out", "oss://results/run", "--scan-id", "daily", "--quiet",
			"--incremental", filepath.Join(state, "b.jsonl"))
	}))
	first := e.scan(t, "oss://src/", "--out", "oss://results/run", "--scan-id", "daily", "--quiet",
		"--incremental", filepath.Join(state, "a.jsonl"))
	require.Equal(t, exitOK, second.code, "the run that published first: %s", second.stderr)
	keys := e.keys(t, "results", "")
	require.Len(t, keys, 3, "%v", keys)
	assert.Regexp(t, `^run/findings/dt=\d{4}-\d{2}-\d{2}/daily-part-0001\.parquet$`, keys[0])
	requireGuardMessage(t, first, keys[0], "daily")
	objects, findings := checkDataset(t, e, "run")
	assert.Equal(t, map[string]int64{"daily": 3}, objects)
	assert.Positive(t, findings)
	assert.NoFileExists(t, filepath.Join(state, "a.jsonl"+intentSuffix),
		"the first run's intent record, which names the second run's part, is removed")
}
