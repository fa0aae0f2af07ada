package corpus

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/hamba/avro/v2"
)

// The writers below make the container and Office formats of the corpus
// by hand, byte-for-byte reproducible (fixed times, no random ids), with
// the parts a reader needs and nothing more. They are exported so that the
// scanner's tests and benchmarks build their inputs the same way.

// Member is one file inside an archive.
type Member struct {
	Name string
	Data []byte
}

// fixedTime stamps every archive member, for reproducible bytes.
var fixedTime = time.Date(2026, 1, 2, 3, 4, 6, 0, time.UTC)

// Zip writes members, deflated, in order.
func Zip(members []Member) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.Name, Method: zip.Deflate, Modified: fixedTime})
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", m.Name, err)
		}
		if _, err := w.Write(m.Data); err != nil {
			return nil, fmt.Errorf("zip %s: %w", m.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return buf.Bytes(), nil
}

// Tar writes members as a ustar archive.
func Tar(members []Member) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		h := &tar.Header{Name: m.Name, Mode: 0o644, Size: int64(len(m.Data)), ModTime: fixedTime, Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("tar %s: %w", m.Name, err)
		}
		if _, err := tw.Write(m.Data); err != nil {
			return nil, fmt.Errorf("tar %s: %w", m.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("tar: %w", err)
	}
	return buf.Bytes(), nil
}

// Gzip compresses data with an empty header (no name, no time).
func Gzip(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err == nil {
		_, err = zw.Write(data)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// TarGz writes members as a gzip-compressed tar archive.
func TarGz(members []Member) ([]byte, error) {
	t, err := Tar(members)
	if err != nil {
		return nil, err
	}
	return Gzip(t)
}

// Avro writes records as an Avro object container file with deflate
// blocks of perBlock records. The container is framed here (hamba/avro
// encodes the values) because the library's encoder writes the header's
// metadata map in Go's random map order: these bytes must not change from
// run to run.
func Avro(schema string, records []any, perBlock int) ([]byte, error) {
	s, err := avro.Parse(schema)
	if err != nil {
		return nil, fmt.Errorf("avro schema: %w", err)
	}
	sync := []byte("piiscan-corpus01")
	var out bytes.Buffer
	out.WriteString("Obj\x01")
	long := func(n int64) { out.Write(binary.AppendVarint(nil, n)) }
	str := func(b []byte) { long(int64(len(b))); out.Write(b) }
	long(2) // two metadata entries, in a fixed order
	str([]byte("avro.codec"))
	str([]byte("deflate"))
	str([]byte("avro.schema"))
	str([]byte(s.String()))
	long(0)
	out.Write(sync)
	for len(records) > 0 {
		n := min(perBlock, len(records))
		var raw bytes.Buffer
		for _, r := range records[:n] {
			b, err := avro.Marshal(s, r)
			if err != nil {
				return nil, fmt.Errorf("avro record: %w", err)
			}
			raw.Write(b)
		}
		var z bytes.Buffer
		fw, err := flate.NewWriter(&z, flate.BestSpeed)
		if err == nil {
			_, err = fw.Write(raw.Bytes())
		}
		if err == nil {
			err = fw.Close()
		}
		if err != nil {
			return nil, fmt.Errorf("avro block: %w", err)
		}
		long(int64(n))
		str(z.Bytes())
		out.Write(sync)
		records = records[n:]
	}
	return out.Bytes(), nil
}

// Cell is one spreadsheet cell.
type Cell struct {
	Text string
	// Kind: "" shared string, "inline" inline string, "number" a number,
	// "date" a day number shown with a date format (Text is 2006-01-02).
	Kind string
}

// Sheet is one worksheet: rows of cells, the first usually a header.
type Sheet struct {
	Name string
	Rows [][]Cell
}

// XLSX writes a workbook (SpreadsheetML, ECMA-376) with shared strings,
// inline strings, numbers and date cells.
func XLSX(sheets []Sheet) ([]byte, error) {
	var shared []string
	index := map[string]int{}
	var members []Member
	var wbSheets, wbRels, types strings.Builder
	for si, sh := range sheets {
		var sb strings.Builder
		sb.WriteString(xmlHead + `<worksheet xmlns="` + nsSheet + `"><sheetData>`)
		for ri, row := range sh.Rows {
			fmt.Fprintf(&sb, `<row r="%d">`, ri+1)
			for ci, c := range row {
				ref := colName(ci) + strconv.Itoa(ri+1)
				switch c.Kind {
				case "inline":
					fmt.Fprintf(&sb, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, html.EscapeString(c.Text))
				case "number":
					fmt.Fprintf(&sb, `<c r="%s"><v>%s</v></c>`, ref, c.Text)
				case "date":
					d, err := time.Parse(time.DateOnly, c.Text)
					if err != nil {
						return nil, fmt.Errorf("xlsx date %q: %w", c.Text, err)
					}
					serial := int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
					fmt.Fprintf(&sb, `<c r="%s" s="1"><v>%d</v></c>`, ref, serial)
				default:
					if c.Text == "" {
						continue
					}
					i, ok := index[c.Text]
					if !ok {
						i = len(shared)
						index[c.Text] = i
						shared = append(shared, c.Text)
					}
					fmt.Fprintf(&sb, `<c r="%s" t="s"><v>%d</v></c>`, ref, i)
				}
			}
			sb.WriteString(`</row>`)
		}
		sb.WriteString(`</sheetData></worksheet>`)
		part := fmt.Sprintf("worksheets/sheet%d.xml", si+1)
		members = append(members, Member{"xl/" + part, []byte(sb.String())})
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, html.EscapeString(sh.Name), si+1, si+1)
		fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="%s"/>`, si+1, nsRelType, part)
		fmt.Fprintf(&types, `<Override PartName="/xl/%s" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, part)
	}
	n := len(sheets)
	fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>`, n+1, nsRelType)
	fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>`, n+2, nsRelType)
	var ss strings.Builder
	fmt.Fprintf(&ss, xmlHead+`<sst xmlns="%s" count="%d" uniqueCount="%d">`, nsSheet, len(shared), len(shared))
	for _, s := range shared {
		ss.WriteString(`<si><t xml:space="preserve">` + html.EscapeString(s) + `</t></si>`)
	}
	ss.WriteString(`</sst>`)
	head := []Member{
		{"[Content_Types].xml", []byte(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			types.String() + `</Types>`)},
		{"_rels/.rels", []byte(xmlHead + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + nsRelType +
			`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", []byte(xmlHead + `<workbook xmlns="` + nsSheet + `" xmlns:r="` + nsR + `"><sheets>` + wbSheets.String() + `</sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", []byte(xmlHead + `<Relationships xmlns="` + nsRels + `">` + wbRels.String() + `</Relationships>`)},
		{"xl/styles.xml", []byte(xmlHead + `<styleSheet xmlns="` + nsSheet + `"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>` +
			`<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`)},
		{"xl/sharedStrings.xml", []byte(ss.String())},
	}
	return Zip(append(head, members...))
}

// DOCX writes a Word document with one paragraph per string.
func DOCX(paragraphs []string) ([]byte, error) {
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + html.EscapeString(p) + `</w:t></w:r></w:p>`)
	}
	return Zip([]Member{
		{"[Content_Types].xml", []byte(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)},
		{"_rels/.rels", []byte(xmlHead + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + nsRelType +
			`/officeDocument" Target="word/document.xml"/></Relationships>`)},
		{"word/document.xml", []byte(xmlHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body.String() + `</w:body></w:document>`)},
	})
}

// PPTX writes a deck with one slide per list of paragraphs.
func PPTX(slides [][]string) ([]byte, error) {
	members := []Member{
		{"[Content_Types].xml", []byte(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>`)},
		{"_rels/.rels", []byte(xmlHead + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + nsRelType +
			`/officeDocument" Target="ppt/presentation.xml"/></Relationships>`)},
		{"ppt/presentation.xml", []byte(xmlHead + `<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`)},
	}
	for i, paras := range slides {
		var sb strings.Builder
		sb.WriteString(xmlHead + `<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>`)
		for _, p := range paras {
			sb.WriteString(`<a:p><a:r><a:t>` + html.EscapeString(p) + `</a:t></a:r></a:p>`)
		}
		sb.WriteString(`</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`)
		members = append(members, Member{fmt.Sprintf("ppt/slides/slide%d.xml", i+1), []byte(sb.String())})
	}
	return Zip(members)
}

const (
	xmlHead   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsSheet   = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRels    = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsRelType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsR       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// colName is the spreadsheet column of a 0-based index: A..Z, AA...
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
