package classifiers

// The prose pass: a category value (佛教, 糖尿病, 中共党员) counts in free
// text only next to one of its rule's keywords (信仰, 诊断, 政治面貌): "a
// practising Catholic" is a finding, "Catholic architecture" and the word
// "religion" alone are not.

// prose finds dictionary values of the prose rules near their keywords:
// the keyword candidates of the fused pass, plus those in the look-behind,
// whose keywords give context to values in the owned region.
func (s *Scanner) prose() {
	set := s.e.proseSet
	reach := 0
	for _, ri := range s.e.proseRules {
		reach = max(reach, ri.window)
	}
	s.seen = s.seen[:0]
	found := func(pos int, r kwRef) {
		if s.spans != nil && s.spanAt(pos) < 0 {
			return // between the values of records: a key or a separator
		}
		ri := s.e.proseRules[r.rule]
		a, b := s.windowBounds(pos, pos+len(r.kw.b), ri.window)
		s.termsIn(ri, a, b, r.kw.evidence())
	}
	set.each(s.buf, max(0, s.own0-reach), s.own0-1, found)
	for _, p := range s.kwHits {
		set.at(s.buf, p, found)
	}
}

// windowBounds clips a keyword window to the buffer, and to the record when
// scanning records, so one record's keyword says nothing about the next.
func (s *Scanner) windowBounds(start, end, w int) (int, int) {
	a, b := max(0, start-w), min(len(s.buf), end+w)
	if s.spans != nil {
		if i := s.spanAt(start); i >= 0 {
			lo, hi := s.recordBounds(i)
			a, b = max(a, lo), min(b, hi)
		}
	}
	return a, b
}

// termsIn reports every dictionary term of ri found in buf[a:b].
func (s *Scanner) termsIn(ri *ruleInfo, a, b int, ev string) {
	for _, t := range ri.params.terms {
		for from := a; from < b; {
			i := indexFold(s.buf[from:b], t.b)
			if i < 0 {
				break
			}
			at := from + i
			from = at + len(t.b)
			if t.ascii && !wordAt(s.buf, at, len(t.b)) {
				continue
			}
			if s.inValueRuleField(at, ri) || s.seenAt(at, at+len(t.b)) {
				continue
			}
			s.canon = append(s.canon[:0], s.buf[at:at+len(t.b)]...)
			s.emit(candidate{ri: ri, start: at, end: at + len(t.b), canon: s.canon, evidence: "dictionary", also: ev, prose: true})
		}
	}
}

// seenAt records a term's range so that overlapping keyword windows report
// it once, and a shorter term inside it (肝炎 in 乙型肝炎) not at all.
func (s *Scanner) seenAt(a, b int) bool {
	for _, q := range s.seen {
		if a < q[1] && q[0] < b {
			return true
		}
	}
	s.seen = append(s.seen, [2]int{a, b})
	return false
}
