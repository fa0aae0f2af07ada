package redact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestRedactNames checks that a copy's path holds none of the values its
// object's name held: each is replaced as in the content, folders too;
// two copies whose replaced names agree (a mask keeps 7 of 11 digits) both
// survive; --keep-names keeps the names; a single-file destination keeps
// the name the user chose.
func TestRedactNames(t *testing.T) {
	t.Parallel()
	const otherMobile = "13899998000" // masks as rawMobile does: 138****8000
	files := map[string][]byte{
		"users/" + rawMobile + "/profile.json":     []byte(`{"note": "hi"}`),
		"exports/" + rawMobile + ".csv":            []byte("a\n1\n"),
		"exports/" + otherMobile + ".csv":          []byte("a\n2\n"),
		"exports/user_" + rawID + "_2026.txt":      []byte("x\n"),
		"mail/" + rawEmail + ".json":               []byte(`{"a": 1}`),
		"mail/" + rawEmail + "/inbox.txt":          []byte("y\n"),
		"exports/plain-2026-11-24.csv":             []byte("a\n3\n"),
		"exports/" + rawMobile + "_" + rawEmail:    []byte("z\n"),
		"logs/" + strings.Repeat("9", 25) + ".log": []byte("w\n"),
	}
	dst, tally := redactFiles(t, Config{Workers: 1}, files)
	got := listFiles(t, dst)
	require.Len(t, got, len(files), "no copy replaced another: %v", got)
	for _, p := range got {
		for _, raw := range []string{rawMobile, otherMobile, rawID, rawEmail} {
			assert.NotContains(t, p, raw)
		}
	}
	assert.Contains(t, got, "exports/plain-2026-11-24.csv", "a name without a value is kept")
	assert.Contains(t, got, "logs/"+strings.Repeat("9", 25)+".log")
	assert.Contains(t, got, "users/138****8000/profile.json")
	assert.Contains(t, got, "mail/z****.***@example.com.json", "the extension is not read as part of the domain")
	assert.Contains(t, got, "mail/z****.***@example.com/inbox.txt")
	masked := 0
	for _, p := range got {
		if p == "exports/138****8000.csv" || p == "exports/138****8000~2.csv" {
			masked++
		}
	}
	assert.Equal(t, 2, masked, "the second 138****8000.csv is 138****8000~2.csv: %v", got)
	assert.Equal(t, int64(7), tally.NamesRewritten)
	assert.Equal(t, string(readFile(t, dst, "users/138****8000/profile.json")), `{"note": "hi"}`)

	// A value both readings of a name find (with and without its
	// extension) counts once.
	_, one := redactFiles(t, Config{Workers: 1}, map[string][]byte{"exports/" + rawMobile + ".csv": []byte("a\n1\n")})
	assert.Equal(t, map[string]int64{"cn_mobile": 1}, one.ByDataType)
	assert.Equal(t, int64(1), one.NamesRewritten)

	kept, tally := redactFiles(t, Config{Workers: 1, KeepNames: true}, files)
	assert.Len(t, listFiles(t, kept), len(files))
	assert.Contains(t, listFiles(t, kept), "users/"+rawMobile+"/profile.json")
	assert.Zero(t, tally.NamesRewritten)
}

func TestNameBookClaim(t *testing.T) {
	t.Parallel()
	b := newNameBook()
	assert.Equal(t, "a/138****8000.csv", b.claim("a/1", "a/138****8000.csv"))
	assert.Equal(t, "a/138****8000.csv", b.claim("a/1", "a/138****8000.csv"), "the same source keeps its name")
	assert.Equal(t, "a/138****8000~2.csv", b.claim("a/2", "a/138****8000.csv"))
	assert.Equal(t, "a/138****8000~3.csv", b.claim("a/3", "a/138****8000.csv"))
	// A dot file has no extension, nor has a name without a dot.
	assert.Equal(t, "a/.138****8000", b.claim("a/.4", "a/.138****8000"))
	assert.Equal(t, "a/.138****8000~2", b.claim("a/.5", "a/.138****8000"))
	assert.Equal(t, "x/138****8000", b.claim("x/1", "x/138****8000"))
	assert.Equal(t, "x/138****8000~2", b.claim("x/2", "x/138****8000"))
}

// TestRedactNamesSingleFile checks that a copy the user named (a single
// file to a file, or to one OSS key) keeps that name.
func TestRedactNamesSingleFile(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "safe.csv")
	src := &scannertest.MemSource{Files: map[string][]byte{rawMobile + ".csv": []byte("a\n1\n")}}
	tally, _, err := Run(context.Background(), Config{Policy: defaultPolicy(t), Workers: 1}, src, engine(t), &LocalDest{File: out})
	require.NoError(t, err)
	assert.FileExists(t, out)
	assert.Zero(t, tally.NamesRewritten)
	assert.False(t, (&OSSDest{Name: "safe.csv"}).Mirrors())
	assert.True(t, (&OSSDest{}).Mirrors())
}

// TestRedactMemberNames checks archive members: zip and tar member names,
// a tar hard link's target and a gzip header's file name lose their values
// as object names do, members whose replaced names agree are all kept,
// and the members' content is rewritten as before.
func TestRedactMemberNames(t *testing.T) {
	t.Parallel()
	const otherMobile = "13899998000"
	members := []struct{ name, body string }{
		{"users/" + rawMobile + "/profile.txt", "手机 " + rawMobile + "\n"},
		{"exports/" + rawMobile + ".csv", "a\n1\n"},
		{"exports/" + otherMobile + ".csv", "a\n2\n"},
		{"plain.txt", "x\n"},
	}
	var zbuf, tbuf, gbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	tw := tar.NewWriter(&tbuf)
	for _, m := range members {
		w, err := zw.Create(m.name)
		require.NoError(t, err)
		_, _ = w.Write([]byte(m.body))
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.body)), Typeflag: tar.TypeReg}))
		_, _ = tw.Write([]byte(m.body))
	}
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "link-" + otherMobile, Linkname: "exports/" + otherMobile + ".csv", Typeflag: tar.TypeLink}))
	require.NoError(t, zw.Close())
	require.NoError(t, tw.Close())
	gw := gzip.NewWriter(&gbuf)
	gw.Name = rawMobile + ".txt"
	_, _ = gw.Write([]byte("hello\n"))
	require.NoError(t, gw.Close())

	dst, tally := redactFiles(t, Config{Workers: 1}, map[string][]byte{"a.zip": zbuf.Bytes(), "a.tar": tbuf.Bytes(), "a.txt.gz": gbuf.Bytes()})
	want := []string{"exports/138****8000.csv", "exports/138****8000~2.csv", "plain.txt", "users/138****8000/profile.txt"}

	zr, err := zip.NewReader(bytes.NewReader(readFile(t, dst, "a.zip")), int64(len(readFile(t, dst, "a.zip"))))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == "users/138****8000/profile.txt" {
			rc, err := f.Open()
			require.NoError(t, err)
			body, _ := io.ReadAll(rc)
			assert.NotContains(t, string(body), rawMobile, "the content is rewritten too")
		}
	}
	sort.Strings(names)
	assert.Equal(t, want, names)

	tr := tar.NewReader(bytes.NewReader(readFile(t, dst, "a.tar")))
	names = names[:0]
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if h.Typeflag == tar.TypeLink {
			assert.Equal(t, "link-138****8000", h.Name)
			assert.Equal(t, "exports/138****8000~2.csv", h.Linkname, "the link names its target's new name")
			continue
		}
		names = append(names, h.Name)
	}
	sort.Strings(names)
	assert.Equal(t, want, names)

	zg, err := gzip.NewReader(bytes.NewReader(readFile(t, dst, "a.txt.gz")))
	require.NoError(t, err)
	assert.Equal(t, "138****8000.txt", zg.Name)

	// 3 renamed members in each archive, the link's name and target, the
	// gzip file name.
	assert.Equal(t, int64(3+3+2+1), tally.NamesRewritten)
	kept, _ := redactFiles(t, Config{Workers: 1, KeepNames: true}, map[string][]byte{"a.txt.gz": gbuf.Bytes()})
	zg, err = gzip.NewReader(bytes.NewReader(readFile(t, kept, "a.txt.gz")))
	require.NoError(t, err)
	assert.Equal(t, rawMobile+".txt", zg.Name)
}

// TestRedactDeletedAfterListing: an object deleted between the listing
// and its read is skipped/not_found, as in a scan: nothing of it is left
// to copy; one the credentials may not read still fails.
func TestRedactDeletedAfterListing(t *testing.T) {
	t.Parallel()
	src := &scannertest.MemSource{Files: map[string][]byte{"ok.txt": []byte("x\n")},
		Errors: map[string]error{"gone.txt": fs.ErrNotExist, "denied.txt": fs.ErrPermission}}
	_, tally := redactSource(t, Config{Workers: 1}, src)
	assert.Equal(t, map[string]int64{"rewritten": 1, "skipped": 1, "failed": 1}, tally.ByStatus)
	assert.Equal(t, int64(1), tally.ByReason["not_found"])
	assert.Equal(t, int64(1), tally.ByReason["permission_denied"])
}

// TestRedactArchiveMetadata checks the free text archives keep beside
// their members: zip and gzip comments, a zip member's comment, a tar
// member's owner names, PAX comment and extended attributes lose their
// values, as the content does.
func TestRedactArchiveMetadata(t *testing.T) {
	t.Parallel()
	var zbuf, tbuf, gbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	require.NoError(t, zw.SetComment("联系 "+rawMobile))
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "a.txt", Comment: "owner " + rawEmail, Method: zip.Deflate})
	require.NoError(t, err)
	_, _ = w.Write([]byte("x\n"))
	require.NoError(t, zw.Close())
	tw := tar.NewWriter(&tbuf)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "a.txt", Mode: 0o644, Size: 2, Typeflag: tar.TypeReg, Format: tar.FormatPAX,
		Uname: rawEmail, Gname: rawMobile,
		PAXRecords: map[string]string{"comment": "身份证 " + rawID, "SCHILY.xattr.user.owner": "手机 " + rawMobile}}))
	_, _ = tw.Write([]byte("y\n"))
	require.NoError(t, tw.Close())
	gw := gzip.NewWriter(&gbuf)
	gw.Comment = "from " + rawEmail
	_, _ = gw.Write([]byte("z\n"))
	require.NoError(t, gw.Close())

	dst, tally := redactFiles(t, Config{Workers: 1}, map[string][]byte{"a.zip": zbuf.Bytes(), "a.tar": tbuf.Bytes(), "a.gz": gbuf.Bytes()})
	for _, f := range []string{"a.zip", "a.tar", "a.gz"} {
		body := string(readFile(t, dst, f))
		for _, raw := range []string{rawMobile, rawEmail, rawID} {
			assert.NotContains(t, body, raw, f)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(readFile(t, dst, "a.zip")), int64(len(readFile(t, dst, "a.zip"))))
	require.NoError(t, err)
	assert.Equal(t, "联系 138****8000", zr.Comment)
	require.Len(t, zr.File, 1)
	assert.Equal(t, "owner z****.***@example.com", zr.File[0].Comment)
	tr := tar.NewReader(bytes.NewReader(readFile(t, dst, "a.tar")))
	h, err := tr.Next()
	require.NoError(t, err)
	assert.Equal(t, "z****.***@example.com", h.Uname)
	assert.Equal(t, "138****8000", h.Gname)
	assert.Equal(t, "手机 138****8000", h.PAXRecords["SCHILY.xattr.user.owner"])
	assert.NotContains(t, h.PAXRecords["comment"], rawID)
	zg, err := gzip.NewReader(bytes.NewReader(readFile(t, dst, "a.gz")))
	require.NoError(t, err)
	assert.Equal(t, "from z****.***@example.com", zg.Comment)
	assert.Equal(t, int64(3), tally.ByStatus["rewritten"])
}

// TestRedactNamesReadWithFolders: a name's segment is read after the
// folders before it, as the scan reads it, so a copy keeps no value the
// scan reports in the name. A passport number needs a passport keyword;
// the scan took it from the folder (passport/E12345678.txt), while redact
// read the segment alone, kept the number in the copy's name, and a
// rescan of the copy reported it.
func TestRedactNamesReadWithFolders(t *testing.T) {
	t.Parallel()
	const passport = "E12345678"
	files := map[string][]byte{
		"passport/" + passport + ".txt":      []byte("x\n"),
		"证件/护照/" + passport + "/scan.txt":    []byte("y\n"),
		"exports/" + rawMobile + "/list.txt": []byte("z\n"),
	}
	dst, tally := redactFiles(t, Config{Workers: 1}, files)
	got := listFiles(t, dst)
	require.Len(t, got, len(files))
	for _, p := range got {
		assert.NotContains(t, p, passport)
		assert.NotContains(t, p, rawMobile)
	}
	assert.Equal(t, int64(3), tally.NamesRewritten)
	assert.Equal(t, map[string]int64{"cn_passport": 2, "cn_mobile": 1}, tally.ByDataType)
}
