package redact

import (
	"context"
	"maps"
	"path"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// allSideDocx holds personal data in every kind of place the scanner
// reads as side values (scanner/ooxml_side.go): a mailto: hyperlink, a
// field instruction, alt text and a custom property (sideDocx), a chart's
// cache, and an embedded workbook with a hyperlink, a comment, a header,
// a formula, a defined name and a pivot cache (sideWorkbook).
func allSideDocx(t *testing.T) []byte {
	zr, err := zipReader(sideDocx(t))
	require.NoError(t, err)
	files := map[string][]byte{}
	for _, f := range zr.File {
		files[f.Name] = zipMember(t, sideDocx(t), f.Name)
	}
	files["word/charts/chart1.xml"] = []byte(xmlDecl + `<c:chartSpace xmlns:c="x-c"><c:chart><c:ser><c:cat><c:strRef><c:f>Sheet1!$A$2</c:f>` +
		`<c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>` + rawEmail + `</c:v></c:pt></c:strCache></c:strRef></c:cat></c:ser></c:chart></c:chartSpace>`)
	return zipOf(t, files)
}

// pivotWorkbook is sideWorkbook with a pivot cache whose second column,
// 宗教信仰, makes 佛教 a religious belief: a field's value is classified
// as a record of one value by both the scan and the copy.
func pivotWorkbook(t *testing.T) []byte {
	zr, err := zipReader(sideWorkbook(t))
	require.NoError(t, err)
	files := map[string][]byte{}
	for _, f := range zr.File {
		files[f.Name] = zipMember(t, sideWorkbook(t), f.Name)
	}
	maps.Copy(files, map[string][]byte{
		"xl/pivotCache/pivotCacheDefinition2.xml": []byte(xmlDecl + `<pivotCacheDefinition xmlns="` + nsMain + `"><cacheFields count="2">` +
			`<cacheField name="手机"><sharedItems><n v="` + rawMobile + `"/></sharedItems></cacheField><cacheField name="宗教信仰"><sharedItems/></cacheField>` +
			`</cacheFields></pivotCacheDefinition>`),
		"xl/pivotCache/pivotCacheRecords2.xml": []byte(xmlDecl + `<pivotCacheRecords xmlns="` + nsMain + `" count="1"><r><x v="0"/><s v="佛教"/></r></pivotCacheRecords>`),
	})
	return zipOf(t, files)
}

// TestRedactOfficeSideScanAgrees: what a scan finds in the side values of
// an Office package is what the copy replaces, value for value, and a
// scan of the copy finds nothing.
func TestRedactOfficeSideScanAgrees(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"a.docx": allSideDocx(t), "b.xlsx": pivotWorkbook(t)}
	sink := &scannertest.Sink{}
	_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "agree", Workers: 2}, &scannertest.MemSource{Files: files}, engine(t), sink)
	require.NoError(t, err)
	found := map[string]int64{}
	containers := map[string]bool{}
	for _, r := range sink.Results {
		require.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", r.Info.Name, r.Err)
		for _, f := range r.Findings {
			if f.ContainerPath != nil {
				containers[*f.ContainerPath] = true
				if path.Base(*f.ContainerPath) == "person.xml" {
					continue // a person's userId: emptied, not replaced
				}
			}
			found[f.DataType]++
		}
	}
	for _, c := range []string{"word/_rels/document.xml.rels", "word/document.xml", "docProps/custom.xml", "word/charts/chart1.xml",
		"word/embeddings/Microsoft_Excel_Worksheet.xlsx/xl/worksheets/_rels/sheet1.xml.rels",
		"word/embeddings/Microsoft_Excel_Worksheet.xlsx/xl/worksheets/sheet1.xml", "word/embeddings/Microsoft_Excel_Worksheet.xlsx/xl/workbook.xml",
		"word/embeddings/Microsoft_Excel_Worksheet.xlsx/xl/comments1.xml", "word/embeddings/Microsoft_Excel_Worksheet.xlsx/xl/pivotCache/pivotCacheDefinition1.xml",
		"word/embeddings/Microsoft_Excel_Worksheet.xlsx/xl/pivotCache/pivotCacheRecords1.xml", "xl/pivotCache/pivotCacheRecords2.xml",
		"xl/pivotCache/pivotCacheDefinition2.xml", "xl/persons/person.xml"} {
		assert.True(t, containers[c], "the scan reports a value in %s", c)
	}
	assert.Equal(t, int64(1), found["religious_belief"], "the pivot cache's field")

	dst, tally := redactFiles(t, Config{}, files)
	require.Equal(t, int64(2), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	assert.Equal(t, found, tally.ByDataType, "each value the scan finds is replaced (or emptied), and only those")
	assert.Empty(t, rescan(t, dst), "a scan of the copy finds nothing")
}
