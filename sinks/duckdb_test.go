package sinks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The helpers below (RequireDuckDB, DuckDBQuery, SQLString) are exported
// within the test package so that end-to-end tests elsewhere can copy them
// unchanged: they find testdata/duckdb from the module root, not from the
// package directory.

// DuckDBColumn is one result column and DuckDB's name for its type.
type DuckDBColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// DuckDBResult is what testdata/duckdb/query.mjs prints. BIGINT values
// arrive as JSON numbers (strings beyond 2^53), timestamps and dates as
// DuckDB's text form in UTC.
type DuckDBResult struct {
	Columns []DuckDBColumn   `json:"columns"`
	Rows    []map[string]any `json:"rows"`
}

// requireDuckDBEnv makes a missing DuckDB a failure instead of a skip; CI
// sets it so that the check cannot silently disappear.
const requireDuckDBEnv = "PIISCAN_REQUIRE_DUCKDB"

// RequireDuckDB returns the testdata/duckdb directory when node and the
// npm-installed @duckdb/node-api are available. Otherwise the test is
// skipped, or fails when PIISCAN_REQUIRE_DUCKDB=1.
func RequireDuckDB(t testing.TB) string {
	t.Helper()
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv(requireDuckDBEnv) == "1" {
			t.Fatalf("%s (%s=1 requires DuckDB)", msg, requireDuckDBEnv)
		}
		t.Skipf("%s; skipping the DuckDB check (set %s=1 to fail instead)", msg, requireDuckDBEnv)
	}
	if _, err := exec.LookPath("node"); err != nil {
		unavailable("node not found in PATH")
	}
	root, err := moduleRoot()
	if err != nil {
		unavailable("find module root: %v", err)
	}
	dir := filepath.Join(root, "testdata", "duckdb")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api", "package.json")); err != nil {
		unavailable("@duckdb/node-api is not installed: run npm ci in %s", dir)
	}
	return dir
}

// moduleRoot walks up from the working directory to the directory that
// holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// DuckDBQuery runs one SQL statement in a fresh in-memory DuckDB through
// query.mjs and returns the decoded result. It skips or fails like
// RequireDuckDB when DuckDB is unavailable, and fails on a query error.
func DuckDBQuery(t testing.TB, sql string) DuckDBResult {
	t.Helper()
	dir := RequireDuckDB(t)
	// DuckDB starts in well under a second; the bound only guards CI
	// against a hung child process.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(dir, "query.mjs"), sql)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("duckdb query %q: %v\n%s", sql, err, stderr.String())
	}
	var res DuckDBResult
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &res), "decode query.mjs output: %s", stdout.String())
	return res
}

// SQLString quotes s as a SQL string literal.
func SQLString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// readParquetSQL is the query a dashboard would run over one table of a
// dataset: every file under the table, with the dt partition column.
func readParquetSQL(root, table string) string {
	glob := filepath.ToSlash(filepath.Join(root, table, "**", "*.parquet"))
	return fmt.Sprintf("read_parquet(%s, hive_partitioning=true)", SQLString(glob))
}

// The DuckDB types of the dataset. scanned_at is Parquet
// TIMESTAMP(MILLIS, isAdjustedToUTC=true), which DuckDB reads as
// TIMESTAMP WITH TIME ZONE (TIMESTAMPTZ): an instant, shown in the session
// time zone. dt comes from the path and is inferred as DATE.
var (
	findingsDuckDBTypes = []DuckDBColumn{
		{"scan_id", "VARCHAR"}, {"scanned_at", "TIMESTAMP WITH TIME ZONE"}, {"object", "VARCHAR"},
		{"object_version", "VARCHAR"}, {"container_path", "VARCHAR"}, {"format", "VARCHAR"},
		{"line", "BIGINT"}, {"column", "BIGINT"}, {"record", "BIGINT"}, {"field", "VARCHAR"},
		{"byte_offset", "BIGINT"}, {"length", "INTEGER"}, {"data_type", "VARCHAR"},
		{"category", "VARCHAR"}, {"sensitivity", "VARCHAR"}, {"confidence", "FLOAT"},
		{"minor", "BOOLEAN"}, {"masked_value", "VARCHAR"}, {"fingerprint", "VARCHAR"},
		{"evidence", "VARCHAR"}, {"ruleset", "VARCHAR"}, {"dt", "DATE"},
	}
	objectsDuckDBTypes = []DuckDBColumn{
		{"scan_id", "VARCHAR"}, {"scanned_at", "TIMESTAMP WITH TIME ZONE"}, {"object", "VARCHAR"},
		{"object_version", "VARCHAR"}, {"size", "BIGINT"}, {"bytes_scanned", "BIGINT"},
		{"format", "VARCHAR"}, {"encoding", "VARCHAR"}, {"status", "VARCHAR"}, {"reason", "VARCHAR"},
		{"error", "VARCHAR"}, {"findings", "BIGINT"}, {"duration_ms", "BIGINT"}, {"dt", "DATE"},
	}
)

func TestDuckDBReadsDataset(t *testing.T) {
	RequireDuckDB(t)
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
		wantTypes []DuckDBColumn
	}{
		{"findings", full, findingsTable, wantFindings, findingsDuckDBTypes},
		{"objects", full, objectsTable, wantObjects, objectsDuckDBTypes},
		{"empty findings", empty, findingsTable, 0, findingsDuckDBTypes},
		{"empty objects", empty, objectsTable, 0, objectsDuckDBTypes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := DuckDBQuery(t, "SELECT * FROM "+readParquetSQL(tt.root, tt.table))
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
		res := DuckDBQuery(t, `SELECT
			count(*) FILTER (WHERE line IS NULL) AS no_line,
			count(*) FILTER (WHERE record IS NULL) AS no_record,
			count(*) FILTER (WHERE container_path = 'logs/a.txt') AS in_archive,
			count(*) FILTER (WHERE minor) AS minors,
			min(scanned_at) AS first_scanned,
			max(length) AS max_length,
			round(max(confidence), 2) AS max_confidence
			FROM `+readParquetSQL(full, findingsTable))
		require.Len(t, res.Rows, 1)
		assert.Equal(t, map[string]any{
			"no_line": 0.0, "no_record": 1.0, "in_archive": 1.0, "minors": 1.0,
			"first_scanned": "2026-11-23 08:30:00.123+00", "max_length": 18.0, "max_confidence": 1.0,
		}, res.Rows[0])
	})

	t.Run("every listed object has one row", func(t *testing.T) {
		t.Parallel()
		res := DuckDBQuery(t, `SELECT count(*) AS listed, count(DISTINCT object) AS distinct_objects,
			count(*) FILTER (WHERE status IN ('complete', 'partial', 'skipped', 'failed')) AS accounted,
			sum(findings) AS findings
			FROM `+readParquetSQL(full, objectsTable))
		require.Len(t, res.Rows, 1)
		assert.Equal(t, map[string]any{
			"listed": float64(wantObjects), "distinct_objects": float64(wantObjects),
			"accounted": float64(wantObjects), "findings": float64(wantFindings),
		}, res.Rows[0])
	})
}
