package scanner_test

import (
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// kvOwner is free text with an e-mail and a mobile number, as a writer
// may leave in a Parquet file's key/value metadata.
const kvOwner = "zhang.san@example.com tel 13812348000"

// kvParquet writes rows with personal data in the footer's key/value
// metadata beside pyarrow's machine entries.
func kvParquet(t testing.TB, rows []patient) []byte {
	t.Helper()
	return parquetOf(t, rows, 2,
		parquet.KeyValueMetadata("owner", kvOwner),
		parquet.KeyValueMetadata("pandas", scannertest.PandasMetadata),
		parquet.KeyValueMetadata("ARROW:schema", scannertest.ArrowSchemaMetadata()),
		parquet.KeyValueMetadata("writer.model.name", "example"))
}

// TestParquetKeyValueMetadata: the footer's key/value metadata is scanned
// after the rows, each value as field parquet.kv.<key>, with no record and
// no line; pandas' and Arrow's schemas give nothing, and the rows'
// findings are those of the same file without metadata.
func TestParquetKeyValueMetadata(t *testing.T) {
	t.Parallel()
	rows := patients(3)
	files := map[string][]byte{"kv.parquet": kvParquet(t, rows), "rows.parquet": parquetOf(t, rows, 2)}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	r := sink.ByName("kv.parquet")
	require.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)

	want := locs(sink.ByName("rows.parquet"))
	require.NotEmpty(t, want)
	all := locs(r)
	require.Greater(t, len(all), len(want))
	assert.Equal(t, want, all[:len(want)], "the rows are read as before, first")
	meta := r.Findings[len(want):]
	require.Len(t, meta, 2, "%+v", all[len(want):])
	last := want[len(want)-1].Off
	for _, f := range meta {
		assert.Equal(t, "parquet.kv.owner", *f.Field)
		assert.Nil(t, f.Record, "metadata is no row")
		assert.Nil(t, f.Line)
		assert.Greater(t, f.ByteOffset, last, "after the rows")
	}
	assert.Equal(t, []string{"email", "cn_mobile"}, []string{meta[0].DataType, meta[1].DataType})
	assert.Equal(t, []string{"z***@example.com", "138****8000"}, []string{meta[0].MaskedValue, meta[1].MaskedValue})
	assert.Equal(t, []int32{21, 11}, []int32{meta[0].Length, meta[1].Length})
	assert.Equal(t, int64(strings.Index(kvOwner, "138")), meta[1].ByteOffset-meta[0].ByteOffset)
}

// TestParquetKeyValueMetadataOverLimit: row groups over
// --max-decoded-size are not read, but the footer's metadata, already in
// memory, still is.
func TestParquetKeyValueMetadataOverLimit(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"kv.parquet": kvParquet(t, patients(40))}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1, MaxDecodedSize: 64})
	r := sink.ByName("kv.parquet")
	assert.NotEqual(t, scanner.StatusComplete, r.Status)
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.DataType+" "+*f.Field)
	}
	assert.Equal(t, []string{"email parquet.kv.owner", "cn_mobile parquet.kv.owner"}, got)
}
