package sinks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

func TestParquetGolden(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	p := writeDataset(t, testConfig(root), sampleResults())

	findingsPath, objectsPath := p.Paths()
	assert.Equal(t, filepath.Join(root, "findings", "dt=2026-11-23", testScan+".parquet"), findingsPath)
	assert.Equal(t, filepath.Join(root, "objects", "dt=2026-11-23", testScan+".parquet"), objectsPath)

	findings := readRows[scanner.Finding](t, findingsPath)
	sortFindings(findings)
	assertGolden(t, "parquet_findings.json", findings)

	objects := readRows[scanner.ObjectRow](t, objectsPath)
	sortObjects(objects)
	assertGolden(t, "parquet_objects.json", objects)
	assertGolden(t, "parquet_tally.json", p.Tally())

	for _, f := range findings {
		assert.Equal(t, testScan, f.ScanID, "the sink stamps its scan id")
		assert.False(t, f.ScannedAt.IsZero(), "a zero scanned_at takes the object's time")
	}
	assert.Len(t, p.ColumnVerdicts(), 1)
	assert.Equal(t, "file:///data/customers.csv", p.ColumnVerdicts()[0].Object, "verdicts without an object get the result's key")
	assert.Equal(t, []string{"file name suggests an ID card scan"}, p.Notes(), "notes are deduplicated")
}

// schemaColumn is what readers see of one column.
type schemaColumn struct {
	name     string
	physical string // Parquet physical type
	logical  string // Parquet logical type annotation, "" for none
	optional bool
}

func TestParquetSchema(t *testing.T) {
	t.Parallel()
	const (
		str = "STRING"
		i64 = "INT(64,true)"
		ts  = "TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS)"
	)
	tests := []struct {
		name string
		file func(p *Parquet) string
		want []schemaColumn
	}{
		{
			name: "findings",
			file: func(p *Parquet) string { f, _ := p.Paths(); return f },
			want: []schemaColumn{
				{"scan_id", "BYTE_ARRAY", str, false},
				{"scanned_at", "INT64", ts, false},
				{"object", "BYTE_ARRAY", str, false},
				{"object_version", "BYTE_ARRAY", str, false},
				{"container_path", "BYTE_ARRAY", str, true},
				{"format", "BYTE_ARRAY", str, false},
				{"line", "INT64", i64, true},
				{"column", "INT64", i64, true},
				{"record", "INT64", i64, true},
				{"field", "BYTE_ARRAY", str, true},
				{"byte_offset", "INT64", i64, false},
				{"length", "INT32", "INT(32,true)", false},
				{"data_type", "BYTE_ARRAY", str, false},
				{"category", "BYTE_ARRAY", str, false},
				{"sensitivity", "BYTE_ARRAY", str, false},
				{"confidence", "FLOAT", "", false},
				{"minor", "BOOLEAN", "", false},
				{"masked_value", "BYTE_ARRAY", str, false},
				{"fingerprint", "BYTE_ARRAY", str, false},
				{"evidence", "BYTE_ARRAY", str, false},
				{"ruleset", "BYTE_ARRAY", str, false},
			},
		},
		{
			name: "objects",
			file: func(p *Parquet) string { _, o := p.Paths(); return o },
			want: []schemaColumn{
				{"scan_id", "BYTE_ARRAY", str, false},
				{"scanned_at", "INT64", ts, false},
				{"object", "BYTE_ARRAY", str, false},
				{"object_version", "BYTE_ARRAY", str, false},
				{"size", "INT64", i64, false},
				{"bytes_scanned", "INT64", i64, false},
				{"format", "BYTE_ARRAY", str, false},
				{"encoding", "BYTE_ARRAY", str, false},
				{"status", "BYTE_ARRAY", str, false},
				{"reason", "BYTE_ARRAY", str, false},
				{"error", "BYTE_ARRAY", str, false},
				{"findings", "INT64", i64, false},
				{"duration_ms", "INT64", i64, false},
			},
		},
	}
	// A zero-row dataset must carry the same schema as a full one.
	for _, rows := range []struct {
		name    string
		results []*scanner.ObjectResult
	}{{"rows", sampleResults()}, {"empty", nil}} {
		p := writeDataset(t, testConfig(t.TempDir()), rows.results)
		for _, tt := range tests {
			t.Run(tt.name+"/"+rows.name, func(t *testing.T) {
				f := openParquet(t, tt.file(p))
				var got []schemaColumn
				for _, field := range f.Schema().Fields() {
					c := schemaColumn{name: field.Name(), physical: field.Type().Kind().String(), optional: field.Optional()}
					if lt := field.Type().LogicalType(); lt != nil {
						c.logical = lt.String()
					}
					got = append(got, c)
					if field.Name() == "scanned_at" {
						// Spelled out because dashboards depend on it: UTC-adjusted
						// milliseconds (DuckDB: TIMESTAMP WITH TIME ZONE).
						ts, ok := field.Type().LogicalType().Value.(*format.TimestampType)
						require.True(t, ok, "scanned_at has the TIMESTAMP logical type")
						assert.True(t, ts.IsAdjustedToUTC)
						assert.IsType(t, (*format.MilliSeconds)(nil), ts.Unit.Value)
					}
				}
				assert.Equal(t, tt.want, got)
				v, ok := f.Lookup("piiscan.scan_id")
				assert.True(t, ok)
				assert.Equal(t, testScan, v)
			})
		}
	}
}

func openParquet(t *testing.T, path string) *parquet.File {
	t.Helper()
	fh, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = fh.Close() })
	st, err := fh.Stat()
	require.NoError(t, err)
	f, err := parquet.OpenFile(fh, st.Size())
	require.NoError(t, err)
	return f
}

func TestParquetRowGroupsAndCompression(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		codec     Compression
		wantCodec format.CompressionCodec
	}{
		{"default is zstd", "", format.Zstd},
		{"zstd", CompressionZstd, format.Zstd},
		{"snappy", CompressionSnappy, format.Snappy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(t.TempDir())
			cfg.Compression, cfg.RowGroupRows = tt.codec, 2
			r := sampleResults()[0]
			r.Findings = append(r.Findings, r.Findings...) // 6 findings
			p := writeDataset(t, cfg, []*scanner.ObjectResult{r})
			path, _ := p.Paths()
			f := openParquet(t, path)
			assert.Equal(t, int64(6), f.NumRows())
			assert.Len(t, f.RowGroups(), 3, "row groups are capped at RowGroupRows")
			for _, rg := range f.Metadata().RowGroups {
				for _, c := range rg.Columns {
					assert.Equal(t, tt.wantCodec, c.MetaData.Codec, c.MetaData.PathInSchema)
				}
			}
		})
	}
}

func TestParquetTempThenRename(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	p, err := NewParquet(testConfig(root))
	require.NoError(t, err)
	for _, r := range sampleResults() {
		require.NoError(t, p.WriteObject(t.Context(), r))
	}
	assert.Empty(t, globParquet(t, root), "no *.parquet is visible before Close")
	temps, err := filepath.Glob(filepath.Join(root, "*", "dt=*", ".*.tmp"))
	require.NoError(t, err)
	assert.Len(t, temps, 2, "both files are written under temporary names")

	require.NoError(t, p.Close())
	findings, objects := p.Paths()
	assert.ElementsMatch(t, []string{findings, objects}, globParquet(t, root))
	temps, err = filepath.Glob(filepath.Join(root, "*", "dt=*", ".*"))
	require.NoError(t, err)
	assert.Empty(t, temps, "no temporary file is left")

	require.NoError(t, p.Close(), "Close is idempotent")
	assert.Error(t, p.WriteObject(t.Context(), sampleResults()[0]), "writing after Close fails")
	assert.Len(t, readRows[scanner.Finding](t, findings), 4)
}

func TestParquetZeroRows(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	p := writeDataset(t, testConfig(root), nil)
	findings, objects := p.Paths()
	assert.Empty(t, readRows[scanner.Finding](t, findings))
	assert.Empty(t, readRows[scanner.ObjectRow](t, objects))
	assert.Len(t, globParquet(t, root), 2)
	assert.Equal(t, NewTally(), p.Tally())
}

func TestParquetShardName(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t.TempDir())
	cfg.Shard = ShardSuffix(2, 3)
	p := writeDataset(t, cfg, nil)
	findings, objects := p.Paths()
	assert.Equal(t, testScan+"-shard-2-of-3.parquet", filepath.Base(findings))
	assert.Equal(t, testScan+"-shard-2-of-3.parquet", filepath.Base(objects))
	assert.Equal(t, Outputs{
		Root:     cfg.Root,
		Findings: "findings/dt=2026-11-23/" + testScan + "-shard-2-of-3.parquet",
		Objects:  "objects/dt=2026-11-23/" + testScan + "-shard-2-of-3.parquet",
	}, p.Outputs())
}

func TestParquetPublish(t *testing.T) {
	t.Parallel()
	type call struct{ local, rel string }
	tests := []struct {
		name    string
		fail    error
		wantErr bool
	}{
		{"ok", nil, false},
		{"upload error", errors.New("upload refused"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls []call
			cfg := testConfig(t.TempDir())
			cfg.Publish = func(ctx context.Context, local, rel string) error {
				_, err := os.Stat(local)
				require.NoError(t, err, "published files are already in place")
				calls = append(calls, call{local, rel})
				return tt.fail
			}
			p, err := NewParquet(cfg)
			require.NoError(t, err)
			err = p.Close()
			if tt.wantErr {
				assert.ErrorIs(t, err, tt.fail)
			} else {
				assert.NoError(t, err)
			}
			findings, objects := p.Paths()
			assert.Equal(t, []call{
				{findings, "findings/dt=2026-11-23/" + testScan + ".parquet"},
				{objects, "objects/dt=2026-11-23/" + testScan + ".parquet"},
			}, calls, "each file is published once, even after a failed upload")
			assert.Len(t, globParquet(t, cfg.Root), 2, "local files stay when publishing fails")
			_ = p.Close()
			assert.Len(t, calls, 2, "a second Close publishes nothing")
		})
	}
}

func TestParquetAbort(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	p, err := NewParquet(testConfig(root))
	require.NoError(t, err)
	require.NoError(t, p.WriteObject(t.Context(), sampleResults()[0]))
	require.NoError(t, p.Abort())
	left, err := filepath.Glob(filepath.Join(root, "*", "dt=*", "*"))
	require.NoError(t, err)
	hidden, err := filepath.Glob(filepath.Join(root, "*", "dt=*", ".*"))
	require.NoError(t, err)
	assert.Empty(t, append(left, hidden...), "Abort leaves no file behind")
	assert.NoError(t, p.Close(), "Close after Abort does nothing")
	assert.NoError(t, p.Abort())
}

// TestParquetCloseFinishesTheOther removes the findings partition under
// the sink's feet: the findings file cannot be renamed, the objects file
// must still be finished, and nothing temporary is left.
func TestParquetCloseFinishesTheOther(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	p, err := NewParquet(testConfig(root))
	require.NoError(t, err)
	require.NoError(t, p.WriteObject(t.Context(), sampleResults()[0]))
	findings, objects := p.Paths()
	require.NoError(t, os.RemoveAll(filepath.Dir(findings)))

	err = p.Close()
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), "finish findings/dt=2026-11-23/")
	assert.Equal(t, []string{objects}, globParquet(t, root))
	assert.Len(t, readRows[scanner.ObjectRow](t, objects), 1)
	assert.Equal(t, err, p.Close(), "a second Close returns the first result")
}

func TestNewParquetRefusesExisting(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeDataset(t, testConfig(root), nil)

	_, err := NewParquet(testConfig(root))
	assert.ErrorIs(t, err, fs.ErrExist, "a finished file of the same scan id is not overwritten")

	other := testConfig(root)
	other.ScanID = "scan-2"
	p, err := NewParquet(other)
	require.NoError(t, err)
	_, err = NewParquet(other)
	assert.ErrorIs(t, err, fs.ErrExist, "a second writer of the same run fails")
	require.NoError(t, p.Close())
	assert.Len(t, globParquet(t, root), 4)
}

func TestWriteObjectErrors(t *testing.T) {
	t.Parallel()
	p, err := NewParquet(testConfig(t.TempDir()))
	require.NoError(t, err)
	assert.Error(t, p.WriteObject(t.Context(), nil))
	require.NoError(t, p.Close())
	assert.ErrorContains(t, p.WriteObject(t.Context(), sampleResults()[0]), "sink closed")
}

func TestParquetConfigValidate(t *testing.T) {
	t.Parallel()
	ok := ParquetConfig{Root: "out", ScanID: "scan-1"}
	tests := []struct {
		name    string
		edit    func(*ParquetConfig)
		wantErr string
	}{
		{"minimal", func(*ParquetConfig) {}, ""},
		{"all set", func(c *ParquetConfig) {
			c.Shard, c.Compression, c.RowGroupRows = "-shard-1-of-3", CompressionSnappy, 10
		}, ""},
		{"no root", func(c *ParquetConfig) { c.Root = "" }, "root is empty"},
		{"no scan id", func(c *ParquetConfig) { c.ScanID = "" }, "invalid scan id"},
		{"path in scan id", func(c *ParquetConfig) { c.ScanID = "../x" }, "invalid scan id"},
		{"hidden scan id", func(c *ParquetConfig) { c.ScanID = ".x" }, "invalid scan id"},
		{"slash in scan id", func(c *ParquetConfig) { c.ScanID = "a/b" }, "invalid scan id"},
		{"longest scan id", func(c *ParquetConfig) { c.ScanID = strings.Repeat("a", 128) }, ""},
		{"scan id too long", func(c *ParquetConfig) { c.ScanID = strings.Repeat("a", 129) }, "invalid scan id"},
		// Output names add these endings, and readers (piiscan report) go
		// by them: scan "nightly-part-3" read as part 3 of scan "nightly",
		// and report --latest or --scan-id then kept none of its rows.
		{"scan id ending like a part", func(c *ParquetConfig) { c.ScanID = "nightly-part-3" }, "output file names add"},
		{"scan id ending like a shard", func(c *ParquetConfig) { c.ScanID = "nightly-shard-1-of-2" }, "output file names add"},
		{"scan id with part inside", func(c *ParquetConfig) { c.ScanID = "nightly-part-3-eu" }, ""},
		{"bad shard", func(c *ParquetConfig) { c.Shard = "shard1" }, "invalid shard suffix"},
		{"bad compression", func(c *ParquetConfig) { c.Compression = "gzip" }, "unknown compression"},
		{"negative row groups", func(c *ParquetConfig) { c.RowGroupRows = -1 }, "negative row group size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := ok
			tt.edit(&c)
			err := c.Validate()
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
			_, err = NewParquet(c)
			assert.ErrorContains(t, err, tt.wantErr, "NewParquet validates too")
		})
	}
}

func TestShardSuffixAndPartition(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "", ShardSuffix(1, 1))
	assert.Equal(t, "-shard-1-of-3", ShardSuffix(1, 3))
	assert.Equal(t, "2026-11-23", Partition(testDate), "the partition is the UTC date")
}

func TestParquetColumnVerdictsByObject(t *testing.T) {
	t.Parallel()
	p, err := NewParquet(testConfig(t.TempDir()))
	require.NoError(t, err)
	defer p.Close()
	result := func(key string, cols ...string) *scanner.ObjectResult {
		r := &scanner.ObjectResult{Info: scanner.ObjectInfo{Source: "file", Key: key}, ScannedAt: scannedAt, Status: scanner.StatusComplete}
		for _, c := range cols {
			r.Columns = append(r.Columns, scanner.ColumnVerdict{Column: c, DataType: "email", Share: 1, Sampled: 10})
		}
		return r
	}
	// Workers finish in any order; the summary lists objects in order and
	// each object's columns as its decoder reported them.
	for _, r := range []*scanner.ObjectResult{result("file:///b.csv", "z", "a"), result("file:///a.csv", "mail", "contact")} {
		require.NoError(t, p.WriteObject(t.Context(), r))
	}
	var got []string
	for _, v := range p.ColumnVerdicts() {
		got = append(got, v.Object+"#"+v.Column)
	}
	assert.Equal(t, []string{"file:///a.csv#mail", "file:///a.csv#contact", "file:///b.csv#z", "file:///b.csv#a"}, got)
}

// TestRepeatedColumnsAreDictionaryEncoded: columns that repeat a few values
// over many rows (object, data type, ruleset...) are stored as dictionary
// indexes, and the per-finding fingerprint is stored plain.
func TestRepeatedColumnsAreDictionaryEncoded(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	findingsPath, _ := writeDataset(t, testConfig(root), sampleResults()).Paths()
	f := openParquet(t, findingsPath)
	encodings := map[string][]string{}
	for _, c := range f.Metadata().RowGroups[0].Columns {
		name := c.MetaData.PathInSchema[0]
		for _, e := range c.MetaData.Encoding {
			encodings[name] = append(encodings[name], e.String())
		}
	}
	for _, col := range []string{"scan_id", "object", "object_version", "format", "data_type", "category", "sensitivity", "evidence", "ruleset"} {
		assert.Contains(t, encodings[col], "RLE_DICTIONARY", col)
	}
	assert.NotContains(t, encodings["fingerprint"], "RLE_DICTIONARY")
}

// TestParquetFingerprintsAreEntropyCoded: fingerprints are hex digests with
// no repeats for a match finder, but only 16 symbols, so zstd must entropy-
// code them to about half their size (klauspost's zstd skips that for
// match-less blocks at its default level unless told otherwise).
func TestParquetFingerprintsAreEntropyCoded(t *testing.T) {
	t.Parallel()
	r := sampleResults()[0]
	tmpl := r.Findings[0]
	r.Findings = make([]scanner.Finding, 5000)
	for i := range r.Findings {
		f := tmpl
		sum := sha256.Sum256([]byte(strconv.Itoa(i)))
		f.Fingerprint = hex.EncodeToString(sum[:])
		r.Findings[i] = f
	}
	findingsPath, _ := writeDataset(t, testConfig(t.TempDir()), []*scanner.ObjectResult{r}).Paths()
	var packed, plain int64
	for _, rg := range openParquet(t, findingsPath).Metadata().RowGroups {
		for _, c := range rg.Columns {
			if c.MetaData.PathInSchema[0] == "fingerprint" {
				packed += c.MetaData.TotalCompressedSize
				plain += c.MetaData.TotalUncompressedSize
			}
		}
	}
	require.Positive(t, plain)
	assert.Less(t, float64(packed)/float64(plain), 0.6, "fingerprint column: %d bytes compressed of %d", packed, plain)
}

// TestParquetColumnStatistics: row groups keep min/max statistics where a
// reader can prune with them (object: findings come in object order; time;
// scan id), but not for per-finding values whose range is every value
// (masked value, fingerprint), which cost the sink a comparison per row
// for nothing.
func TestParquetColumnStatistics(t *testing.T) {
	t.Parallel()
	findingsPath, _ := writeDataset(t, testConfig(t.TempDir()), sampleResults()).Paths()
	stats := map[string]bool{}
	for _, c := range openParquet(t, findingsPath).Metadata().RowGroups[0].Columns {
		s := c.MetaData.Statistics
		stats[c.MetaData.PathInSchema[0]] = s.MinValue != nil && s.MaxValue != nil
	}
	for _, col := range []string{"scan_id", "scanned_at", "object", "data_type", "sensitivity", "byte_offset"} {
		assert.True(t, stats[col], "%s has min/max", col)
	}
	for _, col := range []string{"masked_value", "fingerprint"} {
		assert.False(t, stats[col], "%s has no min/max", col)
	}
}

// TestParquetStringsAreUTF8: Parquet strings are UTF-8, and DuckDB,
// Spark and Trino refuse a whole file for one string that is not. Bytes
// that reach a column from outside (a name in GBK, an error quoting a
// path) are written as %XX, so one odd name cannot make a run's dataset
// unreadable.
func TestParquetStringsAreUTF8(t *testing.T) {
	t.Parallel()
	const bad = "/data/\xc3\xfb\xb5\xa5.csv"
	r := &scanner.ObjectResult{
		Info:      scanner.ObjectInfo{Source: "file", Key: "file://" + bad, Size: 10, ModTime: time.Unix(1_790_000_000, 0)},
		ScannedAt: scannedAt, Status: scanner.StatusFailed, Reason: scanner.ReasonReadError,
		Err: errors.New("open " + bad + ": input/output error"), Format: "csv", Encoding: "gb18030",
		Findings: []scanner.Finding{{
			ScannedAt: scannedAt, Object: "file://" + bad, ObjectVersion: "10-1", ContainerPath: ptr("a\xffb.csv"),
			Format: "csv", Field: ptr("t\xe9l"), DataType: "cn_mobile", Category: "contact", Sensitivity: "S2",
			MaskedValue: "138****8000", Fingerprint: fakeFP(1), Evidence: "field:t\xe9l", Ruleset: "r",
		}},
	}
	findingsPath, objectsPath := writeDataset(t, testConfig(t.TempDir()), []*scanner.ObjectResult{r}).Paths()
	got := readRows[scanner.Finding](t, findingsPath)
	require.Len(t, got, 1)
	f := got[0]
	assert.Equal(t, "file:///data/%C3%FB%B5%A5.csv", f.Object)
	assert.Equal(t, "a%FFb.csv", *f.ContainerPath)
	assert.Equal(t, "t%E9l", *f.Field)
	assert.Equal(t, "field:t%E9l", f.Evidence)
	rows := readRows[scanner.ObjectRow](t, objectsPath)
	require.Len(t, rows, 1)
	assert.Equal(t, "file:///data/%C3%FB%B5%A5.csv", rows[0].Object)
	assert.Equal(t, "open /data/%C3%FB%B5%A5.csv: input/output error", rows[0].Error)
	assert.Equal(t, "a\xffb.csv", *r.Findings[0].ContainerPath, "the caller's finding is not changed")
}
