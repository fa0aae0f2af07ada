package redact

import (
	"bytes"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner/scannertest"
	"github.com/piiscan/piiscan/sinks/sinkstest"
)

// kvOwner is free text with an e-mail and a mobile number in a Parquet
// file's key/value metadata, and kvOwnerRedacted the same under the
// default policy.
const (
	kvOwner         = rawEmail + " tel " + rawMobile
	kvOwnerRedacted = "z****.***@example.com tel 138****8000"
)

// kvMetadata returns a Parquet file's key/value metadata.
func kvMetadata(t testing.TB, b []byte) map[string]string {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	out := map[string]string{}
	for _, kv := range f.Metadata().KeyValueMetadata {
		out[kv.Key] = kv.Value
	}
	return out
}

// TestRedactParquetKeyValueMetadata: the copy's footer metadata keeps its
// keys, has each match in a value replaced within the value, and keeps
// the values without personal data (pandas' and Arrow's schemas) byte for
// byte.
func TestRedactParquetKeyValueMetadata(t *testing.T) {
	t.Parallel()
	kvs := map[string]string{
		"owner":             kvOwner,
		"pandas":            scannertest.PandasMetadata,
		"ARROW:schema":      scannertest.ArrowSchemaMetadata(),
		"writer.model.name": "example",
		"empty":             "",
	}
	var opts []parquet.WriterOption
	for k, v := range kvs {
		opts = append(opts, parquet.KeyValueMetadata(k, v))
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[pqPerson](&buf, opts...)
	_, err := w.Write([]pqPerson{{Name: "李四", IDNo: "n/a", Lat: 1.5, Lng: 2.5, Tags: []string{"new"}}})
	require.NoError(t, err)
	require.NoError(t, w.Close())

	dst, tally := redactFiles(t, Config{}, map[string][]byte{"kv.parquet": buf.Bytes()})
	require.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	out := readFile(t, dst, "kv.parquet")
	assert.False(t, bytes.Contains(out, []byte(rawEmail)), "no raw e-mail left in the copy")
	assert.False(t, bytes.Contains(out, []byte(rawMobile)), "no raw mobile number left in the copy")
	want := maps.Clone(kvs)
	want["owner"] = kvOwnerRedacted
	assert.Equal(t, want, kvMetadata(t, out))
	assert.Equal(t, map[string]int64{"email": 1, "cn_mobile": 1}, tally.ByDataType, "only the metadata's values")
	got, err := parquet.Read[pqPerson](bytes.NewReader(out), int64(len(out)))
	require.NoError(t, err)
	rows, err := parquet.Read[pqPerson](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	assert.Equal(t, rows, got, "rows without personal data are unchanged")
	for _, fd := range rescan(t, dst) {
		assert.NotEqual(t, "cn_mobile", fd.DataType, "%s", *fd.Field)
	}
}

// TestRedactParquetKeyValueMetadataDuckDB: a file DuckDB wrote with
// KV_METADATA is rewritten into one DuckDB reads, rows and metadata, with
// the metadata's personal data replaced.
func TestRedactParquetKeyValueMetadataDuckDB(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	path := filepath.ToSlash(filepath.Join(src, "k.parquet"))
	sinkstest.DuckDBQuery(t, "COPY (SELECT 'x' AS a) TO "+sinkstest.SQLString(path)+
		" (FORMAT parquet, KV_METADATA {owner: "+sinkstest.SQLString(kvOwner)+", note: 'nightly export'})")
	dir, err := newDirSource(src)
	require.NoError(t, err)
	dst, tally := redactSource(t, Config{}, dir)
	require.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	cp := filepath.ToSlash(filepath.Join(dst, "k.parquet"))
	rows := sinkstest.DuckDBQuery(t, "SELECT a FROM read_parquet("+sinkstest.SQLString(cp)+")")
	assert.Equal(t, []map[string]any{{"a": "x"}}, rows.Rows)
	kv := sinkstest.DuckDBQuery(t, "SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata("+
		sinkstest.SQLString(cp)+") ORDER BY k")
	assert.Equal(t, []map[string]any{{"k": "note", "v": "nightly export"}, {"k": "owner", "v": kvOwnerRedacted}}, kv.Rows)
	assert.False(t, strings.Contains(string(readFile(t, dst, "k.parquet")), rawEmail))
}
