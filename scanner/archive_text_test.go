package scanner_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// Synthetic values the scanner tests use (valid checksums).
const (
	atMobile = "13812348000"
	atID     = "11010519491231002X"
	atEmail  = "zhang@example.com"
)

// textHit is a finding in an archive text.
type textHit struct {
	Type      string
	Field     string
	Container string
	Format    string
	Off       int64
	Len       int32
}

// archiveTextHits returns r's findings whose field is an archive text's,
// checking that none has a line, column or record.
func archiveTextHits(t *testing.T, r *scanner.ObjectResult) []textHit {
	t.Helper()
	var out []textHit
	for _, f := range r.Findings {
		if f.Field == nil || !strings.HasPrefix(*f.Field, "zip.") && !strings.HasPrefix(*f.Field, "tar.") && !strings.HasPrefix(*f.Field, "gzip.") {
			continue
		}
		h := textHit{Type: f.DataType, Field: *f.Field, Format: f.Format, Off: f.ByteOffset, Len: f.Length}
		if f.ContainerPath != nil {
			h.Container = *f.ContainerPath
		}
		assert.True(t, f.Line == nil && f.Column == nil && f.Record == nil, "an archive text has no line, column or record: %+v", h)
		out = append(out, h)
	}
	return out
}

// zipWithComments: a zip whose comment, a member's comment and a folder's
// comment hold values; the members' content holds none.
func zipWithComments(t testing.TB, nested map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	require.NoError(t, zw.SetComment("export for "+atEmail+" tel "+atMobile))
	_, err := zw.CreateHeader(&zip.FileHeader{Name: "docs/", Comment: "owner " + atID})
	require.NoError(t, err)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "docs/a.csv", Method: zip.Deflate, Comment: "call " + atMobile})
	require.NoError(t, err)
	_, err = w.Write([]byte("a,b\n1,2\n"))
	require.NoError(t, err)
	w, err = zw.CreateHeader(&zip.FileHeader{Name: "plain.txt", Method: zip.Deflate})
	require.NoError(t, err)
	_, err = w.Write([]byte("nothing here\n"))
	require.NoError(t, err)
	for name, data := range nested {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// tarWithTexts: a PAX tar whose member has values in its owner names,
// PAX comment and an extended attribute, and a folder with a comment;
// the other texts (root, wheel, staff, plain) hold none.
func tarWithTexts(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "d/", Typeflag: tar.TypeDir, Mode: 0o755, Format: tar.FormatPAX, Uname: "root", Gname: "wheel",
		PAXRecords: map[string]string{"comment": "by " + atEmail}}))
	body := []byte("a,b\n1,2\n")
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "d/a.csv", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body)),
		Uname: atMobile, Gname: "staff", Format: tar.FormatPAX,
		PAXRecords: map[string]string{
			"comment":                "id " + atID,
			"SCHILY.xattr.user.note": "tel " + atMobile,
			"SCHILY.xattr.user.tag":  "plain",
		}}))
	_, err := tw.Write(body)
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// gzipWithComment: a gzip whose header's comment holds an e-mail address
// and its file name (gzip -N) a mobile number.
func gzipWithComment(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Comment = "sent to " + atEmail
	zw.Name = "to-" + atMobile + ".txt"
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestArchiveTexts: the free text an archive keeps beside its members
// (zip and zip member comments, the gzip comment, tar owner names, PAX
// comment and extended attributes) is read as text: each value is a
// finding with the text's field, the archive's or the member's
// container_path, the archive's format and its offset in the text, and
// counts in the object's findings and level. The file name a gzip header
// holds is read as a name (format name) with field gzip.name. Members'
// content holds nothing, so these are all the object's findings.
func TestArchiveTexts(t *testing.T) {
	t.Parallel()
	tr := tarWithTexts(t)
	files := map[string][]byte{
		"a.zip":     zipWithComments(t, map[string][]byte{"inner.gz": gzipWithComment(t, []byte("nothing\n"))}),
		"b.tar":     tr,
		"c.tar.gz":  gzipWithComment(t, tr),
		"plain.zip": zipWithComments(t, nil),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	get := func(name string) *scanner.ObjectResult {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		require.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", name, r.Err)
		return r
	}

	zipHits := []textHit{
		{Type: "email", Field: "zip.comment", Format: "zip", Off: 11, Len: 17},
		{Type: "cn_mobile", Field: "zip.comment", Format: "zip", Off: 33, Len: 11},
		{Type: "cn_resident_id", Field: "zip.member_comment", Container: "docs/", Format: "zip", Off: 6, Len: 18},
		{Type: "cn_mobile", Field: "zip.member_comment", Container: "docs/a.csv", Format: "zip", Off: 5, Len: 11},
	}
	r := get("plain.zip")
	assert.ElementsMatch(t, zipHits, archiveTextHits(t, r))
	assert.Equal(t, int64(len(zipHits)), r.FindingCount(), "they are the object's findings")
	assert.Equal(t, "S3", r.TopLevel, "a resident ID in a member comment counts in the level")

	r = get("a.zip")
	want := append(append([]textHit{}, zipHits...),
		textHit{Type: "email", Field: "gzip.comment", Container: "inner.gz", Format: "gzip", Off: 8, Len: 17},
		textHit{Type: "cn_mobile", Field: "gzip.name", Container: "inner.gz", Format: "name", Off: 3, Len: 11})
	assert.ElementsMatch(t, want, archiveTextHits(t, r), "a nested gzip's comment is under its own container_path")
	assert.Equal(t, int64(len(want)), r.FindingCount())

	tarHits := []textHit{
		{Type: "email", Field: "tar.pax.comment", Container: "d/", Format: "tar", Off: 3, Len: 17},
		{Type: "cn_mobile", Field: "tar.uname", Container: "d/a.csv", Format: "tar", Off: 0, Len: 11},
		{Type: "cn_resident_id", Field: "tar.pax.comment", Container: "d/a.csv", Format: "tar", Off: 3, Len: 18},
		{Type: "cn_mobile", Field: "tar.pax.SCHILY.xattr.user.note", Container: "d/a.csv", Format: "tar", Off: 4, Len: 11},
	}
	r = get("b.tar")
	assert.ElementsMatch(t, tarHits, archiveTextHits(t, r))
	assert.Equal(t, int64(len(tarHits)), r.FindingCount())

	r = get("c.tar.gz")
	want = append([]textHit{{Type: "email", Field: "gzip.comment", Format: "gzip", Off: 8, Len: 17},
		{Type: "cn_mobile", Field: "gzip.name", Format: "name", Off: 3, Len: 11}}, tarHits...)
	assert.ElementsMatch(t, want, archiveTextHits(t, r), "the gzip comment and name at the top level (no container_path)")
	assert.Equal(t, int64(len(want)), r.FindingCount())
	for _, f := range r.Findings {
		for _, raw := range []string{atMobile, atID, atEmail} {
			assert.NotContains(t, f.MaskedValue+f.Evidence, raw)
		}
	}
}

// TestArchiveEntryNames: the entries of an archive that have no content of
// their own are read by name, as members are: an empty folder's name (tar
// and zip), a link's name and its target (field tar.linkname). A
// de-identified copy renames all of them.
func TestArchiveEntryNames(t *testing.T) {
	t.Parallel()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, h := range []*tar.Header{
		{Name: "users/" + atMobile + "/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "scan.jpg", Typeflag: tar.TypeSymlink, Linkname: "/data/" + atID + ".jpg", Mode: 0o777},
		{Name: "to-" + atEmail, Typeflag: tar.TypeLink, Linkname: "users/" + atMobile + "/", Mode: 0o644},
		{Name: "plain/", Typeflag: tar.TypeDir, Mode: 0o755},
	} {
		require.NoError(t, tw.WriteHeader(h))
	}
	require.NoError(t, tw.Close())
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for _, name := range []string{"empty/" + atEmail + "/", "plain/"} {
		_, err := zw.Create(name)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())

	sink := run(t, &scannertest.MemSource{Files: map[string][]byte{"a.tar": tb.Bytes(), "a.zip": zb.Bytes()}}, scanner.Config{Workers: 1})
	hits := func(name string) []textHit {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		require.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", name, r.Err)
		var out []textHit
		for _, f := range r.Findings {
			h := textHit{Type: f.DataType, Format: f.Format, Off: f.ByteOffset, Len: f.Length}
			if f.Field != nil {
				h.Field = *f.Field
			}
			if f.ContainerPath != nil {
				h.Container = *f.ContainerPath
			}
			out = append(out, h)
			for _, raw := range []string{atMobile, atID, atEmail} {
				assert.NotContains(t, f.MaskedValue+f.Evidence, raw)
			}
		}
		return out
	}
	assert.ElementsMatch(t, []textHit{
		{Type: "cn_mobile", Container: "users/" + atMobile + "/", Format: "name", Off: 6, Len: 11},
		{Type: "cn_resident_id", Field: "tar.linkname", Container: "scan.jpg", Format: "name", Off: 6, Len: 18},
		{Type: "email", Container: "to-" + atEmail, Format: "name", Off: 0, Len: 20}, // to-zhang@... is an address
		{Type: "cn_mobile", Field: "tar.linkname", Container: "to-" + atEmail, Format: "name", Off: 6, Len: 11},
	}, hits("a.tar"))
	assert.ElementsMatch(t, []textHit{
		{Type: "email", Container: "empty/" + atEmail + "/", Format: "name", Off: 6, Len: 17},
	}, hits("a.zip"))
}
