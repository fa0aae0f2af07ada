package redact

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// Values an Office package holds outside the text the scanner reads: a
// copy that kept them would not be de-identified.

const (
	nsR      = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	nsRels   = `http://schemas.openxmlformats.org/package/2006/relationships`
	linkType = nsR + `/hyperlink`
	// mailtoRels is what Word and Excel write for an e-mail address typed
	// in a document: a mailto: hyperlink.
	mailtoRels = xmlDecl + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId9" Type="` + linkType +
		`" Target="mailto:` + rawEmail + `" TargetMode="External"/><Relationship Id="rId2" Type="` + nsR + `/styles" Target="styles.xml"/></Relationships>`
	customXML = xmlDecl + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ` +
		`xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property name="客户手机" pid="2">` +
		`<vt:lpwstr>` + rawMobile + `</vt:lpwstr></property></Properties>`
)

// sideDocx has an e-mail hyperlink, a tel: field instruction, a picture
// whose alt text holds an ID number, a custom property, and the workbook
// of a chart (an embedded package).
func sideDocx(t *testing.T) []byte {
	doc := xmlDecl + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `" xmlns:wp="x-wp"><w:body>` +
		`<w:p><w:r><w:t xml:space="preserve">邮箱 </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>` + rawEmail + `</w:t></w:r></w:hyperlink></w:p>` +
		`<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "tel:` + rawMobile +
		`" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>致电</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` +
		`<w:p><w:r><w:drawing><wp:docPr id="1" name="Picture 1" descr="身份证 ` + rawID + ` 正面"/></w:drawing></w:r></w:p>` +
		`</w:body></w:document>`
	return zipOf(t, map[string][]byte{
		"[Content_Types].xml":                            []byte(xmlDecl + `<Types/>`),
		"word/document.xml":                              []byte(doc),
		"word/_rels/document.xml.rels":                   []byte(mailtoRels),
		"word/styles.xml":                                []byte(xmlDecl + `<w:styles xmlns:w="` + nsW + `"/>`),
		"docProps/custom.xml":                            []byte(customXML),
		"word/media/image1.png":                          pngImage(t, rawMobile), // a picture: its text chunk removed
		"word/embeddings/Microsoft_Excel_Worksheet.xlsx": sideWorkbook(t),
	})
}

// sideWorkbook has a hyperlink, a comment, a header, a formula the cell's
// value does not show, a defined name, and a pivot table whose cache keeps
// a copy of the source rows.
func sideWorkbook(t *testing.T) []byte {
	sheet := xmlDecl + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsR + `"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>邮箱</t></is></c><c r="B1" t="inlineStr"><is><t>长度</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>` + rawEmail + `</t></is></c><c r="B2"><f>LEN("` + rawMobile + `")</f><v>11</v></c></row>` +
		`</sheetData><hyperlinks><hyperlink ref="A2" r:id="rId9"/></hyperlinks>` +
		`<headerFooter><oddHeader>&amp;C联系 ` + rawMobile + `</oddHeader></headerFooter></worksheet>`
	comments := xmlDecl + `<comments xmlns="` + nsMain + `"><authors><author>王小明</author></authors><commentList>` +
		`<comment ref="A2" authorId="0"><text><r><t>身份证 ` + rawID + `</t></r></text></comment></commentList></comments>`
	cacheDef := xmlDecl + `<pivotCacheDefinition xmlns="` + nsMain + `" recordCount="1"><cacheFields count="2">` +
		`<cacheField name="邮箱"><sharedItems><s v="` + rawEmail + `"/></sharedItems></cacheField>` +
		`<cacheField name="卡号"><sharedItems/></cacheField></cacheFields></pivotCacheDefinition>`
	cacheRecs := xmlDecl + `<pivotCacheRecords xmlns="` + nsMain + `" count="1"><r><x v="0"/><s v="` + rawCard + `"/></r></pivotCacheRecords>`
	return zipOf(t, map[string][]byte{
		"[Content_Types].xml": []byte(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
		"xl/workbook.xml": []byte(xmlDecl + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsR + `"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets>` +
			`<definedNames><definedName name="boss">"` + rawMobile + `"</definedName></definedNames></workbook>`),
		"xl/_rels/workbook.xml.rels":              []byte(xmlDecl + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
		"xl/worksheets/sheet1.xml":                []byte(sheet),
		"xl/worksheets/_rels/sheet1.xml.rels":     []byte(mailtoRels),
		"xl/comments1.xml":                        []byte(comments),
		"xl/drawings/vmlDrawing1.vml":             []byte(`<xml><v:shape><x:ClientData><x:Anchor>1, 15, 0, 2</x:Anchor></x:ClientData></v:shape></xml>`),
		"xl/pivotCache/pivotCacheDefinition1.xml": []byte(cacheDef),
		"xl/pivotCache/pivotCacheRecords1.xml":    []byte(cacheRecs),
		"xl/styles.xml":                           []byte(xmlDecl + `<styleSheet xmlns="` + nsMain + `"/>`),
		"xl/persons/person.xml": []byte(xmlDecl + `<personList xmlns="x-p"><person displayName="王小明" id="{1}" userId="` + rawEmail +
			`" providerId="AD"/></personList>`),
	})
}

// TestRedactOfficeSideParts: no original value is left anywhere in the
// package, every XML part still parses, the members and the text the
// scanner reads keep their shape, and parts without values are unchanged.
func TestRedactOfficeSideParts(t *testing.T) {
	t.Parallel()
	docx, xlsx := sideDocx(t), sideWorkbook(t)
	dst, tally := redactFiles(t, Config{}, map[string][]byte{"a.docx": docx, "b.xlsx": xlsx})
	require.Equal(t, int64(2), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	outDoc, outXLSX := readFile(t, dst, "a.docx"), readFile(t, dst, "b.xlsx")
	assert.Equal(t, zipMembers(t, docx), zipMembers(t, outDoc))
	assert.Equal(t, zipMembers(t, xlsx), zipMembers(t, outXLSX))
	assert.Equal(t, paragraphs(t, docx), paragraphs(t, outDoc))
	assert.Equal(t, xlsxShape(t, xlsx), xlsxShape(t, outXLSX))

	embedded := zipMember(t, outDoc, "word/embeddings/Microsoft_Excel_Worksheet.xlsx")
	assert.Equal(t, xlsxShape(t, xlsx), xlsxShape(t, embedded), "the chart's workbook is rewritten as a workbook")
	for name, b := range map[string][]byte{"a.docx": outDoc, "b.xlsx": outXLSX, "the workbook in a.docx": embedded} {
		text := zipText(t, b) // also: every XML part parses
		for _, raw := range []string{rawID, rawMobile, rawEmail, rawCard, "王小明"} {
			assert.NotContains(t, text, raw, name)
		}
		zr, err := zipReader(b)
		require.NoError(t, err)
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "word/media/") || strings.HasPrefix(f.Name, "word/embeddings/") {
				continue
			}
			rc, err := f.Open()
			require.NoError(t, err)
			data, err := io.ReadAll(rc)
			require.NoError(t, err)
			rc.Close()
			for _, raw := range []string{rawID, rawMobile, rawEmail, rawCard} {
				assert.False(t, bytes.Contains(data, []byte(raw)), "%s %s holds an original value", name, f.Name)
			}
		}
	}

	rels := string(zipMember(t, outDoc, "word/_rels/document.xml.rels"))
	assert.Contains(t, rels, `Target="mailto:z****.***@example.com" TargetMode="External"/>`)
	assert.Contains(t, rels, `<Relationship Id="rId2" Type="`+nsR+`/styles" Target="styles.xml"/>`, "other relationships as they were")
	doc := string(zipMember(t, outDoc, "word/document.xml"))
	assert.Contains(t, doc, `<w:instrText xml:space="preserve"> HYPERLINK "tel:138****8000" </w:instrText>`)
	assert.Contains(t, doc, `<wp:docPr id="1" name="Picture 1" descr="身份证 `)
	assert.Equal(t, zipMember(t, docx, "word/styles.xml"), zipMember(t, outDoc, "word/styles.xml"))
	assert.Equal(t, pngImage(t, ""), zipMember(t, outDoc, "word/media/image1.png"), "a picture: its metadata removed")
	assert.Contains(t, string(zipMember(t, outDoc, "docProps/custom.xml")), `<vt:lpwstr>138****8000</vt:lpwstr>`)

	sheet := string(zipMember(t, outXLSX, "xl/worksheets/sheet1.xml"))
	assert.Contains(t, sheet, `<c r="B2"><f>LEN("138****8000")</f><v>11</v></c>`, "a formula whose value stays")
	assert.Contains(t, sheet, `<oddHeader>&amp;C联系 138****8000</oddHeader>`)
	assert.Contains(t, sheet, `<c r="A2" t="inlineStr"><is><t>z****.***@example.com</t></is></c>`)
	assert.Contains(t, string(zipMember(t, outXLSX, "xl/workbook.xml")), `<definedName name="boss">"138****8000"</definedName>`)
	assert.Contains(t, string(zipMember(t, outXLSX, "xl/pivotCache/pivotCacheDefinition1.xml")), `<s v="z****.***@example.com"/>`)
	assert.Equal(t, zipMember(t, xlsx, "xl/drawings/vmlDrawing1.vml"), zipMember(t, outXLSX, "xl/drawings/vmlDrawing1.vml"))
	assert.Contains(t, string(zipMember(t, outXLSX, "xl/comments1.xml")), `<authors><author></author></authors>`, "comment authors emptied")
	assert.Contains(t, string(zipMember(t, outXLSX, "xl/persons/person.xml")), `<person displayName="" id="{1}" userId="" providerId="AD"/>`)
	assert.Equal(t, zipMember(t, xlsx, "[Content_Types].xml"), zipMember(t, outXLSX, "[Content_Types].xml"))
}

// TestRedactOfficeSideUTF16: a custom XML part in UTF-16 is rewritten
// and written back in UTF-16, with its byte order mark and declaration:
// it failed the whole document as malformed.
func TestRedactOfficeSideUTF16(t *testing.T) {
	t.Parallel()
	item := `<?xml version="1.0" encoding="utf-16"?><root><phone>` + rawMobile + `</phone></root>`
	doc := xmlDecl + `<w:document xmlns:w="` + nsW + `"><w:body><w:p><w:r><w:t>hello</w:t></w:r></w:p></w:body></w:document>`
	in := zipOf(t, map[string][]byte{
		"[Content_Types].xml": []byte(xmlDecl + `<Types/>`),
		"word/document.xml":   []byte(doc),
		"customXml/item1.xml": append([]byte{0xFF, 0xFE}, utf16le(item)...),
	})
	dir, tally := redactFiles(t, Config{Policy: defaultPolicy(t)}, map[string][]byte{"a.docx": in})
	assert.Equal(t, int64(1), tally.Written)
	out := zipMember(t, readFile(t, dir, "a.docx"), "customXml/item1.xml")
	require.GreaterOrEqual(t, len(out), 2)
	assert.Equal(t, []byte{0xFF, 0xFE}, out[:2], "the byte order mark is kept")
	assert.False(t, holdsValue(out, rawMobile))
	text, err := unicodeText(out[2:])
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(text, `<?xml version="1.0" encoding="utf-16"?><root><phone>`), text)
	assert.Empty(t, rescan(t, dir))
}

// unicodeText decodes UTF-16LE.
func unicodeText(b []byte) (string, error) {
	if len(b)%2 != 0 {
		return "", io.ErrUnexpectedEOF
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u)), nil
}

// TestRedactOfficeSideHugeToken: a part with an XML token longer than
// scanner.MaxXMLToken is not held whole: the object is not written
// (archive_limit), as the scan reports it partial. A 1 MB docx whose
// custom XML part was 1 GiB of spaces took 6.2 GB and 39 s.
func TestRedactOfficeSideHugeToken(t *testing.T) {
	t.Parallel()
	ws := make([]byte, scanner.MaxXMLToken+1)
	x := uint32(2463534242)
	for i := range ws {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		ws[i] = " \t\r\n"[x%4] // deflates less than --max-ratio
	}
	doc := xmlDecl + `<w:document xmlns:w="` + nsW + `"><w:body><w:p><w:r><w:t>` + rawMobile + `</w:t></w:r></w:p></w:body></w:document>`
	in := zipOf(t, map[string][]byte{
		"[Content_Types].xml": []byte(xmlDecl + `<Types/>`),
		"word/document.xml":   []byte(doc),
		"customXml/item1.xml": append(append([]byte("<root>"), ws...), "</root>"...),
	})
	_, tally := redactFiles(t, Config{Policy: defaultPolicy(t)}, map[string][]byte{"a.docx": in})
	assert.Equal(t, int64(0), tally.Written)
	assert.Equal(t, map[string]int64{string(scanner.ReasonArchiveLimit): 1}, tally.ByReason)
}

// TestRedactHugeTokenInText: so are the parts the rewriters read (the
// text of a docx, a worksheet).
func TestRedactHugeTokenInText(t *testing.T) {
	t.Parallel()
	ws := make([]byte, scanner.MaxXMLToken+1)
	x := uint32(2463534242)
	for i := range ws {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		ws[i] = " \t\r\n"[x%4]
	}
	doc := xmlDecl + `<w:document xmlns:w="` + nsW + `"><w:body><w:p><w:r><w:t>` + string(ws) + `</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>` + rawMobile + `</w:t></w:r></w:p></w:body></w:document>`
	in := zipOf(t, map[string][]byte{
		"[Content_Types].xml": []byte(xmlDecl + `<Types/>`),
		"word/document.xml":   []byte(doc),
	})
	_, tally := redactFiles(t, Config{Policy: defaultPolicy(t)}, map[string][]byte{"a.docx": in})
	assert.Equal(t, int64(0), tally.Written)
	assert.Equal(t, map[string]int64{string(scanner.ReasonArchiveLimit): 1}, tally.ByReason)
}

// TestRedactOfficeSideComments: the text of an XML comment is swept as
// the scan reads it, and the comment stays one.
func TestRedactOfficeSideComments(t *testing.T) {
	t.Parallel()
	doc := xmlDecl + `<w:document xmlns:w="` + nsW + `"><w:body><!-- ` + rawMobile + ` --><w:p><w:r><w:t>hello</w:t></w:r></w:p></w:body></w:document>`
	in := zipOf(t, map[string][]byte{
		"[Content_Types].xml": []byte(xmlDecl + `<Types/>`),
		"word/document.xml":   []byte(doc),
		"customXml/item1.xml": []byte(`<root><!--手机 ` + rawMobile + `--></root>`),
	})
	dir, tally := redactFiles(t, Config{Policy: defaultPolicy(t)}, map[string][]byte{"a.docx": in})
	assert.Equal(t, int64(1), tally.Written)
	for _, part := range []string{"word/document.xml", "customXml/item1.xml"} {
		out := zipMember(t, readFile(t, dir, "a.docx"), part)
		assert.False(t, holdsValue(out, rawMobile), part)
		assert.Contains(t, string(out), "<!--", part)
	}
	assert.Empty(t, rescan(t, dir))
}
