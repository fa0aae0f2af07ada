package classifiers

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

// preGen makes user patterns and texts for the prefilter's property and
// oracle tests, from a seed: literals that share letters with İ, the
// Kelvin sign and ſ (which regexp2 folds differently from Go), Chinese
// (some of it four bytes long), invalid UTF-8,
// Unicode digits, classes, quantifiers (lazy too), alternations with an
// empty branch, anchors and case-insensitivity. Quantifiers are kept from
// nesting so that no pattern backtracks into the match timeout, which
// would make the two ways of scanning differ by timing.
type preGen struct{ r *rand.Rand }

var (
	preAtoms   = []string{"EMP", "id", "kit", "Sk", "工号", "编号", "ab", "-", ":", "：", "x", "İ", `\.`, `\-`, "é", "a", "𠀀", "(?i:i)", "(?i:k)"}
	preClasses = []string{`\d`, `[0-9]`, `[a-c]`, `\w`, `[A-Z]`, `[^x]`, `\s`, `.`, `[工号]`, `[ik]`, `\p{L}`,
		`[\d-]`, `[^\d]`, `\D`, `\W`, `[a-zA-Z]`, `[\u4e00-\u9fa5]`, `[^\s]`, `[-:]`}
	preQuants  = []string{"", "", "", "", "?", "*", "+", "{2}", "{1,3}", "{2,}", "??", "+?", "*?", "{4}", "{4,6}"}
	preAnchors = []string{`\b`, `^`, `$`, `\B`}
	preTokens  = []string{"EMP", "emp", "Emp", "ID", "id", "İd", "\u212ait", "kit", "KIT", "sk", "ſk", "工号", "编号",
		"中文", "ab", "AB", "-", ":", "：", "x", "X", "é", "É", " ", " ", "\n", "0", "12", "345", "１２", "٣", "6789", "٠١٢٣", "0１2٣4",
		"\xff", "\xe4\xb8", ".", "abc", "İ", "\t", "a", "b", "c", "工号:EMP-12", "idx", "𠀀", "😀"}
)

func (g *preGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// pattern returns a pattern with at most two unbounded quantifiers.
func (g *preGen) pattern() string {
	var b strings.Builder
	switch g.r.IntN(8) {
	case 0, 1:
		b.WriteString("(?i)")
	case 2:
		b.WriteString("(?m)")
	}
	unbounded := 0
	quant := func() string {
		q := g.pick(preQuants)
		if strings.ContainsAny(q, "*+,") && !strings.HasSuffix(q, ",3}") {
			if unbounded++; unbounded > 2 {
				return ""
			}
		}
		return q
	}
	seq := func() string {
		var s strings.Builder
		for range 1 + g.r.IntN(2) {
			if g.r.IntN(2) == 0 {
				s.WriteString(g.pick(preAtoms))
			} else {
				s.WriteString(g.pick(preClasses) + g.pick([]string{"", "?", "{2}"}))
			}
		}
		return s.String()
	}
	for range 1 + g.r.IntN(4) {
		switch g.r.IntN(10) {
		case 0, 1, 2, 3:
			b.WriteString(g.pick(preAtoms) + quant())
		case 4, 5, 6:
			b.WriteString(g.pick(preClasses) + quant())
		case 7:
			b.WriteString(g.pick(preAnchors))
		case 8:
			b.WriteString("(?:" + seq() + "|" + seq() + ")" + g.pick([]string{"", "?", "{2}"}))
		default:
			alt := seq()
			if g.r.IntN(3) == 0 {
				alt = "" // an empty branch requires nothing
			}
			b.WriteString("(" + seq() + "|" + alt + ")")
		}
	}
	return b.String()
}

// classPattern returns a pattern of classes only (no literal), whose runs
// of one class may gate it: \b[A-Z]{2}\d{8}\b and the like.
func (g *preGen) classPattern() string {
	var b strings.Builder
	if g.r.IntN(4) == 0 {
		b.WriteString("(?i)")
	}
	for range 1 + g.r.IntN(3) {
		switch g.r.IntN(4) {
		case 0:
			b.WriteString(g.pick(preAnchors))
		default:
			c := g.pick(preClasses)
			b.WriteString(c + g.pick([]string{"", "{4}", "{5,8}", "{2}", "+", "?"}))
			if g.r.IntN(3) == 0 {
				b.WriteString(c + "{2}") // the same class again: one run
			}
		}
	}
	return b.String()
}

// text returns about n bytes of tokens.
func (g *preGen) text(n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(g.pick(preTokens))
	}
	return b.String()
}

// genRule returns a valid rule with a generated pattern.
func (g *preGen) genRule(i int) rules.Rule {
	for {
		r := rules.Rule{ID: fmt.Sprintf("gen_%d", i), Category: "identity", Level: "S2", Pattern: g.pattern()}
		if i%3 == 0 {
			r.Pattern = g.classPattern()
		}
		r.MaxLen = []int{0, 16, 40, 100}[g.r.IntN(4)]
		if g.r.IntN(3) == 0 {
			r.Keywords = []string{"工号", "id"}
		}
		if r.Validate() == nil {
			return r
		}
	}
}

// TestUserPreSound: at every start where a generated pattern matches a
// generated text (regexp2, anchored at that start), the match holds one
// of the prefilter's literals and is no longer than its width, or lies in
// a run of its inMatch bytes. This is what userPrefiltered relies on.
func TestUserPreSound(t *testing.T) {
	// Not parallel: it keeps a core busy for seconds under -race, which
	// would push the timed tests of user rules (usertimeout_test.go) into
	// their timeouts.
	g := &preGen{r: rand.New(rand.NewPCG(1, 2))}
	checked, prefiltered, runs := 0, 0, 0
	for i := range 900 {
		p := g.pattern()
		if i%3 == 0 {
			p = g.classPattern()
		}
		pre := newUserPre(p)
		if pre == nil {
			continue
		}
		prefiltered++
		if pre.run != nil {
			runs++
		}
		at, err := regexp2.Compile(`\G(?:`+p+`)`, regexp2.None)
		require.NoError(t, err, p)
		for range 2 {
			text := []byte(g.text(400))
			runes, r2b := runesOf(text)
			for pos := range len(runes) {
				m, err := at.FindRunesMatchStartingAt(runes, pos)
				require.NoError(t, err)
				if m == nil || m.Length == 0 {
					continue
				}
				checked++
				s, e := r2b[m.Index], r2b[m.Index+m.Length]
				val := text[s:e]
				if pre.fold {
					val = []byte(lowerASCIIString(string(val)))
				}
				found := false
				for _, l := range pre.lits {
					found = found || bytes.Contains(val, l)
				}
				if pre.run != nil {
					found = hasRun(pre.run, runes[m.Index:m.Index+m.Length])
				}
				if !found {
					t.Errorf("pattern %q: a match at bytes %d..%d holds none of its literals or runs", p, s, e)
				}
				if pre.width >= 0 && e-s > pre.width {
					t.Errorf("pattern %q: a match at bytes %d..%d is longer than %d", p, s, e, pre.width)
				}
				if pre.width < 0 {
					for _, c := range text[s:e] {
						if !pre.inMatch[c] {
							t.Errorf("pattern %q: a match at bytes %d..%d holds byte %#x, not in its set", p, s, e, c)
							break
						}
					}
				}
			}
		}
	}
	t.Logf("%d patterns with a prefilter (%d by a run), %d matches checked", prefiltered, runs, checked)
	require.Greater(t, runs, 20)
	require.Greater(t, prefiltered, 200)
	require.Greater(t, checked, 1000)
}

// hasRun reports r.n runes of r's class in a row.
func hasRun(r *preRun, rs []rune) bool {
	n := 0
	for _, c := range rs {
		if c < utf8.RuneSelf && r.ascii[c] || c >= utf8.RuneSelf && r.has(c) {
			if n++; n >= r.n {
				return true
			}
			continue
		}
		n = 0
	}
	return false
}

func runesOf(text []byte) ([]rune, []int) {
	var runes []rune
	var r2b []int
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		runes = append(runes, r)
		r2b = append(r2b, i)
		i += n
	}
	return runes, append(r2b, len(text))
}

// TestUserPreOracle: engines of generated user rules find the same matches
// (offsets, fingerprints, confidence, evidence) with the prefilter as over
// the whole chunk, on generated text cut into chunks of random sizes as
// the scanner cuts them (look-behind, owned region, look-ahead), so that
// literals fall on every side of the chunk edges. The generated text is
// dense in literals, so the windows are also kept where they cover most
// of a chunk (userPreAlways), which scanning does not do.
func TestUserPreOracle(t *testing.T) {
	// Not parallel: it keeps a core busy for seconds under -race, which
	// would push the timed tests of user rules (usertimeout_test.go) into
	// their timeouts.
	g := &preGen{r: rand.New(rand.NewPCG(3, 4))}
	total := 0
	for round := range 30 {
		pack := &rules.Pack{Source: "gen.yaml"}
		for i := range 6 {
			pack.Rules = append(pack.Rules, g.genRule(i))
		}
		rs, err := rules.Merge(pack)
		require.NoError(t, err)
		e, err := Compile(rs, Options{HMACKey: []byte("test-key"), AsOf: testAsOf})
		require.NoError(t, err)
		for range 2 {
			text := []byte(g.text(2000 + g.r.IntN(3000)))
			owned := 50 + g.r.IntN(1500)
			want := scanChunks(t, e, text, owned, userPreOff)
			total += len(want)
			for _, mode := range []userPreMode{userPreOn, userPreAlways} {
				got := scanChunks(t, e, text, owned, mode)
				if len(want) != len(got) {
					t.Errorf("round %d, owned %d, mode %d: %d matches over the whole chunk, %d with the prefilter; patterns %q",
						round, owned, mode, len(want), len(got), patternsOf(pack))
				}
				for i := range min(len(want), len(got)) {
					if want[i] != got[i] {
						t.Errorf("round %d, owned %d, mode %d: match %d differs: %+v over the whole chunk, %+v with the prefilter; patterns %q",
							round, owned, mode, i, want[i], got[i], patternsOf(pack))
						break
					}
				}
			}
		}
	}
	t.Logf("%d matches compared", total)
	require.Greater(t, total, 500)
}

// preMatch is what the oracle compares: no value (the fingerprint stands
// for it), so that a failure prints none.
type preMatch struct {
	rule        string
	start, end  int
	fingerprint string
	confidence  float32
	evidence    string
}

// scanChunks scans text in chunks of owned bytes with 256 bytes of
// look-behind and 4 KiB of look-ahead (or, every other chunk, all of the
// text around the owned bytes), with the prefilter in mode.
func scanChunks(t *testing.T, e *Engine, text []byte, owned int, mode userPreMode) []preMatch {
	t.Helper()
	sc := e.NewScanner()
	sc.userPreMode = mode
	var out []preMatch
	for i, off := 0, 0; off < len(text); i, off = i+1, off+owned {
		end := min(off+owned, len(text))
		lo, hi := max(0, off-256), min(len(text), end+4096)
		if i%2 == 1 {
			lo, hi = 0, len(text) // a caller may pass more than the chunk
		}
		c := &collector{}
		require.NoError(t, sc.ScanText(context.Background(), text[lo:hi], off-lo, end-lo, nil, c))
		for _, m := range c.ms {
			out = append(out, preMatch{m.DataType, lo + m.Start, lo + m.End, m.Fingerprint, m.Confidence, m.Evidence})
		}
	}
	return out
}

func patternsOf(p *rules.Pack) []string {
	var out []string
	for _, r := range p.Rules {
		out = append(out, r.Pattern)
	}
	return out
}
