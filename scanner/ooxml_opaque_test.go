package scanner_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// opaqueMobile is a synthetic mobile number (a real 138 segment).
const opaqueMobile = "13812348000"

// oleBlob stands for an OLE object (corpus.OLEObject).
func oleBlob(value string) []byte { return corpus.OLEObject(value) }

// withMembers returns the zip z with members added at its end.
func withMembers(t testing.TB, z []byte, extra ...corpus.Member) []byte {
	t.Helper()
	return must(corpus.WithMembers(z, extra...))(t)
}

func TestOfficeOpaquePart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"word/embeddings/oleObject1.bin", true},
		{"xl/embeddings/oleObject2.bin", true},
		{"ppt/embeddings/Microsoft_Word_97_-_2003_Document.doc", true},
		{"word/embeddings/Microsoft_Visio_Drawing.vsdx", true},
		{"xl/vbaProject.bin", true},
		{"word/vbaProjectSignature.bin", true},
		{"word/activeX/activeX1.bin", true},
		{"word/embeddings/Microsoft_Excel_Worksheet.xlsx", false}, // a package: redact rewrites it
		{"word/activeX/activeX1.xml", false},
		{"word/activeX/_rels/activeX1.xml.rels", false},
		{"xl/printerSettings/printerSettings1.bin", false},
		{"word/media/image1.png", false},
		{"word/media/image2.emf", false},
		{"word/fonts/font1.odttf", false},
		{"word/embeddings/", false},
		{"docProps/thumbnail.jpeg", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, scanner.OfficeOpaquePart(tt.name), tt.name)
	}
}

// TestScanOfficeOpaqueParts: an Office package with an OLE object, macros
// or an embedded legacy document is partial/unsupported_format, as an
// encrypted zip member is: their content is unknown, so the document is
// not a clean bill. Its text is still scanned; media, printer settings
// and embedded packages do not make it partial.
func TestScanOfficeOpaqueParts(t *testing.T) {
	t.Parallel()
	docx := must(corpus.DOCX([]string{"手机 " + opaqueMobile}))(t)
	ole := withMembers(t, docx, corpus.Member{Name: "word/embeddings/oleObject1.bin", Data: oleBlob(opaqueMobile)})
	xlsx := must(corpus.XLSX([]corpus.Sheet{{Name: "客户", Rows: [][]corpus.Cell{{{Text: "手机"}}, {{Text: opaqueMobile}}}}}))(t)
	badXML := must(corpus.Zip([]corpus.Member{{Name: "word/document.xml", Data: []byte("<w:document><w:p><w:t>手机 " + opaqueMobile + "</w:t></w:p><w:p")},
		{Name: "word/embeddings/oleObject1.bin", Data: oleBlob(opaqueMobile)}}))(t)
	files := map[string][]byte{
		"ole.docx":   ole,
		"macro.xlsm": withMembers(t, xlsx, corpus.Member{Name: "xl/vbaProject.bin", Data: oleBlob(opaqueMobile)}),
		"deck.pptx": withMembers(t, must(corpus.PPTX([][]string{{"客户名单"}}))(t),
			corpus.Member{Name: "ppt/embeddings/Microsoft_Word_97_-_2003_Document.doc", Data: oleBlob(opaqueMobile)},
			corpus.Member{Name: "ppt/embeddings/oleObject1.bin", Data: oleBlob(opaqueMobile)}),
		"media.docx": withMembers(t, docx, corpus.Member{Name: "word/media/image1.png", Data: []byte("\x89PNG\r\n\x1a\n")},
			corpus.Member{Name: "word/printerSettings/printerSettings1.bin", Data: []byte("HP LaserJet")},
			corpus.Member{Name: "word/embeddings/Microsoft_Excel_Worksheet.xlsx", Data: xlsx}),
		"nested.zip": must(corpus.Zip([]corpus.Member{{Name: "docs/ole.docx", Data: ole}}))(t),
		// What redact leaves of an OLE object: an empty part holds nothing
		// (an empty Compound File: sinks/redact TestRedactOfficeOpaqueParts).
		"emptied.docx": withMembers(t, docx, corpus.Member{Name: "word/embeddings/oleObject1.bin"}),
		"bad_ole.docx": badXML,
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2})
	require.Len(t, sink.Results, len(files))
	tests := []struct {
		name     string
		status   scanner.Status
		reason   scanner.Reason
		findings int
		err      string
	}{
		{"ole.docx", scanner.StatusPartial, scanner.ReasonUnsupported, 1, "1 embedded object(s) of the docx not scanned"},
		{"macro.xlsm", scanner.StatusPartial, scanner.ReasonUnsupported, 1, "1 embedded object(s) of the xlsx not scanned"},
		{"deck.pptx", scanner.StatusPartial, scanner.ReasonUnsupported, 0, "2 embedded object(s) of the pptx not scanned"},
		// The embedded workbook is read as a package of its own: its
		// mobile is the second finding.
		{"media.docx", scanner.StatusComplete, "", 2, ""},
		{"emptied.docx", scanner.StatusComplete, "", 1, ""},
		// Not malformed: the nested document is partial for the same reason.
		{"nested.zip", scanner.StatusPartial, scanner.ReasonUnsupported, 1, "zip member 1: 1 embedded object(s) of the docx not scanned"},
		// A damaged part keeps its reason; the embedding becomes a note.
		{"bad_ole.docx", scanner.StatusPartial, scanner.ReasonMalformed, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sink.ByName(tt.name)
			require.NotNil(t, r)
			assert.Equal(t, tt.status, r.Status, "error: %v", r.Err)
			assert.Equal(t, tt.reason, r.Reason, "error: %v", r.Err)
			assert.Len(t, r.Findings, tt.findings, "the text is still scanned")
			if tt.err != "" {
				require.Error(t, r.Err)
				assert.Contains(t, r.Err.Error(), tt.err)
			}
			all := strings.Join(r.Notes, "\n")
			if r.Err != nil {
				all += r.Err.Error()
			}
			assert.NotContains(t, all, opaqueMobile, "no content in errors or notes")
			assert.NotContains(t, all, "oleObject", "member names are content: counted, not named")
		})
	}
	assert.Contains(t, strings.Join(sink.ByName("bad_ole.docx").Notes, "\n"), "1 embedded object(s) of the docx not scanned")
}
