package redact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
)

// unseenSeed is a corpus seed no rule or policy was tuned on.
const unseenSeed = 7

// corpusRun is the labelled corpus and its de-identified copy.
type corpusRun struct {
	m     *corpus.Manifest
	dst   string
	tally *Tally
}

func redactedCorpus(t *testing.T) corpusRun {
	t.Helper()
	dir := t.TempDir()
	m, err := corpus.Generate(dir, corpus.Options{Seed: unseenSeed, AsOf: testAsOf})
	require.NoError(t, err)
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}})
	require.NoError(t, err)
	dst := t.TempDir()
	tally, _, err := Run(t.Context(), Config{Policy: defaultPolicy(t), Workers: 4}, src, engine(t), &LocalDest{Root: dst})
	require.NoError(t, err)
	return corpusRun{m: m, dst: dst, tally: tally}
}

// TestRedactCorpusDoneWhen is issue 7's acceptance test: the copy of the
// unseen labelled corpus has the same files with the same structure
// (every format of the corpus is rewritten, Avro and Office documents
// included), and a rescan finds none of the original values and nothing
// at S3 or S4.
func TestRedactCorpusDoneWhen(t *testing.T) {
	c := redactedCorpus(t)
	assert.Empty(t, c.tally.NotRewritten, "every file of the corpus is rewritten")
	assert.Equal(t, int64(len(c.m.Files)), c.tally.ByStatus[string(StatusRewritten)])
	for _, f := range []string{"avro", "xlsx", "docx", "pptx"} {
		assert.Equal(t, int64(1), c.tally.ByFormat[f], f)
	}

	t.Run("same file list", func(t *testing.T) {
		assert.Equal(t, c.m.Files, listFiles(t, c.dst))
	})

	t.Run("same structure", func(t *testing.T) {
		for _, f := range listFiles(t, c.dst) {
			orig := readFile(t, c.m.Root, f)
			cp := readFile(t, c.dst, f)
			t.Run(f, func(t *testing.T) { sameStructure(t, f, orig, cp) })
		}
	})

	t.Run("rescan finds no original value and nothing at S3 or S4", func(t *testing.T) {
		labels := map[string]string{}
		for _, l := range c.m.Labels {
			labels[fingerprint(string(l.CanonicalBytes()))] = l.DataType
		}
		findings := rescan(t, c.dst)
		for _, f := range findings {
			assert.NotContains(t, []string{"S3", "S4"}, f.Sensitivity, "%s %s %s (%s)", f.Object, f.DataType, f.MaskedValue, f.Evidence)
			assert.NotContains(t, labels, f.Fingerprint, "original %s value in %s", f.DataType, f.Object)
		}
		t.Logf("rescan: %d findings (all below S3), %d labels checked", len(findings), len(c.m.Labels))
	})

	t.Run("values the scanner reports are gone from the bytes", func(t *testing.T) {
		found := map[string]bool{}
		for _, f := range rescan(t, c.m.Root) {
			found[f.Fingerprint] = true
		}
		texts := map[string]string{}
		for _, f := range listFiles(t, c.dst) {
			if s, ok := decodedText(t, f, readFile(t, c.dst, f)); ok {
				texts[f] = s
			}
		}
		checked, missed := 0, map[string]int{}
		for _, l := range c.m.Labels {
			s, ok := texts[l.Path]
			if !ok || len(l.Written) < 6 || l.DataType == "location_trace" {
				// A trace's value is its points, which the copy
				// generalizes; the subject id it is keyed by stays.
				continue
			}
			if !found[fingerprint(string(l.CanonicalBytes()))] {
				missed[l.DataType]++ // the scanner does not report it: nothing to replace
				continue
			}
			checked++
			assert.False(t, strings.Contains(s, l.Written), "a raw %s value is still in %s", l.DataType, l.Path)
		}
		t.Logf("%d reported values checked absent; labels the scanner does not report (left as they are): %v", checked, missed)
	})
}

// listFiles lists the files under dir, slash-separated and sorted; a
// destination never created holds none.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	var out []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	}))
	slices.Sort(out)
	return out
}

// decodedText returns a file's content as UTF-8 (gzip and GBK decoded;
// every text node and attribute of an Office package; Avro's values), or
// false for other binary formats.
func decodedText(t *testing.T, name string, b []byte) (string, bool) {
	t.Helper()
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		require.NoError(t, err)
		b, err = io.ReadAll(zr)
		require.NoError(t, err)
		name = strings.TrimSuffix(name, ".gz")
	}
	switch path.Ext(name) {
	case ".csv", ".tsv", ".json", ".jsonl", ".log", ".txt", ".md":
	case ".xlsx", ".docx", ".pptx":
		return zipText(t, b), true
	case ".avro":
		return avroText(t, b), true
	default:
		return "", false
	}
	if strings.Contains(name, "gbk") {
		d, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
		require.NoError(t, err)
		b = d
	}
	return string(b), true
}

// sameStructure compares a file and its copy by format.
func sameStructure(t *testing.T, name string, orig, cp []byte) {
	switch {
	case strings.HasSuffix(name, ".tgz") || strings.HasSuffix(name, ".tar.gz"):
		assert.Equal(t, tarMembers(t, gunzip(t, orig)), tarMembers(t, gunzip(t, cp)))
	case strings.HasSuffix(name, ".gz"):
		o, c := gunzip(t, orig), gunzip(t, cp)
		assert.Equal(t, bytes.Count(o, []byte{'\n'}), bytes.Count(c, []byte{'\n'}), "decompressed lines")
		sameStructure(t, strings.TrimSuffix(name, ".gz"), o, c)
	case strings.HasSuffix(name, ".zip"):
		assert.Equal(t, zipMembers(t, orig), zipMembers(t, cp))
	case strings.HasSuffix(name, ".avro"):
		assert.Equal(t, avroShape(t, orig), avroShape(t, cp))
	case strings.HasSuffix(name, ".xlsx"):
		assert.Equal(t, zipMembers(t, orig), zipMembers(t, cp))
		assert.Equal(t, xlsxShape(t, orig), xlsxShape(t, cp), "sheets, rows and cells")
	case strings.HasSuffix(name, ".docx") || strings.HasSuffix(name, ".pptx"):
		assert.Equal(t, zipMembers(t, orig), zipMembers(t, cp))
		assert.Equal(t, paragraphs(t, orig), paragraphs(t, cp), "paragraphs per part")
	case strings.HasSuffix(name, ".parquet"):
		fo, err := parquet.OpenFile(bytes.NewReader(orig), int64(len(orig)))
		require.NoError(t, err)
		fc, err := parquet.OpenFile(bytes.NewReader(cp), int64(len(cp)))
		require.NoError(t, err)
		assert.Equal(t, fo.Schema().String(), fc.Schema().String())
		assert.Equal(t, fo.NumRows(), fc.NumRows())
		assert.Len(t, fc.RowGroups(), len(fo.RowGroups()))
		assert.ElementsMatch(t, slices.Collect(maps.Keys(kvMetadata(t, orig))), slices.Collect(maps.Keys(kvMetadata(t, cp))), "key/value metadata keys")
	case strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".tsv"):
		comma := ','
		if strings.HasSuffix(name, ".tsv") {
			comma = '\t'
		}
		ro, rc := csvRows(t, orig, comma), csvRows(t, cp, comma)
		require.Len(t, rc, len(ro), "rows")
		if !strings.Contains(name, "noheader") {
			assert.Equal(t, ro[0], rc[0], "header")
		}
		for i := range ro {
			assert.Len(t, rc[i], len(ro[i]), "columns of row %d", i)
		}
	case strings.HasSuffix(name, ".jsonl"):
		lo, lc := strings.Split(string(orig), "\n"), strings.Split(string(cp), "\n")
		require.Len(t, lc, len(lo), "lines")
		for i := range lo {
			if strings.TrimSpace(lo[i]) != "" {
				sameJSON(t, []byte(lo[i]), []byte(lc[i]))
			}
		}
	case strings.HasSuffix(name, ".json"):
		sameJSON(t, orig, cp)
	default:
		assert.Equal(t, bytes.Count(orig, []byte{'\n'}), bytes.Count(cp, []byte{'\n'}), "lines")
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return out
}

func zipMembers(t *testing.T, b []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var out []string
	for _, f := range zr.File {
		out = append(out, f.Name)
	}
	return out
}

func tarMembers(t *testing.T, b []byte) []string {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(b))
	var out []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		out = append(out, h.Name)
	}
}

func csvRows(t *testing.T, b []byte, comma rune) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = comma, true, -1
	rows, err := r.ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	return rows
}

// sameJSON checks that the copy has the original's keys, nesting and
// array lengths; a value may change type only as the policy's kinds allow
// (a number may become null, a numeric array empty).
func sameJSON(t *testing.T, orig, cp []byte) {
	t.Helper()
	var o, c any
	require.NoError(t, json.Unmarshal(orig, &o))
	require.NoError(t, json.Unmarshal(cp, &c), "the copy is valid JSON")
	sameShape(t, "$", o, c)
}

func sameShape(t *testing.T, at string, o, c any) {
	switch ov := o.(type) {
	case map[string]any:
		cv, ok := c.(map[string]any)
		if !assert.True(t, ok, "%s: object", at) {
			return
		}
		assert.ElementsMatch(t, keys(ov), keys(cv), "%s: keys", at)
		for k := range ov {
			sameShape(t, at+"."+k, ov[k], cv[k])
		}
	case []any:
		cv, ok := c.([]any)
		if !assert.True(t, ok, "%s: array", at) {
			return
		}
		if len(cv) == 0 && allNumbers(ov) {
			return // a numeric vector removed whole
		}
		if assert.Len(t, cv, len(ov), "%s: elements", at) {
			for i := range ov {
				sameShape(t, at+"[*]", ov[i], cv[i])
			}
		}
	case string:
		assert.IsType(t, "", c, "%s: string", at)
	case float64:
		if c != nil {
			assert.IsType(t, float64(0), c, "%s: number", at)
		}
	default:
		assert.Equal(t, o, c, "%s: literal", at)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func allNumbers(a []any) bool {
	for _, v := range a {
		if _, ok := v.(float64); !ok {
			return false
		}
	}
	return true
}
