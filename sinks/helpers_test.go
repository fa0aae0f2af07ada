package sinks

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// update rewrites the golden files: go test ./sinks -update
var update = flag.Bool("update", false, "rewrite testdata/golden files")

const (
	goldenDir = "../testdata/golden"
	testScan  = "scan-20261123T083000Z-test"
)

// testDate is the dt= partition of every test dataset; a time late in the
// UTC day in another zone checks that the partition uses the UTC date.
var testDate = time.Date(2026, 11, 24, 7, 30, 0, 0, time.FixedZone("CST", 8*3600))

// scannedAt is a fixed scan time with milliseconds, to check that the
// millisecond precision survives the round trip.
var scannedAt = time.Date(2026, 11, 23, 8, 30, 0, 123_000_000, time.UTC)

func ptr[T any](v T) *T { return &v }

// fakeFP returns an obviously fake 64-hex-digit fingerprint.
func fakeFP(n int) string { return fmt.Sprintf("%064x", n) }

// sampleResults returns synthetic results covering every status, nullable
// columns set and unset, a minor and a finding whose scan id and time the
// sink must fill in. Values are masked forms only; nothing here is a raw
// identifier.
func sampleResults() []*scanner.ObjectResult {
	const rs = "builtin@2026.11+sha256:feedc0de"
	base := scanner.Finding{ScanID: testScan, ScannedAt: scannedAt, Ruleset: rs}
	with := func(f scanner.Finding, edit func(*scanner.Finding)) scanner.Finding {
		edit(&f)
		return f
	}
	return []*scanner.ObjectResult{
		{
			Info:      scanner.ObjectInfo{Source: "file", Key: "file:///data/customers.csv", Name: "customers.csv", Size: 2048, ModTime: time.Unix(1_790_000_000, 0)},
			ScannedAt: scannedAt, Status: scanner.StatusComplete, Format: "csv", Encoding: "utf-8",
			BytesScanned: 2048, Duration: 12 * time.Millisecond,
			Findings: []scanner.Finding{
				with(base, func(f *scanner.Finding) {
					f.Object, f.ObjectVersion, f.Format = "file:///data/customers.csv", "2048-1790000000000000000", "csv"
					f.Line, f.Column, f.Record, f.Field = ptr[int64](2), ptr[int64](7), ptr[int64](0), ptr("phone")
					f.ByteOffset, f.Length = 40, 11
					f.DataType, f.Category, f.Sensitivity, f.Confidence = "cn_mobile", "contact", "S2", 0.9
					f.MaskedValue, f.Fingerprint, f.Evidence = "138****8000", fakeFP(1), "segment,field:phone"
				}),
				with(base, func(f *scanner.Finding) {
					f.Object, f.ObjectVersion, f.Format = "file:///data/customers.csv", "2048-1790000000000000000", "csv"
					f.Line, f.Column, f.Record, f.Field = ptr[int64](2), ptr[int64](19), ptr[int64](0), ptr("id_no")
					f.ByteOffset, f.Length = 52, 18
					f.DataType, f.Category, f.Sensitivity, f.Confidence, f.Minor = "cn_resident_id", "identity", "S4", 1, true
					f.MaskedValue, f.Fingerprint, f.Evidence = "110***********123X", fakeFP(2), "checksum,field:id_no"
				}),
				with(base, func(f *scanner.Finding) {
					// A worker that left scan id and time empty: the sink stamps them.
					f.ScanID, f.ScannedAt = "", time.Time{}
					f.Object, f.ObjectVersion, f.Format = "file:///data/customers.csv", "2048-1790000000000000000", "csv"
					f.Line, f.Column, f.Record, f.Field = ptr[int64](3), ptr[int64](7), ptr[int64](1), ptr("email")
					f.ByteOffset, f.Length = 90, 16
					f.DataType, f.Category, f.Sensitivity, f.Confidence = "email", "contact", "S2", 0.75
					f.MaskedValue, f.Fingerprint, f.Evidence = "a***@example.com", fakeFP(3), "keyword:email"
				}),
			},
			Columns: []scanner.ColumnVerdict{{Column: "phone", DataType: "cn_mobile", Share: 0.95, Sampled: 100}},
			Notes:   []string{"file name suggests an ID card scan"},
		},
		{
			Info:      scanner.ObjectInfo{Source: "oss", Key: "oss://bucket/logs/archive.zip", Name: "logs/archive.zip", Size: 4096, ETag: `"5D41402ABC4B2A76B9719D911017C592"`},
			ScannedAt: scannedAt.Add(time.Second), Status: scanner.StatusPartial, Reason: scanner.ReasonTimeout,
			Err:    &scanner.ObjectError{Key: "oss://bucket/logs/archive.zip", Op: "scan", Reason: scanner.ReasonTimeout, Err: context.DeadlineExceeded},
			Format: "zip/text", Encoding: "utf-8", BytesScanned: 1500, Duration: 30 * time.Second,
			Findings: []scanner.Finding{
				with(base, func(f *scanner.Finding) {
					f.ScannedAt = scannedAt.Add(time.Second)
					f.Object, f.ObjectVersion, f.Format = "oss://bucket/logs/archive.zip", `"5D41402ABC4B2A76B9719D911017C592"`, "text"
					f.ContainerPath, f.Line, f.Column = ptr("logs/a.txt"), ptr[int64](14), ptr[int64](1)
					f.ByteOffset, f.Length = 1024, 12
					f.DataType, f.Category, f.Sensitivity, f.Confidence = "ipv4", "network", "S2", 0.5
					f.MaskedValue, f.Fingerprint, f.Evidence = "10.20.*.*", fakeFP(4), "pattern"
				}),
			},
			Notes: []string{"file name suggests an ID card scan"}, // duplicate: kept once
		},
		{
			Info:      scanner.ObjectInfo{Source: "file", Key: "file:///data/big.bin", Name: "big.bin", Size: 1 << 40, ModTime: time.Unix(1_790_000_000, 0)},
			ScannedAt: scannedAt, Status: scanner.StatusSkipped, Reason: scanner.ReasonTooLarge,
			Err: &scanner.ObjectError{Key: "file:///data/big.bin", Op: "open", Reason: scanner.ReasonTooLarge, Err: scanner.ErrTooLarge},
		},
		{
			Info:      scanner.ObjectInfo{Source: "oss", Key: "oss://bucket/private/report.json", Name: "private/report.json", Size: 512, ETag: `"C4CA4238A0B923820DCC509A6F75849B"`},
			ScannedAt: scannedAt, Status: scanner.StatusFailed, Reason: scanner.ReasonPermissionDenied,
			Err: &scanner.ObjectError{Key: "oss://bucket/private/report.json", Op: "get oss object", Reason: scanner.ReasonPermissionDenied, Err: errors.New("AccessDenied")},
		},
		{
			Info:      scanner.ObjectInfo{Source: "stdin", Key: "stdin://", Name: "-", Size: -1},
			ScannedAt: scannedAt, Status: scanner.StatusComplete, Format: "text", Encoding: "utf-8", BytesScanned: 10,
		},
	}
}

// testConfig returns a sink configuration writing under root.
func testConfig(root string) ParquetConfig {
	return ParquetConfig{Root: root, ScanID: testScan, Date: testDate}
}

// writeDataset writes results with a new sink and closes it.
func writeDataset(t *testing.T, cfg ParquetConfig, results []*scanner.ObjectResult) *Parquet {
	t.Helper()
	p, err := NewParquet(cfg)
	require.NoError(t, err)
	for _, r := range results {
		require.NoError(t, p.WriteObject(t.Context(), r))
	}
	require.NoError(t, p.Close())
	return p
}

// readRows reads every row of a Parquet file.
func readRows[T any](t *testing.T, path string) []T {
	t.Helper()
	rows, err := parquet.ReadFile[T](path)
	require.NoError(t, err)
	return rows
}

// sortFindings orders findings the way tests compare them: arrival order
// is not a contract (DESIGN.md section 3).
func sortFindings(fs []scanner.Finding) {
	slices.SortFunc(fs, func(a, b scanner.Finding) int {
		return cmp.Or(cmp.Compare(a.Object, b.Object), cmp.Compare(a.ByteOffset, b.ByteOffset))
	})
}

func sortObjects(rows []scanner.ObjectRow) {
	slices.SortFunc(rows, func(a, b scanner.ObjectRow) int { return cmp.Compare(a.Object, b.Object) })
}

// assertGolden compares got, as indented JSON, with testdata/golden/name,
// or rewrites the file under -update.
func assertGolden(t *testing.T, name string, got any) {
	t.Helper()
	var data []byte
	if s, ok := got.(string); ok {
		data = []byte(s)
	} else {
		var err error
		data, err = json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		data = append(data, '\n')
	}
	path := filepath.Join(goldenDir, name)
	if *update {
		require.NoError(t, os.MkdirAll(goldenDir, 0o755))
		require.NoError(t, os.WriteFile(path, data, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./sinks -update")
	if filepath.Ext(name) == ".json" {
		require.JSONEq(t, string(want), string(data), "golden %s; run go test ./sinks -update and review the diff", name)
		return
	}
	require.Equal(t, string(want), string(data), "golden %s; run go test ./sinks -update and review the diff", name)
}

// globParquet lists the visible *.parquet files of a dataset, as a reader
// globbing ROOT/*/dt=*/*.parquet would.
func globParquet(t *testing.T, root string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(root, "*", "dt=*", "*.parquet"))
	require.NoError(t, err)
	return m
}
