package classifiers

import "bytes"

// Keyword context: what the words around a validated value say it is.
// Only candidates that passed their checks come here, so none of this runs
// in the pass over the bytes.

// context weighs the signals around a match: keywords within the rule's
// window (outside the match itself), the field's name, and negative labels
// (order numbers, waybills). It returns the evidence, whether the match
// stands, and its confidence. The evidence is at most two signals: the
// field's name and a keyword.
//
// A negative label says what the value is: "订单号 6222…", "trace id
// 4111…", a column named order_id. Then only a keyword nearer to the value
// than the label makes it the rule's after all: between the label and the
// value ("订单 20261 已支付，卡号 6222…"), or for a field so named inside
// the value itself. A keyword further away, or after the value, belongs to
// another value ("订单号 6222… 已用银行卡支付", a card number on the next
// line). A field hint (card_no) wins over both, and strong candidates (a
// resident ID's date and MOD 11-2) cannot be vetoed.
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
		labelled := false
		if !pos && !strong && len(ri.negatives) > 0 {
			var la, lb int
			if labelled, la, lb = s.negativeLabel(ri, start, end, lo, hi, f); labelled {
				a, b = min(max(a, la), start), max(min(b, lb), end)
			}
		}
		if kw, ok := s.keywordAround(ri.keywords, &ri.kwIdx, a, start, end, b); ok {
			pos = true
			conf += 0.1
			kwEv = kw.evidence()
		} else if labelled {
			return "", "", false, 0
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

// negativeLabel reports whether the value buf[start:end] is labelled by one
// of the rule's negative keywords, and where a keyword must then be to
// overrule the label: [a, b), which may be empty.
//
// A label in text describes the value right after it: it is looked for in
// the negWindow bytes before the match, within the same clause (see
// clauseEnd) and, in records, the same value (a product code in one column
// says nothing about the phone in the next). Then only a keyword after the
// label counts. A field whose last key has a negative keyword (order_id,
// $.order.ref_no) labels all its values; a keyword inside the value still
// counts, and one anywhere in the record when only an ancestor key has the
// word.
func (s *Scanner) negativeLabel(ri *ruleInfo, start, end, lo, hi int, f *Field) (labelled bool, a, b int) {
	vlo, vhi := lo, hi // the value's bounds
	if s.spans != nil {
		if i := s.spanAt(start); i >= 0 {
			vlo, vhi = s.spans[i].Start, s.spans[i].End
		}
	}
	nlo := max(vlo, start-negWindow)
	if _, ne := ri.negIdx.last(s.buf[nlo:start], ri.negatives); ne >= 0 && !clauseEnd(s.buf[nlo+ne:start]) {
		return true, nlo + ne, start
	}
	if f != nil && f.neg.has(ri.idx) {
		if f.negOwn.has(ri.idx) {
			return true, vlo, vhi
		}
		// Only an ancestor has the word ($.order.note): the object is an
		// order's, the value need not be its number, and a keyword anywhere
		// in the record still counts.
		return true, lo, hi
	}
	return false, 0, 0
}

// clauseEnd reports whether text, the bytes between a label and a value,
// ends the label's clause: a Chinese full stop, semicolon, exclamation or
// question mark, or a line break, unless the label ends its line and the
// value starts the next ("订单号：\n6222…", a form's cell): "订单号 123
// 已发货\n6222…" labels the 123, and a header line ("姓名 手机 订单号\n张三
// 138…") the columns below it, not a value. Narrower than the prose pass's
// clauseBreak: a comma goes on a list of labelled ids ("订单号：A，B"), and
// ASCII '.', ';', '?' and '!' are as often parts of abbreviations ("Order
// no."), URLs ("/order?id=") and key=value lists.
func clauseEnd(text []byte) bool {
	digits := false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case isDigit(c):
			digits = true
		case c == '\n':
			if digits || len(bytes.TrimLeft(text[i+1:], " \t\r")) > 0 {
				return true
			}
		case c == 0xE3 && i+2 < len(text) && text[i+1] == 0x80 && text[i+2] == 0x82: // 。
			return true
		case c == 0xEF && i+2 < len(text) && text[i+1] == 0xBC:
			switch text[i+2] {
			case 0x9B, 0x81, 0x9F: // ；！？
				return true
			}
		}
	}
	return false
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
