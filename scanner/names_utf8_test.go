package scanner_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/piiscan/piiscan/scanner"
)

// TestNamesNotUTF8: names are bytes, and the object and container_path
// columns are UTF-8 text. A file named in GBK (copied from Windows) is
// still opened and scanned, and its key writes the stray bytes as %XX; an
// archive member named in GBK (a zip made on Chinese Windows, without
// the UTF-8 flag, or an old tar) is decoded as GB18030, and one in no
// encoding gets %XX. The raw bytes reached the Parquet files, which
// DuckDB then refused to read at all.
func TestNamesNotUTF8(t *testing.T) {
	t.Parallel()
	gbk := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		require.NoError(t, err)
		return b
	}
	const csv = "姓名,手机号\n张三,13812348000\n"
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	for _, name := range []string{gbk("客户/名单.csv"), "caf\xe9.csv"} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write([]byte(csv))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "XXXX.csv", Mode: 0o644, Size: int64(len(csv)), Format: tar.FormatUSTAR}))
	_, err := tw.Write([]byte(csv))
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	// archive/tar writes no name that is not ASCII in a ustar header: put
	// the GBK bytes in by hand, and the header checksum with them.
	hdr := tb.Bytes()[:512]
	copy(hdr, gbk("名单.csv"))
	copy(hdr[148:156], "        ")
	sum := 0
	for _, c := range hdr {
		sum += int(c)
	}
	copy(hdr[148:156], fmt.Sprintf("%06o\x00 ", sum))

	dir := t.TempDir()
	fileName := gbk("名单") + ".txt"
	if err := os.WriteFile(filepath.Join(dir, fileName), []byte("手机 13812348000\n"), 0o644); err != nil {
		t.Skipf("this file system does not take a name that is not UTF-8: %v", err)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "names.zip"), z.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "names.tar"), tb.Bytes(), 0o644))
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}})
	require.NoError(t, err)
	sink := run(t, src, scanner.Config{ScanID: "t", Workers: 2})

	base := "file://" + filepath.ToSlash(dir) + "/"
	got := map[string]map[string]bool{} // object -> container paths of its findings
	for _, r := range sink.Results {
		require.True(t, utf8.ValidString(r.Info.Key), "object %q", r.Info.Key)
		assert.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", r.Info.Key, r.Err)
		require.NotEmpty(t, r.Findings, r.Info.Key)
		for _, f := range r.Findings {
			require.True(t, utf8.ValidString(f.Object), "object %q", f.Object)
			cp := ""
			if f.ContainerPath != nil {
				cp = *f.ContainerPath
				require.True(t, utf8.ValidString(cp), "container_path %q", cp)
			}
			if got[f.Object] == nil {
				got[f.Object] = map[string]bool{}
			}
			got[f.Object][cp] = true
		}
	}
	assert.Equal(t, map[string]map[string]bool{
		base + "%C3%FB%B5%A5.txt": {"": true},
		base + "names.zip":        {"客户/名单.csv": true, "caf%E9.csv": true},
		base + "names.tar":        {"名单.csv": true},
	}, got)
}
