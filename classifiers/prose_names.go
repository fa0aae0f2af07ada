package classifiers

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Names in free text. There is no dictionary of given names to look
// for, so a name counts only where the text itself says it is one:
//
//   - after a name label (姓名：魏振华, 持卡人：王若曦, 收货人高婷，): labelledName;
//   - before a gender in parentheses or a table cell (吴永刚（男，42岁）,
//     张文博 | 男 | 32岁): the rule's after_labels, nameBefore;
//   - at the start of a line, a list item or a chat message, right before
//     an identity document or a mobile number of its holder (任艳
//     110101200105301904, 韦梦瑶，护照号码 E42597570): idHolders.
//
// Each reads the name as a name column's value is read (looksLikeName): a
// common surname and two to four Han characters, a transliterated name
// joined by middle dots (库尔班·依明), or two or three capitalised words.

// nameLabel handles a hit of a person_name keyword at pos.
func (s *Scanner) nameLabel(ri *ruleInfo, kw keyword, pos int) {
	if ri.params.afterLabels[kw.text] {
		end := pos + len(kw.b)
		if end < len(s.buf) {
			// The gender ends there: 男， 男） 男 |, not 男士 or 女装.
			if r, _ := utf8.DecodeRune(s.buf[end:]); isHanRune(r) || isLatinLetter(r) || r < utf8.RuneSelf && isDigit(byte(r)) {
				return
			}
		}
		s.nameBefore(ri, pos, kw.evidence())
		return
	}
	s.labelledName(ri, kw, pos+len(kw.b))
}

// labelledName reads a name right after a name label (the person_name
// rule's keywords: 姓名, 持卡人, 收货人, 联系人 ...) that ends at p in free
// text: "姓名：魏振华", "持卡人：王若曦", "联系人：徐淑珍（女儿）", "英文名 Chan
// Wai Kit", "**患者**：吴永刚". The label is followed by a colon (spaces or
// Markdown's bold marks around it) or by spaces, then by a Chinese name
// ending there or a Latin one ending at a line, two spaces or punctuation.
// "联系人电话" and "姓名：请填写" are none. A glued_labels label may be
// followed by the name directly (收货人高婷，), when the name ends at
// punctuation or a space.
func (s *Scanner) labelledName(ri *ruleInfo, kw keyword, p int) {
	buf := s.buf
	end := len(buf)
	if s.spans != nil {
		i := s.spanAt(p)
		if i < 0 || p >= s.spans[i].End {
			return
		}
		end = s.spans[i].End
	}
	q := skipBold(buf, skipBlank(buf, p, end), end)
	switch {
	case q < end && buf[q] == ':':
		q++
	case hasFullColon(buf[q:end]):
		q += 3
	case q == p:
		if !ri.params.gluedLabels[kw.text] || !hanBoundary(buf, p-len(kw.b)) {
			return // neither a colon nor a space: 联系人电话, 用户名相同
		}
		v1, ok := hanRun(buf, q, end)
		if !ok || v1 == q || v1 < end && (buf[v1] == ':' || hasFullColon(buf[v1:end])) {
			return // 收货人信息：
		}
		if v := buf[q:v1]; utf8.RuneCount(v) > 3 || ri.params.notNames[string(v)] || hasFunctionChar(v) {
			return // 收货人和电话, 持卡人姓名
		}
		s.emitName(ri, q, v1, "label", kw.evidence())
		return
	}
	q = skipBlank(buf, skipBold(buf, q, end), end)
	if q >= end {
		return
	}
	v0, v1 := q, q
	if r, _ := utf8.DecodeRune(buf[q:end]); isHanRune(r) {
		var ok bool
		if v1, ok = hanRun(buf, q, end); !ok {
			return
		}
	} else {
		v1 = latinWords(buf, q, end)
	}
	s.emitName(ri, v0, v1, "label", kw.evidence())
}

// emitName reports buf[v0:v1] as a person's name when it reads as one.
func (s *Scanner) emitName(ri *ruleInfo, v0, v1 int, ev, also string) {
	v := s.buf[v0:v1]
	if !looksLikeName(v) || ri.params.notAName(v) || ri.params.notNames[string(v)] || placeName(v) || s.inValueRuleField(v0, ri) || s.seenAt(ri, v0, v1) {
		return
	}
	s.canon = append(s.canon[:0], v...)
	s.emit(candidate{ri: ri, start: v0, end: v1, canon: s.canon, evidence: ev, also: also, prose: true})
}

// nameBefore reads a Chinese name that ends right before at (spaces
// between): "吴永刚（男", "张文博  | 男". The name must start its value, its
// line, or follow a character that is not Han.
func (s *Scanner) nameBefore(ri *ruleInfo, at int, ev string) {
	lo, ok := s.valueStart(at)
	if !ok {
		return
	}
	q := at
	for q > lo && (s.buf[q-1] == ' ' || s.buf[q-1] == '\t' || s.buf[q-1] == '|') {
		q--
	}
	v0, ok := hanRunBack(s.buf, lo, q)
	if !ok {
		return
	}
	s.emitName(ri, v0, q, "gender", ev)
}

// valueStart returns where the value holding p starts: its span's start
// in records, the buffer's in text.
func (s *Scanner) valueStart(p int) (int, bool) {
	if s.spans == nil {
		return 0, true
	}
	i := s.spanAt(p)
	if i < 0 {
		return 0, false
	}
	return s.spans[i].Start, true
}

// idHolders looks for the holder's name right before each identity
// document or mobile number found in this call (s.idAt), at the start of a
// line, a list item, a value or a chat message: "任艳 110101200105301904",
// "蒋丹，450103196707114200", "- 韦梦瑶，护照号码 E42597570", "访客: 曹娟 身份证
// 230103198310227862". Mid-sentence words before a number (司机 138…, 宁波
// 138…) are not names, so the start of the line is required.
func (s *Scanner) idHolders() {
	ri := s.e.det[dPersonName]
	if ri == nil {
		return
	}
	buf := s.buf
	for _, p := range s.idAt {
		lo, ok := s.valueStart(p)
		if !ok {
			continue
		}
		q := sepBack(buf, lo, p, true)
		sep := q < p
		r0, ok := hanBack(buf, lo, q, 16, 16)
		if !ok || r0 == q {
			continue
		}
		name0, name1 := r0, q
		if n := docLabelSuffix(buf[r0:q]); n > 0 {
			// "护照号码 E42597570": the holder comes before the label, a
			// space or a comma between ("本人身份证", "那填护照" are none).
			if q-n != r0 {
				continue
			}
			if name1 = sepBack(buf, lo, r0, false); name1 == r0 {
				continue
			}
			if name0, ok = hanRunBack(buf, lo, name1); !ok {
				continue
			}
		} else if !sep {
			continue // glued: 编号110101…
		}
		if name1-name0 < 6 || !holderStart(buf, lo, name0) {
			continue
		}
		s.emitName(ri, name0, name1, "holder", "")
	}
}

// holderStart reports that a name at p starts its value, its line (after
// indentation and a list mark: "- ", "1. ", "（1）"), or a chat message
// ("访客: ", "李姐 09:50\n" puts it at a line start).
func holderStart(buf []byte, lo, p int) bool {
	q := blankBack(buf, lo, p)
	if q == lo || buf[q-1] == '\n' || buf[q-1] == '\r' || buf[q-1] == ':' || buf[q-1] == '|' || q >= 3 && isFullColon(buf[q-3:q]) {
		return true
	}
	// A list mark: -, *, •, a number and a dot or 、.
	switch c := buf[q-1]; {
	case c == '-' || c == '*' || c == '.':
		q--
		for q > lo && isDigit(buf[q-1]) {
			q--
		}
	case q >= 3 && (string(buf[q-3:q]) == "、" || string(buf[q-3:q]) == "•"):
		q -= 3
		for q > lo && isDigit(buf[q-1]) {
			q--
		}
	default:
		return false
	}
	q = blankBack(buf, lo, q)
	return q == lo || buf[q-1] == '\n' || buf[q-1] == '\r'
}

// docLabels name a document or a number right before it; the holder's name
// comes before them.
var docLabels = [][]byte{
	[]byte("身份证号码"), []byte("身份证号"), []byte("身份证"), []byte("身份證"), []byte("身分證字號"), []byte("身分證"),
	[]byte("证件号码"), []byte("证件号"), []byte("护照号码"), []byte("护照号"), []byte("护照"), []byte("護照"),
	[]byte("通行证"), []byte("通行證"), []byte("台胞证"), []byte("回乡证"),
	[]byte("手机号码"), []byte("手机号"), []byte("手机"), []byte("手機"), []byte("电话"), []byte("電話"),
}

// docLabelSuffix returns the length of the document label that ends v, or 0.
func docLabelSuffix(v []byte) int {
	for _, l := range docLabels {
		if bytes.HasSuffix(v, l) {
			return len(l)
		}
	}
	return 0
}

// sepBack skips back from q over what may part a holder's name from what
// follows it: blanks, ',' and ':', then a full-width comma. Right before
// the document (atID) a full-width colon may stand too, with blanks before
// it: "曹娟 ：110101…".
func sepBack(buf []byte, lo, q int, atID bool) int {
	for q > lo && isHolderSep(buf[q-1]) {
		q--
	}
	if q-3 >= lo && (isFullComma(buf[q-3:q]) || atID && isFullColon(buf[q-3:q])) {
		q -= 3
		if atID {
			q = blankBack(buf, lo, q)
		}
	}
	return q
}

// blankBack skips back from q over spaces and tabs.
func blankBack(buf []byte, lo, q int) int {
	for q > lo && (buf[q-1] == ' ' || buf[q-1] == '\t') {
		q--
	}
	return q
}

func isHolderSep(c byte) bool { return c == ' ' || c == '\t' || c == ',' || c == ':' }

func isFullColon(b []byte) bool { return b[0] == 0xEF && b[1] == 0xBC && b[2] == 0x9A } // ：
func isFullComma(b []byte) bool { return b[0] == 0xEF && b[1] == 0xBC && b[2] == 0x8C } // ，

func hasFullColon(b []byte) bool { return len(b) >= 3 && isFullColon(b) }

// hanBoundary reports that no Han character ends at p: a label there is a
// word of its own (户名 in 用户名 is not).
func hanBoundary(buf []byte, p int) bool {
	r, _ := utf8.DecodeLastRune(buf[:p])
	return p == 0 || !isHanRune(r)
}

// isNameDot reports the middle dots of transliterated names.
func isNameDot(r rune) bool { return r == '·' || r == '•' || r == '・' }

// hanRun reads a name's Han characters from q: at most four, or a
// transliterated name's parts (up to 20 characters with middle dots). It
// reports false when the run goes on past that: a phrase, not a name.
func hanRun(buf []byte, q, end int) (int, bool) {
	v1, n, dots := q, 0, 0
	for v1 < end {
		r, w := utf8.DecodeRune(buf[v1:end])
		if !isHanRune(r) && !isNameDot(r) {
			break
		}
		if isNameDot(r) {
			dots++
		}
		v1 += w
		if n++; n > 4 && (dots == 0 || n > 20) {
			return v1, false
		}
	}
	return v1, true
}

// hanRunBack reads a name's Han characters back from q, as hanRun does
// forward, and reports false when the run goes on before them or starts
// before lo.
func hanRunBack(buf []byte, lo, q int) (int, bool) { return hanBack(buf, lo, q, 4, 20) }

// hanBack reads back from q over Han characters and middle dots, and
// reports false past plain characters, or past dotted ones when the run
// has a middle dot: hanRunBack's name, or with 16 and 16 a name and a
// document label (曹娟身份证).
func hanBack(buf []byte, lo, q, plain, dotted int) (int, bool) {
	v0, n, dots := q, 0, 0
	for v0 > lo {
		r, w := utf8.DecodeLastRune(buf[lo:v0])
		if !isHanRune(r) && !isNameDot(r) {
			break
		}
		if isNameDot(r) {
			dots++
		}
		v0 -= w
		if n++; n > plain && (dots == 0 || n > dotted) {
			return v0, false
		}
	}
	return v0, true
}

// latinWords reads up to four words of Latin letters from q, so that
// looksLikeName turns down a longer phrase rather than take its first
// three.
func latinWords(buf []byte, q, end int) int {
	v1, words := q, 0
	for v1 < end && words < 4 {
		w := v1
		for w < end {
			r, n := utf8.DecodeRune(buf[w:end])
			if !isLatinLetter(r) && r != '\'' && r != '-' {
				break
			}
			w += n
		}
		if w == v1 {
			break
		}
		v1, words = w, words+1
		if v1+1 < end && buf[v1] == ' ' && buf[v1+1] != ' ' {
			if r, _ := utf8.DecodeRune(buf[v1+1 : end]); isLatinLetter(r) {
				v1++
				continue
			}
		}
		break
	}
	return v1
}

func skipBlank(buf []byte, q, end int) int {
	for q < end && (buf[q] == ' ' || buf[q] == '\t') {
		q++
	}
	return q
}

// skipBold skips Markdown's emphasis marks (**患者**：).
func skipBold(buf []byte, q, end int) int {
	for q < end && (buf[q] == '*' || buf[q] == '_') {
		q++
	}
	return q
}

// functionChars are characters of grammar and of field words that a
// short name glued to its label does not hold: 收货人和电话, 联系人信息.
const functionChars = "的和及与或在是为由请须需将已未不被对电话地址信息方式单位号码证件姓名"

func hasFunctionChar(v []byte) bool {
	_, w := utf8.DecodeRune(v)
	for _, r := range string(v[w:]) {
		if strings.ContainsRune(functionChars, r) {
			return true
		}
	}
	return false
}

// placeName reports a value that starts with a province's name (江苏,
// 吉林, 宁夏 all start with a surname).
func placeName(v []byte) bool {
	for _, p := range provinces {
		if strings.HasPrefix(string(v), p) {
			return true
		}
	}
	return false
}
