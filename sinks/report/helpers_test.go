package report

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// catalogue gives the category, level and a masked form of the data
// types the fixtures use. Masked values are obviously synthetic; the
// tests check that none of them reaches a report.
var catalogue = map[string]struct{ category, level, masked string }{
	"cn_resident_id": {"identity", "S3", "110***********000X"},
	"cn_mobile":      {"contact", "S2", "138****0000"},
	"email":          {"contact", "S2", "t***@example.invalid"},
	"bank_card":      {"financial_account", "S3", "622202******0000"},
	"ipv4":           {"network", "S2", "10.0.*.*"},
	"gps_coordinate": {"whereabouts", "S3", "39.90,116.40"},
	"face_feature":   {"biometric", "S4", "<redacted:face_feature>"},
	"medical_health": {"medical_health", "S3", "<redacted:medical_health>"},
	"employee_no":    {"identity", "S1", "EMP-****00"}, // a user rule
}

// tc is a number of findings of one data type.
type tc struct {
	typ    string
	n      int
	minors int // the first minors of them are about minors (level S4)
}

type objSpec struct {
	key      string
	status   scanner.Status
	reason   scanner.Reason
	size     int64
	etag     string // "" is "etag"
	findings []tc
}

type runSpec struct {
	scanID, shard string
	start         time.Time
	summary       bool
	interrupted   bool
	rowGroupRows  int64 // 0: 7, so that files have several row groups
	objects       []objSpec
}

func on(d int) time.Time { return time.Date(2026, 11, d, 9, 30, 0, 0, time.UTC) }

func complete(key string, fs ...tc) objSpec {
	return objSpec{key: key, status: scanner.StatusComplete, size: 4096, findings: fs}
}

func notDone(key string, st scanner.Status, reason scanner.Reason, fs ...tc) objSpec {
	return objSpec{key: key, status: st, reason: reason, size: 1 << 20, findings: fs}
}

// hostileName is an object name with markup and a terminal escape.
const hostileName = "file:///data/exports/x/<img src=x onerror=alert(1)>\x1b[31m.csv"

// fixtureRuns is the shared dataset: four runs on four days, local and
// OSS objects, a sharded run, a run without summary (crashed), an object
// scanned twice, every status, a Chinese path and a hostile name.
func fixtureRuns() []runSpec {
	return []runSpec{
		{scanID: "daily-20261120", start: on(20), summary: true, objects: []objSpec{
			complete("file:///data/exports/hr/2026/staff.csv", tc{"cn_resident_id", 6, 2}, tc{"cn_mobile", 4, 0}),
			complete("file:///data/exports/hr/payroll.csv", tc{"bank_card", 5, 0}),
			complete("file:///data/exports/crm/客户/名单.csv", tc{"cn_mobile", 8, 0}, tc{"email", 3, 0}),
			complete("file:///data/exports/readme.txt"),
			complete(hostileName, tc{"email", 1, 0}),
			notDone("file:///data/exports/media/photo.jpg", scanner.StatusSkipped, scanner.ReasonUnsupported),
		}},
		{scanID: "daily-20261121", start: on(21), summary: true, interrupted: true, objects: []objSpec{
			complete("file:///data/exports/hr/2026/staff.csv", tc{"cn_resident_id", 6, 2}, tc{"cn_mobile", 5, 0}),
			complete("file:///data/exports/crm/客户/名单.csv", tc{"cn_mobile", 8, 0}, tc{"email", 3, 0}),
			notDone("file:///data/exports/logs/app.log.gz", scanner.StatusPartial, scanner.ReasonTimeout, tc{"ipv4", 12, 0}),
			notDone("file:///data/exports/big.bin", scanner.StatusSkipped, scanner.ReasonTooLarge),
		}},
		{scanID: "oss-20261123", shard: sinks.ShardSuffix(1, 2), start: on(23), summary: true, objects: []objSpec{
			complete("oss://bucket/raw/2026/11/events.jsonl", tc{"gps_coordinate", 7, 0}, tc{"face_feature", 1, 0}),
			notDone("oss://bucket/private/report.json", scanner.StatusFailed, scanner.ReasonPermissionDenied),
		}},
		{scanID: "oss-20261123", shard: sinks.ShardSuffix(2, 2), start: on(23).Add(time.Second), summary: true, objects: []objSpec{
			complete("oss://bucket/raw/2026/12/x.jsonl", tc{"medical_health", 2, 0}, tc{"employee_no", 3, 0}),
			notDone("oss://archive-bucket/cold.csv", scanner.StatusSkipped, scanner.ReasonStorageClass),
		}},
		{scanID: "crashed-20261124", start: on(24), objects: []objSpec{
			complete("file:///data/exports/hr/2026/new.csv", tc{"cn_resident_id", 1, 0}),
		}},
	}
}

// results turns a spec into sink input.
func (o objSpec) result(start time.Time) *scanner.ObjectResult {
	r := &scanner.ObjectResult{
		Info:      scanner.ObjectInfo{Key: o.key, Name: filepath.Base(o.key), Size: o.size, ETag: cmp.Or(o.etag, "etag")},
		ScannedAt: start.Add(time.Minute), Status: o.status, Reason: o.reason,
		Format: "csv", Encoding: "utf-8", BytesScanned: o.size / 2, Duration: time.Second,
	}
	if o.reason != "" {
		r.Err = &scanner.ObjectError{Key: o.key, Op: "scan", Reason: o.reason}
	}
	n := 0
	for _, c := range o.findings {
		cat := catalogue[c.typ]
		for i := range c.n {
			f := scanner.Finding{
				Object: o.key, Format: "csv", ByteOffset: int64(n * 40), Length: 11,
				DataType: c.typ, Category: cat.category, Sensitivity: cat.level, Confidence: 0.9,
				MaskedValue: cat.masked, Fingerprint: fmt.Sprintf("%064x", 0xfeed0000+n), Evidence: "test",
				Ruleset: "builtin@test",
			}
			if i < c.minors {
				f.Minor, f.Sensitivity = true, "S4"
			}
			r.Findings = append(r.Findings, f)
			n++
		}
	}
	return r
}

// writeFixture writes runs under root with the real sink and summary
// writer, and returns root.
func writeFixture(t testing.TB, root string, runs []runSpec) string {
	t.Helper()
	for _, run := range runs {
		p, err := sinks.NewParquet(sinks.ParquetConfig{Root: root, ScanID: run.scanID, Shard: run.shard, Date: run.start, RowGroupRows: cmp.Or(run.rowGroupRows, 7)})
		require.NoError(t, err)
		for _, o := range run.objects {
			require.NoError(t, p.WriteObject(t.Context(), o.result(run.start)))
		}
		require.NoError(t, p.Close())
		if !run.summary {
			continue
		}
		s := sinks.Summary{
			Version: "test", ScanID: run.scanID, Shard: run.shard, StartedAt: run.start, FinishedAt: run.start.Add(90 * time.Second),
			Targets: []string{"/data/exports"}, Interrupted: run.interrupted,
		}
		p.FillSummary(&s)
		_, err = sinks.WriteSummary(root, s)
		require.NoError(t, err)
	}
	return root
}

// fixture writes the shared dataset into a fresh directory.
func fixture(t testing.TB) string {
	t.Helper()
	return writeFixture(t, filepath.Join(t.TempDir(), "piiscan-out"), fixtureRuns())
}

// dataset is every row of a dataset, read whole with the full row types:
// the oracle the report is checked against.
type dataset struct {
	findings map[string][]scanner.Finding // by dt
	objects  map[string][]scanner.ObjectRow
}

func readDataset(t testing.TB, root string) dataset {
	t.Helper()
	d := dataset{findings: map[string][]scanner.Finding{}, objects: map[string][]scanner.ObjectRow{}}
	for _, table := range []string{"findings", "objects"} {
		files, err := filepath.Glob(filepath.Join(root, table, "dt=*", "*.parquet"))
		require.NoError(t, err)
		for _, f := range files {
			dt := filepath.Base(filepath.Dir(f))[len("dt="):]
			if table == "findings" {
				rows, err := parquet.ReadFile[scanner.Finding](f)
				require.NoError(t, err)
				d.findings[dt] = append(d.findings[dt], rows...)
			} else {
				rows, err := parquet.ReadFile[scanner.ObjectRow](f)
				require.NoError(t, err)
				d.objects[dt] = append(d.objects[dt], rows...)
			}
		}
	}
	return d
}

// expect is the oracle's view of a report: plain counting over the rows
// kept by keep (dt, scan id).
type expect struct {
	findings, minors, objects, withFindings, bytes int64
	byLevel                                        Levels
	byCategory                                     map[string]Levels
	byType                                         map[string]int64
	byDay                                          map[string]int64
	objectsByDay                                   map[string]int64
	byStatus                                       map[string]int64
	byReason                                       map[string]int64
	runs                                           []string
}

func (d dataset) expect(keep func(dt, scanID string) bool) expect {
	e := expect{byLevel: Levels{}, byCategory: map[string]Levels{}, byType: map[string]int64{}, byDay: map[string]int64{},
		objectsByDay: map[string]int64{}, byStatus: map[string]int64{}, byReason: map[string]int64{}}
	runs := map[string]bool{}
	for dt, rows := range d.findings {
		for _, f := range rows {
			if !keep(dt, f.ScanID) {
				continue
			}
			e.findings++
			if f.Minor {
				e.minors++
			}
			e.byLevel[f.Sensitivity]++
			if e.byCategory[f.Category] == nil {
				e.byCategory[f.Category] = Levels{}
			}
			e.byCategory[f.Category][f.Sensitivity]++
			e.byType[f.DataType]++
			e.byDay[dt]++
			runs[f.ScanID] = true
		}
	}
	for dt, rows := range d.objects {
		for _, o := range rows {
			if !keep(dt, o.ScanID) {
				continue
			}
			e.objects++
			e.bytes += o.BytesScanned
			if o.Findings > 0 {
				e.withFindings++
			}
			e.objectsByDay[dt]++
			e.byStatus[o.Status]++
			if o.Reason != "" {
				e.byReason[o.Status+"/"+o.Reason]++
			}
			runs[o.ScanID] = true
		}
	}
	for id := range runs {
		e.runs = append(e.runs, id)
	}
	slices.Sort(e.runs)
	return e
}

// got is the same view taken from a report.
func got(r *Report) expect {
	e := expect{findings: r.Totals.Findings, minors: r.Totals.Minors, objects: r.Totals.Objects, withFindings: r.Totals.ObjectsWithFindings,
		bytes: r.Totals.BytesScanned, byLevel: r.BySensitivity, byCategory: map[string]Levels{}, byType: map[string]int64{},
		byDay: map[string]int64{}, objectsByDay: map[string]int64{}, byStatus: map[string]int64{}, byReason: map[string]int64{}}
	for _, c := range r.ByCategory {
		e.byCategory[c.Category] = c.Levels
	}
	for _, d := range r.ByDataType {
		e.byType[d.DataType] = d.Total
	}
	for _, d := range r.ByDay {
		if d.Findings > 0 {
			e.byDay[d.Date] = d.Findings
		}
		if d.Objects > 0 {
			e.objectsByDay[d.Date] = d.Objects
		}
	}
	for _, s := range r.ObjectsByStatus {
		e.byStatus[s.Status] = s.Objects
		for _, x := range s.Reasons {
			e.byReason[s.Status+"/"+x.Reason] = x.Objects
		}
	}
	for _, run := range r.Runs {
		e.runs = append(e.runs, run.ScanID)
	}
	slices.Sort(e.runs)
	return e
}

// fixedNow makes GeneratedAt reproducible.
func fixedNow() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }
