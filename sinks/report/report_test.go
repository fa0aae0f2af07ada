package report

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

func build(t testing.TB, root string, opts Options) *Report {
	t.Helper()
	opts.Now = fixedNow
	r, err := Build(t.Context(), root, opts)
	require.NoError(t, err)
	return r
}

func TestReportMatchesDataset(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	r := build(t, root, Options{})
	want := readDataset(t, root).expect(func(string, string) bool { return true })

	assert.Equal(t, want, got(r))
	assert.Empty(t, r.Problems)
	// Hand-counted from fixtureRuns, so that the oracle is checked too.
	assert.Equal(t, int64(75), r.Totals.Findings)
	assert.Equal(t, int64(4), r.Totals.Minors)
	assert.Equal(t, int64(15), r.Totals.Objects)
	assert.Equal(t, int64(4), r.Totals.Runs)
	assert.Equal(t, int64(5), r.Totals.FindingsFiles)
	assert.Equal(t, int64(5), r.Totals.ObjectsFiles)
	assert.Equal(t, "2026-11-20", r.FirstDate)
	assert.Equal(t, "2026-11-24", r.LastDate)
	assert.Equal(t, Levels{"S1": 3, "S2": 44, "S3": 23, "S4": 5}, r.BySensitivity)

	cats := make([]string, 0, len(r.ByCategory))
	for _, c := range r.ByCategory {
		cats = append(cats, c.Category)
	}
	assert.Equal(t, []string{"identity", "contact", "financial_account", "network", "whereabouts", "biometric", "medical_health"}, cats,
		"categories in DESIGN.md order")
	assert.Equal(t, CategoryCount{Category: "identity", Total: 16, Levels: Levels{"S1": 3, "S3": 9, "S4": 4}, Minors: 4}, r.ByCategory[0])
	assert.Equal(t, DataTypeCount{DataType: "cn_mobile", Category: "contact", Total: 25, Levels: Levels{"S2": 25}}, r.ByDataType[0])
	assert.Equal(t, []DayCount{
		{Date: "2026-11-20", Runs: 1, Objects: 6, Findings: 27, Levels: Levels{"S2": 16, "S3": 9, "S4": 2}, Minors: 2},
		{Date: "2026-11-21", Runs: 1, Objects: 4, Findings: 34, Levels: Levels{"S2": 28, "S3": 4, "S4": 2}, Minors: 2},
		{Date: "2026-11-23", Runs: 1, Objects: 4, Findings: 13, Levels: Levels{"S1": 3, "S3": 9, "S4": 1}},
		{Date: "2026-11-24", Runs: 1, Objects: 1, Findings: 1, Levels: Levels{"S3": 1}},
	}, r.ByDay)
	assert.Equal(t, []StatusCount{
		{Status: "complete", Objects: 10, Reasons: []ReasonCount{}},
		{Status: "partial", Objects: 1, Reasons: []ReasonCount{{"timeout", 1}}},
		{Status: "skipped", Objects: 3, Reasons: []ReasonCount{{"storage_class", 1}, {"too_large", 1}, {"unsupported_format", 1}}},
		{Status: "failed", Objects: 1, Reasons: []ReasonCount{{"permission_denied", 1}}},
	}, r.ObjectsByStatus)
}

func TestReportRuns(t *testing.T) {
	t.Parallel()
	r := build(t, fixture(t), Options{})
	require.Len(t, r.Runs, 4)
	ids := []string{}
	for _, run := range r.Runs {
		ids = append(ids, run.ScanID)
	}
	assert.Equal(t, []string{"crashed-20261124", "oss-20261123", "daily-20261121", "daily-20261120"}, ids, "newest first")

	crashed, oss, daily21 := r.Runs[0], r.Runs[1], r.Runs[2]
	assert.True(t, crashed.Latest)
	assert.False(t, crashed.HasSummary, "a run without scans/*.json is still listed")
	assert.Equal(t, []string{"2026-11-24"}, crashed.Dates)
	assert.Equal(t, int64(1), crashed.Findings)

	assert.False(t, oss.Latest)
	assert.True(t, oss.HasSummary)
	assert.Equal(t, 2, oss.Shards, "shards merged into one run")
	assert.Equal(t, on(23), oss.StartedAt)
	assert.Equal(t, on(23).Add(time.Second+90*time.Second), oss.FinishedAt)
	assert.Equal(t, int64(4), oss.Objects)
	assert.Equal(t, int64(13), oss.Findings)
	assert.Equal(t, "test", oss.Version)

	assert.True(t, daily21.Interrupted)
	assert.Equal(t, 1, daily21.Shards)
	assert.Equal(t, int64(90_000), daily21.DurationMS)
}

// TestReportIncompleteShards: a sharded run whose shards did not all
// finish is shown as such: the shard count comes from the file names, a
// shard with neither files nor summary is missing, and one with files but
// no summary crashed or is still running. A dashboard reading the report
// would otherwise take two thirds of a bucket for the whole of it.
func TestReportIncompleteShards(t *testing.T) {
	t.Parallel()
	root := writeFixture(t, filepath.Join(t.TempDir(), "piiscan-out"), []runSpec{
		{scanID: "nightly", shard: sinks.ShardSuffix(1, 3), start: on(24), summary: true, objects: []objSpec{
			complete("oss://bucket/a.csv", tc{"cn_mobile", 2, 0}),
		}},
		{scanID: "nightly", shard: sinks.ShardSuffix(2, 3), start: on(24), objects: []objSpec{
			complete("oss://bucket/b.csv", tc{"email", 1, 0}),
		}},
	})
	r := build(t, root, Options{})
	require.Len(t, r.Runs, 1)
	run := r.Runs[0]
	assert.Equal(t, 2, run.Shards, "shards seen")
	assert.Equal(t, 3, run.ShardCount)
	assert.Equal(t, []int{3}, run.MissingShards)
	assert.Equal(t, []int{2}, run.UnfinishedShards)
	var text strings.Builder
	require.NoError(t, RenderText(&text, r))
	assert.Contains(t, text.String(), "shard 3 of 3 missing")
	assert.Contains(t, text.String(), "shard 2 of 3 without summary (crashed or still running)")

	whole := build(t, fixture(t), Options{})
	for _, run := range whole.Runs {
		assert.Empty(t, run.MissingShards, run.ScanID)
		assert.Empty(t, run.UnfinishedShards, run.ScanID)
	}
	assert.Equal(t, 2, whole.Runs[1].ShardCount, "oss-20261123 has two shards")
	assert.Equal(t, 0, whole.Runs[0].ShardCount, "an unsharded run")
}

func TestReportPrefixes(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	tests := []struct {
		depth int
		want  map[string][3]int64 // objects, with findings, findings
	}{
		{1, map[string][3]int64{
			"file:///data/exports/hr/":    {4, 4, 27},
			"file:///data/exports/crm/":   {2, 2, 22},
			"file:///data/exports/logs/":  {1, 1, 12},
			"file:///data/exports/":       {2, 0, 0},
			"file:///data/exports/x/":     {1, 1, 1},
			"file:///data/exports/media/": {1, 0, 0},
			"oss://bucket/raw/":           {2, 2, 13},
			"oss://bucket/private/":       {1, 0, 0},
			"oss://archive-bucket/":       {1, 0, 0},
		}},
		{2, map[string][3]int64{
			"file:///data/exports/hr/2026/": {3, 3, 22},
			"file:///data/exports/hr/":      {1, 1, 5},
			"file:///data/exports/crm/客户/":  {2, 2, 22},
			"file:///data/exports/logs/":    {1, 1, 12},
			"file:///data/exports/":         {2, 0, 0},
			"file:///data/exports/x/":       {1, 1, 1},
			"file:///data/exports/media/":   {1, 0, 0},
			"oss://bucket/raw/2026/":        {2, 2, 13},
			"oss://bucket/private/":         {1, 0, 0},
			"oss://archive-bucket/":         {1, 0, 0},
		}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("depth=%d", tt.depth), func(t *testing.T) {
			t.Parallel()
			r := build(t, root, Options{PrefixDepth: tt.depth})
			assert.Equal(t, "file:///data/exports/", r.PrefixRoot)
			assert.Equal(t, int64(len(tt.want)), r.PrefixesTotal)
			got := map[string][3]int64{}
			var sum int64
			for _, p := range r.ByPrefix {
				got[p.Prefix] = [3]int64{p.Objects, p.ObjectsWithFindings, p.Findings}
				var lv int64
				for _, v := range p.Levels {
					lv += v
				}
				assert.Equal(t, p.Findings, lv, "levels of %s add up", p.Prefix)
				sum += p.Findings
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, r.Totals.Findings, sum)
			assert.True(t, slices.IsSortedFunc(r.ByPrefix, func(a, b PrefixCount) int {
				return cmp.Or(cmp.Compare(b.Findings, a.Findings), cmp.Compare(b.Objects, a.Objects))
			}), "most findings first")
		})
	}
}

func TestReportPrefixer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, root, object string
		depth              int
		want               string
	}{
		{"oss deep", "", "oss://b/a/b/c/d.csv", 2, "oss://b/a/b/"},
		{"oss shallow", "", "oss://b/d.csv", 2, "oss://b/"},
		{"oss bucket only", "", "oss://b", 2, "oss://b"},
		{"file under root", "file:///d/", "file:///d/x/y/z/f.csv", 1, "file:///d/x/"},
		{"file at root", "file:///d/", "file:///d/f.csv", 3, "file:///d/"},
		{"file outside root", "file:///d/", "file:///e/x/f.csv", 2, "file:///e/"},
		{"stdin", "", "stdin://", 2, "stdin://"},
		{"no scheme", "", "weird", 2, "weird"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := prefixer{depth: tt.depth, root: tt.root}
			assert.Equal(t, tt.want, p.prefix(tt.object))
		})
	}

	t.Run("common directory", func(t *testing.T) {
		t.Parallel()
		var p prefixer
		for _, o := range []string{"file:///data/ab/x/1.csv", "oss://b/k", "file:///data/ab/y/2.csv", "file:///data/abc/3.csv"} {
			p.observe(o)
		}
		assert.Equal(t, "file:///data/", p.root, "cut at a directory boundary, not inside ab/abc")
		p.observe("file:///top.txt")
		assert.Equal(t, "file:///", p.root)
	})
}

func TestReportTopObjects(t *testing.T) {
	t.Parallel()
	r := build(t, fixture(t), Options{Top: 3})
	require.Len(t, r.TopObjects, 3)
	assert.Equal(t, ObjectCount{Object: "file:///data/exports/logs/app.log.gz", ScanID: "daily-20261121", Date: "2026-11-21", Status: "partial",
		Findings: 12, Levels: Levels{"S2": 12}}, r.TopObjects[0])
	// Ties are broken by name. Scanned by two runs with 11 findings each:
	// listed once, with the first run read.
	assert.Equal(t, ObjectCount{Object: "file:///data/exports/crm/客户/名单.csv", ScanID: "daily-20261120", Date: "2026-11-20", Status: "complete",
		Findings: 11, Levels: Levels{"S2": 11}}, r.TopObjects[1])
	// Scanned by two runs: listed once, with the run where it had more.
	assert.Equal(t, ObjectCount{Object: "file:///data/exports/hr/2026/staff.csv", ScanID: "daily-20261121", Date: "2026-11-21", Status: "complete",
		Findings: 11, Levels: Levels{"S2": 5, "S3": 4, "S4": 2}}, r.TopObjects[2])
	assert.Len(t, r.ByPrefix, 3, "--top cuts the prefix table too")
	assert.Len(t, r.ByDataType, 9, "data types are all kept")
}

// TestReportTopObjectsExact checks the bounded top-n against sorting
// everything, on random rows with many repeats and ties.
func TestReportTopObjectsExact(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(6)
		top := newTopObjects(n)
		best := map[string]int64{}
		for range 1 + rng.IntN(80) {
			row := objectRow{Object: fmt.Sprintf("o%d", rng.IntN(25)), Findings: int64(rng.IntN(10)), ScanID: "s"}
			top.offer(&row, "2026-11-23")
			if row.Findings > 0 {
				best[row.Object] = max(best[row.Object], row.Findings)
			}
		}
		var want []string
		for o := range best {
			want = append(want, o)
		}
		slices.SortFunc(want, func(a, b string) int { return cmp.Or(cmp.Compare(best[b], best[a]), cmp.Compare(a, b)) })
		want = want[:min(n, len(want))]
		var gotObjs []string
		for _, o := range top.sorted() {
			gotObjs = append(gotObjs, o.Object)
			assert.Equal(t, best[o.Object], o.Findings)
		}
		require.Equal(t, want, gotObjs, "trial %d", trial)
	}
}

func TestReportFilters(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	data := readDataset(t, root)
	tests := []struct {
		name     string
		opts     Options
		keep     func(dt, scanID string) bool
		wantRuns []string
	}{
		{"since", Options{Since: on(21)}, func(dt, _ string) bool { return dt >= "2026-11-21" },
			[]string{"crashed-20261124", "daily-20261121", "oss-20261123"}},
		{"until", Options{Until: on(21)}, func(dt, _ string) bool { return dt <= "2026-11-21" },
			[]string{"daily-20261120", "daily-20261121"}},
		{"one day", Options{Since: on(23), Until: on(23)}, func(dt, _ string) bool { return dt == "2026-11-23" },
			[]string{"oss-20261123"}},
		{"scan ids", Options{ScanIDs: []string{"daily-20261120", "oss-20261123"}},
			func(_, id string) bool { return id == "daily-20261120" || id == "oss-20261123" },
			[]string{"daily-20261120", "oss-20261123"}},
		{"latest", Options{Latest: true}, func(_, id string) bool { return id == "crashed-20261124" },
			[]string{"crashed-20261124"}},
		{"latest until", Options{Latest: true, Until: on(23)}, func(_, id string) bool { return id == "oss-20261123" },
			[]string{"oss-20261123"}},
		{"unknown scan id", Options{ScanIDs: []string{"nope"}}, func(string, string) bool { return false }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := build(t, root, tt.opts)
			want := data.expect(tt.keep)
			want.runs = tt.wantRuns
			assert.Equal(t, want, got(r))
			if len(r.Runs) > 0 {
				assert.True(t, r.Runs[0].Latest)
			}
		})
	}
}

func TestReportProblems(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	want := readDataset(t, root).expect(func(string, string) bool { return true })
	dt := filepath.Join(root, "findings", "dt=2026-11-22")
	require.NoError(t, os.MkdirAll(dt, 0o755))
	// A truncated file, a Parquet file of another schema, a file outside
	// a partition, a broken summary, and a run still in progress (hidden
	// temporary file: not a problem, just invisible).
	require.NoError(t, os.WriteFile(filepath.Join(dt, "truncated.parquet"), []byte("PAR1 not really"), 0o644))
	require.NoError(t, parquet.WriteFile(filepath.Join(dt, "other.parquet"), []struct {
		Category int64 `parquet:"category"`
	}{{1}}))
	require.NoError(t, os.WriteFile(filepath.Join(root, "findings", "stray.parquet"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "scans", "broken.json"), []byte("{"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dt, ".running.parquet.tmp"), []byte("x"), 0o644))
	odt := filepath.Join(root, "objects", "dt=2026-11-22")
	require.NoError(t, os.MkdirAll(odt, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(odt, "truncated.parquet"), []byte("PAR1"), 0o644))
	// A file whose footer is not Parquet's magic: parquet-go quotes the
	// four bytes it found, here digits of a value.
	require.NoError(t, os.WriteFile(filepath.Join(odt, "foreign.parquet"), []byte("PAR1 row 13812348000 1234"), 0o644))

	r := build(t, root, Options{})
	paths := []string{}
	for _, p := range r.Problems {
		paths = append(paths, p.Path)
		assert.NotEmpty(t, p.Error)
		assert.NotContains(t, p.Error, root, "problems name files relative to the dataset")
		assert.NotContains(t, p.Error, "1234", "problems quote no bytes of the file")
	}
	assert.Equal(t, []string{
		"findings/dt=2026-11-22/other.parquet",
		"findings/dt=2026-11-22/truncated.parquet",
		"findings/stray.parquet",
		"objects/dt=2026-11-22/foreign.parquet",
		"objects/dt=2026-11-22/truncated.parquet",
		"scans/broken.json",
	}, paths, "each once, although the objects table is read twice")
	assert.Equal(t, want, got(r), "the readable files are all counted")
}

func TestReportNotDataset(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "file.txt")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))
	for _, root := range []string{filepath.Join(dir, "missing"), file, empty} {
		_, err := Build(t.Context(), root, Options{})
		assert.ErrorIs(t, err, ErrNotDataset, root)
	}

	// An empty dataset (a scan of nothing) is a dataset.
	require.NoError(t, os.Mkdir(filepath.Join(empty, "scans"), 0o755))
	r := build(t, empty, Options{})
	assert.Equal(t, Totals{}, r.Totals)
	assert.Empty(t, r.Runs)
	assert.NotNil(t, r.ByCategory)
}

func TestReportOptionsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		ok   bool
	}{
		{"zero", Options{}, true},
		{"depth", Options{PrefixDepth: -1}, false},
		{"deep", Options{PrefixDepth: MaxPrefixDepth + 1}, false},
		{"top", Options{Top: -3}, false},
		{"range", Options{Since: on(22), Until: on(21)}, false},
		{"same day", Options{Since: on(21), Until: on(21).Add(time.Hour)}, true},
		{"empty scan id", Options{ScanIDs: []string{""}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.opts.Validate()
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

// TestReportManyRows streams a file of many row groups and checks the
// totals; it is the bounded-memory path of a big dataset.
func TestReportManyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100,000 findings")
	}
	t.Parallel()
	const n = 100_000
	run := runSpec{scanID: "big", start: on(23), rowGroupRows: 16 << 10, objects: []objSpec{
		complete("oss://b/big/a.csv", tc{"cn_mobile", n / 2, 0}, tc{"email", n / 4, 0}),
		complete("oss://b/big/b.csv", tc{"bank_card", n / 4, 0}),
	}}
	root := writeFixture(t, t.TempDir(), []runSpec{run})
	r := build(t, root, Options{})
	assert.Equal(t, int64(n), r.Totals.Findings)
	assert.Equal(t, Levels{"S2": 3 * n / 4, "S3": n / 4}, r.BySensitivity)
	assert.Equal(t, int64(n/4*3), r.TopObjects[0].Findings)
	assert.Equal(t, scanner.StatusComplete, scanner.Status(r.TopObjects[0].Status))
}
