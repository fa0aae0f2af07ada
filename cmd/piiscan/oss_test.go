package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// corpusOnOSS serves a copy of the labelled corpus as bucket "corpus",
// with an empty bucket "results" for outputs.
func corpusOnOSS(t *testing.T, mutate func(*server.Config)) *ossEnv {
	t.Helper()
	m, err := labelledCorpus()
	require.NoError(t, err)
	env := newOSSEnv(t, []string{"corpus", "results"}, mutate)
	copyTree(t, m.Root, filepath.Join(env.root, "corpus"))
	return env
}

// localCorpusIDs returns the findings of the local scan of the corpus.
func localCorpusIDs(t *testing.T) []string {
	t.Helper()
	m, err := labelledCorpus()
	require.NoError(t, err)
	local, err := corpusScan()
	require.NoError(t, err)
	require.Equal(t, exitOK, local.code, "local scan:\n%s", local.stderr)
	return findingIDs(readTable[scanner.Finding](t, local.out, "findings"), "file://"+filepath.ToSlash(m.Root)+"/")
}

// checkObjects asserts one objects row per corpus file, each complete
// (or skipped as empty, as in the local scan), and returns the rows.
func checkObjects(t *testing.T, objects []scanner.ObjectRow) {
	t.Helper()
	m, err := labelledCorpus()
	require.NoError(t, err)
	rows := map[string]int{}
	for _, o := range objects {
		rows[o.Object]++
		assert.NotEmpty(t, o.ObjectVersion, "ETag of %s", o.Object)
		if o.Status != "complete" && !(o.Status == "skipped" && o.Reason == "empty") {
			t.Errorf("object %s: status %s reason %s error %s", o.Object, o.Status, o.Reason, o.Error)
		}
	}
	assert.Len(t, objects, len(m.Files))
	for _, f := range m.Files {
		assert.Equal(t, 1, rows["oss://corpus/"+f], f)
	}
}

// TestOSSScanMatchesLocal scans the labelled corpus served by osslocal and
// writes the dataset to oss://results/run: the findings read back from the
// bucket equal the local scan's, precision and recall per data type are at
// least 0.99, PII-free files have no finding, every file has one objects
// row, the files follow the dataset layout, and the temporary local copy
// is gone.
func TestOSSScanMatchesLocal(t *testing.T) {
	m, err := labelledCorpus()
	require.NoError(t, err)
	want := localCorpusIDs(t)
	env := corpusOnOSS(t, nil)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the CLI's temporary outputs go here

	res := env.scan(t, "oss://corpus/", "--out", "oss://results/run", "--scan-id", "oss-corpus")
	require.Equal(t, exitOK, res.code, "stderr:\n%s", res.stderr)
	left, err := filepath.Glob(filepath.Join(tmp, "piiscan-out-*"))
	require.NoError(t, err)
	assert.Empty(t, left, "temporary outputs are removed after the upload")

	t.Run("dataset layout", func(t *testing.T) {
		keys := env.keys(t, "results", "")
		require.Len(t, keys, 3, "%v", keys)
		layout := []*regexp.Regexp{
			regexp.MustCompile(`^run/findings/dt=\d{4}-\d{2}-\d{2}/oss-corpus\.parquet$`),
			regexp.MustCompile(`^run/objects/dt=\d{4}-\d{2}-\d{2}/oss-corpus\.parquet$`),
			regexp.MustCompile(`^run/scans/oss-corpus\.json$`),
		}
		for i, re := range layout {
			assert.Regexp(t, re, keys[i])
		}
		b, err := os.ReadFile(env.download(t, "results", "run/scans/oss-corpus.json"))
		require.NoError(t, err)
		var sum sinks.Summary
		require.NoError(t, json.Unmarshal(b, &sum))
		assert.Equal(t, "oss://results/run", sum.Outputs.Root)
		assert.Equal(t, int64(len(want)), sum.Counters.Findings)
		assert.Equal(t, int64(len(m.Files)), sum.ObjectsListed)
	})

	findings := readOSSTable[scanner.Finding](t, env, "results", "run/", "findings")
	requireSameFindings(t, want, findingIDs(findings, "oss://corpus/"))
	t.Logf("%d objects, %d findings, the same as the local scan", len(m.Files), len(findings))

	// Score against the labels, which name local paths.
	asLocal := make([]scanner.Finding, len(findings))
	for i, f := range findings {
		f.Object = "file://" + filepath.ToSlash(filepath.Join(m.Root, strings.TrimPrefix(f.Object, "oss://corpus/")))
		asLocal[i] = f
	}
	scores, _, _ := scoreFindings(m, asLocal)
	types := make([]string, 0, len(scores))
	for ty := range scores {
		types = append(types, ty)
	}
	sort.Strings(types)
	for _, ty := range types {
		s := scores[ty]
		t.Logf("%-18s tp %5d fp %3d fn %3d precision %.4f recall %.4f", ty, s.tp, s.fp, s.fn, s.precision(), s.recall())
		assert.GreaterOrEqual(t, s.precision(), 0.99, "precision of %s", ty)
		assert.GreaterOrEqual(t, s.recall(), 0.99, "recall of %s", ty)
	}
	free := map[string]bool{}
	for _, p := range m.PIIFree {
		free["oss://corpus/"+p] = true
	}
	for _, f := range findings {
		assert.False(t, free[f.Object], "finding %s in PII-free %s", f.DataType, f.Object)
	}
	checkObjects(t, readOSSTable[scanner.ObjectRow](t, env, "results", "run/", "objects"))
}

// TestOSSScanWithFaults injects 10% 500 errors, 5% 503 throttling and 10%
// connections cut mid-body on every request (listing, reads, uploads):
// every object still ends complete, nothing is counted twice, and the
// findings equal the local scan's.
func TestOSSScanWithFaults(t *testing.T) {
	want := localCorpusIDs(t)
	env := corpusOnOSS(t, func(c *server.Config) {
		c.ErrorRate, c.ThrottleRate, c.ResetRate, c.Seed = 0.1, 0.05, 0.1, 42
	})
	res := env.scan(t, "oss://corpus/", "--out", "oss://results/faults", "--scan-id", "oss-faults", "--log-level", "debug")
	require.Equal(t, exitOK, res.code, "stderr tail:\n%s", tail(res.stderr, 3000))

	resumed, retried := 0, 0
	for _, line := range strings.Split(res.stderr, "\n") {
		if strings.Contains(line, `"msg":"retrying object read"`) {
			retried++
			if strings.Contains(line, `"op":"read"`) {
				resumed++
			}
		}
	}
	t.Logf("%d object reads retried, %d of them resumed after a cut body", retried, resumed)
	assert.Positive(t, resumed, "the faults were injected")

	findings := readOSSTable[scanner.Finding](t, env, "results", "faults/", "findings")
	requireSameFindings(t, want, findingIDs(findings, "oss://corpus/"))
	t.Logf("%d findings, the same as the local scan", len(findings))
	checkObjects(t, readOSSTable[scanner.ObjectRow](t, env, "results", "faults/", "objects"))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestOSSLargePrefix lists a prefix of 2,500 objects (three pages) next to
// objects outside it: each listed object gets exactly one objects row.
func TestOSSLargePrefix(t *testing.T) {
	env := newOSSEnv(t, []string{"many"}, nil)
	const n = 2500
	// File creation dominates this test on slow file systems: write in
	// parallel.
	var g errgroup.Group
	for w := range 16 {
		g.Go(func() error {
			for i := w; i < n; i += 16 {
				p := filepath.Join(env.root, "many", "pfx", fmt.Sprintf("%02d", i%50), fmt.Sprintf("obj-%05d.txt", i))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(p, fmt.Appendf(nil, "row %d contact user%d@example.com\n", i, i), 0o644); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	for i := range 20 {
		env.write(t, "many", fmt.Sprintf("other/obj-%d.txt", i), "outside the prefix\n")
	}
	out := filepath.Join(t.TempDir(), "out")
	res := env.scan(t, "oss://many/pfx/", "--out", out, "--scan-id", "many", "--workers", "8", "--quiet")
	require.Equal(t, exitOK, res.code, "stderr:\n%s", res.stderr)

	objects := readTable[scanner.ObjectRow](t, out, "objects")
	rows := map[string]int{}
	for _, o := range objects {
		rows[o.Object]++
		assert.Equal(t, "complete", o.Status, o.Object)
		assert.Equal(t, int64(1), o.Findings, o.Object)
	}
	assert.Len(t, objects, n)
	assert.Len(t, rows, n, "one row per object")
	assert.Equal(t, 1, rows["oss://many/pfx/49/obj-02499.txt"])
	assert.Len(t, readTable[scanner.Finding](t, out, "findings"), n)
}

// TestOSSFatalErrors: bad credentials and a missing bucket end with exit 2
// and the OSS error code, before anything is scanned, and no secret is
// ever printed.
func TestOSSFatalErrors(t *testing.T) {
	const wrongSecret = "wrong-secret-DoNotPrint-41"
	tests := []struct {
		name   string
		id     string
		secret string
		target string
		oss    bool // --out oss://
		code   string
	}{
		{"wrong secret", ossTestID, wrongSecret, "oss://corpus/", false, "SignatureDoesNotMatch"},
		{"wrong secret, oss out", ossTestID, wrongSecret, "oss://corpus/", true, "SignatureDoesNotMatch"},
		{"unknown key id", "LTAI5tUnknownKey", ossTestSecret, "oss://corpus/", false, "InvalidAccessKeyId"},
		{"missing bucket", ossTestID, ossTestSecret, "oss://nosuchbucket/", false, "NoSuchBucket"},
		{"missing out bucket", ossTestID, ossTestSecret, "oss://corpus/", true, "NoSuchBucket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newOSSEnv(t, []string{"corpus"}, nil)
			env.write(t, "corpus", "a.txt", "contact user@example.com\n")
			t.Setenv(envOSSKeyID, tt.id)
			t.Setenv(envOSSSecret, tt.secret)
			out := filepath.Join(t.TempDir(), "out")
			if tt.oss {
				out = "oss://results/x"
				if tt.code != "NoSuchBucket" {
					require.NoError(t, os.Mkdir(filepath.Join(env.root, "results"), 0o755))
				}
			}
			res := env.scan(t, tt.target, "--out", out, "--quiet")
			assert.Equal(t, exitUsage, res.code, "stderr:\n%s", res.stderr)
			assert.Contains(t, res.stderr, tt.code)
			for _, s := range []string{tt.secret, ossTestSecret, wrongSecret} {
				assert.NotContains(t, res.stderr+res.stdout, s)
			}
			if !tt.oss {
				assert.Contains(t, res.stderr, "piiscan: scan: list "+tt.target+": "+tt.code+": ")
			}
		})
	}
	t.Run("missing bucket after other targets", func(t *testing.T) {
		// Probed before the first target is scanned, not found after.
		env := newOSSEnv(t, []string{"corpus"}, nil)
		env.write(t, "corpus", "a.txt", "contact user@example.com\n")
		local := writeTree(t, map[string]string{"b.txt": "contact user@example.com\n"})
		out := filepath.Join(t.TempDir(), "out")
		res := env.scan(t, "oss://corpus/", local, "oss://nosuchbucket/", "--out", out, "--quiet")
		assert.Equal(t, exitUsage, res.code, "stderr:\n%s", res.stderr)
		assert.Contains(t, res.stderr, "NoSuchBucket")
		_, err := os.Stat(filepath.Join(out, "objects"))
		assert.ErrorIs(t, err, os.ErrNotExist, "nothing was scanned")
	})
	t.Run("no credentials", func(t *testing.T) {
		t.Setenv(envOSSKeyID, "")
		t.Setenv(envOSSSecret, "")
		res := runCLI(t, "", "scan", "oss://corpus/", "--out", t.TempDir(), "--endpoint", "http://127.0.0.1:1")
		assert.Equal(t, exitUsage, res.code)
		assert.Contains(t, res.stderr, "OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET")
	})
}

// TestOSSObjectFailures: an Archive object is skipped (storage_class), a
// denied prefix fails (permission_denied) and the scan goes on; globs are
// relative to the scanned prefix; exit 3 because objects failed.
func TestOSSObjectFailures(t *testing.T) {
	env := newOSSEnv(t, []string{"mixed"}, func(c *server.Config) {
		c.DenyPrefixes = []string{"mixed/data/private/"}
	})
	pii := "name,email\nA,user@example.com\n"
	for _, k := range []string{"data/ok.csv", "data/cold/old.csv", "data/private/p.csv", "data/skip/y.csv", "outside.csv"} {
		env.write(t, "mixed", k, pii)
	}
	require.NoError(t, server.SetStorageClass(env.root, "mixed", "data/cold/old.csv", "Archive"))
	out := filepath.Join(t.TempDir(), "out")
	res := env.scan(t, "oss://mixed/data/", "--out", out, "--exclude", "skip/**", "--quiet", "--region", "cn-hangzhou")
	require.Equal(t, exitFailedObjs, res.code, "stderr:\n%s", res.stderr)

	got := map[string]string{}
	for _, o := range readTable[scanner.ObjectRow](t, out, "objects") {
		got[o.Object] = o.Status + "/" + o.Reason
		if o.Status == "failed" {
			assert.Contains(t, o.Error, "AccessDenied")
		}
	}
	assert.Equal(t, map[string]string{
		"oss://mixed/data/ok.csv":        "complete/",
		"oss://mixed/data/cold/old.csv":  "skipped/storage_class",
		"oss://mixed/data/private/p.csv": "failed/permission_denied",
	}, got)
	findings := readTable[scanner.Finding](t, out, "findings")
	require.NotEmpty(t, findings)
	for _, f := range findings {
		assert.Equal(t, "oss://mixed/data/ok.csv", f.Object)
	}
}

// TestOSSMixedTargets scans a local folder and two OSS targets, one inside
// the other (listed once), in one run.
func TestOSSMixedTargets(t *testing.T) {
	env := newOSSEnv(t, []string{"bkt1"}, nil)
	env.write(t, "bkt1", "a/x.txt", "mail user@example.com\n")
	env.write(t, "bkt1", "a/b/y.txt", "mail user@example.com\n")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "z.txt"), []byte("mail user@example.com\n"), 0o644))
	out := filepath.Join(t.TempDir(), "out")
	res := env.scan(t, "oss://bkt1/a/b/", dir, "oss://bkt1/a/", "--out", out, "--quiet")
	require.Equal(t, exitOK, res.code, "stderr:\n%s", res.stderr)
	var objects []string
	for _, o := range readTable[scanner.ObjectRow](t, out, "objects") {
		objects = append(objects, o.Object)
	}
	assert.ElementsMatch(t, []string{"oss://bkt1/a/x.txt", "oss://bkt1/a/b/y.txt", "file://" + filepath.ToSlash(filepath.Join(dir, "z.txt"))}, objects)
}

// TestOSSSessionToken: with STS credentials the token from
// OSS_SESSION_TOKEN is sent on every request, and never printed.
func TestOSSSessionToken(t *testing.T) {
	const token = "sts-token-DoNotPrint-93"
	env := newOSSEnv(t, []string{"sts"}, func(c *server.Config) { c.SecurityToken = token })
	env.write(t, "sts", "a.txt", "mail user@example.com\n")
	tests := []struct {
		name  string
		token string
		code  int
	}{
		{"with the token", token, exitOK},
		{"without it", "", exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envOSSToken, tt.token)
			res := env.scan(t, "oss://sts/", "--out", filepath.Join(t.TempDir(), "out"), "--quiet", "--log-level", "debug")
			assert.Equal(t, tt.code, res.code, "stderr:\n%s", res.stderr)
			assert.NotContains(t, res.stderr+res.stdout, token)
			if tt.code == exitUsage {
				assert.Contains(t, res.stderr, "InvalidAccessKeyId")
			}
		})
	}
}

// TestOSSOutLogNamesUploadedSummary: with --out oss://, the "scan
// finished" log line, which a scheduled job's monitoring reads, names the
// run summary where it was uploaded, not the temporary local copy that is
// removed after the upload.
func TestOSSOutLogNamesUploadedSummary(t *testing.T) {
	env := newOSSEnv(t, []string{"src", "results"}, nil)
	env.write(t, "src", "a.txt", "mail user@example.com\n")
	res := env.scan(t, "oss://src/", "--out", "oss://results/run", "--scan-id", "logged", "--log-format", "json")
	require.Equal(t, exitOK, res.code, "stderr:\n%s", res.stderr)
	var finished map[string]any
	for line := range strings.Lines(res.stderr) {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "scan finished" {
			finished = rec
		}
	}
	require.NotNil(t, finished, "no scan finished line in:\n%s", res.stderr)
	assert.Equal(t, "oss://results/run/scans/logged.json", finished["summary"])
	assert.Contains(t, env.keys(t, "results", ""), "run/scans/logged.json")
}
