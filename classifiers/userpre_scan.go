package classifiers

import (
	"bytes"
	"cmp"
	"slices"
	"unicode/utf8"
)

// userPreMode lets tests turn the prefilter off, or keep its windows when
// they cover most of the chunk, to compare the ways of scanning.
type userPreMode int8

const (
	userPreOn userPreMode = iota
	userPreOff
	userPreAlways
)

// preWindow is a span of buf the pattern runs on: lo..hi is the text it
// sees, first..last the starts it may report a match at.
type preWindow struct{ lo, hi, first, last int }

// userPrefiltered runs ri's pattern as userWindow(ri, a, b) would, with the
// same matches, but only on windows around the occurrences of its
// prefilter's literals in buf[a:b] (or around the runs of its class, which
// play the part of the literal below: a match holds n runes of the run).
//
// Why the matches are the same: regexp2 reports, from where the search
// goes on, the match at the first start where the pattern matches, and a
// match at start p depends only on the text from p to its end plus the
// runes either side (\b, ^, $; patterns that look further are not
// prefiltered). Every match holds a literal occurrence at h, so it starts
// in [h+len-width, h] (or, for an unbounded pattern, where the run of
// inMatch bytes around h begins) and ends before h+width (the run's end).
// A window holds those starts with preMargin bytes of context beyond the
// furthest end, so each start in it gives the match the whole span
// would; the starts no window holds give none. Windows that overlap are
// merged, so the matches of one never overlap the next one's starts, and
// a match found past a window's last start is left to the chunk's text
// (it is found again by the window that holds it, or was never one).
func (s *Scanner) userPrefiltered(ri *ruleInfo, a, b int) {
	p := ri.pre
	text, off := s.buf, 0
	if p.fold {
		text, off = s.userLower()
	}
	lastStart := min(b, s.own1) - 1 // later starts are not this chunk's
	wins := s.pwins[:0]
	runLo, runHi := -1, -1 // the inMatch run of the last hit, unbounded patterns
	// hit adds the window of a match that holds at least k bytes of
	// buf[hs:he] (a literal: all of them): it starts at he-k at the latest
	// and ends at hs+k at the earliest.
	hit := func(hs, he, k int) {
		var w preWindow
		w.last = min(he-k, lastStart)
		if p.width >= 0 {
			w.first = max(a, hs+k-p.width)
			w.hi = min(b, he-k+p.width+preMargin)
		} else {
			if hs >= runHi {
				runLo, runHi = s.inMatchRun(p.inMatch, a, b, hs, he)
			}
			w.first = runLo
			w.hi = min(b, runHi+preMargin)
		}
		if w.first > w.last {
			return
		}
		w.lo = s.runeStartBefore(a, max(a, w.first-preMargin))
		wins = append(wins, w)
	}
	// A hit every few bytes (a digit of [0-9]{2}, in a table of numbers)
	// makes windows over most of the span: stop counting them.
	tooMany := func() bool { return len(wins) > (b-a)/preDense && s.userPreMode != userPreAlways }
	for _, lit := range p.lits {
		runLo, runHi = -1, -1
		for from := a; from < b; {
			j := bytes.Index(text[from-off:b-off], lit)
			if j < 0 {
				break
			}
			h := from + j
			from = h + 1 // occurrences may overlap ("aa" in "aaa")
			hit(h, h+len(lit), len(lit))
			if tooMany() {
				s.pwins = wins
				s.userWindow(ri, a, b)
				return
			}
		}
	}
	if p.run != nil {
		s.classRuns(p.run, a, b, hit)
	}
	s.pwins = wins
	if len(wins) == 0 {
		return
	}
	slices.SortFunc(wins, func(x, y preWindow) int { return cmp.Compare(x.lo, y.lo) })
	merged := wins[:1]
	covered := 0
	for _, w := range wins[1:] {
		cur := &merged[len(merged)-1]
		if w.lo <= cur.hi {
			cur.hi = max(cur.hi, w.hi)
			cur.first = min(cur.first, w.first)
			cur.last = max(cur.last, w.last)
			continue
		}
		covered += cur.hi - cur.lo
		merged = append(merged, w)
	}
	covered += merged[len(merged)-1].hi - merged[len(merged)-1].lo
	// Windows over most of the span save nothing: run it whole, once.
	if 2*covered > b-a && s.userPreMode != userPreAlways {
		s.userWindow(ri, a, b)
		return
	}
	for _, w := range merged {
		s.userSpan(ri, w.lo, w.hi, w.first, w.last)
	}
}

// classRuns calls hit for each run of at least r.n runes of r's class in
// buf[a:b], decoding runes as userSpan does. A run of n runes is n bytes
// long at least.
func (s *Scanner) classRuns(r *preRun, a, b int, hit func(hs, he, k int)) {
	n, rs := 0, a
	for i := a; i < b; {
		c, w := rune(s.buf[i]), 1
		in := false
		if c < utf8.RuneSelf {
			in = r.ascii[c]
		} else {
			c, w = utf8.DecodeRune(s.buf[i:b])
			in = r.has(c)
		}
		switch {
		case in && n == 0:
			n, rs = 1, i
		case in:
			n++
		default:
			if n >= r.n {
				hit(rs, i, r.n)
			}
			n = 0
		}
		i += w
	}
	if n >= r.n {
		hit(rs, b, r.n)
	}
}

// inMatchRun returns the run of bytes in set around the literal at
// buf[h:e], within [a, b).
func (s *Scanner) inMatchRun(set *[256]bool, a, b, h, e int) (int, int) {
	lo := h
	for lo > a && set[s.buf[lo-1]] {
		lo--
	}
	hi := e
	for hi < b && set[s.buf[hi]] {
		hi++
	}
	return lo, hi
}

// runeStartBefore moves i back to where a rune starts, as decoding from a
// sees it: a byte that is not a continuation byte, or i itself when none
// of the three bytes before it starts a rune (then i is a stray
// continuation byte, decoded alone).
func (s *Scanner) runeStartBefore(a, i int) int {
	for j := i; j >= a && j > i-utf8.UTFMax; j-- {
		if utf8.RuneStart(s.buf[j]) {
			return j
		}
	}
	return i
}
