package classifiers

import (
	"regexp/syntax"
	"slices"
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
// class or a case-folded letter expands to its few literals. A pattern
// with no literal may still need a run of one class (\d{8}): then the
// windows go around such runs (a byte-class gate as STYLE.md section 4
// asks for, checked by rune for non-ASCII). The analysis
// errs one way only: a literal set too large, a wide window or a pattern it
// does not understand cost time, never a match.
//
// Written by hand: no Go library derives required literals from a regexp
// (regexp/syntax only gives a prefix; the RE2 and Hyperscan analyses are
// C++), and none reads regexp2's dialect. The search is a bytes.Index per
// literal rather than an Aho-Corasick automaton: a rule has at most
// maxPreLits literals, and the SIMD search costs well under a millisecond
// per 256 KiB chunk where regexp2 costs tens to hundreds, while the ASCII
// folding is one lowered copy of the chunk shared by all rules.
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

const (
	maxPreLits  = 32      // literals in one set
	maxPreClass = 16      // runes of a class expanded into literals
	maxPreRunes = 1 << 16 // longer bounded widths count as unbounded
	// preMargin is the context kept on each side of the candidate starts
	// and ends (three runes at least), so that \b, ^, $ and the rune
	// decoding see in a window what they see in the whole chunk.
	preMargin = 12
	// preDense: more windows than one per preDense bytes of the span
	// cover most of it; the rule then runs over the span at once.
	preDense = 32
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
	a := preAnalyser{negFold: negFold, anyFold: foldsSomewhere(pattern)}
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

// preAnalyser holds what holds for the whole pattern. anyFold is set when
// the pattern turns (?i) on anywhere: Go merges an alternation of single
// runes into one class whose flags are the first branch's (x|(?i)i is a
// case-sensitive [Iix]) and pushes a one-rune class as a case-sensitive
// literal, so any node may then hold folded runes while regexp2 folds
// more (İ): every class and literal is then read as case-insensitive.
type preAnalyser struct{ negFold, anyFold bool }

// classFold reports whether to read a class as case-insensitive.
func (a *preAnalyser) classFold(re *syntax.Regexp) bool {
	return re.Flags&syntax.FoldCase != 0 || a.anyFold
}

func (a *preAnalyser) facts(re *syntax.Regexp) (preFacts, bool) {
	empty := preFacts{exact: []string{""}}
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return empty, true
	case syntax.OpLiteral:
		// A one-rune class is pushed as a case-sensitive literal
		// ((?i)[İ] is İ to Go, i to regexp2): under anyFold every literal
		// is read as case-insensitive too.
		fold := re.Flags&syntax.FoldCase != 0 || a.anyFold
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
	fold := a.classFold(re)
	if !fold || !a.negFold {
		f.unit = re.Rune
		f.run = classRun{ranges: re.Rune, fold: fold, n: 1}
	}
	n := 0
	for i := 0; i < len(re.Rune); i += 2 {
		n += int(re.Rune[i+1]-re.Rune[i]) + 1
		if n > maxPreClass {
			return f
		}
	}
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
