package classifiers

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// preRun is a run of at least n runes of a class: ASCII by a table,
// others by the class's ranges (every non-ASCII rune when fold).
type preRun struct {
	n      int
	ascii  [utf8.RuneSelf]bool
	ranges []rune // regexp/syntax pairs lo, hi
	fold   bool
}

// has reports a non-ASCII rune of the class.
func (r *preRun) has(c rune) bool {
	if r.fold {
		return true
	}
	i, _ := slices.BinarySearch(r.ranges, c)
	// ranges holds lo, hi pairs: c is in one when it falls on a lo or hi,
	// or between a lo (even index) and its hi.
	return i < len(r.ranges) && (r.ranges[i] == c || i%2 == 1)
}

// classRun is n runes in a row of the class ranges (fold: under (?i)).
type classRun struct {
	ranges []rune
	fold   bool
	n      int
}

// gate turns a run into a prefilter gate, or nil when runs of its class
// would be everywhere: fewer than four runes, or a class with a space.
func (c classRun) gate() *preRun {
	if c.n < 4 {
		return nil
	}
	g := &preRun{n: c.n, ranges: c.ranges, fold: c.fold}
	for i := 0; i < len(c.ranges); i += 2 {
		for r := c.ranges[i]; r <= c.ranges[i+1] && r < utf8.RuneSelf; r++ {
			g.ascii[r] = true
		}
	}
	if c.fold {
		// Go folds a class to its case orbits, regexp2 lowers: (?i)[İ]
		// holds i for regexp2. Every letter may belong.
		for r := 'A'; r <= 'Z'; r++ {
			g.ascii[r], g.ascii[r+'a'-'A'] = true, true
		}
	}
	if g.ascii[' '] {
		return nil
	}
	return g
}

// longer returns the run with more runes (the first on a tie).
func longer(a, b classRun) classRun {
	if b.n > a.n {
		return b
	}
	return a
}

// foldPreimages are the non-ASCII runes whose unicode.ToLower (what
// regexp2 compares under IgnoreCase) is an ASCII letter: İ and the Kelvin
// sign (TestFoldPreimages checks the list against the Unicode tables).
var foldPreimages = map[rune]string{'i': "\u0130", 'k': "\u212a"}

// foldStrings is what a case-insensitive ASCII letter can be in lowered text.
func foldStrings(l rune) []string {
	if p, ok := foldPreimages[l]; ok {
		return []string{string(l), p}
	}
	return []string{string(l)}
}

// caseless reports a non-ASCII rune that only matches itself under
// regexp2's IgnoreCase: CJK ideographs, kana, hangul and CJK and
// full-width punctuation, which have no case in Go's tables nor in
// regexp2's own table of lower-case ranges (Latin, Greek, Cyrillic, ...,
// Roman numerals, circled and full-width letters). TestCaseless checks
// that no other rune lowers to one.
func caseless(r rune) bool {
	if unicode.ToLower(r) != r || unicode.ToUpper(r) != r || unicode.SimpleFold(r) != r {
		return false
	}
	switch {
	case r >= 0x3000 && r <= 0x303f, r >= 0xff01 && r <= 0xff20, r >= 0xff3b && r <= 0xff40, r >= 0xff5b && r <= 0xff65:
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo)
}

// cross is every concatenation of a string of a with one of b, or nil
// when there would be more than maxPreLits.
func cross(a, b []string) []string {
	if len(a)*len(b) > maxPreLits {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// better returns the more selective of two literal sets: the one whose
// shortest literal is longer, then the one with fewer literals. A set
// with the empty string requires nothing.
func better(a []string, af bool, b []string, bf bool) ([]string, bool) {
	if litScore(b) > litScore(a) {
		return b, bf
	}
	return a, af
}

func litScore(s []string) int {
	if len(s) == 0 {
		return -1
	}
	short := len(s[0])
	for _, x := range s {
		short = min(short, len(x))
	}
	if short == 0 {
		return -1
	}
	return short*(maxPreLits+1) + maxPreLits - len(s)
}

// minimalLits lowers the set when fold, drops duplicates and every
// literal that holds another (finding the shorter one finds it too).
func minimalLits(set []string, fold bool) []string {
	out := make([]string, 0, len(set))
	for _, s := range set {
		if fold {
			s = lowerASCIIString(s)
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b string) int { return len(a) - len(b) })
	keep := out[:0]
	for _, s := range out {
		if !slices.ContainsFunc(keep, func(k string) bool { return strings.Contains(s, k) }) {
			keep = append(keep, s)
		}
	}
	return keep
}

func addMax(a, b int) int {
	if a < 0 || b < 0 || a+b > maxPreRunes {
		return -1
	}
	return a + b
}

func mulMax(a, n int) int {
	switch {
	case a == 0 || n == 0:
		return 0
	case a < 0 || n < 0 || a*n > maxPreRunes:
		return -1
	}
	return a * n
}

func maxOf(a, b int) int {
	if a < 0 || b < 0 {
		return -1
	}
	return max(a, b)
}

// matchBytes marks the bytes a match of re can hold: the ASCII members of
// its literals and classes (both cases of letters under IgnoreCase, and
// every letter for a case-insensitive class, whose folding Go and regexp2
// do differently), and every byte from 0x80 up when a non-ASCII rune can
// match (its UTF-8 bytes, or an invalid byte decoded as U+FFFD).
func (a *preAnalyser) matchBytes(re *syntax.Regexp, set *[256]bool) {
	nonASCII := func() {
		for c := utf8.RuneSelf; c < 256; c++ {
			set[c] = true
		}
	}
	letters := func() {
		for c := 'A'; c <= 'Z'; c++ {
			set[c], set[c+'a'-'A'] = true, true
		}
	}
	fold := re.Flags&syntax.FoldCase != 0 || a.anyFold
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			switch {
			case r >= utf8.RuneSelf:
				nonASCII()
			case fold && isLetter(byte(r)):
				set[r|0x20], set[r&^0x20] = true, true
				nonASCII() // İ, K
			default:
				set[r] = true
			}
		}
	case syntax.OpCharClass:
		wide := false
		for i := 0; i < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			for c := lo; c <= hi && c < utf8.RuneSelf; c++ {
				set[c] = true
				wide = wide || isLetter(byte(c))
			}
			if hi >= utf8.RuneSelf {
				nonASCII()
				wide = true
			}
		}
		if fold && (wide || a.negFold) {
			letters()
			nonASCII()
			if a.negFold {
				for c := range set {
					set[c] = true
				}
			}
		}
	case syntax.OpAnyCharNotNL:
		for c := range set {
			if c != '\n' {
				set[c] = true
			}
		}
	case syntax.OpAnyChar:
		for c := range set {
			set[c] = true
		}
	default:
		for _, sub := range re.Sub {
			a.matchBytes(sub, set)
		}
	}
}
