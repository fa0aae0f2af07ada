package redact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// textsTar is a PAX tar with values in every text of its headers the scan
// reads (scanner.TarTexts): a folder's PAX comment, a member's owner
// names, PAX comment and two extended attributes. Names and content hold
// none.
func textsTar(t *testing.T) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "d/", Typeflag: tar.TypeDir, Mode: 0o755, Format: tar.FormatPAX,
		Uname: "root", PAXRecords: map[string]string{"comment": "by " + rawEmail}}))
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "d/a.txt", Typeflag: tar.TypeReg, Mode: 0o644, Size: 2, Format: tar.FormatPAX,
		Uname: rawMobile, Gname: rawEmail,
		PAXRecords: map[string]string{"comment": "身份证 " + rawID, "SCHILY.xattr.user.owner": "手机 " + rawMobile,
			"SCHILY.xattr.user.mail": rawEmail, "mtime": "1700000000.5"}}))
	_, err := tw.Write([]byte("x\n"))
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// textsGzip is data in a gzip whose header's comment holds an address and
// a mobile number, and its file name (gzip -N) an ID number.
func textsGzip(t *testing.T, data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Comment = "to " + rawEmail + " / " + rawMobile
	zw.Name = "id-" + rawID + ".txt"
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// textsZip is a zip with values in its comment, a folder's and a member's
// comment, holding a gzip with a comment and a tar.gz of textsTar.
func textsZip(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	require.NoError(t, zw.SetComment("联系 "+rawMobile+" "+rawEmail))
	_, err := zw.CreateHeader(&zip.FileHeader{Name: "docs/", Comment: "owner " + rawID})
	require.NoError(t, err)
	members := []struct {
		name, comment string
		data          []byte
	}{
		{"docs/a.txt", "call " + rawMobile, []byte("x\n")},
		{"b.txt.gz", "", textsGzip(t, []byte("y\n"))},
		{"c.tar.gz", "", textsGzip(t, textsTar(t))},
	}
	for _, m := range members {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Comment: m.comment, Method: zip.Deflate})
		require.NoError(t, err)
		_, err = w.Write(m.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestRedactArchiveTextsScanAgrees: what a scan finds in the free text of
// archives (zip, zip member and gzip comments, tar owner names, PAX
// comment and extended attributes, nested) and in a gzip header's file
// name is what the copy replaces,
// value for value, and a scan of the copy finds none of it.
func TestRedactArchiveTextsScanAgrees(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"a.zip": textsZip(t), "b.tar": textsTar(t), "c.gz": textsGzip(t, []byte("z\n"))}
	sink := &scannertest.Sink{}
	_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "agree", Workers: 2}, &scannertest.MemSource{Files: files}, engine(t), sink)
	require.NoError(t, err)
	found := map[string]int64{}
	fields := map[string]bool{}
	for _, r := range sink.Results {
		require.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", r.Info.Name, r.Err)
		for _, f := range r.Findings {
			require.NotNil(t, f.Field, "only archive texts hold values: %+v", f)
			fields[*f.Field] = true
			found[f.DataType]++
		}
	}
	for _, f := range []string{"zip.comment", "zip.member_comment", "gzip.comment", "gzip.name", "tar.uname", "tar.gname",
		"tar.pax.comment", "tar.pax.SCHILY.xattr.user.owner", "tar.pax.SCHILY.xattr.user.mail"} {
		assert.True(t, fields[f], "the scan reports a value in %s", f)
	}

	dst, tally := redactFiles(t, Config{}, files)
	require.Equal(t, int64(3), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	assert.Equal(t, found, tally.ByDataType, "each value the scan finds is replaced, and only those")
	assert.Empty(t, rescan(t, dst), "a scan of the copy finds nothing")
	for _, f := range []string{"a.zip", "b.tar", "c.gz"} {
		body := string(readFile(t, dst, f))
		for _, raw := range []string{rawMobile, rawEmail, rawID} {
			assert.NotContains(t, body, raw, f)
		}
	}
}
