package classifiers

import "bytes"

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
		if ri.detector == "person_name" {
			s.nameLabel(ri, r.kw, pos)
			return
		}
		if ri.params.leads[r.kw.text] {
			s.leadTerm(ri, pos+len(r.kw.b))
			return
		}
		a, b := s.windowBounds(pos, pos+len(r.kw.b), ri.window)
		if e := s.listScope(pos + len(r.kw.b)); e > b {
			b = e
		}
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

// listScope returns the end of the list that a keyword ending its line
// heads ("### 诊断" or "出院诊断：" and then "1. 慢性肾脏病5期", "2. 肾病综合征",
// ...), or -1: the keyword names every item of the list, however far its
// window reaches. Items start with a number and a dot, 、 or a parenthesis,
// or with -, * or •; one blank line may come before the first. The list
// ends at the first other line, at listReach bytes, or at its record's end.
func (s *Scanner) listScope(p int) int {
	buf := s.buf
	_, hi := s.windowBounds(p, p, listReach)
	q := p
	for q < hi && (buf[q] == ' ' || buf[q] == '\t' || buf[q] == ':' || buf[q] == '*' || buf[q] == '#') {
		q++
	}
	if q+2 < hi && isFullColon(buf[q:q+3]) {
		q += 3
	}
	if q < hi && buf[q] == '\r' {
		q++
	}
	if q >= hi || buf[q] != '\n' {
		return -1
	}
	end, blank := -1, 0
	for q < hi && buf[q] == '\n' {
		line := q + 1
		eol := bytes.IndexByte(buf[line:hi], '\n')
		if eol < 0 {
			eol = hi
		} else {
			eol += line
		}
		if item := listItem(buf[line:eol]); item {
			end, blank = eol, 0
		} else if end < 0 && blank == 0 && len(bytes.TrimSpace(buf[line:eol])) == 0 {
			blank++
		} else {
			break
		}
		q = eol
	}
	return end
}

// listReach is how far a list headed by a keyword may go.
const listReach = 4 << 10

// listItem reports a line that starts (after indentation) with a list
// mark: "1. ", "2、", "(3)", "（4）", "- ", "* ", "• ".
func listItem(line []byte) bool {
	line = bytes.TrimLeft(line, " \t")
	if len(line) == 0 {
		return false
	}
	switch {
	case line[0] == '-' || line[0] == '*':
		return len(line) > 1 && line[1] == ' '
	case bytes.HasPrefix(line, []byte("•")):
		return true
	case line[0] == '(' || bytes.HasPrefix(line, []byte("（")):
		return true
	}
	i := 0
	for i < len(line) && i < 3 && isDigit(line[i]) {
		i++
	}
	if i == 0 || i == len(line) {
		return false
	}
	return line[i] == '.' || line[i] == ')' || bytes.HasPrefix(line[i:], []byte("、")) || bytes.HasPrefix(line[i:], []byte("）"))
}

// leadTerm reports a dictionary term of ri that starts at p, right after
// one of its lead_phrases: "我是穆斯林", "我信佛教的", "我婆婆有哮喘". The
// phrase says whose the value is, so no keyword is needed, but the value
// must follow it at once: "我是来买佛教用品的" is none.
func (s *Scanner) leadTerm(ri *ruleInfo, p int) {
	_, end := s.windowBounds(p, p, 128)
	for _, t := range ri.params.terms {
		if p+len(t.b) > end || !hasPrefixFold(s.buf[p:end], t.b) {
			continue
		}
		if t.ascii && !wordAt(s.buf, p, len(t.b)) || s.inValueRuleField(p, ri) || s.seenAt(ri, p, p+len(t.b)) || s.generic(p, p+len(t.b)) {
			return
		}
		s.canon = append(s.canon[:0], s.buf[p:p+len(t.b)]...)
		s.emit(candidate{ri: ri, start: p, end: p + len(t.b), canon: s.canon, evidence: "dictionary", also: "subject", prose: true})
		return
	}
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
			if s.inValueRuleField(at, ri) || s.seenAt(ri, at, at+len(t.b)) || s.generic(at, at+len(t.b)) || s.negated(ri, at) {
				continue
			}
			s.canon = append(s.canon[:0], s.buf[at:at+len(t.b)]...)
			s.emit(candidate{ri: ri, start: at, end: at + len(t.b), canon: s.canon, evidence: "dictionary", also: ev, prose: true})
		}
	}
}

// seenAt records a term's range for its rule, so that overlapping keyword
// windows report it once, and a shorter term inside it (肝炎 in 乙型肝炎) not
// at all. Other rules may report the same range (a user rule's believer
// and the built-in religious_belief).
func (s *Scanner) seenAt(ri *ruleInfo, a, b int) bool {
	for _, q := range s.seen {
		if a < q[1] && q[0] < b && q[2] == ri.idx {
			return true
		}
	}
	s.seen = append(s.seen, [3]int{a, b, ri.idx})
	return false
}

// Phrases that make a category value in free text a statement about
// people in general, not about a person: job requirements (招聘要求：中共党员
// 优先, 申请人须为中共党员), drug labels (糖尿病患者慎用) and medical
// literature (糖尿病的诊断标准). They are ASCII lower case or UTF-8.
var (
	// genericAfter: right after the value, past an optional genericWho.
	genericAfter = [][]byte{
		[]byte("优先"), []byte("慎用"), []byte("禁用"), []byte("忌用"), []byte("不宜"), []byte("不得"), []byte("除外"),
		[]byte("诊断标准"), []byte("的诊断标准"), []byte("防治"), []byte("的防治"), []byte("的预防"),
		[]byte(" preferred"), []byte(" is preferred"), []byte(" are preferred"), []byte(" required"), []byte(" is required"),
	}
	// genericWho: who the phrase is about ("糖尿病患者慎用", "党员者优先").
	genericWho = [][]byte{[]byte("患者"), []byte("病人"), []byte("人群"), []byte("人员"), []byte("人士"), []byte("者"), []byte(" patients"), []byte(" candidates")}
	// genericMass: anywhere in the value's clause, statements about
	// a population (据统计，我国糖尿病患者超过1亿人; 汉族人口占91%).
	genericMass = [][]byte{
		[]byte("我国"), []byte("全国"), []byte("全省"), []byte("全市"), []byte("全球"), []byte("世界"), []byte("统计"),
		[]byte("人口"), []byte("万名"), []byte("万人"), []byte("亿人"), []byte("发病率"), []byte("患病率"), []byte("死亡率"),
		[]byte("patients"), []byte("people with"), []byte("population"), []byte("prevalence"), []byte("worldwide"),
	}
	// genericBefore: earlier in the value's clause.
	genericBefore = [][]byte{
		[]byte("招聘"), []byte("要求："), []byte("要求:"), []byte("条件："), []byte("条件:"), []byte("须为"), []byte("须是"),
		[]byte("必须是"), []byte("仅限"), []byte("限于"), []byte("适用于"), []byte("本品"),
		[]byte("requirement"), []byte("must be"), []byte("applicants"),
	}
)

// genericClause is how far back the clause of a value is searched.
const genericClause = 48

// generic reports whether the value buf[a:b] is named in a general
// statement (see genericAfter), within its record's value when scanning
// records.
func (s *Scanner) generic(a, b int) bool {
	buf := s.buf
	lo, hi := s.clauseWindow(a, b)
	after := buf[b:hi]
	for _, w := range genericWho {
		if hasPrefixFold(after, w) {
			after = after[len(w):]
			break
		}
	}
	for _, p := range genericAfter {
		if hasPrefixFold(after, p) {
			return true
		}
	}
	// The clause: back to the last clause break and on to the next.
	c0 := clauseStart(buf, lo, a)
	c1 := hi
	for i := b; i < hi; i++ {
		if n := clauseBreak(buf, b, i); n > 0 {
			c1 = i + 1 - n
			break
		}
	}
	before := buf[c0:a]
	for _, p := range genericBefore {
		if indexFold(before, p) >= 0 {
			return true
		}
	}
	for _, p := range genericMass {
		if indexFold(before, p) >= 0 || indexFold(buf[b:c1], p) >= 0 {
			return true
		}
	}
	return false
}

// Negation. A medical record lists what the patient does not have as
// often as what they have: 否认肝炎、结核等传染病史 (denies a history of
// hepatitis and tuberculosis), 无高血压、糖尿病史, 未见异常, "denies
// chest pain", "negative for HIV". A term after a negation in its clause
// says the person is free of it, and is no finding; the clause's other
// terms and the record's other values still are.
var (
	// negCues: anywhere before the term in its clause.
	negCues = [][]byte{
		[]byte("否认"), []byte("排除"), []byte("未见"), []byte("未发现"), []byte("未诉"), []byte("未曾"), []byte("不伴"), []byte("无明确"),
		[]byte("denies"), []byte("denied"), []byte("no history of"), []byte("no known"), []byte("negative for"),
		[]byte("ruled out"), []byte("rule out"), []byte("free of"),
	}
	// negNo (无, 没有, no): right before the term, or before a list of
	// the rule's terms that leads to it (无高血压、糖尿病史), since 无 also
	// starts clauses about something else (无明显诱因出现胸痛: chest pain
	// without an obvious cause).
	negNo = [][]byte{[]byte("无"), []byte("没有"), []byte("no ")}
	// negJoin: what may stand between the terms of such a list.
	negJoin = [][]byte{[]byte("、"), []byte("，"), []byte("及"), []byte("和"), []byte("或"), []byte("/"), []byte(", "), []byte(" or "), []byte(" and "), []byte(" ")}
)

// negated reports a term of ri at a that its clause negates.
func (s *Scanner) negated(ri *ruleInfo, a int) bool {
	buf := s.buf
	lo, _ := s.clauseWindow(a, a)
	before := buf[clauseStart(buf, lo, a):a]
	for _, p := range negCues {
		if indexFold(before, p) >= 0 {
			return true
		}
	}
	for _, p := range negNo {
		if k := lastIndexFold(before, p); k >= 0 && termList(ri, before[k+len(p):]) {
			return true
		}
	}
	return false
}

// termList reports whether gap is empty or a list of ri's terms, each
// followed by a negJoin.
func termList(ri *ruleInfo, gap []byte) bool {
	for len(gap) > 0 {
		n := 0
		for _, j := range negJoin {
			if hasPrefixFold(gap, j) {
				n = len(j)
				break
			}
		}
		if n == 0 {
			for _, t := range ri.params.terms {
				if len(t.b) > n && hasPrefixFold(gap, t.b) {
					n = len(t.b)
				}
			}
		}
		if n == 0 {
			return false
		}
		gap = gap[n:]
	}
	return true
}

// lastIndexFold is the last index of lower in b, folding ASCII case, or -1.
func lastIndexFold(b, lower []byte) int {
	for i := len(b) - len(lower); i >= 0; i-- {
		if equalFold(b[i:i+len(lower)], lower) {
			return i
		}
	}
	return -1
}

// clauseWindow returns how far around the value buf[a:b] its clause is
// looked for: genericClause bytes each way, within its record's value when
// scanning records.
func (s *Scanner) clauseWindow(a, b int) (lo, hi int) {
	lo, hi = max(0, a-genericClause), min(len(s.buf), b+genericClause)
	if s.spans != nil {
		if i := s.spanAt(a); i >= 0 {
			lo, hi = max(lo, s.spans[i].Start), min(hi, s.spans[i].End)
		}
	}
	return lo, hi
}

// clauseStart returns where the clause holding buf[a] starts: after the
// last clause break before a, not before lo.
func clauseStart(buf []byte, lo, a int) int {
	for i := a - 1; i >= lo; i-- {
		if clauseBreak(buf, lo, i) > 0 {
			return i + 1
		}
	}
	return lo
}

// clauseBreak reports whether buf[i] is the last byte of a clause break
// (，。；！？, a line break, ';', '!', '?', or ',' before a space or at
// the end), not reading before lo; it returns the break's length, or 0.
func clauseBreak(buf []byte, lo, i int) int {
	switch c := buf[i]; c {
	case '\n', ';', '!', '?':
		return 1
	case ',':
		if i+1 == len(buf) || buf[i+1] == ' ' {
			return 1
		}
	case 0x8c, 0x9b, 0x81, 0x9f: // ，；！？
		if i-2 >= lo && buf[i-2] == 0xef && buf[i-1] == 0xbc {
			return 3
		}
	case 0x82: // 。
		if i-2 >= lo && buf[i-2] == 0xe3 && buf[i-1] == 0x80 {
			return 3
		}
	}
	return 0
}

// hasPrefixFold reports whether b starts with lower, folding ASCII case.
func hasPrefixFold(b, lower []byte) bool {
	return len(b) >= len(lower) && equalFold(b[:len(lower)], lower)
}
