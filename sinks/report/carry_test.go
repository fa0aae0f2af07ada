package report

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// unchanged is the row an incremental run writes for an object it did not
// read again.
func unchanged(key, etag string) objSpec {
	o := notDone(key, scanner.StatusSkipped, scanner.ReasonUnchanged)
	o.etag = etag
	return o
}

func withETag(o objSpec, etag string) objSpec {
	o.etag = etag
	return o
}

// incrementalRuns are three runs of a daily incremental job: b changed
// on the 21st, d was deleted, e is new on the 22nd, and f's last real
// scan is not in the dataset any more.
func incrementalRuns() []runSpec {
	return []runSpec{
		{scanID: "r1", start: on(20), summary: true, objects: []objSpec{
			complete("file:///d/a.csv", tc{"cn_mobile", 3, 0}),
			complete("file:///d/b.csv", tc{"bank_card", 2, 0}),
			complete("file:///d/c.csv", tc{"email", 1, 0}),
			complete("file:///d/d.csv", tc{"ipv4", 5, 0}),
		}},
		{scanID: "r2", start: on(21), summary: true, objects: []objSpec{
			unchanged("file:///d/a.csv", "etag"),
			withETag(complete("file:///d/b.csv", tc{"bank_card", 1, 0}), "v2"),
			unchanged("file:///d/c.csv", "etag"),
		}},
		{scanID: "r3", start: on(22), summary: true, objects: []objSpec{
			unchanged("file:///d/a.csv", "etag"),
			unchanged("file:///d/b.csv", "v2"),
			unchanged("file:///d/c.csv", "etag"),
			complete("file:///d/e.csv", tc{"email", 2, 0}),
			unchanged("file:///d/f.csv", "v9"),
		}},
	}
}

// TestReportOneRunCountsUnchangedObjects: the report of one run of an
// incremental job counts each object it listed as unchanged with the
// object's last real scan, not as an object without findings (the report
// of a day on which nothing changed said 0 findings).
func TestReportOneRunCountsUnchangedObjects(t *testing.T) {
	t.Parallel()
	root := writeFixture(t, filepath.Join(t.TempDir(), "out"), incrementalRuns())

	latest := build(t, root, Options{Latest: true})
	assert.Equal(t, int64(7), latest.Totals.Findings, "a 3 (r1), b 1 (r2, its version), c 1 (r1), e 2")
	assert.Equal(t, int64(5), latest.Totals.Objects)
	assert.Equal(t, int64(4), latest.Totals.ObjectsWithFindings)
	assert.Equal(t, int64(3), latest.Totals.CarriedObjects)
	assert.Equal(t, []string{"r2", "r1"}, latest.CarriedFrom)
	assert.Equal(t, Levels{"S2": 6, "S3": 1}, latest.BySensitivity)
	assert.Equal(t, []StatusCount{
		{Status: "complete", Objects: 4, Reasons: []ReasonCount{}},
		{Status: "skipped", Objects: 1, Reasons: []ReasonCount{{"unchanged", 1}}}, // f: nothing to carry
	}, latest.ObjectsByStatus)
	require.Len(t, latest.Runs, 1)
	assert.Equal(t, "r3", latest.Runs[0].ScanID)
	assert.Equal(t, int64(5), latest.Runs[0].Objects)
	assert.Equal(t, int64(2), latest.Runs[0].Findings, "the run's own findings")
	top := map[string]string{}
	for _, o := range latest.TopObjects {
		top[o.Object] = o.ScanID
	}
	assert.Equal(t, map[string]string{"file:///d/a.csv": "r1", "file:///d/b.csv": "r2", "file:///d/c.csv": "r1", "file:///d/e.csv": "r3"}, top,
		"a carried object names the run its findings come from")
	var text bytes.Buffer
	require.NoError(t, RenderText(&text, latest))
	assert.Contains(t, text.String(), "note: 3 objects unchanged since an earlier scan (--incremental) are counted with their last scan, from r2, r1\n")

	since := build(t, root, Options{Latest: true, Since: on(22)})
	assert.Equal(t, int64(7), since.Totals.Findings, "the last real scan may be older than --since")

	r2 := build(t, root, Options{ScanIDs: []string{"r2"}})
	assert.Equal(t, int64(5), r2.Totals.Findings, "a 3 and c 1 from r1, b 1")
	assert.Equal(t, []string{"r1"}, r2.CarriedFrom)

	all := build(t, root, Options{})
	assert.Equal(t, int64(14), all.Totals.Findings, "every run's own rows, as before")
	assert.Zero(t, all.Totals.CarriedObjects)
	assert.Equal(t, []string{}, all.CarriedFrom)
	two := build(t, root, Options{ScanIDs: []string{"r2", "r3"}})
	assert.Equal(t, int64(3), two.Totals.Findings, "several runs: their own rows")
}
