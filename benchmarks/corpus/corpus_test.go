package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusCase is a generated corpus shared by the tests of this file.
type corpusCase struct {
	name string
	opts Options
	once sync.Once
	dir  string
	m    *Manifest
	err  error
}

var (
	small = &corpusCase{name: "default", opts: Options{Seed: 1}}
	bulk  = &corpusCase{name: "bulk", opts: Options{Seed: 3, TargetBytes: 3 << 20}}
)

// get generates the corpus once per test binary.
func (c *corpusCase) get(t *testing.T) (string, *Manifest) {
	t.Helper()
	c.once.Do(func() {
		c.dir, c.err = os.MkdirTemp("", "corpus-"+c.name+"-")
		if c.err == nil {
			c.m, c.err = Generate(c.dir, c.opts)
		}
	})
	require.NoError(t, c.err)
	return c.dir, c.m
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, c := range []*corpusCase{small, bulk} {
		if c.dir != "" {
			os.RemoveAll(c.dir)
		}
	}
	os.Exit(code)
}

// readTree returns every regular file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	}))
	return out
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		a, b   Options
		wantEq bool
	}{
		{"same seed", Options{Seed: 42}, Options{Seed: 42}, true},
		{"same seed bulk", Options{Seed: 42, TargetBytes: 3 << 20}, Options{Seed: 42, TargetBytes: 3 << 20}, true},
		{"other seed", Options{Seed: 42}, Options{Seed: 43}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			da, db := t.TempDir(), t.TempDir()
			ma, err := Generate(da, tt.a)
			require.NoError(t, err)
			mb, err := Generate(db, tt.b)
			require.NoError(t, err)
			ta, tb := readTree(t, da), readTree(t, db)
			assert.Equal(t, ma.Files, mb.Files)
			if tt.wantEq {
				assert.Equal(t, ta, tb)
				assert.Equal(t, ma.Labels, mb.Labels)
				return
			}
			assert.NotEqual(t, ta["csv/customers_zh.csv"], tb["csv/customers_zh.csv"])
			assert.NotEqual(t, ma.Labels, mb.Labels)
		})
	}
}

func TestManifest(t *testing.T) {
	t.Parallel()
	dir, m := small.get(t)
	files := readTree(t, dir)
	assert.Len(t, files, len(m.Files), "every file on disk is in the manifest")
	for _, f := range m.Files {
		assert.Contains(t, files, f)
	}
	var total int
	for _, data := range files {
		total += len(data)
	}
	assert.Less(t, total, 5<<20, "default corpus stays small")
	withLabels := map[string]bool{}
	for _, l := range m.Labels {
		withLabels[l.Path] = true
	}
	for _, f := range m.PIIFree {
		assert.False(t, withLabels[f], f)
	}
	for _, f := range m.Files {
		if !withLabels[f] {
			assert.Contains(t, m.PIIFree, f)
		}
	}
	for _, f := range []string{"edge/empty.txt", "edge/whitespace.txt", "csv/orders.csv", "text/decoys_zh.txt"} {
		assert.Contains(t, m.PIIFree, f)
	}
	assert.Empty(t, files["edge/empty.txt"])
	assert.Empty(t, strings.TrimSpace(string(files["edge/whitespace.txt"])))
	assert.True(t, strings.HasPrefix(string(files["csv/customers_zh.csv"]), "\ufeff"), "BOM")
	assert.Contains(t, string(files["csv/customers_zh.csv"]), "\r\n")
}

func TestLabelsRoundTrip(t *testing.T) {
	t.Parallel()
	_, m := small.get(t)
	path := filepath.Join(t.TempDir(), "labels.jsonl")
	require.NoError(t, m.WriteLabels(path))
	got, err := ReadLabels(path)
	require.NoError(t, err)
	assert.Equal(t, m, got)
	_, err = ReadLabels(filepath.Join(t.TempDir(), "missing.jsonl"))
	assert.Error(t, err)
}

// TestLabelsValid checks each label on its own: a known type, a canonical
// value that passes the checks and follows from the written form.
func TestLabelsValid(t *testing.T) {
	t.Parallel()
	for _, c := range []*corpusCase{small, bulk} {
		_, m := c.get(t)
		for _, l := range m.Labels {
			assert.Contains(t, DataTypes, l.DataType)
			assert.NoError(t, Validate(l.DataType, l.Canonical, DefaultAsOf), "%s %s %.80q", l.Path, l.DataType, l.Written)
			assert.Equal(t, l.Canonical, canonFromWritten(l), "%s %s %.80q", l.Path, l.DataType, l.Written)
			if l.DataType == TypeResidentID {
				b, ok := idBirth(l.Canonical)
				require.True(t, ok)
				if isMinor(b, DefaultAsOf) {
					assert.True(t, l.Minor, "a minor's ID is labelled minor: %+v", l)
				}
				assert.False(t, luhnValid(l.Canonical), "IDs are never also card-shaped")
			}
		}
	}
}

// TestWrittenInFiles checks that every label's written form occurs, between
// delimiters, at least as often as it is labelled, and that labelled phones
// and cards have no order/waybill label next to them.
func TestWrittenInFiles(t *testing.T) {
	t.Parallel()
	for _, c := range []*corpusCase{small, bulk} {
		dir, m := c.get(t)
		byFile := map[string][]Label{}
		for _, l := range m.Labels {
			byFile[l.Path] = append(byFile[l.Path], l)
		}
		for path, labels := range byFile {
			text := decoded(t, dir, path)
			want := map[string]int{}
			for _, l := range labels {
				want[l.DataType+" "+l.Written]++
			}
			for _, l := range labels {
				n, at := boundedCount(text, l.Written)
				if slices.Contains(categoryTypes, l.DataType) {
					// Prose terms touch the words around them.
					n = strings.Count(text, l.Written)
				}
				assert.GreaterOrEqual(t, n, want[l.DataType+" "+l.Written], "%s: %s %q", path, l.DataType, l.Written)
				if l.DataType != TypeMobile && l.DataType != TypeBankCard {
					continue
				}
				for _, i := range at {
					assert.False(t, near(text, i, i+len(l.Written), 64, negativeWords), "%s: negative keyword near %q", path, l.Written)
				}
			}
		}
	}
}

// TestNoUnlabelledValues scans every file with independent shape finders:
// every valid value found must be labelled in that file, once per
// occurrence, and no unlabelled
// passport-shaped value may stand near a passport keyword.
func TestNoUnlabelledValues(t *testing.T) {
	t.Parallel()
	for _, c := range []*corpusCase{small, bulk} {
		dir, m := c.get(t)
		labels := map[string]map[string]map[string]int{}
		for _, l := range m.Labels {
			if labels[l.Path] == nil {
				labels[l.Path] = map[string]map[string]int{}
			}
			if labels[l.Path][l.DataType] == nil {
				labels[l.Path][l.DataType] = map[string]int{}
			}
			labels[l.Path][l.DataType][l.Canonical]++
		}
		for _, f := range m.Files {
			prose := strings.HasPrefix(f, "text/") || strings.HasPrefix(f, "logs/")
			assert.Empty(t, unlabelled(decoded(t, dir, f), labels[f], prose), f)
		}
	}
}

// TestLabelledPassportsHaveKeyword: in text files (not in CSV/JSON columns)
// a passport keyword stands right before each labelled passport.
func TestLabelledPassportsHaveKeyword(t *testing.T) {
	t.Parallel()
	dir, m := small.get(t)
	for _, l := range m.Labels {
		if l.DataType != TypePassport || strings.Contains(l.Path, "csv") || strings.Contains(l.Path, "json") {
			continue
		}
		text := decoded(t, dir, l.Path)
		_, at := boundedCount(text, l.Written)
		for _, i := range at {
			assert.True(t, near(text, i, i, 30, passportWords), "%s: %s", l.Path, l.Written)
		}
	}
}

func TestMinorEdges(t *testing.T) {
	t.Parallel()
	_, m := small.get(t)
	exact := DefaultAsOf.AddDate(-14, 0, 0)
	tomorrow := DefaultAsOf.AddDate(-14, 0, 1)
	found := map[string]int{}
	for _, l := range m.Labels {
		if l.DataType != TypeResidentID {
			continue
		}
		b, _ := idBirth(l.Canonical)
		switch {
		case b.Equal(exact):
			assert.False(t, l.Minor, "turns 14 on AsOf: not a minor")
			found["exact:"+l.Path]++
		case b.Equal(tomorrow):
			assert.True(t, l.Minor, "turns 14 the day after AsOf: a minor")
			found["tomorrow:"+l.Path]++
		}
	}
	for _, key := range []string{"exact:csv/students_zh.csv", "tomorrow:csv/students_zh.csv",
		"exact:text/intro_zh.txt", "tomorrow:text/intro_zh.txt"} {
		assert.Positive(t, found[key], key)
	}
	// The outpatient table's first two records are the edges by their
	// birth-date column: every label of the first is an adult's, every
	// label of the second a minor's.
	var rows [][]Label
	for _, l := range m.Labels {
		if l.Path == "csv/outpatient_zh.csv" {
			if l.DataType == TypeName {
				rows = append(rows, nil)
			}
			require.NotEmpty(t, rows)
			rows[len(rows)-1] = append(rows[len(rows)-1], l)
		}
	}
	require.GreaterOrEqual(t, len(rows), 2)
	for i, want := range []bool{false, true} {
		require.NotEmpty(t, rows[i])
		for _, l := range rows[i] {
			assert.Equal(t, want, l.Minor, "outpatient record %d: %s", i, l.DataType)
		}
	}
	// A custom AsOf moves the edges with it.
	asOf := time.Date(2030, 3, 1, 0, 0, 0, 0, time.UTC)
	m2, err := Generate(t.TempDir(), Options{Seed: 1, AsOf: asOf, Formats: []string{"csv"}})
	require.NoError(t, err)
	var edge bool
	for _, l := range m2.Labels {
		if b, _ := idBirth(l.Canonical); l.DataType == TypeResidentID && b.Equal(asOf.AddDate(-14, 0, 1)) {
			edge = l.Minor
		}
	}
	assert.True(t, edge)
}

// TestCoverage checks that the small corpus holds every type and the
// written styles the scanner must handle.
func TestCoverage(t *testing.T) {
	t.Parallel()
	_, m := small.get(t)
	count := map[string]int{}
	has := func(typ string, f func(string) bool) bool {
		for _, l := range m.Labels {
			if l.DataType == typ && f(l.Written) {
				return true
			}
		}
		return false
	}
	for _, l := range m.Labels {
		count[l.DataType]++
	}
	for _, typ := range DataTypes {
		assert.GreaterOrEqual(t, count[typ], 20, typ)
	}
	styles := []struct {
		name string
		typ  string
		f    func(string) bool
	}{
		{"id spaced", TypeResidentID, func(w string) bool { return strings.Count(w, " ") == 2 }},
		{"id lower x", TypeResidentID, func(w string) bool { return strings.HasSuffix(w, "x") }},
		{"id upper X", TypeResidentID, func(w string) bool { return strings.HasSuffix(w, "X") }},
		{"hk parens", TypeHKID, func(w string) bool { return strings.HasSuffix(w, ")") }},
		{"hk solid", TypeHKID, func(w string) bool { return !strings.Contains(w, "(") }},
		{"hk two letters", TypeHKID, func(w string) bool { return w[1] >= 'A' }},
		{"mobile +86 spaced", TypeMobile, func(w string) bool { return strings.HasPrefix(w, "+86 ") }},
		{"mobile +86 solid", TypeMobile, func(w string) bool { return strings.HasPrefix(w, "+861") }},
		{"mobile 0086", TypeMobile, func(w string) bool { return strings.HasPrefix(w, "0086-") }},
		{"mobile dashes", TypeMobile, func(w string) bool { return len(w) == 13 && w[3] == '-' }},
		{"mobile spaces", TypeMobile, func(w string) bool { return len(w) == 13 && w[3] == ' ' }},
		{"email capitals", TypeEmail, func(w string) bool { return w != strings.ToLower(w) }},
		{"email plus tag", TypeEmail, func(w string) bool { return strings.Contains(w, "+") }},
		{"card spaces", TypeBankCard, func(w string) bool { return strings.Contains(w, " ") }},
		{"card dashes", TypeBankCard, func(w string) bool { return strings.Contains(w, "-") }},
		{"card 19 digits", TypeBankCard, func(w string) bool { return len(w) == 19 }},
		{"card amex", TypeBankCard, func(w string) bool { return len(w) == 15 }},
		{"iban grouped", TypeIBAN, func(w string) bool { return strings.Contains(w, " ") }},
		{"gps comma", TypeGPS, func(w string) bool { return strings.Count(w, ",") == 1 && !strings.Contains(w, " ") }},
		{"gps paren", TypeGPS, func(w string) bool { return strings.Contains(w, ", ") && !strings.Contains(w, "lng") }},
		{"gps lat/lng", TypeGPS, func(w string) bool { return strings.Contains(w, "lng: ") }},
		{"gps zh", TypeGPS, func(w string) bool { return strings.Contains(w, "经度") }},
		{"gps column", TypeGPS, func(w string) bool { return !strings.ContainsAny(w, ", ，") }},
	}
	for _, s := range styles {
		assert.True(t, has(s.typ, s.f), s.name)
	}
	var minorNonID bool
	for _, l := range m.Labels {
		minorNonID = minorNonID || (l.Minor && l.DataType != TypeResidentID)
	}
	assert.True(t, minorNonID, "record-level minors")
}

func TestFormats(t *testing.T) {
	t.Parallel()
	m, err := Generate(t.TempDir(), Options{Seed: 1, Formats: []string{"gz", "tsv"}})
	require.NoError(t, err)
	require.NotEmpty(t, m.Files)
	for _, f := range m.Files {
		assert.True(t, strings.HasSuffix(f, ".gz") || strings.HasSuffix(f, ".tsv"), f)
	}
	// Every character of the GBK file must be encodable, at any scale.
	_, err = Generate(t.TempDir(), Options{Seed: 5, Scale: 600, Formats: []string{"txt"}})
	require.NoError(t, err)
	_, err = Generate(t.TempDir(), Options{Formats: []string{"pdf"}})
	assert.Error(t, err)
	_, err = Generate(t.TempDir(), Options{Scale: -1})
	assert.Error(t, err)
}

func TestBulk(t *testing.T) {
	t.Parallel()
	dir, m := bulk.get(t)
	var total, bulkBytes int64
	var bulkLabels int
	for _, f := range m.Files {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err)
		total += st.Size()
		if strings.HasPrefix(f, "bulk/") {
			bulkBytes += st.Size()
		}
	}
	for _, l := range m.Labels {
		if strings.HasPrefix(l.Path, "bulk/") {
			bulkLabels++
		}
	}
	target := bulk.opts.TargetBytes
	assert.InDelta(t, float64(target), float64(total), float64(target)/20, "about TargetBytes")
	perValue := bulkBytes / int64(bulkLabels)
	assert.True(t, perValue >= 1500 && perValue <= 5000, "one value per %d bytes", perValue)
}

func BenchmarkGenerate(b *testing.B) {
	for _, size := range []int64{0, 64 << 20} {
		name := "size=default"
		if size > 0 {
			name = "size=64MiB"
			if testing.Short() {
				continue
			}
		}
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			var n int64
			for b.Loop() {
				m, err := Generate(dir, Options{Seed: 1, TargetBytes: size})
				if err != nil {
					b.Fatal(err)
				}
				n = int64(len(m.Files))
			}
			var bytes int64
			_ = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
				if err == nil && !e.IsDir() {
					if st, err := e.Info(); err == nil {
						bytes += st.Size()
					}
				}
				return nil
			})
			b.SetBytes(bytes)
			b.ReportAllocs()
			b.ReportMetric(float64(n), "files")
		})
	}
}
