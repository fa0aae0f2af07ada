package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
	"github.com/piiscan/piiscan/sinks/sinkstest"
)

// TestE2ELabelledCorpus scans the seeded labelled corpus (every format of
// the local-scan issue) and compares the findings read back from Parquet
// with the labels: precision and recall per data type must be >= 0.99,
// PII-free files must have no finding, and every file one objects row.
func TestE2ELabelledCorpus(t *testing.T) {
	m, err := labelledCorpus()
	require.NoError(t, err)
	res, err := corpusScan()
	require.NoError(t, err)
	require.Equal(t, exitOK, res.code, "stderr:\n%s", res.stderr)

	findings := readTable[scanner.Finding](t, res.out, "findings")
	scores, falsePos, falseNeg := scoreFindings(m, findings)
	types := make([]string, 0, len(scores))
	for ty := range scores {
		types = append(types, ty)
	}
	sort.Strings(types)
	t.Logf("%-16s %6s %5s %5s %9s %7s %6s", "data_type", "tp", "fp", "fn", "precision", "recall", "f1")
	for _, ty := range types {
		s := scores[ty]
		t.Logf("%-16s %6d %5d %5d %9.4f %7.4f %6.4f", ty, s.tp, s.fp, s.fn, s.precision(), s.recall(), s.f1())
	}
	for _, ty := range types {
		s := scores[ty]
		assert.GreaterOrEqual(t, s.precision(), 0.99, "precision of %s", ty)
		assert.GreaterOrEqual(t, s.recall(), 0.99, "recall of %s", ty)
	}
	for i, k := range falsePos {
		if i < 20 {
			t.Logf("false positive: %s %s", k.object, k.dataType)
		}
	}
	for i, k := range falseNeg {
		if i < 20 {
			t.Logf("missed: %s %s", k.object, k.dataType)
		}
	}

	t.Run("pii-free files have no finding", func(t *testing.T) {
		free := map[string]bool{}
		for _, p := range m.PIIFree {
			free["file://"+filepath.ToSlash(filepath.Join(m.Root, p))] = true
		}
		for _, f := range findings {
			assert.False(t, free[f.Object], "finding %s (%s) in PII-free %s", f.DataType, f.MaskedValue, f.Object)
		}
	})

	t.Run("one objects row per file", func(t *testing.T) {
		objects := readTable[scanner.ObjectRow](t, res.out, "objects")
		seen := map[string]int{}
		for _, o := range objects {
			seen[o.Object]++
		}
		assert.Len(t, objects, len(m.Files))
		for _, f := range m.Files {
			assert.Equal(t, 1, seen["file://"+filepath.ToSlash(filepath.Join(m.Root, f))], f)
		}
		for _, o := range objects {
			switch o.Status {
			case "complete":
			case "skipped":
				assert.Equal(t, "empty", o.Reason, o.Object)
			default:
				t.Errorf("object %s: status %s reason %s error %s", o.Object, o.Status, o.Reason, o.Error)
			}
		}
	})

	t.Run("minors", func(t *testing.T) {
		var wantMinor, gotMinor []string
		for _, l := range m.Labels {
			if l.Minor {
				wantMinor = append(wantMinor, fmt.Sprintf("file://%s|%s|%s", filepath.ToSlash(filepath.Join(m.Root, l.Path)), l.DataType, fingerprint(l.Canonical)))
			}
		}
		labelled := map[string]bool{}
		for _, t := range corpus.DataTypes {
			labelled[t] = true
		}
		for _, f := range findings {
			if f.Minor && labelled[f.DataType] {
				gotMinor = append(gotMinor, fmt.Sprintf("%s|%s|%s", f.Object, f.DataType, f.Fingerprint))
				assert.Equal(t, "S4", f.Sensitivity)
			}
		}
		assert.ElementsMatch(t, dedup(wantMinor), dedup(gotMinor))
	})
}

func dedup(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// TestE2ENoRawValue checks that no raw value of the corpus appears in any
// output: decoded Parquet rows, the files' bytes, the run summary and the
// log (debug level, so everything the command can log is logged).
func TestE2ENoRawValue(t *testing.T) {
	m, err := labelledCorpus()
	require.NoError(t, err)
	res, err := corpusScan()
	require.NoError(t, err)
	require.Equal(t, exitOK, res.code)

	var haystacks []string
	haystacks = append(haystacks, res.stderr, res.stdout)
	for _, f := range readTable[scanner.Finding](t, res.out, "findings") {
		b, _ := json.Marshal(f)
		haystacks = append(haystacks, string(b))
	}
	for _, o := range readTable[scanner.ObjectRow](t, res.out, "objects") {
		b, _ := json.Marshal(o)
		haystacks = append(haystacks, string(b))
	}
	require.NoError(t, filepath.Walk(res.out, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		haystacks = append(haystacks, string(b))
		return err
	}))
	all := strings.Join(haystacks, "\n")
	// Index the raw values by their first six bytes and slide over the
	// outputs once: a substring search per value would be quadratic.
	byPrefix := map[string][]string{}
	checked := 0
	for _, l := range m.Labels {
		for _, v := range []string{l.Written, l.Canonical} {
			if len(v) < 6 {
				continue
			}
			checked++
			byPrefix[v[:6]] = append(byPrefix[v[:6]], v)
		}
	}
	for i := 0; i+6 <= len(all); i++ {
		for _, v := range byPrefix[all[i:i+6]] {
			if strings.HasPrefix(all[i:], v) {
				t.Errorf("a raw value (%d bytes) was found in the outputs at offset %d", len(v), i)
			}
		}
	}
	t.Logf("checked %d raw values against %d output strings", checked, len(haystacks))
}

// TestE2EDuckDB reads the scan's dataset with DuckDB: row counts match the
// run summary and the column types are the schema's.
func TestE2EDuckDB(t *testing.T) {
	sinkstest.RequireDuckDB(t)
	res, err := corpusScan()
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(res.out, "scans", "e2e-corpus.json"))
	require.NoError(t, err)
	var sum sinks.Summary
	require.NoError(t, json.Unmarshal(b, &sum))

	f := sinkstest.DuckDBQuery(t, "SELECT * FROM "+sinkstest.ReadParquetSQL(res.out, "findings")+" LIMIT 1")
	assert.Equal(t, sinkstest.FindingsDuckDBTypes, f.Columns)
	o := sinkstest.DuckDBQuery(t, "SELECT * FROM "+sinkstest.ReadParquetSQL(res.out, "objects")+" LIMIT 1")
	assert.Equal(t, sinkstest.ObjectsDuckDBTypes, o.Columns)

	counts := sinkstest.DuckDBQuery(t, `SELECT
		(SELECT count(*) FROM `+sinkstest.ReadParquetSQL(res.out, "findings")+`) AS findings,
		(SELECT count(*) FROM `+sinkstest.ReadParquetSQL(res.out, "objects")+`) AS objects,
		(SELECT sum(findings) FROM `+sinkstest.ReadParquetSQL(res.out, "objects")+`) AS object_findings,
		(SELECT count(*) FROM `+sinkstest.ReadParquetSQL(res.out, "findings")+` WHERE minor) AS minors`)
	require.Len(t, counts.Rows, 1)
	assert.Equal(t, map[string]any{
		"findings":        float64(sum.Counters.Findings),
		"objects":         float64(sum.Counters.Objects),
		"object_findings": float64(sum.Counters.Findings),
		"minors":          float64(sum.Counters.Minors),
	}, counts.Rows[0])
	assert.Positive(t, sum.Counters.Findings)
}
