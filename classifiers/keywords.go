package classifiers

// Keyword context: what the words around a validated value say it is.
// Only candidates that passed their checks come here, so none of this runs
// in the pass over the bytes.

// context weighs the signals around a match: keywords within the rule's
// window (outside the match itself), the field's name, and negative keywords
// (order numbers, waybills). It returns the evidence, whether the match
// stands, and its confidence. The evidence is at most two signals: the
// field's name and a keyword.
func (s *Scanner) context(ri *ruleInfo, start, end, lo, hi int, f *Field, strong, needCtx bool) (fieldEv, kwEv string, ok bool, conf float32) {
	conf = ri.conf
	pos := false
	if f != nil && f.hints.has(ri.idx) {
		pos = true
		conf += 0.1
		fieldEv = f.evidence
	}
	if len(ri.keywords) > 0 || len(ri.negatives) > 0 {
		a := max(lo, start-ri.window)
		b := min(hi, end+ri.window)
		if kw, ok := s.keywordAround(ri.keywords, &ri.kwIdx, a, start, end, b); ok {
			pos = true
			conf += 0.1
			kwEv = kw.evidence()
		}
		if !pos {
			neg := f != nil && f.neg.has(ri.idx)
			if !neg && len(ri.negatives) > 0 {
				// A negative label ("订单号", "order no") describes the value
				// right after it: only the bytes just before the match count,
				// and in records only those of the same value (a product
				// code in one column says nothing about the phone in the next).
				nlo := max(lo, start-negWindow)
				if s.spans != nil {
					if i := s.spanAt(start); i >= 0 {
						nlo = max(nlo, s.spans[i].Start)
					}
				}
				_, neg = s.keywordAround(ri.negatives, &ri.negIdx, nlo, start, end, end)
			}
			if neg && !strong {
				return "", "", false, 0
			}
		}
	}
	if (ri.rule.KeywordsRequired || needCtx) && !pos {
		return "", "", false, 0
	}
	if conf > 0.99 {
		conf = 0.99
	}
	return fieldEv, kwEv, true, conf
}

// negWindow is how far before a match negative keywords are looked for.
const negWindow = 32

// keywordAround looks for keywords in buf[a:start] and buf[end:b] (the
// first keyword of the list found before the match, else after it).
func (s *Scanner) keywordAround(kws []keyword, x *kwIndex, a, start, end, b int) (keyword, bool) {
	if len(kws) == 0 {
		return keyword{}, false
	}
	if k := x.find(s.buf[a:start], kws); k >= 0 {
		return kws[k], true
	}
	if k := x.find(s.buf[end:b], kws); k >= 0 {
		return kws[k], true
	}
	return keyword{}, false
}
