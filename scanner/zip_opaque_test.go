package scanner_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

func zipOf(t *testing.T, members map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range members {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestZipOpaqueMembers: an archive whose members include documents or
// compressed data no decoder reads (a PDF, a legacy .doc, a .7z) is
// partial/unsupported_format, naming how many and of which formats (it
// was complete, as if they had been read); pictures and programs are only
// noted, as they are nowhere scanned.
func TestZipOpaqueMembers(t *testing.T) {
	t.Parallel()
	csv := []byte("name,mobile\n张三,13812348000\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)
	src := &scannertest.MemSource{Files: map[string][]byte{
		"docs.zip": zipOf(t, map[string][]byte{
			"a.csv": csv, "scan.pdf": []byte("%PDF-1.4\n%\xe2\xe3\n"), "old.doc": append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 504)...),
			"more.7z": []byte("7z\xbc\xaf\x27\x1c\x00\x04"), "logo.png": png,
		}),
		"media.zip": zipOf(t, map[string][]byte{"a.csv": csv, "logo.png": png, "tool": elf}),
	}}
	sink := run(t, src, scanner.Config{Workers: 1})

	docs := sink.ByName("docs.zip")
	require.NotNil(t, docs)
	assert.Equal(t, scanner.StatusPartial, docs.Status)
	assert.Equal(t, scanner.ReasonUnsupported, docs.Reason)
	require.Error(t, docs.Err)
	assert.Equal(t, "3 zip member(s) not scanned: unsupported format (7z, ole2, pdf)", docs.Err.Error())
	assert.Len(t, locs(docs), 2, "the CSV is still scanned: a name and a mobile")

	media := sink.ByName("media.zip")
	require.NotNil(t, media)
	assert.Equal(t, scanner.StatusComplete, media.Status)
	assert.Len(t, locs(media), 2)
}
