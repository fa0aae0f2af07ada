// Package sinkstest holds test helpers for reading piiscan's outputs with
// a real engine: DuckDB, run through node and @duckdb/node-api (installed
// by .ci/run in testdata/duckdb). Tests of any package can use it.
package sinkstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

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
	unavailable := Unavailable(t, requireDuckDBEnv, "the DuckDB check")
	if _, err := exec.LookPath("node"); err != nil {
		unavailable("node not found in PATH")
	}
	root, err := ModuleRoot()
	if err != nil {
		unavailable("find module root: %v", err)
	}
	dir := filepath.Join(root, "testdata", "duckdb")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api", "package.json")); err != nil {
		unavailable("@duckdb/node-api is not installed: run npm ci in %s", dir)
	}
	return dir
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

// ReadParquetSQL is the table expression a dashboard would use over one
// table (findings or objects) of a dataset: every file, with the dt
// partition column.
func ReadParquetSQL(root, table string) string {
	glob := filepath.ToSlash(filepath.Join(root, table, "**", "*.parquet"))
	return fmt.Sprintf("read_parquet(%s, hive_partitioning=true)", SQLString(glob))
}

// FindingsDuckDBTypes and ObjectsDuckDBTypes are the DuckDB types of the dataset. scanned_at is Parquet
// TIMESTAMP(MILLIS, isAdjustedToUTC=true), which DuckDB reads as
// TIMESTAMP WITH TIME ZONE (TIMESTAMPTZ): an instant, shown in the session
// time zone. dt comes from the path and is inferred as DATE.
var (
	FindingsDuckDBTypes = []DuckDBColumn{
		{"scan_id", "VARCHAR"}, {"scanned_at", "TIMESTAMP WITH TIME ZONE"}, {"object", "VARCHAR"},
		{"object_version", "VARCHAR"}, {"container_path", "VARCHAR"}, {"format", "VARCHAR"},
		{"line", "BIGINT"}, {"column", "BIGINT"}, {"record", "BIGINT"}, {"field", "VARCHAR"},
		{"byte_offset", "BIGINT"}, {"length", "INTEGER"}, {"data_type", "VARCHAR"},
		{"category", "VARCHAR"}, {"sensitivity", "VARCHAR"}, {"confidence", "FLOAT"},
		{"minor", "BOOLEAN"}, {"masked_value", "VARCHAR"}, {"fingerprint", "VARCHAR"},
		{"evidence", "VARCHAR"}, {"ruleset", "VARCHAR"}, {"dt", "DATE"},
	}
	ObjectsDuckDBTypes = []DuckDBColumn{
		{"scan_id", "VARCHAR"}, {"scanned_at", "TIMESTAMP WITH TIME ZONE"}, {"object", "VARCHAR"},
		{"object_version", "VARCHAR"}, {"size", "BIGINT"}, {"bytes_scanned", "BIGINT"},
		{"format", "VARCHAR"}, {"encoding", "VARCHAR"}, {"status", "VARCHAR"}, {"reason", "VARCHAR"},
		{"error", "VARCHAR"}, {"findings", "BIGINT"}, {"duration_ms", "BIGINT"}, {"dt", "DATE"},
	}
)
