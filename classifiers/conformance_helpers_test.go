package classifiers

// Shared machinery of the conformance tests (conformance_*_test.go): they run
// our validators and detectors against the external vectors in
// testdata/conformance (see its README) and count how often we agree.
//
// Each source is a confSource: a loader that turns the source's vectors into
// confVectors (input, the source's verdict written in our vocabulary) and a
// verdict function that gives ours for the same input. Where our policy
// differs from a source, the case is listed in confDisagreements with a name
// and a reason; the tests then assert what *we* do, so a change in behaviour
// is noticed either way.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

// confDir holds the external vectors, relative to this package.
const confDir = "../testdata/conformance"

// confVector is one external test vector.
type confVector struct {
	name  string // subtest name, readable
	input string // the value or text as the source wrote it; disagreements are keyed by it
	want  string // the source's verdict, in the words our verdict function uses
	skip  string // non-empty: out of scope, and why
}

// confSource is one external source (a file or a group of files).
type confSource struct {
	name    string // "stdnum cn_ric": the name in the summary and the disagreement table
	vectors func(t testing.TB) []confVector
	verdict func(t testing.TB, input string) string
}

// confDisagreement is a known, named difference between a source and us.
type confDisagreement struct {
	name   string // subtest name: <source>_<value>_<why>
	source string // confSource.name
	input  string // confVector.input
	says   string // what the source says (its confVector.want; checked against the data)
	we     string // what we do (our verdict; asserted)
	reason string // why; "BUG: ..." marks a suspected defect in our code
}

// confDisagreements is every known disagreement, from all conformance files.
var confDisagreements = slices.Concat(idDisagreements, checksumDisagreements, mobileDisagreements, presidioDisagreements, newDisagreements)

// confSources lists every source, in summary order.
func confSources() []confSource {
	return slices.Concat(idSources(), checksumSources(), mobileSources(), presidioSources(), newSources())
}

// undoc moves the documentation blocks a text's addresses are written in
// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 of RFC 5737, 2001:db8::/32
// of RFC 3849) to the next block of the same length (192.0.3.0/24,
// 198.51.101.0/24, 203.0.114.0/24, 2001:db9::/32). Presidio writes its IP
// examples there, and those blocks are never reported (policy:
// documentation addresses name no host, dotted.go documentation); moved,
// each text keeps the syntax it tests and its spans, so it still checks
// how we read the address. TestDocumentationAddresses checks the blocks
// themselves.
func undoc(text string) string {
	return docBlocks.Replace(text)
}

var docBlocks = strings.NewReplacer("192.0.2.", "192.0.3.", "198.51.100.", "198.51.101.", "203.0.113.", "203.0.114.",
	"2001:db8:", "2001:db9:", "2001:DB8:", "2001:DB9:", "2001:0db8:", "2001:0db9:")

func findDisagreement(source, input string) (confDisagreement, bool) {
	for _, d := range confDisagreements {
		if d.source == source && d.input == input {
			return d, true
		}
	}
	return confDisagreement{}, false
}

// runConformance runs one source: every vector is a subtest that must agree
// with the source or match its named disagreement.
func runConformance(t *testing.T, src confSource) {
	t.Helper()
	vs := src.vectors(t)
	require.NotEmpty(t, vs, "no vectors for %s", src.name)
	for _, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			if v.skip != "" {
				t.Skip(v.skip)
			}
			got := src.verdict(t, v.input)
			if d, ok := findDisagreement(src.name, v.input); ok {
				assert.Equal(t, d.we, got, "known disagreement %s changed (%s)", d.name, d.reason)
				return
			}
			assert.Equal(t, v.want, got, "%s disagrees on %q", src.name, v.input)
		})
	}
}

// confTally counts one source's outcome.
type confTally struct {
	total, agree, named, skipped int
	unexpected                   []string
}

func tallySource(t testing.TB, src confSource) confTally {
	t.Helper()
	var c confTally
	for _, v := range src.vectors(t) {
		c.total++
		if v.skip != "" {
			c.skipped++
			continue
		}
		got := src.verdict(t, v.input)
		d, known := findDisagreement(src.name, v.input)
		switch {
		case known && got == d.we:
			c.named++
		case !known && got == v.want:
			c.agree++
		default:
			c.unexpected = append(c.unexpected, v.name)
		}
	}
	return c
}

func (c confTally) String() string {
	in := c.total - c.skipped
	s := fmt.Sprintf("%d/%d agree, %d named disagreements", c.agree, in, c.named)
	if c.skipped > 0 {
		s += fmt.Sprintf(", %d out of scope (skipped)", c.skipped)
	}
	if len(c.unexpected) > 0 {
		s += fmt.Sprintf(", %d UNEXPECTED", len(c.unexpected))
	}
	return s
}

// TestConformanceSummary logs one agreement line per source, the numbers the
// docs quote.
func TestConformanceSummary(t *testing.T) {
	t.Parallel()
	for _, src := range confSources() {
		c := tallySource(t, src)
		t.Logf("%s: %s", src.name, c)
		assert.Empty(t, c.unexpected, "%s: cases that neither agree nor match a named disagreement", src.name)
	}
}

// TestConformanceKnownDisagreements runs each named disagreement: the source
// really says what the table claims, and we still do what it records.
func TestConformanceKnownDisagreements(t *testing.T) {
	t.Parallel()
	srcs := map[string]confSource{}
	for _, s := range confSources() {
		srcs[s.name] = s
	}
	names := map[string]bool{}
	for _, d := range confDisagreements {
		require.False(t, names[d.name], "duplicate disagreement name %s", d.name)
		names[d.name] = true
		require.NotEmpty(t, d.reason, d.name)
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			src, ok := srcs[d.source]
			require.True(t, ok, "unknown source %q", d.source)
			var wants []string
			for _, v := range src.vectors(t) {
				if v.input == d.input && v.skip == "" {
					wants = append(wants, v.want)
				}
			}
			require.NotEmpty(t, wants, "stale entry: %s has no vector %q", d.source, d.input)
			for _, w := range wants {
				assert.Equal(t, d.says, w, "the source's verdict is not what the table says")
			}
			assert.NotEqual(t, d.says, d.we, "not a disagreement")
			assert.Equal(t, d.we, src.verdict(t, d.input), "our behaviour changed; reason was: %s", d.reason)
		})
	}
}

// readLines returns the lines of a .txt vector file exactly as written (no
// trimming; conformance README: two files keep spaces on purpose).
func readLines(t testing.TB, rel string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(confDir, rel))
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	return lines
}

// readJSONL decodes a .jsonl vector file into records of type T.
func readJSONL[T any](t testing.TB, rel string) []T {
	t.Helper()
	f, err := os.Open(filepath.Join(confDir, rel))
	require.NoError(t, err)
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r T
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), "%s line %d", rel, n)
		out = append(out, r)
	}
	require.NoError(t, sc.Err())
	return out
}

// validVectors turns <type>.valid.txt and <type>.invalid.txt into vectors
// with verdicts "valid" and "invalid", de-duplicated.
func validVectors(t testing.TB, base string) []confVector {
	t.Helper()
	var vs []confVector
	for _, verdict := range []string{"valid", "invalid"} {
		for _, l := range readLines(t, base+"."+verdict+".txt") {
			vs = append(vs, confVector{name: verdict + "/" + l, input: l, want: verdict})
		}
	}
	return dedupVectors(vs)
}

// dedupVectors drops repeated (input, want, skip) vectors.
func dedupVectors(vs []confVector) []confVector {
	type key struct{ in, want, skip string }
	seen := map[key]bool{}
	out := vs[:0]
	for _, v := range vs {
		k := key{v.input, v.want, v.skip}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// validity renders a boolean check as a verdict.
func validity(ok bool) string {
	if ok {
		return "valid"
	}
	return "invalid"
}

// passFail renders a bare checksum result.
func passFail(ok bool) string {
	if ok {
		return "pass"
	}
	return "fail"
}

// confEngine is the built-in engine, compiled once for all conformance tests
// (an Engine is safe for concurrent use; each scan makes its own Scanner).
var confEngineOnce = sync.OnceValues(func() (*Engine, error) {
	b, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	rs, err := rules.Merge(b)
	if err != nil {
		return nil, err
	}
	return Compile(rs, Options{HMACKey: []byte("test-key"), AsOf: testAsOf})
})

func confEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := confEngineOnce()
	require.NoError(t, err)
	return e
}

// confSpan is a half-open byte range.
type confSpan struct{ start, end int }

// renderSpans writes spans sorted by start, "[0,16) [17,36)", or "none".
func renderSpans(spans []confSpan) string {
	if len(spans) == 0 {
		return "none"
	}
	slices.SortFunc(spans, func(a, b confSpan) int { return a.start - b.start })
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = fmt.Sprintf("[%d,%d)", s.start, s.end)
	}
	return strings.Join(parts, " ")
}

// detectSpans scans text with the built-in engine and renders the spans of
// the matches of one data type.
func detectSpans(t testing.TB, text, dataType string) string {
	t.Helper()
	var spans []confSpan
	for _, m := range scanString(t, confEngine(t), text).ms {
		if m.DataType == dataType {
			spans = append(spans, confSpan{m.Start, m.End})
		}
	}
	return renderSpans(spans)
}

// byteOffset converts a code-point offset in s to a byte offset.
func byteOffset(s string, cp int) int {
	b := 0
	for i := 0; i < cp && b < len(s); i++ {
		_, n := utf8.DecodeRuneInString(s[b:])
		b += n
	}
	return b
}

// shorten makes a readable subtest name from a long text.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
