package classifiers

import (
	"bytes"
	"unicode/utf8"
)

// runUser runs the user rules (regexp2 patterns). A rule with keywords and
// no field hints only looks at windows around keyword hits in the owned
// region; otherwise it scans the whole owned region. Each window is turned
// into runes once, since regexp2 matches runes, and rune positions are
// mapped back to byte offsets.
func (s *Scanner) runUser() error {
	for _, ri := range s.e.user {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		// A rule that needs a keyword runs only around its keywords; one
		// whose keywords are optional (they raise confidence) runs over
		// the whole chunk, as DESIGN.md section 5 says.
		if ri.rule.KeywordsRequired && len(ri.keywords) > 0 && len(ri.fieldToks) == 0 && !s.fieldHinted(ri) {
			s.userNearKeywords(ri)
			continue
		}
		s.userWindow(ri, max(0, s.own0-256), min(len(s.buf), s.own1+ri.rule.EffectiveMaxLen()))
	}
	return nil
}

// fieldHinted reports whether the text's field or a span's field names this rule.
func (s *Scanner) fieldHinted(ri *ruleInfo) bool {
	if s.textField != nil && s.textField.hints.has(ri.idx) {
		return true
	}
	for i := range s.spans {
		if f := s.spans[i].Field; f != nil && f.hints.has(ri.idx) {
			return true
		}
	}
	return false
}

// userNearKeywords finds the rule's keywords in the owned region and runs
// the pattern on merged windows around them.
func (s *Scanner) userNearKeywords(ri *ruleInfo) {
	reach := ri.window + ri.rule.EffectiveMaxLen()
	lo := max(0, s.own0-reach)
	hi := min(len(s.buf), s.own1+reach)
	low := append([]byte(nil), s.buf[lo:hi]...)
	lowerASCII(low, low)
	var wins [][2]int
	for _, k := range ri.keywords {
		from := 0
		for {
			j := bytes.Index(low[from:], k.b)
			if j < 0 {
				break
			}
			at := lo + from + j
			wins = append(wins, [2]int{max(lo, at-reach), min(hi, at+len(k.b)+reach)})
			from += j + len(k.b)
		}
	}
	if len(wins) == 0 {
		return
	}
	// Merge overlapping windows so a match is tried once.
	sortWindows(wins)
	cur := wins[0]
	for _, w := range wins[1:] {
		if w[0] <= cur[1] {
			cur[1] = max(cur[1], w[1])
			continue
		}
		s.userWindow(ri, cur[0], cur[1])
		cur = w
	}
	s.userWindow(ri, cur[0], cur[1])
}

func sortWindows(w [][2]int) {
	for i := 1; i < len(w); i++ {
		for j := i; j > 0 && w[j][0] < w[j-1][0]; j-- {
			w[j], w[j-1] = w[j-1], w[j]
		}
	}
}

// userWindow runs one pattern over buf[a:b].
func (s *Scanner) userWindow(ri *ruleInfo, a, b int) {
	s.runes = s.runes[:0]
	s.r2b = s.r2b[:0]
	for i := a; i < b; {
		r, n := utf8.DecodeRune(s.buf[i:b])
		s.runes = append(s.runes, r)
		s.r2b = append(s.r2b, i)
		i += n
	}
	s.r2b = append(s.r2b, b)
	m, err := ri.re.FindRunesMatch(s.runes)
	for err == nil && m != nil {
		start := s.r2b[m.Index]
		end := s.r2b[m.Index+m.Length]
		if start >= s.own1 {
			break
		}
		val := s.buf[start:end]
		s.stats.Candidates++
		if end > start && (ri.validator == nil || ri.validator(val)) {
			s.canon = append(s.canon[:0], val...)
			s.emit(candidate{ri: ri, start: start, end: end, canon: s.canon, strong: ri.validator != nil})
		}
		m, err = ri.re.FindNextMatch(m)
	}
	if err != nil {
		s.stats.Timeouts++
	}
}
