package sinks

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks/sinkstest"
)

func TestDuckDBReadsDataset(t *testing.T) {
	sinkstest.RequireDuckDB(t)
	t.Parallel()

	full := t.TempDir()
	writeDataset(t, testConfig(full), sampleResults())
	// A run still in progress in the same partitions: its temporary files
	// must be invisible to the glob.
	open := testConfig(full)
	open.ScanID = "scan-still-running"
	running, err := NewParquet(open)
	require.NoError(t, err)
	require.NoError(t, running.WriteObject(t.Context(), sampleResults()[0]))
	t.Cleanup(func() { _ = running.Abort() })

	empty := t.TempDir()
	writeDataset(t, testConfig(empty), nil)

	var wantFindings, wantObjects int
	for _, r := range sampleResults() {
		wantFindings += len(r.Findings)
		wantObjects++
	}
	tests := []struct {
		name      string
		root      string
		table     string
		wantRows  int
		wantTypes []sinkstest.DuckDBColumn
	}{
		{"findings", full, findingsTable, wantFindings, sinkstest.FindingsDuckDBTypes},
		{"objects", full, objectsTable, wantObjects, sinkstest.ObjectsDuckDBTypes},
		{"empty findings", empty, findingsTable, 0, sinkstest.FindingsDuckDBTypes},
		{"empty objects", empty, objectsTable, 0, sinkstest.ObjectsDuckDBTypes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := sinkstest.DuckDBQuery(t, "SELECT * FROM "+sinkstest.ReadParquetSQL(tt.root, tt.table))
			assert.Equal(t, tt.wantTypes, res.Columns)
			assert.Len(t, res.Rows, tt.wantRows)
			for _, row := range res.Rows {
				assert.Equal(t, "2026-11-23", row["dt"])
				assert.Equal(t, testScan, row["scan_id"])
			}
		})
	}

	t.Run("values", func(t *testing.T) {
		t.Parallel()
		res := sinkstest.DuckDBQuery(t, `SELECT
			count(*) FILTER (WHERE line IS NULL) AS no_line,
			count(*) FILTER (WHERE record IS NULL) AS no_record,
			count(*) FILTER (WHERE container_path = 'logs/a.txt') AS in_archive,
			count(*) FILTER (WHERE minor) AS minors,
			min(scanned_at) AS first_scanned,
			max(length) AS max_length,
			round(max(confidence), 2) AS max_confidence
			FROM `+sinkstest.ReadParquetSQL(full, findingsTable))
		require.Len(t, res.Rows, 1)
		assert.Equal(t, map[string]any{
			"no_line": 0.0, "no_record": 1.0, "in_archive": 1.0, "minors": 1.0,
			"first_scanned": "2026-11-23 08:30:00.123+00", "max_length": 18.0, "max_confidence": 1.0,
		}, res.Rows[0])
	})

	t.Run("every listed object has one row", func(t *testing.T) {
		t.Parallel()
		res := sinkstest.DuckDBQuery(t, `SELECT count(*) AS listed, count(DISTINCT object) AS distinct_objects,
			count(*) FILTER (WHERE status IN ('complete', 'partial', 'skipped', 'failed')) AS accounted,
			sum(findings) AS findings
			FROM `+sinkstest.ReadParquetSQL(full, objectsTable))
		require.Len(t, res.Rows, 1)
		assert.Equal(t, map[string]any{
			"listed": float64(wantObjects), "distinct_objects": float64(wantObjects),
			"accounted": float64(wantObjects), "findings": float64(wantFindings),
		}, res.Rows[0])
	})
}

// TestDuckDBReadsManyPages: a findings file large enough that every column
// spans many pages (pageBufferSize) and the row group splits, read back by
// DuckDB with the same count, sums and distinct values as were written.
func TestDuckDBReadsManyPages(t *testing.T) {
	sinkstest.RequireDuckDB(t)
	t.Parallel()
	root := t.TempDir()
	cfg := testConfig(root)
	cfg.RowGroupRows = 15000
	const n = 40000
	r := sampleResults()[0]
	tmpl := r.Findings[0]
	r.Findings = make([]scanner.Finding, n)
	var sumOffsets int64
	for i := range r.Findings {
		f := tmpl
		f.ByteOffset = int64(i) * 37
		f.Fingerprint = fakeFP(i)
		f.MaskedValue = fmt.Sprintf("138****%04d", i%10000)
		r.Findings[i] = f
		sumOffsets += f.ByteOffset
	}
	findingsPath, _ := writeDataset(t, cfg, []*scanner.ObjectResult{r}).Paths()
	pages := countPages(t, findingsPath, "fingerprint")
	t.Logf("fingerprint pages: %d", pages)
	require.Greater(t, pages, 30, "the file has many pages")

	res := sinkstest.DuckDBQuery(t, `SELECT count(*) AS n, sum(byte_offset) AS offsets,
		count(DISTINCT fingerprint) AS fingerprints, count(DISTINCT masked_value) AS masks
		FROM `+sinkstest.ReadParquetSQL(root, findingsTable))
	require.Len(t, res.Rows, 1)
	assert.Equal(t, map[string]any{
		"n": float64(n), "offsets": float64(sumOffsets), "fingerprints": float64(n), "masks": 10000.0,
	}, res.Rows[0])
}

// countPages counts the data pages of a column over all row groups.
func countPages(t *testing.T, path, column string) int {
	t.Helper()
	f := openParquet(t, path)
	leaf, ok := f.Schema().Lookup(column)
	require.True(t, ok, column)
	n := 0
	for _, rg := range f.RowGroups() {
		pages := rg.ColumnChunks()[leaf.ColumnIndex].Pages()
		for {
			_, err := pages.ReadPage()
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err)
			n++
		}
		require.NoError(t, pages.Close())
	}
	return n
}
