package scanner_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamba/avro/v2/ocf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestSameTableEverywhere: the same CSV inside a zip, a tar.gz, an xlsx
// sheet, a docx and a pptx yields all of its resident IDs, with
// container_path set for archive members.
func TestSameTableEverywhere(t *testing.T) {
	t.Parallel()
	text, rows, ids := sampleCSV(12)
	var paras []string
	for _, r := range rows {
		paras = append(paras, strings.Join(r, ","))
	}
	member := []corpus.Member{{Name: "exports/客户.csv", Data: []byte(text)}}
	files := map[string][]byte{
		"plain.csv":   []byte(text),
		"a.zip":       must(corpus.Zip(member))(t),
		"a.tar.gz":    must(corpus.TarGz(member))(t),
		"a.tar":       must(corpus.Tar(member))(t),
		"book.xlsx":   xlsxOf(t, "客户", rows),
		"letter.docx": must(corpus.DOCX(paras))(t),
		"deck.pptx":   must(corpus.PPTX([][]string{paras[:5], paras[5:]}))(t),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2})
	want := fingerprints(sink.ByName("plain.csv"), "cn_resident_id")
	require.Len(t, want, len(ids))

	tests := []struct {
		name, format, container, field string
		line                           bool
	}{
		{"a.zip", "zip/csv", "exports/客户.csv", "身份证号", true},
		{"a.tar.gz", "gzip/tar/csv", "exports/客户.csv", "身份证号", true},
		{"a.tar", "tar/csv", "exports/客户.csv", "身份证号", true},
		{"book.xlsx", "xlsx", "客户", "身份证号", false},
		{"letter.docx", "docx", "", "", true},
		{"deck.pptx", "pptx", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sink.ByName(tt.name)
			require.NotNil(t, r)
			assert.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)
			assert.Equal(t, tt.format, r.Format)
			assert.ElementsMatch(t, want, fingerprints(r, "cn_resident_id"))
			for _, f := range r.Findings {
				if tt.container == "" {
					assert.Nil(t, f.ContainerPath)
				} else if assert.NotNil(t, f.ContainerPath) {
					assert.Equal(t, tt.container, *f.ContainerPath)
				}
				if tt.field != "" && assert.NotNil(t, f.Field) {
					assert.Equal(t, tt.field, *f.Field)
				}
				assert.Equal(t, tt.line, f.Line != nil)
			}
		})
	}
	// In a document, line is the paragraph: row i of the table is paragraph i+2.
	for _, f := range sink.ByName("letter.docx").Findings {
		i := int(*f.Line) - 2
		require.True(t, i >= 0 && i < len(ids))
		assert.Equal(t, ids[i][:3], f.MaskedValue[:3])
		assert.Equal(t, int64(len([]rune(fmt.Sprintf("客户%d,", i)))+1), *f.Column)
	}
	// In a workbook, record is the row below the header.
	for _, f := range sink.ByName("book.xlsx").Findings {
		require.NotNil(t, f.Record)
		assert.Less(t, *f.Record, int64(len(ids)))
	}
}

// TestParquetAvro: column paths as fields, row indexes as records, nested
// and repeated columns, record rules across columns.
func TestParquetAvro(t *testing.T) {
	t.Parallel()
	rows := patients(40)
	files := map[string][]byte{
		"p.parquet":       parquetOf(t, rows, 16),
		"users.avro":      avroOf(t, 20, ocf.Null),
		"users_d.avro":    avroOf(t, 20, ocf.Deflate),
		"users_s.avro":    avroOf(t, 20, ocf.Snappy),
		"users_z.avro":    avroOf(t, 20, ocf.ZStandard),
		"in.zip":          must(corpus.Zip([]corpus.Member{{Name: "t/p.parquet", Data: parquetOf(t, rows[:5], 2)}}))(t),
		"named.txt":       parquetOf(t, rows[:3], 3), // content decides
		"fake_table.avro": []byte("id,phone\n1,13812348000\n"),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2})

	p := sink.ByName("p.parquet")
	require.Equal(t, scanner.StatusComplete, p.Status, "%v", p.Err)
	assert.Equal(t, "parquet", p.Format)
	byField := map[string]int{}
	for _, f := range p.Findings {
		require.NotNil(t, f.Field)
		require.NotNil(t, f.Record)
		assert.Nil(t, f.Line)
		assert.Equal(t, "parquet", f.Format)
		byField[f.DataType+" "+*f.Field]++
		if f.DataType == "cn_resident_id" {
			assert.Equal(t, rows[*f.Record].IDNo[:3], f.MaskedValue[:3])
		}
	}
	assert.Equal(t, 40, byField["cn_resident_id id_no"])
	assert.Equal(t, 40, byField["cn_mobile phone"])
	assert.Equal(t, 40, byField["cn_mobile contact.mobile"])
	assert.Equal(t, 40, byField["email email"])
	assert.Equal(t, 40, byField["gps_coordinate lat"], "lat/lng columns make a coordinate per row: %v", byField)

	for _, name := range []string{"users.avro", "users_d.avro", "users_s.avro", "users_z.avro"} {
		a := sink.ByName(name)
		require.Equal(t, scanner.StatusComplete, a.Status, "%s: %v", name, a.Err)
		assert.Equal(t, "avro", a.Format)
		got := map[string]int{}
		for _, f := range a.Findings {
			require.NotNil(t, f.Field)
			require.NotNil(t, f.Record)
			assert.Less(t, *f.Record, int64(20))
			got[f.DataType+" "+*f.Field]++
		}
		assert.Equal(t, map[string]int{"cn_resident_id id_card": 20, "cn_mobile mobile": 20, "email email": 20,
			"bank_card bank.card_no": 20, "cn_mobile attributes.phone": 20}, got, name)
	}

	in := sink.ByName("in.zip")
	assert.Equal(t, "zip/parquet", in.Format)
	assert.Len(t, fingerprints(in, "cn_resident_id"), 5)

	assert.Equal(t, "parquet", sink.ByName("named.txt").Format)
	fake := sink.ByName("fake_table.avro")
	assert.Equal(t, scanner.StatusPartial, fake.Status)
	assert.Equal(t, scanner.ReasonMalformed, fake.Reason)
	assert.Len(t, fake.Findings, 1, "a misnamed file is still scanned for what it is")
}

// TestRandomAccess: formats that need random access give the same
// findings read in place from a local file and spooled from a stream,
// and the spool leaves nothing behind.
func TestRandomAccess(t *testing.T) {
	t.Parallel()
	text, _, _ := sampleCSV(2000)
	noise := make([]byte, 100<<10)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(noise) // incompressible
	files := map[string][]byte{
		"big.parquet": parquetOf(t, patients(3000), 1000),
		"big.zip":     must(corpus.Zip([]corpus.Member{{Name: "a.csv", Data: []byte(text)}, {Name: "noise.bin", Data: noise}}))(t),
	}
	dir := t.TempDir()
	for name, data := range files {
		require.Greater(t, len(data), 64<<10, "bigger than what detection reads")
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	spoolDir := t.TempDir()
	local, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}})
	require.NoError(t, err)
	inPlace := run(t, local, scanner.Config{Workers: 2, TempDir: spoolDir})
	spooled := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2, TempDir: spoolDir})
	for name := range files {
		a, b := inPlace.ByName(name), spooled.ByName(name)
		require.NotNil(t, a)
		require.NotNil(t, b)
		assert.Equal(t, scanner.StatusComplete, a.Status, "%v", a.Err)
		assert.Equal(t, scanner.StatusComplete, b.Status, "%v", b.Err)
		assert.NotEmpty(t, fingerprints(a, "cn_resident_id"))
		assert.Equal(t, fingerprints(a, "cn_resident_id"), fingerprints(b, "cn_resident_id"), name)
	}
	left, err := os.ReadDir(spoolDir)
	require.NoError(t, err)
	assert.Empty(t, left, "spool files are removed")
}
