package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks/report"
)

// reportJSON runs `piiscan report --format json` and decodes the report.
func reportJSON(t *testing.T, out string, extra ...string) (*report.Report, cliResult) {
	t.Helper()
	res := runCLI(t, "", append([]string{"report", out, "--format", "json"}, extra...)...)
	var r report.Report
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &r), "stdout: %s\nstderr: %s", res.stdout, res.stderr)
	return &r, res
}

// TestReportCorpusScan reports on the scan of the labelled corpus and
// checks the numbers against the dataset's rows.
func TestReportCorpusScan(t *testing.T) {
	scan, err := corpusScan()
	require.NoError(t, err)
	t.Parallel()
	findings := readTable[scanner.Finding](t, scan.out, "findings")
	objects := readTable[scanner.ObjectRow](t, scan.out, "objects")
	require.NotEmpty(t, findings)

	r, res := reportJSON(t, scan.out, "--top", "1000")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, r.Problems)
	assert.Equal(t, int64(len(findings)), r.Totals.Findings, "totals equal the findings rows")
	assert.Equal(t, int64(len(objects)), r.Totals.Objects, "and the objects rows")

	byCat := map[string]map[string]int64{}
	byType := map[string]int64{}
	var minors int64
	for _, f := range findings {
		if byCat[f.Category] == nil {
			byCat[f.Category] = map[string]int64{}
		}
		byCat[f.Category][f.Sensitivity]++
		byType[f.DataType]++
		if f.Minor {
			minors++
		}
	}
	gotCat := map[string]map[string]int64{}
	for _, c := range r.ByCategory {
		gotCat[c.Category] = c.Levels
	}
	gotType := map[string]int64{}
	for _, d := range r.ByDataType {
		gotType[d.DataType] = d.Total
	}
	assert.Equal(t, byCat, gotCat)
	assert.Equal(t, byType, gotType)
	assert.Equal(t, minors, r.Totals.Minors)

	byStatus := map[string]int64{}
	perObject := map[string]int64{}
	var withFindings int64
	for _, o := range objects {
		byStatus[o.Status]++
		perObject[o.Object] = o.Findings
		if o.Findings > 0 {
			withFindings++
		}
	}
	gotStatus := map[string]int64{}
	for _, s := range r.ObjectsByStatus {
		gotStatus[s.Status] = s.Objects
	}
	assert.Equal(t, byStatus, gotStatus)
	assert.Equal(t, withFindings, r.Totals.ObjectsWithFindings)
	require.NotEmpty(t, r.TopObjects)
	for _, o := range r.TopObjects {
		assert.Equal(t, perObject[o.Object], o.Findings, o.Object)
	}

	var prefixSum int64
	for _, p := range r.ByPrefix {
		prefixSum += p.Findings
	}
	assert.Equal(t, r.Totals.Findings, prefixSum, "prefixes add up (all shown with --top 1000)")
	m, err := labelledCorpus()
	require.NoError(t, err)
	assert.Equal(t, "file://"+filepath.ToSlash(m.Root)+"/", r.PrefixRoot, "local prefixes start at the scanned folder")

	require.Len(t, r.Runs, 1)
	assert.Equal(t, "e2e-corpus", r.Runs[0].ScanID)
	assert.True(t, r.Runs[0].HasSummary)
	require.Len(t, r.ByDay, 1)
	assert.Equal(t, r.Runs[0].StartedAt.Format(time.DateOnly), r.ByDay[0].Date, "dt is the day the run started")

	// The text form carries the same totals.
	text := runCLI(t, "", "report", scan.out)
	require.Equal(t, exitOK, text.code, text.stderr)
	assert.Contains(t, text.stdout, "Findings: "+group(r.Totals.Findings)+" in ")
	assert.Empty(t, text.stderr)
}

// group is the report's thousands grouping, for matching the text form.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func TestReportHTMLFile(t *testing.T) {
	scan, err := corpusScan()
	require.NoError(t, err)
	t.Parallel()
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")

	res := runCLI(t, "", "report", scan.out, "--html", html, "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stdout, "--quiet prints nothing on stdout")
	assert.Contains(t, res.stderr, "wrote the HTML report to "+html)

	page, err := os.ReadFile(html)
	require.NoError(t, err)
	s := string(page)
	assert.True(t, strings.HasPrefix(s, "<!DOCTYPE html>"))
	assert.Contains(t, s, "<title>piiscan report: ")
	assert.Equal(t, 3, strings.Count(s, `<svg class="chart"`))
	for _, bad := range []string{"<script", "http://", "https://", "<link"} {
		assert.NotContains(t, s, bad)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left beside the page")

	// No fingerprint of the dataset is on the page.
	for _, f := range readTable[scanner.Finding](t, scan.out, "findings")[:50] {
		assert.NotContains(t, s, f.Fingerprint)
	}
}

func TestReportFilterFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("手机 13812348000, mail zhang.wei@example.com\n"), 0o644))
	out := filepath.Join(t.TempDir(), "out")
	for _, id := range []string{"first", "second"} {
		res := runCLI(t, "", "scan", dir, "--out", out, "--scan-id", id, "--quiet")
		require.Equal(t, exitOK, res.code, res.stderr)
	}
	all, res := reportJSON(t, out)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Len(t, all.Runs, 2)
	assert.Equal(t, "second", all.Runs[0].ScanID)
	assert.True(t, all.Runs[0].Latest)
	require.Positive(t, all.Totals.Findings)
	day, _ := time.Parse(time.DateOnly, all.LastDate)

	tests := []struct {
		name     string
		args     []string
		runs     []string
		findings int64
	}{
		{"scan id", []string{"--scan-id", "first"}, []string{"first"}, all.Totals.Findings / 2},
		{"latest", []string{"--latest"}, []string{"second"}, all.Totals.Findings / 2},
		{"both ids", []string{"--scan-id", "first", "--scan-id", "second"}, []string{"second", "first"}, all.Totals.Findings},
		{"until the day before", []string{"--until", day.AddDate(0, 0, -1).Format(time.DateOnly)}, nil, 0},
		{"since the day", []string{"--since", all.FirstDate}, []string{"second", "first"}, all.Totals.Findings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, res := reportJSON(t, out, tt.args...)
			require.Equal(t, exitOK, res.code, res.stderr)
			var ids []string
			for _, run := range r.Runs {
				ids = append(ids, run.ScanID)
			}
			assert.Equal(t, tt.runs, ids)
			assert.Equal(t, tt.findings, r.Totals.Findings)
		})
	}
}

func TestReportUsageErrors(t *testing.T) {
	scan, err := corpusScan()
	require.NoError(t, err)
	t.Parallel()
	notDataset := t.TempDir()
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no OUT", []string{"report"}, "report needs the dataset directory OUT"},
		{"two OUTs", []string{"report", scan.out, scan.out}, "report takes one dataset directory"},
		{"missing", []string{"report", filepath.Join(notDataset, "nope")}, "not a piiscan dataset"},
		{"not a dataset", []string{"report", notDataset}, "has no findings/, objects/ or scans/ directory"},
		{"oss", []string{"report", "oss://bucket/out"}, "report reads a local dataset directory"},
		{"format", []string{"report", scan.out, "--format", "yaml"}, `--format "yaml": want text or json`},
		{"since", []string{"report", scan.out, "--since", "2026-13-01"}, `--since "2026-13-01": want YYYY-MM-DD`},
		{"range", []string{"report", scan.out, "--since", "2026-11-02", "--until", "2026-11-01"}, "since 2026-11-02 is after until 2026-11-01"},
		{"depth", []string{"report", scan.out, "--prefix-depth", "0"}, "--prefix-depth 0: want 1..32"},
		{"top", []string{"report", scan.out, "--top", "0"}, "--top 0: want 1..10000"},
		{"quiet", []string{"report", scan.out, "--quiet"}, "--quiet without --html"},
		{"unknown flag", []string{"report", scan.out, "--colour"}, "unknown flag: --colour"},
		{"html dir missing", []string{"report", scan.out, "--html", filepath.Join(notDataset, "no", "r.html")}, "--html "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, "", tt.args...)
			assert.Equal(t, exitUsage, res.code, "stdout: %s", res.stdout)
			assert.Contains(t, res.stderr, tt.msg)
		})
	}
}

func TestReportUnreadableFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("mail zhang.wei@example.com\n"), 0o644))
	res := scanDir(t, dir, "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)
	bad := filepath.Join(res.out, "findings", "dt=2026-01-01")
	require.NoError(t, os.MkdirAll(bad, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bad, "broken.parquet"), []byte("not parquet"), 0o644))

	rep := runCLI(t, "", "report", res.out)
	assert.Equal(t, exitFailedObjs, rep.code)
	assert.Contains(t, rep.stdout, "Findings: 1 in 1 of 1 objects", "the rest is reported")
	assert.Contains(t, rep.stdout, "findings/dt=2026-01-01/broken.parquet: open parquet: ")
	assert.Contains(t, rep.stderr, "1 file(s) of the dataset could not be read")
}
