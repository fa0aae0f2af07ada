package classifiers

import "bytes"

// Keyword context: what the words around a validated value say it is.
// Only candidates that passed their checks come here, so none of this runs
// in the pass over the bytes.

// context weighs the signals around a match: keywords within the rule's
// window (outside the match itself), the field's name, and negative labels
// (order numbers, waybills). It returns the evidence, whether the match
// stands, and its confidence. The evidence is at most two signals: the
// field's name and a keyword (the first of the rule's list found before the
// match, else after it).
//
// A negative label says what the value is: "订单号 6222…", "trace id
// 4111…", a column named order_id. Then only a keyword nearer to the value
// than the label makes it the rule's after all: between the label and the
// value ("订单 20261 已支付，卡号 6222…"), or for a field so named inside
// the value itself. A keyword further away, or after the value, belongs to
// another value ("订单号 6222… 已用银行卡支付", a card number on the next
// line). A field hint (card_no) wins over both, and strong candidates (a
// resident ID's date and MOD 11-2) cannot be vetoed.
//
// A label in text is looked for in the negWindow bytes before the match,
// within its clause (clauseEnd) and, in records, its value (a product code
// in one column says nothing about the phone in the next). A field whose
// last key has a negative keyword (order_id, $.order.ref_no) keeps the
// keywords that count to the value itself; one on an ancestor key only
// ($.order.note: the object is an order's, the value need not be its
// number) lets a keyword anywhere in the record count, as any field does.
func (s *Scanner) context(ri *ruleInfo, start, end int, bd bounds, f *Field, strong, needCtx bool) (fieldEv, kwEv string, ok bool, conf float32) {
	conf = ri.conf
	pos := false
	if f != nil && f.hints.has(ri.idx) {
		pos = true
		conf += 0.1
		fieldEv = f.evidence
	}
	if len(ri.keywords) > 0 || len(ri.negatives) > 0 {
		veto := !pos && !strong && len(ri.negatives) > 0
		fneg := veto && f != nil && f.neg.has(ri.idx)
		lo, hi := bd.lo, bd.hi
		if fneg && f.negOwn.has(ri.idx) {
			lo, hi = bd.vlo, bd.vhi
		}
		a, b := max(lo, start-ri.window), min(hi, end+ri.window)
		k := ri.kwIdx.find(s.buf[a:start], ri.keywords)
		if k >= 0 {
			// A keyword before the value: a label between the nearest
			// one and the value is nearer still.
			if veto {
				_, pe := ri.kwIdx.last(s.buf[a:start], ri.keywords)
				if s.labelBefore(ri, max(a+pe, bd.vlo), start) {
					return "", "", false, 0
				}
			}
		} else {
			if veto && s.labelBefore(ri, bd.vlo, start) {
				return "", "", false, 0
			}
			if k = ri.kwIdx.find(s.buf[end:b], ri.keywords); k < 0 && fneg {
				return "", "", false, 0
			}
		}
		if k >= 0 {
			pos = true
			conf += 0.1
			kwEv = ri.keywords[k].evidence()
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

// bounds are where a match's context may be read: its record (the whole
// window, for text) and its value.
type bounds struct{ lo, hi, vlo, vhi int }

// labelBefore reports a negative keyword of ri in the clause just before
// buf[start], at most negWindow bytes back and not before from.
func (s *Scanner) labelBefore(ri *ruleInfo, from, start int) bool {
	nlo := max(from, start-negWindow)
	if nlo >= start {
		return false
	}
	_, ne := ri.negIdx.last(s.buf[nlo:start], ri.negatives)
	return ne >= 0 && !clauseEnd(s.buf[nlo+ne:start])
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
