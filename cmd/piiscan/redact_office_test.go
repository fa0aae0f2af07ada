package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// utf16LE is s as Windows programs store text.
func utf16LE(s string) string { return string(corpus.UTF16LE(s)) }

// TestRedactCLIOfficeEmbeddings: `scan` reports a Word document with an
// OLE object partial (the object is not read); `redact` writes a copy
// without the object's bytes and says so on stderr and in the summary;
// `scan` of the copy reads it whole, and no output holds the value in
// either encoding.
func TestRedactCLIOfficeEmbeddings(t *testing.T) {
	t.Setenv("PIISCAN_REDACT_KEY", redactKey)
	docx, err := corpus.DOCX([]string{"手机：" + cliMobile})
	require.NoError(t, err)
	ole := "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + strings.Repeat("\x00", 24) + "mobile\n" + cliMobile + "\n" + utf16LE("电话 "+cliMobile)
	docx, err = corpus.WithMembers(docx, corpus.Member{Name: "word/embeddings/oleObject1.bin", Data: []byte(ole)})
	require.NoError(t, err)
	src := writeTree(t, map[string]string{"letter.docx": string(docx)})

	scan := scanDir(t, src)
	require.Equal(t, exitOK, scan.code, scan.stderr)
	rows := readTable[scanner.ObjectRow](t, scan.out, "objects")
	require.Len(t, rows, 1)
	assert.Equal(t, "partial", rows[0].Status)
	assert.Equal(t, "unsupported_format", rows[0].Reason)
	assert.Contains(t, rows[0].Error, "1 embedded object(s) of the docx not scanned")

	dst := filepath.Join(t.TempDir(), "copy")
	res := runCLI(t, "", "redact", src, "--to", dst, "--log-level", "debug")
	require.Equal(t, exitOK, res.code, res.stderr)
	sum := readRedactSummary(t, dst+summarySuffix)
	assert.Equal(t, int64(1), sum.Counters.PartsEmptied)
	assert.Equal(t, map[string]int64{"partial": 1}, sum.Counters.ByStatus)
	assert.Contains(t, res.stderr, "Office parts emptied (OLE objects, macros, ActiveX data, metafile pictures that do not parse: not readable, so none of their bytes were kept): 1")
	assert.Contains(t, res.stderr, "letter.docx!word/embeddings/oleObject1.bin")
	assert.Contains(t, strings.Join(sum.Notes, "\n"), "cannot be read and were written empty")

	summary, err := os.ReadFile(dst + summarySuffix)
	require.NoError(t, err)
	copyBytes, err := os.ReadFile(filepath.Join(dst, "letter.docx"))
	require.NoError(t, err)
	m := &corpus.Manifest{Labels: []corpus.Label{{DataType: "cn_mobile", Written: cliMobile, Canonical: cliMobile}}}
	assertNoRawValue(t, m, res.stderr, res.stdout, string(summary), string(copyBytes))
	for _, out := range []string{res.stderr, res.stdout, string(summary), string(copyBytes)} {
		assert.NotContains(t, out, utf16LE(cliMobile))
	}

	again := scanDir(t, dst)
	require.Equal(t, exitOK, again.code, again.stderr)
	rows = readTable[scanner.ObjectRow](t, again.out, "objects")
	require.Len(t, rows, 1)
	assert.Equal(t, "complete", rows[0].Status, rows[0].Error)
	assert.Equal(t, "docx", rows[0].Format)
}

// TestRedactCLIOfficePreviews: a Word document whose values are only in
// the preview of an embedded object (an EMF), an SVG picture and its
// thumbnail. `scan` finds them; `redact` masks the preview in place,
// rewrites the SVG and blanks the thumbnail, and says so; `scan` of the
// copy finds none, and no output holds the value in either encoding.
func TestRedactCLIOfficePreviews(t *testing.T) {
	t.Setenv("PIISCAN_REDACT_KEY", redactKey)
	docx, err := corpus.DOCX([]string{"季度报告"})
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	require.NoError(t, err)
	var ms []corpus.Member
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
		ms = append(ms, corpus.Member{Name: f.Name, Data: b})
	}
	emf := scannertest.EMF("客户", "电话 "+cliMobile)
	thumb, err := corpus.Zip([]corpus.Member{{Name: "x", Data: []byte("x")}}) // any bytes: a blank one replaces them
	require.NoError(t, err)
	docx, err = corpus.Zip(append(ms,
		corpus.Member{Name: "word/media/image1.emf", Data: emf},
		corpus.Member{Name: "word/media/image2.svg", Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><text>电话 ` + cliMobile + `</text></svg>`)},
		corpus.Member{Name: "docProps/thumbnail.emf", Data: scannertest.EMF(cliMobile)},
		corpus.Member{Name: "docProps/thumbnail.png", Data: thumb}))
	require.NoError(t, err)
	src := writeTree(t, map[string]string{"letter.docx": string(docx)})

	scan := scanDir(t, src)
	require.Equal(t, exitOK, scan.code, scan.stderr)
	findings := readTable[scanner.Finding](t, scan.out, "findings")
	var parts []string
	for _, f := range findings {
		assert.Equal(t, "cn_mobile", f.DataType)
		require.NotNil(t, f.ContainerPath)
		parts = append(parts, *f.ContainerPath)
	}
	assert.ElementsMatch(t, []string{"word/media/image1.emf", "word/media/image2.svg", "docProps/thumbnail.emf"}, parts)

	dst := filepath.Join(t.TempDir(), "copy")
	res := runCLI(t, "", "redact", src, "--to", dst, "--log-level", "debug")
	require.Equal(t, exitOK, res.code, res.stderr)
	sum := readRedactSummary(t, dst+summarySuffix)
	assert.Equal(t, map[string]int64{"rewritten": 1}, sum.Counters.ByStatus)
	assert.Equal(t, int64(2), sum.Counters.ThumbnailsBlanked)
	assert.Equal(t, int64(1), sum.Counters.ByOperator["mask_in_place"])
	assert.Contains(t, res.stderr, "Thumbnails of Office documents (the first page as a picture) replaced by a blank one: 2")
	notes := strings.Join(sum.Notes, "\n")
	assert.Contains(t, notes, "masked in place")
	assert.Contains(t, notes, "thumbnails_blanked")

	summary, err := os.ReadFile(dst + summarySuffix)
	require.NoError(t, err)
	copyBytes, err := os.ReadFile(filepath.Join(dst, "letter.docx"))
	require.NoError(t, err)
	cr, err := zip.NewReader(bytes.NewReader(copyBytes), int64(len(copyBytes)))
	require.NoError(t, err)
	var parts2 []string
	for _, f := range cr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
		parts2 = append(parts2, string(b))
		if f.Name == "word/media/image1.emf" {
			assert.Len(t, b, len(emf), "the preview keeps its size")
		}
	}
	m := &corpus.Manifest{Labels: []corpus.Label{{DataType: "cn_mobile", Written: cliMobile, Canonical: cliMobile}}}
	outs := append([]string{res.stderr, res.stdout, string(summary)}, parts2...)
	assertNoRawValue(t, m, outs...)
	for _, out := range outs {
		assert.NotContains(t, out, utf16LE(cliMobile))
	}

	again := scanDir(t, dst)
	require.Equal(t, exitOK, again.code, again.stderr)
	rows := readTable[scanner.ObjectRow](t, again.out, "objects")
	require.Len(t, rows, 1)
	assert.Equal(t, "complete", rows[0].Status, rows[0].Error)
	assert.Zero(t, rows[0].Findings, "none of the values is left")
}
