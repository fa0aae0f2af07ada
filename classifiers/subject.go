package classifiers

import (
	"bytes"
	"unicode/utf8"
)

// Values said of a person. In prose a category value needs one of its
// rule's keywords nearby (prose.go), but "他是回族人" has none: the person
// and the copula before the value say as much. A rule's subject_phrases
// (他是, 本人系, 该员工为) count as that context when the value follows one
// directly, after an optional measure word (一名), and the value is followed
// by the end of its clause, after an optional word for a person (人, 同胞)
// or 的. So "他是回族聚居区的代表", "他是水族馆的员工" and
// "他是白族的研究专家" say nothing of his ethnicity, nor do "回族人民", a
// question ("他是回族吗") or a condition ("如果他是回族").
//
// The phrases start with the commonest characters of Chinese (他, 我, 是),
// so they are not prose keywords the pass looks for (that cost more than
// half the engine's time on news text): the pass flags the value's last
// character instead, one of the rule's subject_value_ends (族, rare in
// text), and the phrase is read backwards from the value.

// subjectEnd is a character that ends the values of a rule read after a
// subject phrase.
type subjectEnd struct {
	ch []byte
	ri *ruleInfo
}

var (
	// subjectMeasure: a measure word between the copula and the value.
	subjectMeasure = [][]byte{[]byte("一名"), []byte("一位"), []byte("一个"), []byte("个"), []byte("名"), []byte("位")}
	// subjectSuffix: a word for a person after the value, or 的.
	subjectSuffix = [][]byte{
		[]byte("同胞"), []byte("干部"), []byte("姑娘"), []byte("小伙"), []byte("青年"), []byte("老人"), []byte("女孩"),
		[]byte("男孩"), []byte("学生"), []byte("妇女"), []byte("男子"), []byte("女子"), []byte("同志"), []byte("后代"),
		[]byte("后裔"), []byte("人士"), []byte("人"), []byte("的"),
	}
	// subjectNotAfter: characters that make the subject part of another
	// word (其他是 "the others are", 吉他是 "the guitar is").
	subjectNotAfter = [][]byte{[]byte("其"), []byte("吉")}
	// subjectHypothetical: earlier in the clause, a condition or a
	// question, not a statement (如果他是回族, 不知道他是不是).
	subjectHypothetical = [][]byte{
		[]byte("如果"), []byte("假如"), []byte("假设"), []byte("要是"), []byte("若"), []byte("是否"), []byte("无论"),
		[]byte("不管"), []byte("不论"), []byte("即使"), []byte("哪怕"), []byte("不知"),
	}
)

// subjectTerms reports the values that end at the characters the pass
// flagged (s.subjHits) and follow a subject phrase.
func (s *Scanner) subjectTerms() {
	for _, at := range s.subjHits {
		for _, se := range s.e.subjectEnds {
			if bytes.HasPrefix(s.buf[at:], se.ch) {
				s.subjectTerm(se.ri, at+len(se.ch))
			}
		}
	}
}

// subjectTerm reports a dictionary term of ri that ends at end, if a
// subject phrase is right before it.
func (s *Scanner) subjectTerm(ri *ruleInfo, end int) {
	buf := s.buf
	lo, hi := 0, len(buf)
	if s.spans != nil {
		i := s.spanAt(end - 1)
		if i < 0 {
			return
		}
		lo, hi = s.spans[i].Start, s.spans[i].End
	}
	// Terms come longest first: 维吾尔族 before a shorter term inside it.
	var t *keyword
	for k := range ri.params.terms {
		if bytes.HasSuffix(buf[lo:end], ri.params.terms[k].b) {
			t = &ri.params.terms[k]
			break
		}
	}
	if t == nil {
		return
	}
	start := end - len(t.b)
	q := start
	for _, w := range subjectMeasure {
		if bytes.HasSuffix(buf[lo:q], w) {
			q -= len(w)
			break
		}
	}
	var phrase []byte
	for _, p := range ri.params.subjects {
		if bytes.HasSuffix(buf[lo:q], p) {
			phrase = p
			break
		}
	}
	if phrase == nil {
		return
	}
	kw := q - len(phrase)
	for _, w := range subjectNotAfter {
		if bytes.HasSuffix(buf[lo:kw], w) {
			return
		}
	}
	after := end
	for _, w := range subjectSuffix {
		if bytes.HasPrefix(buf[after:hi], w) {
			after += len(w)
			break
		}
	}
	if !clauseStop(buf[:hi], after) || s.hypothetical(kw, lo) {
		return
	}
	if s.inValueRuleField(start, ri) || s.seenAt(ri, start, end) || s.generic(start, end) {
		return
	}
	s.canon = append(s.canon[:0], buf[start:end]...)
	s.emit(candidate{ri: ri, start: start, end: end, canon: s.canon, evidence: "dictionary", also: "keyword:" + string(phrase), prose: true})
}

// clauseStop reports whether the clause ends at buf[i]: the end of the
// text or value, a clause break or closing mark other than a question
// mark, or an ASCII byte that is neither a letter, a digit nor '?'.
func clauseStop(buf []byte, i int) bool {
	if i >= len(buf) {
		return true
	}
	if c := buf[i]; c < utf8.RuneSelf {
		return c != '?' && !isAlnum(c)
	}
	if i+3 > len(buf) {
		return false
	}
	switch string(buf[i : i+3]) {
	case "，", "。", "；", "！", "、", "：", "）", "”", "」":
		return true
	}
	return false
}

// hypothetical reports whether the clause before a subject phrase at kw
// (not read before lo) makes it a condition or a question.
func (s *Scanner) hypothetical(kw, lo int) bool {
	c0 := max(lo, kw-genericClause)
	for i := kw - 1; i >= c0; i-- {
		if clauseBreak(s.buf, c0, i) > 0 {
			c0 = i + 1
			break
		}
	}
	for _, w := range subjectHypothetical {
		if bytes.Contains(s.buf[c0:kw], w) {
			return true
		}
	}
	return false
}
