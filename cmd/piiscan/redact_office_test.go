package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
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
	assert.Contains(t, res.stderr, "Office parts emptied (OLE objects, macros, ActiveX data: not readable, so none of their bytes were kept): 1")
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
