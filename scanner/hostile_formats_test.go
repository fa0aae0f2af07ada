package scanner_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/hamba/avro/v2/ocf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// overlappingZip is a zip whose central directory lists the same data
// twice: the shape of the overlapping-files zip bomb.
func overlappingZip(t testing.TB, copies int) []byte {
	t.Helper()
	z := must(corpus.Zip([]corpus.Member{{Name: "a.txt", Data: bytes.Repeat([]byte("a"), 4096)}}))(t)
	cd := bytes.Index(z, []byte("PK\x01\x02"))
	eocd := bytes.LastIndex(z, []byte("PK\x05\x06"))
	require.True(t, cd > 0 && eocd > cd)
	rec := z[cd:eocd]
	out := append([]byte(nil), z[:cd]...)
	for range copies {
		out = append(out, rec...)
	}
	end := append([]byte(nil), z[eocd:]...)
	binary.LittleEndian.PutUint16(end[8:], uint16(copies))
	binary.LittleEndian.PutUint16(end[10:], uint16(copies))
	binary.LittleEndian.PutUint32(end[12:], uint32(len(rec)*copies))
	return append(out, end...)
}

// flagEncrypted marks the zip member named name as encrypted (APPNOTE
// 4.4.4, general purpose flag bit 0) in its local and central headers.
func flagEncrypted(t testing.TB, z []byte, name string) []byte {
	t.Helper()
	z = append([]byte(nil), z...)
	n := 0
	for _, sig := range []struct {
		magic      string
		flag, name int
	}{{"PK\x03\x04", 6, 30}, {"PK\x01\x02", 8, 46}} {
		for off := 0; ; {
			i := bytes.Index(z[off:], []byte(sig.magic))
			if i < 0 {
				break
			}
			at := off + i
			if bytes.HasPrefix(z[at+sig.name:], []byte(name)) {
				z[at+sig.flag] |= 1
				n++
			}
			off = at + 4
		}
	}
	require.Equal(t, 2, n, "local and central header of %s", name)
	return z
}

// pngOf is a blank PNG of the given size.
func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))))
	return b.Bytes()
}

// TestHostileFormats: each damaged, misnamed or hostile archive or
// document ends as exactly one result with a status and reason, and the
// other objects are scanned normally.
func TestHostileFormats(t *testing.T) {
	t.Parallel()
	text, rows, ids := sampleCSV(3)
	csvZip := must(corpus.Zip([]corpus.Member{{Name: "a.csv", Data: []byte(text)}}))(t)
	pq := parquetOf(t, patients(20), 5)
	av := avroOf(t, 20, ocf.Deflate)
	var many []corpus.Member
	for i := range 60 {
		many = append(many, corpus.Member{Name: fmt.Sprintf("m%02d.txt", i), Data: []byte("id " + ids[i%3])})
	}
	files := map[string][]byte{
		"ok.zip":             csvZip,
		"ratio_bomb.zip":     must(corpus.Zip([]corpus.Member{{Name: "zeros.txt", Data: make([]byte, 8<<20)}, {Name: "b.csv", Data: []byte(text)}}))(t),
		"overlap_bomb.zip":   overlappingZip(t, 50),
		"deep.zip":           nested(t, csvZip, 20),
		"truncated.parquet":  pq[:len(pq)/2],
		"truncated.avro":     av[:len(av)-40],
		"truncated.zip":      csvZip[:len(csvZip)/2],
		"text.xlsx":          []byte(text),
		"noparts.xlsx":       must(corpus.Zip([]corpus.Member{{Name: "xl/worksheets/sheet1.xml", Data: []byte("<worksheet/>")}}))(t),
		"nosheets.xlsx":      must(corpus.Zip([]corpus.Member{{Name: "xl/workbook.xml", Data: []byte("<workbook><sheets/></workbook>")}}))(t),
		"bad_xml.docx":       must(corpus.Zip([]corpus.Member{{Name: "word/document.xml", Data: []byte("<w:document><w:p><w:t>" + ids[0] + "</w:t></w:p><w:p")}}))(t),
		"huge_member.tar.gz": must(corpus.TarGz([]corpus.Member{{Name: "a.csv", Data: []byte(text)}, {Name: "big.log", Data: make([]byte, 5<<20)}}))(t),
		"many.zip":           must(corpus.Zip(many))(t),
		"encrypted.zip": flagEncrypted(t, must(corpus.Zip([]corpus.Member{{Name: "a.csv", Data: []byte(text)},
			{Name: "secret.csv", Data: []byte(text)}}))(t), "secret.csv"),
		"身份证正面.jpg":    []byte("\xff\xd8\xff\xe0 not really a jpeg"),
		"scan0001.png": pngOf(t, 856, 540),
		"icon.png":     pngOf(t, 32, 32),
		"report.pdf":   []byte("%PDF-1.7\n" + text),
	}
	cfg := scanner.Config{Workers: 3, MaxRatio: 100, MaxDecodedSize: 4 << 20, MaxMembers: 50}
	sink := run(t, &scannertest.MemSource{Files: files}, cfg)
	require.Len(t, sink.Results, len(files), "one result per object")

	tests := []struct {
		name     string
		status   scanner.Status
		reason   scanner.Reason
		findings int // -1: some
	}{
		{"ok.zip", scanner.StatusComplete, "", len(rows) - 1},
		{"ratio_bomb.zip", scanner.StatusPartial, scanner.ReasonArchiveLimit, len(rows) - 1},
		{"overlap_bomb.zip", scanner.StatusPartial, scanner.ReasonArchiveLimit, 0},
		{"deep.zip", scanner.StatusPartial, scanner.ReasonArchiveLimit, 0},
		{"truncated.parquet", scanner.StatusPartial, scanner.ReasonMalformed, 0},
		{"truncated.avro", scanner.StatusPartial, scanner.ReasonMalformed, -1},
		{"truncated.zip", scanner.StatusPartial, scanner.ReasonMalformed, 0},
		{"text.xlsx", scanner.StatusPartial, scanner.ReasonMalformed, len(rows) - 1},
		{"noparts.xlsx", scanner.StatusPartial, scanner.ReasonMalformed, 0},
		{"nosheets.xlsx", scanner.StatusPartial, scanner.ReasonMalformed, 0},
		{"bad_xml.docx", scanner.StatusPartial, scanner.ReasonMalformed, 1},
		{"huge_member.tar.gz", scanner.StatusPartial, scanner.ReasonArchiveLimit, len(rows) - 1},
		{"many.zip", scanner.StatusPartial, scanner.ReasonArchiveLimit, 50},
		// An encrypted member's content is unknown: not a clean bill.
		{"encrypted.zip", scanner.StatusPartial, scanner.ReasonUnsupported, len(rows) - 1},
		{"身份证正面.jpg", scanner.StatusSkipped, scanner.ReasonUnsupported, 0},
		{"scan0001.png", scanner.StatusSkipped, scanner.ReasonUnsupported, 0},
		{"report.pdf", scanner.StatusSkipped, scanner.ReasonUnsupported, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sink.ByName(tt.name)
			require.NotNil(t, r)
			assert.Equal(t, tt.status, r.Status, "error: %v", r.Err)
			assert.Equal(t, tt.reason, r.Reason, "error: %v", r.Err)
			if tt.findings >= 0 {
				assert.Len(t, r.Findings, tt.findings)
			} else {
				assert.NotEmpty(t, r.Findings, "what was read before the damage is scanned")
			}
			if r.Err != nil {
				for _, id := range ids {
					assert.NotContains(t, r.Err.Error(), id, "error text must not carry content")
				}
			}
		})
	}
	notes := func(name string) string { return strings.Join(sink.ByName(name).Notes, "\n") }
	assert.Contains(t, notes("身份证正面.jpg"), "identity-document scan")
	assert.Contains(t, notes("scan0001.png"), "shaped like an ID card")
	assert.Empty(t, notes("icon.png"))
}
