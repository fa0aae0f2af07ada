package scanner_test

import (
	"encoding/xml"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// Values an Office package holds outside the text and cells the readers
// read (ooxml_side.go): each document below holds its only personal data
// in one such place, and the scan must report it there.

const (
	sideID     = "440104195101058590" // GB 11643 check digit valid
	sideMobile = "13812348000"
	sideEmail  = "zhang.san@example.com"

	xmlDecl    = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`
	nsWord     = `http://schemas.openxmlformats.org/wordprocessingml/2006/main`
	nsSheet    = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	nsPkgRels  = `http://schemas.openxmlformats.org/package/2006/relationships`
	nsOfficeR  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	plainBody  = `<w:p><w:r><w:t>会议纪要</w:t></w:r></w:p>`
	plainSheet = `<row r="1"><c r="A1" t="inlineStr"><is><t>项目</t></is></c></row>`
)

// zipPkg builds a package of members, in name order.
func zipPkg(t testing.TB, members map[string]string) []byte {
	t.Helper()
	var ms []corpus.Member
	for _, name := range slices.Sorted(maps.Keys(members)) {
		ms = append(ms, corpus.Member{Name: name, Data: []byte(members[name])})
	}
	return must(corpus.Zip(ms))(t)
}

// sideDocx is a Word document whose body is body, with the other members.
func sideDocx(t testing.TB, body string, other map[string]string) []byte {
	t.Helper()
	m := map[string]string{
		"[Content_Types].xml": xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml": xmlDecl + `<w:document xmlns:w="` + nsWord + `" xmlns:r="` + nsOfficeR + `" xmlns:wp="x-wp"><w:body>` +
			body + `</w:body></w:document>`,
	}
	maps.Copy(m, other)
	return zipPkg(t, m)
}

// sideXLSX is a workbook of one sheet (客户) whose sheet data is rows and
// whose sheet part ends with tail, with the other members.
func sideXLSX(t testing.TB, rows, tail string, other map[string]string) []byte {
	t.Helper()
	m := map[string]string{
		"xl/workbook.xml": xmlDecl + `<workbook xmlns="` + nsSheet + `" xmlns:r="` + nsOfficeR + `"><sheets>` +
			`<sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": xmlDecl + `<Relationships xmlns="` + nsPkgRels + `"><Relationship Id="rId1" ` +
			`Type="` + nsOfficeR + `/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": xmlDecl + `<worksheet xmlns="` + nsSheet + `"><sheetData>` + rows + `</sheetData>` + tail + `</worksheet>`,
	}
	maps.Copy(m, other)
	return zipPkg(t, m)
}

// mailtoRels is the hyperlink Word and Excel make of a typed e-mail address.
const mailtoRels = xmlDecl + `<Relationships xmlns="` + nsPkgRels + `"><Relationship Id="rId9" Type="` + nsOfficeR +
	`/hyperlink" Target="mailto:` + sideEmail + `" TargetMode="External"/></Relationships>`

// pivotCache is a pivot cache of two columns, 手机 and 宗教信仰, whose
// records hold a shared item (an index) and a value of the second column:
// 佛教 is a religious belief only in a column that says so.
func pivotCache() map[string]string {
	return map[string]string{
		"xl/pivotCache/pivotCacheDefinition1.xml": xmlDecl + `<pivotCacheDefinition xmlns="` + nsSheet + `" xmlns:r="` + nsOfficeR +
			`" r:id="rId1"><cacheSource type="worksheet"/><cacheFields count="2"><cacheField name="手机"><sharedItems><s v="未知"/></sharedItems></cacheField>` +
			`<cacheField name="宗教信仰"><sharedItems/></cacheField></cacheFields></pivotCacheDefinition>`,
		"xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": xmlDecl + `<Relationships xmlns="` + nsPkgRels + `"><Relationship Id="rId1" ` +
			`Type="` + nsOfficeR + `/pivotCacheRecords" Target="records.xml"/></Relationships>`,
		// named unlike the definition: found through the relationship
		"xl/pivotCache/records.xml": xmlDecl + `<pivotCacheRecords xmlns="` + nsSheet + `" count="1"><r><x v="0"/><s v="佛教"/></r></pivotCacheRecords>`,
	}
}

// sideFinding is what a test expects of the one finding of a document.
type sideFinding struct {
	Type, Container, Format string
	loc
}

func sideFindings(r *scanner.ObjectResult) []sideFinding {
	var out []sideFinding
	for i, l := range locs(r) {
		f := r.Findings[i]
		c := ""
		if f.ContainerPath != nil {
			c = *f.ContainerPath
		}
		l.Type = ""
		out = append(out, sideFinding{Type: f.DataType, Container: c, Format: f.Format, loc: l})
	}
	return out
}

// side is a location in the values of a part: line, column, offset and
// length, no record.
func side(line, col, off int64, n int32, field string) loc {
	return loc{Line: line, Col: col, Off: off, Len: n, Record: -1, Field: field}
}

func TestOOXMLSideParts(t *testing.T) {
	t.Parallel()
	embedded := sideXLSX(t, `<row r="1"><c r="A1" t="inlineStr"><is><t>手机</t></is></c></row>`+
		`<row r="2"><c r="A2"><v>`+sideMobile+`</v></c></row>`, "", nil)
	tests := []struct {
		name string
		file string
		data []byte
		want sideFinding
	}{
		{"mailto hyperlink", "a.docx", sideDocx(t, plainBody, map[string]string{"word/_rels/document.xml.rels": mailtoRels}),
			// values: rId9, the type, the target (line 3; mailto: is 7 characters), External
			sideFinding{"email", "word/_rels/document.xml.rels", "docx", side(3, 8, 7+int64(len("rId9\n"+nsOfficeR+"/hyperlink\n")), 21, "")}},
		{"field instruction", "a.docx", sideDocx(t, `<w:p><w:r><w:instrText xml:space="preserve"> HYPERLINK "tel:`+sideMobile+`" </w:instrText></w:r>`+
			`<w:r><w:t>致电</w:t></w:r></w:p>`, nil),
			// values of document.xml: preserve, then the instruction
			sideFinding{"cn_mobile", "word/document.xml", "docx", side(2, 17, 9+16, 11, "")}},
		{"alt text", "a.docx", sideDocx(t, `<w:p><w:r><w:drawing><wp:docPr id="1" name="Picture 1" descr="身份证 `+sideID+`"/></w:drawing></w:r></w:p>`, nil),
			sideFinding{"cn_resident_id", "word/document.xml", "docx", side(3, 5, int64(len("1\nPicture 1\n身份证 ")), 18, "")}},
		{"custom property", "a.docx", sideDocx(t, plainBody, map[string]string{"docProps/custom.xml": xmlDecl +
			`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="x-vt">` +
			`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="客户手机"><vt:lpwstr>` + sideMobile + `</vt:lpwstr></property></Properties>`}),
			// values: fmtid, pid, name, then the property's text, in its field
			sideFinding{"cn_mobile", "docProps/custom.xml", "docx", side(4, 1, int64(len("{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\n2\n客户手机\n")), 11, "客户手机")}},
		{"chart cache", "a.pptx", zipPkg(t, map[string]string{
			"ppt/presentation.xml":  xmlDecl + `<p:presentation xmlns:p="x-p"/>`,
			"ppt/slides/slide1.xml": xmlDecl + `<p:sld xmlns:p="x-p" xmlns:a="x-a"><a:p><a:r><a:t>季度汇总</a:t></a:r></a:p></p:sld>`,
			"ppt/charts/chart1.xml": xmlDecl + `<c:chartSpace xmlns:c="x-c"><c:chart><c:ser><c:cat><c:strRef><c:f>Sheet1!$A$2</c:f><c:strCache>` +
				`<c:ptCount val="1"/><c:pt idx="0"><c:v>` + sideEmail + `</c:v></c:pt></c:strCache></c:strRef></c:cat></c:ser></c:chart></c:chartSpace>`,
		}), sideFinding{"email", "ppt/charts/chart1.xml", "pptx", side(4, 1, int64(len("Sheet1!$A$2\n1\n0\n")), 21, "")}},
		{"workbook comment", "b.xlsx", sideXLSX(t, plainSheet, "", map[string]string{"xl/comments1.xml": xmlDecl +
			`<comments xmlns="` + nsSheet + `"><authors><author>王小明</author></authors><commentList><comment ref="A1" authorId="0">` +
			`<text><r><t>身份证 ` + sideID + `</t></r></text></comment></commentList></comments>`}),
			sideFinding{"cn_resident_id", "xl/comments1.xml", "xlsx", side(4, 5, int64(len("王小明\nA1\n0\n身份证 ")), 18, "")}},
		{"pivot cache records", "b.xlsx", sideXLSX(t, plainSheet, "", pivotCache()),
			// the record's second value, in the second column's field
			sideFinding{"religious_belief", "xl/pivotCache/records.xml", "xlsx", side(3, 1, 4, 6, "宗教信仰")}},
		{"sheet footer", "b.xlsx", sideXLSX(t, plainSheet, `<headerFooter><oddFooter>&amp;L联系 `+sideMobile+`</oddFooter></headerFooter>`, nil),
			sideFinding{"cn_mobile", "xl/worksheets/sheet1.xml", "xlsx", side(1, 6, int64(len("&L联系 ")), 11, "")}},
		{"formula", "b.xlsx", sideXLSX(t, plainSheet+`<row r="2"><c r="A2"><f>LEN("`+sideID+`")</f><v>18</v></c></row>`, "", nil),
			sideFinding{"cn_resident_id", "xl/worksheets/sheet1.xml", "xlsx", side(1, 6, 5, 18, "")}},
		{"defined name", "b.xlsx", sideXLSX(t, plainSheet, "", map[string]string{"xl/workbook.xml": xmlDecl + `<workbook xmlns="` + nsSheet +
			`" xmlns:r="` + nsOfficeR + `"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets>` +
			`<definedNames><definedName name="boss">"` + sideMobile + `"</definedName></definedNames></workbook>`}),
			// values: 客户, 1, rId1, boss, then the name's formula
			sideFinding{"cn_mobile", "xl/workbook.xml", "xlsx", side(5, 2, int64(len("客户\n1\nrId1\nboss\n\"")), 11, "")}},
		{"sheet the workbook does not list", "b.xlsx", sideXLSX(t, plainSheet, "", map[string]string{"xl/worksheets/sheet2.xml": xmlDecl +
			`<worksheet xmlns="` + nsSheet + `"><sheetData><row r="1"><c r="A1"><v>` + sideMobile + `</v></c></row></sheetData></worksheet>`}),
			// read as a sheet named after its part, after the listed ones
			sideFinding{"cn_mobile", "xl/worksheets/sheet2.xml", "xlsx", loc{Record: 0, Field: "column_1", Len: 11, Off: 0}}},
		{"embedded workbook", "a.docx", sideDocx(t, plainBody, map[string]string{"word/embeddings/Microsoft_Excel_Worksheet.xlsx": string(embedded)}),
			// a cell of the workbook, located as in a workbook of its own
			sideFinding{"cn_mobile", "word/embeddings/Microsoft_Excel_Worksheet.xlsx/客户", "xlsx", loc{Record: 0, Field: "手机", Len: 11}}},
		{"docx in a zip", "c.zip", zipPkg(t, map[string]string{"docs/a.docx": string(sideDocx(t, plainBody,
			map[string]string{"word/_rels/document.xml.rels": mailtoRels}))}),
			sideFinding{"email", "docs/a.docx/word/_rels/document.xml.rels", "docx", side(3, 8, 7+int64(len("rId9\n"+nsOfficeR+"/hyperlink\n")), 21, "")}},
	}
	files := map[string][]byte{}
	for i, tt := range tests {
		files[strings.Replace(tt.file, ".", "-"+string(rune('a'+i))+".", 1)] = tt.data
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sink.ByName(strings.Replace(tt.file, ".", "-"+string(rune('a'+i))+".", 1))
			require.NotNil(t, r)
			assert.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)
			assert.Equal(t, []sideFinding{tt.want}, sideFindings(r))
			format := strings.TrimPrefix(tt.file[strings.LastIndex(tt.file, "."):], ".")
			if format == "zip" {
				format = "zip/docx"
			}
			assert.Equal(t, format, r.Format, "the package's format, not docx/xlsx")
		})
	}
}

// TestOOXMLSideHostile: a damaged side part, a huge text node, a bomb in
// an embedded package and embedded packages nested past the depth limit
// do not lose the document: what could be read is reported, and the
// object's status and reason say what could not.
func TestOOXMLSideHostile(t *testing.T) {
	t.Parallel()
	body := `<w:p><w:r><w:t>手机 ` + sideMobile + `</w:t></w:r></w:p>`
	// a text node of 3 MiB: past OOXMLMaxSideValue, it goes through the
	// chunker; the ID sits at its end
	huge := strings.Repeat("备注 ", 1<<20) + "身份证 " + sideID
	deep := sideDocx(t, body, nil)
	for range 10 {
		deep = sideDocx(t, body, map[string]string{"word/embeddings/inner.docx": string(deep)})
	}
	files := map[string][]byte{
		"bad_part.docx": sideDocx(t, body, map[string]string{"docProps/custom.xml": `<Properties><property name="电话"><vt:lpwstr>` +
			sideMobile + `</vt:lpwstr></property><property`}),
		"huge_node.docx": sideDocx(t, body, map[string]string{"customXml/item1.xml": `<root>` + huge + `</root>`}),
		"bomb.docx": sideDocx(t, body, map[string]string{"word/embeddings/book.xlsx": string(sideXLSX(t,
			strings.Repeat(`<row><c><v>0</v></c></row>`, 400_000), "", nil))}),
		"deep.docx": deep,
	}
	cfg := scanner.Config{Workers: 2, MaxDecodedSize: 8 << 20}
	sink := run(t, &scannertest.MemSource{Files: files}, cfg)
	tests := []struct {
		name   string
		status scanner.Status
		reason scanner.Reason
		types  []string // data types found, in offset order per container
	}{
		// the property read before the damage is still reported
		{"bad_part.docx", scanner.StatusPartial, scanner.ReasonMalformed, []string{"cn_mobile", "cn_mobile"}},
		{"huge_node.docx", scanner.StatusComplete, "", []string{"cn_mobile", "cn_resident_id"}},
		{"bomb.docx", scanner.StatusPartial, scanner.ReasonArchiveLimit, []string{"cn_mobile"}},
		// eight containers deep (--max-archive-depth): the outer documents are read
		{"deep.docx", scanner.StatusPartial, scanner.ReasonArchiveLimit, slices.Repeat([]string{"cn_mobile"}, 8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sink.ByName(tt.name)
			require.NotNil(t, r)
			assert.Equal(t, tt.status, r.Status, "%v", r.Err)
			assert.Equal(t, tt.reason, r.Reason, "%v", r.Err)
			var types []string
			for _, f := range r.Findings {
				types = append(types, f.DataType)
			}
			slices.Sort(types)
			assert.Equal(t, tt.types, types)
			if r.Err != nil {
				assert.NotContains(t, r.Err.Error(), sideMobile)
				assert.NotContains(t, r.Err.Error(), sideID)
			}
		})
	}
	var idAt []sideFinding
	for _, f := range sideFindings(sink.ByName("huge_node.docx")) {
		if f.Type == "cn_resident_id" {
			idAt = append(idAt, f)
		}
	}
	assert.Equal(t, []sideFinding{{"cn_resident_id", "customXml/item1.xml", "docx", side(1, 1<<20*3+5, int64(len(huge)-18), 18, "")}}, idAt,
		"located in the part's values as a short one is")
}

// TestOOXMLFormatParts: the parts that only say how a document looks
// (styles, fonts, themes, content types) are not side parts; settings,
// relationships, masters and the rest are.
func TestOOXMLFormatParts(t *testing.T) {
	t.Parallel()
	for name, side := range map[string]bool{
		"[Content_Types].xml":               false,
		"word/styles.xml":                   false,
		"word/fontTable.xml":                false,
		"word/webSettings.xml":              false,
		"word/theme/theme1.xml":             false,
		"xl/theme/theme1.xml":               false,
		"ppt/theme/theme12.xml":             false,
		"xl/styles.xml":                     false,
		"ppt/tableStyles.xml":               false,
		"word/settings.xml":                 true, // document variables
		"word/_rels/document.xml.rels":      true,
		"ppt/slideMasters/slideMaster1.xml": true, // footer text
		"docProps/custom.xml":               true,
		"word/theme/_rels/theme1.xml.rels":  true,
		"customXml/item1.xml":               true,
		"word/media/image1.png":             false,
	} {
		assert.Equal(t, side, scanner.OOXMLSidePart(name), name)
	}
}

// utf16BE encodes s as UTF-16BE.
func utf16BE(s string) []byte {
	le := corpus.UTF16LE(s)
	for i := 0; i+1 < len(le); i += 2 {
		le[i], le[i+1] = le[i+1], le[i]
	}
	return le
}

// TestOOXMLSideUTF16: a custom XML part written in UTF-16 (with a byte
// order mark, or without one and declared) is read as its text: it made
// the package partial/malformed ("invalid UTF-8").
func TestOOXMLSideUTF16(t *testing.T) {
	t.Parallel()
	docx := must(corpus.DOCX([]string{"hello"}))(t)
	item := `<?xml version="1.0" encoding="utf-16"?><root><phone>13812348000</phone></root>`
	files := map[string][]byte{
		"le.docx": must(corpus.WithMembers(docx, corpus.Member{Name: "customXml/item1.xml", Data: append([]byte{0xFF, 0xFE}, corpus.UTF16LE(item)...)}))(t),
		"be.docx": must(corpus.WithMembers(docx, corpus.Member{Name: "customXml/item1.xml", Data: utf16BE(item)}))(t),
		"gbk.docx": must(corpus.WithMembers(docx, corpus.Member{Name: "customXml/item1.xml",
			Data: []byte(`<?xml version="1.0" encoding="gb2312"?><root><phone>13812348000</phone></root>`)}))(t),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for _, name := range []string{"le.docx", "be.docx"} {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		assert.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", name, r.Err)
		require.Len(t, r.Findings, 1, name)
		assert.Equal(t, "cn_mobile", r.Findings[0].DataType, name)
		require.NotNil(t, r.Findings[0].ContainerPath, name)
		assert.Equal(t, "customXml/item1.xml", *r.Findings[0].ContainerPath, name)
	}
	// Other declared encodings are not read: the part is malformed, the
	// rest of the package still scanned.
	r := sink.ByName("gbk.docx")
	require.NotNil(t, r)
	assert.Equal(t, scanner.StatusPartial, r.Status)
	assert.Equal(t, scanner.ReasonMalformed, r.Reason)
}

// TestOOXMLSideHugeToken: an XML token longer than scanner.MaxXMLToken (a
// text node of white space in a custom XML part, deflated a thousandfold)
// stops the part with a limit instead of being held whole: encoding/xml
// keeps a token in memory, and a 1 MB docx whose customXml/item1.xml was
// one text node of 1 GiB of spaces took 2.1 GB and 19 s to scan.
func TestOOXMLSideHugeToken(t *testing.T) {
	t.Parallel()
	docx := must(corpus.DOCX([]string{"手机 " + sideMobile}))(t)
	// mixed so that they deflate less than --max-ratio
	huge := "<root>" + mixed(" \t\r\n", scanner.MaxXMLToken+1) + "</root>"
	bigAttr := `<root v="` + mixed("xyz", scanner.MaxXMLToken+1) + `"/>`
	small := "<root>" + strings.Repeat(" ", 1<<20) + "<p>" + sideEmail + "</p></root>"
	files := map[string][]byte{
		"huge.docx":  must(corpus.WithMembers(docx, corpus.Member{Name: "customXml/item1.xml", Data: []byte(huge)}))(t),
		"attr.docx":  must(corpus.WithMembers(docx, corpus.Member{Name: "customXml/item1.xml", Data: []byte(bigAttr)}))(t),
		"small.docx": must(corpus.WithMembers(docx, corpus.Member{Name: "customXml/item1.xml", Data: []byte(small)}))(t),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for _, name := range []string{"huge.docx", "attr.docx"} {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		assert.Equal(t, scanner.StatusPartial, r.Status, "%s: %v", name, r.Err)
		assert.Equal(t, scanner.ReasonArchiveLimit, r.Reason, name)
		require.Len(t, r.Findings, 1, "%s: the body is still scanned", name)
		assert.Equal(t, "cn_mobile", r.Findings[0].DataType, name)
	}
	r := sink.ByName("small.docx")
	require.NotNil(t, r)
	assert.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)
	assert.Len(t, r.Findings, 2)
}

// mixed returns n bytes drawn from set by a fixed sequence.
func mixed(set string, n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = set[x%uint32(len(set))]
	}
	return string(b)
}

// TestOOXMLHugeTokenInText: the text parts the readers read are bounded
// as the side parts are: a docx whose w:t held 1 GiB of spaces took
// 4.6 GB and 31 s to scan (5.2 GB and 37 s with side parts read).
func TestOOXMLHugeTokenInText(t *testing.T) {
	t.Parallel()
	docx := must(corpus.DOCX([]string{mixed(" \t\r\n", scanner.MaxXMLToken+1), "手机 " + sideMobile}))(t)
	sink := run(t, &scannertest.MemSource{Files: map[string][]byte{"a.docx": docx}}, scanner.Config{Workers: 1})
	r := sink.ByName("a.docx")
	require.NotNil(t, r)
	assert.Equal(t, scanner.StatusPartial, r.Status, "%v", r.Err)
	assert.Equal(t, scanner.ReasonArchiveLimit, r.Reason)
}

// TestOOXMLSideComments: the text of XML comments is a side value: a
// custom XML part or an SVG picture that kept a value in a comment gave
// no finding, and the de-identified copy kept it.
func TestOOXMLSideComments(t *testing.T) {
	t.Parallel()
	docx := must(corpus.DOCX([]string{"hello"}))(t)
	files := map[string][]byte{
		"custom.docx": must(corpus.WithMembers(docx, corpus.Member{Name: "customXml/item1.xml",
			Data: []byte(`<root><!-- 手机 ` + sideMobile + ` --><a/></root>`)}))(t),
		"svg.docx": must(corpus.WithMembers(docx, corpus.Member{Name: "word/media/image1.svg",
			Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><!-- ` + sideEmail + ` --><text>x</text></svg>`)}))(t),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for name, want := range map[string]string{"custom.docx": "cn_mobile", "svg.docx": "email"} {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		assert.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", name, r.Err)
		require.Len(t, r.Findings, 1, name)
		assert.Equal(t, want, r.Findings[0].DataType, name)
	}
}

// TestOOXMLSideRevisionIDs: the revision and paragraph ids Word writes on
// every paragraph and run (eight hex digits) are not side values; an
// attribute of that name holding anything else still is.
func TestOOXMLSideRevisionIDs(t *testing.T) {
	t.Parallel()
	const doc = `<w:document xmlns:w="` + nsWord + `" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">` +
		`<w:p w14:paraId="1A2B3C4D" w14:textId="77777777" w:rsidR="00A1B2C3" w:rsidRDefault="00a1b2c3">` +
		`<w:r w:rsidRPr="` + sideMobile + `"><w:t>x</w:t></w:r></w:p></w:document>`
	const settings = `<w:settings xmlns:w="` + nsWord + `"><w:rsids><w:rsidRoot w:val="001A2B30"/><w:rsid w:val="001A4A1F"/></w:rsids>` +
		`<w:docVars><w:docVar w:name="phone" w:val="` + sideMobile + `"/></w:docVars></w:settings>`
	for part, want := range map[string][]string{doc: {sideMobile}, settings: {"phone", sideMobile}} {
		side := scanner.NewOOXMLSide(scanner.OOXMLSideText, nil)
		var got []string
		dec := xml.NewDecoder(strings.NewReader(part))
		for {
			tok, err := dec.RawToken()
			if err != nil {
				break
			}
			require.NoError(t, side.Token(tok, func(_ int, v []byte, _ string) error {
				got = append(got, string(v))
				return nil
			}))
		}
		assert.Equal(t, want, got)
	}
}
