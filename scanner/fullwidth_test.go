package scanner_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// widenBody widens a file, but for a table's header row: its column names
// stay as they are.
func widenBody(name string, data []byte) ([]byte, []int) {
	head := 0
	if ext := filepath.Ext(name); ext == ".csv" || ext == ".tsv" {
		if i := strings.IndexByte(string(data), '\n'); i >= 0 {
			head = i + 1
		}
	}
	body, at := corpus.FullWidth(string(data[head:]))
	full := make([]int, len(data)+1)
	for i := range head {
		full[i] = i
	}
	for i, a := range at {
		full[head+i] = head + a
	}
	return append(append([]byte(nil), data[:head]...), body...), full
}

// mappedFindings renders findings, with offsets and lengths mapped by at
// when it is not nil: everything a finding says but the raw value, which
// it does not hold.
func mappedFindings(s *scannertest.Sink, at map[string][]int) map[string][]string {
	out := map[string][]string{}
	for _, r := range s.Results {
		for _, f := range r.Findings {
			start, end := f.ByteOffset, f.ByteOffset+int64(f.Length)
			if m := at[r.Info.Name]; m != nil {
				start, end = int64(m[start]), int64(m[end])
			}
			line, col, rec, field := int64(0), int64(0), int64(-1), ""
			if f.Line != nil {
				line, col = *f.Line, *f.Column
			}
			if f.Record != nil {
				rec = *f.Record
			}
			if f.Field != nil {
				field = *f.Field
			}
			out[r.Info.Name] = append(out[r.Info.Name], fmt.Sprintf("%s %s %.2f %v @%d+%d L%d:%d r%d %s %s %s %s",
				f.DataType, f.Sensitivity, f.Confidence, f.Minor, start, end-start, line, col, rec, field, f.MaskedValue, f.Fingerprint[:16], f.Evidence))
		}
	}
	return out
}

// TestFullWidthCorpus is the end-to-end oracle: the generated labelled
// corpus (text, logs, Markdown, CSV and TSV), with every run of ASCII
// letters, digits and separators that holds a digit written in full-width
// forms, gives the findings of the ASCII corpus (types, levels, confidence,
// minors, masks, fingerprints, evidence, lines, character columns, records
// and fields) at the offsets of the full-width text, whatever the chunk size.
func TestFullWidthCorpus(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m, err := corpus.Generate(dir, corpus.Options{Seed: 11, AsOf: asOf, Formats: []string{"txt", "log", "md", "csv", "tsv"}})
	require.NoError(t, err)
	ascii, wide, at := map[string][]byte{}, map[string][]byte{}, map[string][]int{}
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		require.NoError(t, err)
		if !utf8.Valid(data) {
			continue // GBK, UTF-16: full-width forms are written in UTF-8 here
		}
		// Offsets are in the decoded stream, which has no byte order mark.
		data = bytes.TrimPrefix(data, []byte("\uFEFF"))
		ascii[f] = data
		wide[f], at[f] = widenBody(f, data)
	}
	want := mappedFindings(run(t, &scannertest.MemSource{Files: ascii}, scanner.Config{Workers: 1}), at)
	n := 0
	for _, fs := range want {
		n += len(fs)
	}
	require.Greater(t, n, 1000, "the corpus holds values")
	for _, owned := range []int{0, 4096, 64} {
		t.Run(fmt.Sprintf("owned=%d", owned), func(t *testing.T) {
			t.Parallel()
			got := mappedFindings(run(t, &scannertest.MemSource{Files: wide}, scanner.Config{Workers: 2, Chunk: scanner.ChunkConfig{Owned: owned}}), nil)
			for f := range want {
				assert.Equal(t, want[f], got[f], f)
			}
		})
	}
}
