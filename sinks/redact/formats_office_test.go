package redact

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamba/avro/v2/ocf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers/deid"
)

// Office documents of the tests, written by hand so that they have what
// the corpus's do not: shared strings used in several columns, rich text,
// formulas, values split across runs, headers and document properties.
// (These tests live beside formats_test.go, which would pass 600 lines.)

const (
	xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain  = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	nsW     = `http://schemas.openxmlformats.org/wordprocessingml/2006/main`
	coreXML = xmlDecl + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>客户名单 ` + rawMobile + `</dc:title><dc:creator>王小明</dc:creator>` +
		`<cp:lastModifiedBy>王小明</cp:lastModifiedBy></cp:coreProperties>`
	wantCore = xmlDecl + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>客户名单 138****8000</dc:title><dc:creator></dc:creator>` +
		`<cp:lastModifiedBy></cp:lastModifiedBy></cp:coreProperties>`
)

// testWorkbook has a customer sheet with a header row and a second sheet
// without one. Shared string 5 (佛教) is used in the 宗教信仰 column and
// in the 备注 column; string 7 is referenced by no cell; string 8 is rich
// text with a phonetic hint.
func testWorkbook(t *testing.T) []byte {
	sst := []string{"<t>姓名</t>", "<t>身份证号</t>", "<t>手机号</t>", "<t>宗教信仰</t>", "<t>备注</t>", "<t>佛教</t>",
		"<t>" + rawID + "</t>", "<t>orphan " + rawMobile + "</t>",
		`<r><t>客户 </t></r><r><rPr><b/></rPr><t>` + rawEmail + `</t></r><rPh sb="0" eb="1"><t>kehu</t></rPh>`, "<t>张三</t>"}
	var ss strings.Builder
	ss.WriteString(xmlDecl + `<sst xmlns="` + nsMain + `" count="12" uniqueCount="10">`)
	for _, s := range sst {
		ss.WriteString("<si>" + s + "</si>")
	}
	ss.WriteString("</sst>")
	sheet1 := xmlDecl + `<worksheet xmlns="` + nsMain + `"><sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>` +
		`<row r="2"><c r="A2" t="s"><v>9</v></c><c r="B2" t="s"><v>6</v></c><c r="C2"><v>13812348000</v></c><c r="D2" t="s"><v>5</v></c><c r="E2" t="s"><v>5</v></c></row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>李四</t></is></c><c r="C3" t="str"><f>"138"&amp;"12348000"</f><v>13812348000</v></c><c r="E3" t="s"><v>8</v></c></row>` +
		`</sheetData><pageMargins left="0.7" right="0.7"/></worksheet>`
	sheet2 := xmlDecl + `<worksheet xmlns="` + nsMain + `"><sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>6</v></c><c r="B1" s="1"><v>32940</v></c><c r="C1"><v>42</v></c></row></sheetData></worksheet>`
	return zipOf(t, map[string][]byte{
		"[Content_Types].xml":        []byte(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
		"xl/workbook.xml":            []byte(xmlDecl + `<workbook xmlns="` + nsMain + `" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/><sheet name="Other" sheetId="2" r:id="rId2"/></sheets></workbook>`),
		"xl/_rels/workbook.xml.rels": []byte(xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>`),
		"xl/styles.xml":              []byte(xmlDecl + `<styleSheet xmlns="` + nsMain + `"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`),
		"xl/sharedStrings.xml":       []byte(ss.String()),
		"xl/worksheets/sheet1.xml":   []byte(sheet1),
		"xl/worksheets/sheet2.xml":   []byte(sheet2),
		"xl/media/image1.png":        pngImage(t, ""),
		"docProps/core.xml":          []byte(coreXML),
	})
}

func TestRedactXLSX(t *testing.T) {
	t.Parallel()
	in := testWorkbook(t)
	dst, tally := redactFiles(t, Config{}, map[string][]byte{"book.xlsx": in})
	require.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	out := readFile(t, dst, "book.xlsx")
	assert.Equal(t, zipMembers(t, in), zipMembers(t, out), "the same members in the same order")
	assert.Equal(t, xlsxShape(t, in), xlsxShape(t, out), "the same rows and cells")
	assert.Equal(t, zipMember(t, in, "xl/media/image1.png"), zipMember(t, out, "xl/media/image1.png"))
	assert.Equal(t, wantCore, string(zipMember(t, out, "docProps/core.xml")), "authors emptied, title rewritten")

	sheet1 := string(zipMember(t, out, "xl/worksheets/sheet1.xml"))
	for _, want := range []string{
		`<row r="1"><c r="A1" t="s"><v>0</v></c>`, // the header stays
		`<c r="A2" t="inlineStr"><is><t>张*</t></is></c>`,
		`<c r="C2" t="inlineStr"><is><t>138****8000</t></is></c>`, // a number cannot hold a mask
		`<c r="D2" t="inlineStr"><is><t></t></is></c>`,            // 佛教 as a religion
		`<c r="E2" t="s"><v>5</v></c>`,                            // 佛教 in a note: kept, shared
		`<c r="C3" t="inlineStr"><is><t>138****8000</t></is></c>`, // the formula is dropped
		`<c r="E3" t="inlineStr"><is><t>客户 z****.***@example.com</t></is></c>`,
		`<pageMargins left="0.7" right="0.7"/></worksheet>`,
	} {
		assert.Contains(t, sheet1, want)
	}
	sheet2 := string(zipMember(t, out, "xl/worksheets/sheet2.xml"))
	assert.NotContains(t, sheet2, `<c r="A1" t="s">`, "no header: the first row is data")
	assert.Contains(t, sheet2, `<c r="B1" s="1"><v>32940</v></c><c r="C1"><v>42</v></c>`)
	// The strings still referred to stay, the others are emptied; the
	// count of references follows.
	assert.Equal(t, xmlDecl+`<sst xmlns="`+nsMain+`" count="6" uniqueCount="10"><si><t>姓名</t></si><si><t>身份证号</t></si>`+
		`<si><t>手机号</t></si><si><t>宗教信仰</t></si><si><t>备注</t></si><si><t>佛教</t></si><si><t/></si><si><t/></si><si><t/></si><si><t/></si></sst>`,
		string(zipMember(t, out, "xl/sharedStrings.xml")))
	text := zipText(t, out)
	for _, raw := range []string{rawID, rawMobile, rawEmail, "张三", "王小明"} {
		assert.NotContains(t, text, raw)
	}
	for _, fd := range rescan(t, dst) {
		assert.NotContains(t, []string{"S3", "S4"}, fd.Sensitivity, fd.DataType)
	}
}

// testDocx has a value split across runs, one after a tab, one in a
// header, a tracked change's author, and document properties.
func testDocx(t *testing.T) []byte {
	doc := xmlDecl + `<w:document xmlns:w="` + nsW + `"><w:body>` +
		`<w:p><w:r><w:t>手机：138</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>1234</w:t></w:r><w:r><w:t>8000 谢谢</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t xml:space="preserve">身份证号 </w:t><w:tab/><w:t>` + rawID + `</w:t></w:r></w:p>` +
		`<w:p><w:ins w:id="1" w:author="王小明"><w:r><w:t>无</w:t></w:r></w:ins></w:p><w:sectPr/></w:body></w:document>`
	header := xmlDecl + `<w:hdr xmlns:w="` + nsW + `"><w:p><w:r><w:t>联系 ` + rawEmail + ` &amp; more</w:t></w:r></w:p></w:hdr>`
	return zipOf(t, map[string][]byte{"[Content_Types].xml": []byte(xmlDecl + `<Types/>`), "word/document.xml": []byte(doc),
		"word/header1.xml": []byte(header), "word/styles.xml": []byte(xmlDecl + `<w:styles xmlns:w="` + nsW + `"/>`), "docProps/core.xml": []byte(coreXML)})
}

const nsA = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`

// testPptx has an email split across runs of a slide and a mobile in the
// notes.
func testPptx(t *testing.T) []byte {
	slide := xmlDecl + `<p:sld ` + nsA + `><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Email: zhang.san@</a:t></a:r>` +
		`<a:r><a:t>example.com</a:t></a:r></a:p><a:p><a:r><a:t>Thanks</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`
	notes := xmlDecl + `<p:notes ` + nsA + `><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>call ` + rawMobile + `</a:t></a:r></a:p>` +
		`</p:txBody></p:sp></p:spTree></p:cSld></p:notes>`
	return zipOf(t, map[string][]byte{"ppt/presentation.xml": []byte(xmlDecl + `<p:presentation ` + nsA + `/>`),
		"ppt/slides/slide1.xml": []byte(slide), "ppt/notesSlides/notesSlide1.xml": []byte(notes)})
}

// TestRedactOfficeText rewrites Word and PowerPoint text: values split
// across runs, in headers and notes, with the runs and paragraphs kept.
func TestRedactOfficeText(t *testing.T) {
	t.Parallel()
	docx, pptx := testDocx(t), testPptx(t)
	dst, tally := redactFiles(t, Config{}, map[string][]byte{"a.docx": docx, "b.pptx": pptx})
	require.Equal(t, int64(2), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	outDoc, outPPT := readFile(t, dst, "a.docx"), readFile(t, dst, "b.pptx")
	assert.Equal(t, paragraphs(t, docx), paragraphs(t, outDoc))
	assert.Equal(t, paragraphs(t, pptx), paragraphs(t, outPPT))
	assert.Equal(t, zipMembers(t, docx), zipMembers(t, outDoc))

	gotDoc := string(zipMember(t, outDoc, "word/document.xml"))
	assert.Contains(t, gotDoc, `<w:p><w:r><w:t>手机：138****8000</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t></w:t></w:r>`+
		`<w:r><w:t xml:space="preserve"> 谢谢</w:t></w:r></w:p>`, "the value's runs: the replacement in the first, removed from the others")
	assert.Contains(t, gotDoc, `<w:tab/><w:t>`)
	assert.NotContains(t, gotDoc, rawID)
	assert.Contains(t, gotDoc, `<w:p><w:ins w:id="1" w:author=""><w:r><w:t>无</w:t></w:r></w:ins></w:p><w:sectPr/></w:body></w:document>`,
		"a tracked change's author is emptied")
	assert.Equal(t, xmlDecl+`<w:hdr xmlns:w="`+nsW+`"><w:p><w:r><w:t>联系 z****.***@example.com &amp; more</w:t></w:r></w:p></w:hdr>`,
		string(zipMember(t, outDoc, "word/header1.xml")))
	assert.Equal(t, zipMember(t, docx, "word/styles.xml"), zipMember(t, outDoc, "word/styles.xml"))
	assert.Equal(t, wantCore, string(zipMember(t, outDoc, "docProps/core.xml")))

	gotSlide := string(zipMember(t, outPPT, "ppt/slides/slide1.xml"))
	assert.Contains(t, gotSlide, `<a:p><a:r><a:t>Email: z****.***@example.com</a:t></a:r><a:r><a:t></a:t></a:r></a:p>`)
	assert.Contains(t, string(zipMember(t, outPPT, "ppt/notesSlides/notesSlide1.xml")), `<a:t>call 138****8000</a:t>`)
	for _, fd := range rescan(t, dst) {
		assert.NotContains(t, []string{"S3", "S4"}, fd.Sensitivity, fd.DataType)
	}
	for _, b := range [][]byte{outDoc, outPPT} {
		text := zipText(t, b)
		for _, raw := range []string{rawID, rawMobile, rawEmail, "王小明"} {
			assert.NotContains(t, text, raw)
		}
	}
}

// TestRedactOfficeErrors: a damaged part, a missing main part or a limit
// is a failed object with a reason; nothing is written.
func TestRedactOfficeErrors(t *testing.T) {
	t.Parallel()
	good := testWorkbook(t)
	files := map[string][]byte{
		"bad.docx":   zipOf(t, map[string][]byte{"word/document.xml": []byte(`<w:document><w:body><w:p><w:r><w:t>手机 ` + rawMobile)}),
		"bad.xlsx":   zipOf(t, map[string][]byte{"xl/workbook.xml": []byte(`<workbook><sheets>`)}),
		"empty.pptx": zipOf(t, map[string][]byte{"ppt/presentation.xml": []byte(`<p:presentation xmlns:p="x"/>`)}),
		"trunc.xlsx": good[:len(good)/2],
	}
	dst, tally := redactFiles(t, Config{}, files)
	reasons := map[string]string{}
	for _, i := range tally.NotRewritten {
		reasons[strings.TrimPrefix(i.Object, "mem://")] = string(i.Status) + " " + i.Reason
		assert.NotContains(t, i.Error, rawMobile)
	}
	assert.Equal(t, map[string]string{"bad.docx": "failed malformed", "bad.xlsx": "failed malformed",
		"empty.pptx": "failed malformed", "trunc.xlsx": "failed malformed"}, reasons)
	assert.Empty(t, listFiles(t, dst))

	_, tally = redactFiles(t, Config{MaxDecodedSize: 1 << 10}, map[string][]byte{"big.xlsx": good})
	require.Len(t, tally.NotRewritten, 1)
	assert.Equal(t, "archive_limit", tally.NotRewritten[0].Reason)
	assert.True(t, bytes.HasPrefix(good, []byte("PK")))
}

// TestRedactOfficeAvroRoundTrip encrypts the values of Office and Avro
// files and decrypts the copy: a rescan of the result finds what a scan
// of the originals finds (the values may sit in other runs or become
// inline strings, so bytes are not compared).
func TestRedactOfficeAvroRoundTrip(t *testing.T) {
	t.Parallel()
	var avroIn bytes.Buffer
	enc, err := ocf.NewEncoder(`{"type":"record","name":"r","fields":[{"name":"id_no","type":"string"},{"name":"email","type":["null","string"]}]}`,
		&avroIn, ocf.WithCodec(ocf.Snappy))
	require.NoError(t, err)
	require.NoError(t, enc.Encode(map[string]any{"id_no": rawID, "email": rawEmail}))
	require.NoError(t, enc.Close())
	files := map[string][]byte{"a.docx": testDocx(t), "b.pptx": testPptx(t), "c.xlsx": testWorkbook(t), "d.avro": avroIn.Bytes()}
	p := policy(t, "version: 1\ndefault: {operator: encrypt, algorithm: "+deid.AlgAESSIV+", key_env: TEST_ENC_KEY}\n")
	dst, tally := redactFiles(t, Config{Policy: p}, files)
	require.Equal(t, int64(4), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	assert.Empty(t, rescan(t, dst), "only tokens in the copy")
	src, err := newDirSource(dst)
	require.NoError(t, err)
	back, dtally := redactSource(t, Config{Policy: p, Decrypt: true}, src)
	assert.Equal(t, tally.Values, dtally.Values, "every token decrypted")
	orig := filepath.Join(t.TempDir(), "orig")
	for name, b := range files {
		require.NoError(t, os.MkdirAll(orig, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(orig, name), b, 0o644))
	}
	found := func(dir string) []string {
		var out []string
		for _, f := range rescan(t, dir) {
			out = append(out, path.Base(f.Object)+" "+f.DataType+" "+f.Fingerprint)
		}
		return out
	}
	want := found(orig)
	assert.Len(t, want, 17, "a.docx and c.xlsx have a mobile number in docProps/core.xml, a side part")
	assert.ElementsMatch(t, want, found(back))
	assert.Equal(t, avroShape(t, avroIn.Bytes()), avroShape(t, readFile(t, back, "d.avro")))
}
