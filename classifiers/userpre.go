package classifiers

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// userPre is a user pattern's prefilter: literals every match contains
// and a bound on where a match can lie around one, so that a rule whose
// keywords are optional (or that has none) runs regexp2 only on windows
// around the literals instead of over the whole chunk (see userPrefiltered).
//
// It is derived at compile time from the pattern parsed by Go's
// regexp/syntax (after goSyntax), in the spirit of RE2's and Hyperscan's
// literal prefilters: a concatenation requires the best literal set of any
// of its parts, an alternation the union of its branches' sets (none if a
// branch has none), a repetition at least once its child's, and a small
// class or a case-folded letter expands to its few literals. The analysis
// errs one way only: a literal set too large, a wide window or a pattern it
// does not understand cost time, never a match.
//
// Written by hand: no Go library derives required literals from a
// regexp (regexp/syntax only gives a prefix), and the search itself is a
// bytes.Index per literal, since a rule has at most maxPreLits of them and
// the SIMD search costs well under a millisecond per 256 KiB chunk where
// regexp2 costs tens to hundreds.
type userPre struct {
	lits [][]byte // every match contains one of these (ASCII lower case when fold)
	fold bool     // search lits in the ASCII-lowered text
	// width bounds a match in bytes; -1 when the pattern is unbounded, and
	// then a match lies within a run of the bytes in inMatch.
	width   int
	inMatch *[256]bool
	// run, for a pattern without literals, is a run of runes of one class
	// every match holds (the eight digits of \b[A-Z]{2}\d{8}\b).
	run *preRun
}

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

const (
	maxPreLits  = 32      // literals in one set
	maxPreClass = 16      // runes of a class expanded into literals
	maxPreRunes = 1 << 16 // longer bounded widths count as unbounded
	// preMargin is the context kept on each side of the candidate starts
	// and ends (three runes at least), so that \b, ^, $ and the rune
	// decoding see in a window what they see in the whole chunk.
	preMargin = 12
)

// newUserPre analyses pattern; nil means no prefilter (whole chunk).
func newUserPre(pattern string) *userPre {
	g, negFold, ok := goSyntax(pattern)
	if !ok {
		return nil
	}
	re, err := syntax.Parse(g, syntax.Perl)
	if err != nil {
		return nil
	}
	a := preAnalyser{negFold: negFold}
	f, ok := a.facts(re)
	if !ok {
		return nil
	}
	set, fold := f.required()
	var run *preRun
	if set == nil {
		if run = f.run.gate(); run == nil {
			return nil
		}
	}
	p := &userPre{fold: fold, width: -1, run: run}
	if f.max >= 0 {
		p.width = utf8.UTFMax * f.max
	} else {
		p.inMatch = new([256]bool)
		a.matchBytes(re, p.inMatch)
		if !slices.Contains(p.inMatch[:], false) {
			return nil // unbounded and any byte may be part of a match
		}
	}
	for _, s := range minimalLits(set, fold) {
		p.lits = append(p.lits, []byte(s))
	}
	return p
}

// preFacts describes what a node of the pattern matches.
type preFacts struct {
	// exact, when not nil, lists every string the node can match (ASCII
	// lower case where exactFold says a part was case-insensitive).
	exact     []string
	exactFold bool
	// req, when not nil, holds strings one of which every match contains.
	req      []string
	reqFold  bool
	min, max int // in runes; max -1 is unbounded
	// run is the longest run of one class every match holds; unit, when
	// not nil, is the class every rune the node matches belongs to
	// (\d{2,5}), so that neighbours of one class join into a run.
	run  classRun
	unit []rune
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

// required is the node's best literal set: req, or exact when it has no
// empty string.
func (f preFacts) required() ([]string, bool) {
	if f.exact != nil {
		if slices.Contains(f.exact, "") || len(f.exact) == 0 {
			return nil, false
		}
		return f.exact, f.exactFold
	}
	return f.req, f.reqFold
}

type preAnalyser struct{ negFold bool }

func (a *preAnalyser) facts(re *syntax.Regexp) (preFacts, bool) {
	empty := preFacts{exact: []string{""}}
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return empty, true
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		parts := make([]preFacts, len(re.Rune))
		for i, r := range re.Rune {
			parts[i] = runeFacts(r, fold)
		}
		return concatFacts(parts), true
	case syntax.OpCharClass:
		return a.classFacts(re), true
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return preFacts{min: 1, max: 1}, true
	case syntax.OpCapture:
		return a.facts(re.Sub[0])
	case syntax.OpConcat:
		parts := make([]preFacts, len(re.Sub))
		for i, sub := range re.Sub {
			f, ok := a.facts(sub)
			if !ok {
				return f, false
			}
			parts[i] = f
		}
		return concatFacts(parts), true
	case syntax.OpAlternate:
		return a.alternateFacts(re.Sub)
	case syntax.OpQuest:
		return a.repeatFacts(re.Sub[0], 0, 1)
	case syntax.OpStar:
		return a.repeatFacts(re.Sub[0], 0, -1)
	case syntax.OpPlus:
		return a.repeatFacts(re.Sub[0], 1, -1)
	case syntax.OpRepeat:
		return a.repeatFacts(re.Sub[0], re.Min, re.Max)
	}
	return preFacts{}, false // OpNoMatch and anything new
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

// runeFacts describes one literal rune.
func runeFacts(r rune, fold bool) preFacts {
	f := preFacts{min: 1, max: 1}
	switch {
	case r == utf8.RuneError:
		// Invalid bytes in the text decode to U+FFFD too.
	case !fold || (r < utf8.RuneSelf && !isLetter(byte(r))) || (r >= utf8.RuneSelf && caseless(r)):
		f.exact = []string{string(r)}
	case r < utf8.RuneSelf:
		f.exact, f.exactFold = foldStrings(unicode.ToLower(r)), true
	}
	return f
}

// classFacts expands a small class into its runes.
func (a *preAnalyser) classFacts(re *syntax.Regexp) preFacts {
	f := preFacts{min: 1, max: 1}
	if re.Flags&syntax.FoldCase == 0 || !a.negFold {
		f.unit = re.Rune
		f.run = classRun{ranges: re.Rune, fold: re.Flags&syntax.FoldCase != 0, n: 1}
	}
	n := 0
	for i := 0; i < len(re.Rune); i += 2 {
		n += int(re.Rune[i+1]-re.Rune[i]) + 1
		if n > maxPreClass {
			return f
		}
	}
	fold := re.Flags&syntax.FoldCase != 0
	if fold && a.negFold {
		return f
	}
	var set []string
	for i := 0; i < len(re.Rune); i += 2 {
		for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
			switch l := unicode.ToLower(r); {
			case r == utf8.RuneError:
				return f
			case !fold || (r < utf8.RuneSelf && !isLetter(byte(r))):
				set = append(set, string(r))
			case l < utf8.RuneSelf && isLetter(byte(l)):
				// An ASCII letter, or İ and K which lower to one.
				set = append(set, foldStrings(l)...)
			case r >= utf8.RuneSelf && caseless(r):
				set = append(set, string(r))
			default:
				return f
			}
		}
	}
	slices.Sort(set)
	f.exact, f.exactFold = slices.Compact(set), fold
	return f
}

// concatFacts combines the facts of consecutive parts: exact sets multiply
// while they stay small, and the best set of any part is required.
func concatFacts(parts []preFacts) preFacts {
	var out preFacts
	cur, curFold := []string{""}, false // exact strings of the current run of parts
	var best []string
	bestFold, allExact := false, true
	var joined classRun // the run of the current unit class across parts
	for _, p := range parts {
		out.min += p.min
		out.max = addMax(out.max, p.max)
		out.run = longer(out.run, p.run)
		switch {
		case p.unit != nil && slices.Equal(p.unit, joined.ranges) && p.run.fold == joined.fold:
			joined.n += p.min
		case p.unit != nil:
			joined = classRun{ranges: p.unit, fold: p.run.fold, n: p.min}
		case p.max == 0:
			// an assertion or an empty group keeps the run going
		default:
			joined = classRun{}
		}
		out.run = longer(out.run, joined)
		if p.exact != nil {
			if x := cross(cur, p.exact); x != nil {
				cur, curFold = x, curFold || p.exactFold
				continue
			}
			best, bestFold = better(best, bestFold, cur, curFold)
			cur, curFold, allExact = p.exact, p.exactFold, false
			continue
		}
		allExact = false
		best, bestFold = better(best, bestFold, cur, curFold)
		r, rf := p.required()
		best, bestFold = better(best, bestFold, r, rf)
		cur, curFold = []string{""}, false
	}
	if allExact {
		out.exact, out.exactFold = cur, curFold
		return out
	}
	out.req, out.reqFold = better(best, bestFold, cur, curFold)
	return out
}

func (a *preAnalyser) alternateFacts(subs []*syntax.Regexp) (preFacts, bool) {
	var out preFacts
	allExact := true
	var exact, req []string
	reqOK := true
	for i, sub := range subs {
		f, ok := a.facts(sub)
		if !ok {
			return f, false
		}
		if i == 0 {
			out.min, out.max = f.min, f.max
		} else {
			out.min = min(out.min, f.min)
			out.max = maxOf(out.max, f.max)
		}
		if f.exact == nil {
			allExact = false
		} else {
			exact = append(exact, f.exact...)
			out.exactFold = out.exactFold || f.exactFold
		}
		if r, rf := f.required(); r == nil {
			reqOK = false
		} else if reqOK {
			req = append(req, r...)
			out.reqFold = out.reqFold || rf
		}
	}
	if allExact && len(exact) <= maxPreLits {
		slices.Sort(exact)
		out.exact = slices.Compact(exact)
		return out, true
	}
	if reqOK && len(req) <= maxPreLits {
		out.req = req
	}
	return out, true
}

// repeatFacts describes sub{lo,hi} (hi -1: no upper bound).
func (a *preAnalyser) repeatFacts(sub *syntax.Regexp, lo, hi int) (preFacts, bool) {
	f, ok := a.facts(sub)
	if !ok {
		return f, false
	}
	out := preFacts{min: lo * f.min, max: mulMax(f.max, hi)}
	if out.min > maxPreRunes {
		out.min = maxPreRunes
	}
	switch {
	case f.unit != nil:
		out.unit = f.unit
		out.run = classRun{ranges: f.unit, fold: f.run.fold, n: out.min}
	case lo > 0:
		out.run = f.run
	}
	switch {
	case hi == 0:
		out.exact = []string{""}
	case lo == 0 && hi == 1 && f.exact != nil:
		if !slices.Contains(f.exact, "") {
			out.exact = append([]string{""}, f.exact...)
		} else {
			out.exact = f.exact
		}
		out.exactFold = f.exactFold
	case lo == 0:
	case lo == hi && f.exact != nil:
		x := []string{""}
		for range lo {
			if x = cross(x, f.exact); x == nil {
				break
			}
		}
		if x != nil {
			out.exact, out.exactFold = x, f.exactFold
			return out, true
		}
		fallthrough
	default:
		out.req, out.reqFold = f.required()
	}
	return out, true
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
	fold := re.Flags&syntax.FoldCase != 0
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
