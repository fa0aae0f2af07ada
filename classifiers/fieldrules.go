package classifiers

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field-value rules judge a whole value by the name of its field: a column
// named 宗教信仰 holding 佛教, a face_embedding key holding 512 floats, a
// 姓名 column holding 张三. The same words in free text are not findings
// (the prose pass needs a value from the dictionary next to a keyword).

// fieldValue classifies the value of span i for rule ri.
func (s *Scanner) fieldValue(ri *ruleInfo, i int, r *recFacts) {
	sp := s.spans[i]
	raw := s.buf[sp.Start:sp.End]
	v := bytes.TrimSpace(raw)
	v = bytes.Trim(v, `"'`)
	if len(v) == 0 {
		return
	}
	start := sp.Start + bytes.Index(raw, v)
	end := start + len(v)
	p := &ri.params
	switch ri.detector {
	case "field_value":
		if len(v) > 4096 || p.empty[strings.ToLower(string(v))] {
			return
		}
		ev := ""
		if !p.anyValue || sp.Field.ancestorOnly.has(ri.idx) {
			if _, ok := p.findTerm(v); !ok {
				return
			}
			// The term is the value itself: evidence names only the signal.
			ev = "dictionary"
		}
		also := ""
		if profiled(sp.Field, ri) {
			also = "companion,column:terms"
		}
		s.canon = append(s.canon[:0], v...)
		s.emit(candidate{ri: ri, start: start, end: end, canon: s.canon, strong: true, evidence: ev, also: also})
	case "biometric_vector":
		canon, ev, ok := biometricValue(v, p.minDims, p.minBytes, s.canon[:0])
		if !ok {
			return
		}
		s.canon = canon
		c := candidate{ri: ri, start: start, end: end, canon: s.canon, strong: true, evidence: ev}
		if !sp.Field.hints.has(ri.idx) {
			c.also = "context:subject" // a ctxRules field: another field names the subject
		}
		s.emit(c)
	case "person_name":
		if !looksLikeName(v) && !(sp.Field != nil && sp.Field.namePart && looksLikeNamePart(v)) {
			return
		}
		s.canon = append(s.canon[:0], v...)
		c := candidate{ri: ri, start: start, end: end, canon: s.canon, strong: true}
		if sp.Field.weakName || profiled(sp.Field, ri) {
			// A bare "name" column, or a positional one whose values read
			// as names (columns.go), may hold products or places: report
			// it only next to other personal data of the same record, and
			// not when it names a team, a company or a place.
			if p.notAName(v) {
				return
			}
			if !s.companion[sp.Record] {
				if sp.Field.weakName && ri == s.e.det[dPersonName] {
					s.waitNames = append(s.waitNames, i)
				}
				return
			}
			c.evidence = "companion"
			if profiled(sp.Field, ri) {
				c.also = "column:names"
			}
		}
		s.emit(c)
	case "cn_address":
		if _, ok := addressSpan(v); ok && len(v) <= 200 {
			s.canon = append(s.canon[:0], v...)
			s.emit(candidate{ri: ri, start: start, end: end, canon: s.canon, strong: true})
		}
	}
}

// findTerm returns the first dictionary term in v (case-insensitive ASCII).
func (p *params) findTerm(v []byte) (keyword, bool) {
	low := v
	if !isLowerASCII(v) {
		low = bytes.ToLower(v)
	}
	for _, t := range p.terms {
		if i := bytes.Index(low, t.b); i >= 0 {
			// ASCII terms must stand as words ("hindu" is not in "hinduja").
			if t.ascii && !wordAt(low, i, len(t.b)) {
				continue
			}
			return t, true
		}
	}
	return keyword{}, false
}

func isLowerASCII(b []byte) bool {
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			return false
		}
	}
	return true
}

// wordAt reports that b[i:i+n] is not glued to letters on either side.
func wordAt(b []byte, i, n int) bool {
	return (i == 0 || !isLetter(b[i-1])) && (i+n >= len(b) || !isLetter(b[i+n]))
}

// biometricValue recognises a biometric feature value: a vector of at least
// minDims numbers ("[0.12, -0.5, ...]", "0.12 -0.5 ...") or a base64 or hex
// blob of at least minBytes bytes. The canonical value is the vector's bytes:
// the numbers as little-endian float32, or the decoded blob, so an
// embedding stored as a JSON array and as base64 of the same floats share a
// fingerprint.
func biometricValue(v []byte, minDims, minBytes int, out []byte) ([]byte, string, bool) {
	if minDims > 0 {
		if out, n, ok := floatVector(v, out); ok && n >= minDims {
			return out, "vector:" + strconv.Itoa(n) + "d", true
		}
	}
	if minBytes > 0 && len(v) >= minBytes {
		if isHex(v) && len(v)%2 == 0 {
			out = append(out[:0], make([]byte, len(v)/2)...)
			if _, err := hex.Decode(out, v); err == nil && len(out) >= minBytes {
				return out, "blob:" + strconv.Itoa(len(out)) + "B", true
			}
		}
		enc := base64.StdEncoding
		if bytes.ContainsAny(v, "-_") {
			enc = base64.URLEncoding
		}
		if !bytes.HasSuffix(v, []byte("=")) && len(v)%4 != 0 {
			enc = enc.WithPadding(base64.NoPadding)
		}
		buf := make([]byte, enc.DecodedLen(len(v)))
		if n, err := enc.Decode(buf, v); err == nil && n >= minBytes {
			return append(out[:0], buf[:n]...), "blob:" + strconv.Itoa(n) + "B", true
		}
	}
	return out, "", false
}

// floatVector parses numbers separated by commas, spaces or semicolons,
// optionally in brackets, and writes them as little-endian float32.
func floatVector(v []byte, out []byte) ([]byte, int, bool) {
	v = bytes.Trim(v, "[]() \t\r\n")
	n := 0
	for len(v) > 0 {
		i := bytes.IndexAny(v, ", ;\t\r\n")
		tok := v
		if i >= 0 {
			tok, v = v[:i], v[i+1:]
		} else {
			v = nil
		}
		if len(tok) == 0 {
			continue
		}
		f, err := strconv.ParseFloat(string(tok), 32)
		if err != nil || math.IsNaN(f) {
			return out, 0, false
		}
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(f)))
		n++
	}
	return out, n, n > 0
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !(isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f') {
			return false
		}
	}
	return true
}

// looksLikeNamePart reports one part of a name, as a first_name or
// last_name column holds it: a capitalized Latin word ("Wei", "O'Brien",
// "José"), or one to three Han characters (a surname is not required: 小明).
func looksLikeNamePart(v []byte) bool {
	if len(v) > 40 {
		return false
	}
	if r, _ := utf8.DecodeRune(v); r >= utf8.RuneSelf && !isLatinLetter(r) {
		n := utf8.RuneCount(v)
		if n < 1 || n > 3 {
			return false
		}
		for _, r := range string(v) {
			if !isHanRune(r) {
				return false
			}
		}
		return true
	}
	return latinNameWord(string(v))
}

// looksLikeName accepts a Chinese name (two to four Han characters starting
// with a common surname, optionally with a middle dot for transliterated
// names) or a Latin name (two or three words of letters, each capitalised,
// or all upper case; letters with diacritics count: José García).
func looksLikeName(v []byte) bool {
	if len(v) > 64 {
		return false
	}
	if r, _ := utf8.DecodeRune(v); r >= utf8.RuneSelf && !isLatinLetter(r) {
		if dottedHanName(v) {
			return true
		}
		n := utf8.RuneCount(v)
		if n < 2 || n > 4 {
			return false
		}
		for _, r := range string(v) {
			if !isHanRune(r) && r != '·' {
				return false
			}
		}
		return isSurname(string(v))
	}
	words := strings.Fields(string(v))
	if len(words) < 2 || len(words) > 3 {
		return false
	}
	for _, w := range words {
		if !latinNameWord(w) {
			return false
		}
	}
	return true
}

// dottedHanName accepts a transliterated name: two to four parts of two
// to six Han characters joined by middle dots (库尔班·依明, 艾克拜尔·玉素甫,
// 阿卜杜拉·买买提·吐尔逊), as Uyghur, Kazakh, Tibetan and foreign names are
// written in Chinese. Such names have no surname to check.
func dottedHanName(v []byte) bool {
	parts, n := 1, 0
	for _, r := range string(v) {
		switch {
		case isNameDot(r):
			if n < 2 {
				return false
			}
			parts, n = parts+1, 0
		case isHanRune(r):
			if n++; n > 6 {
				return false
			}
		default:
			return false
		}
	}
	return parts >= 2 && parts <= 4 && n >= 2
}

// latinNameWord reports a capitalised word of at least two Latin letters,
// apostrophes and hyphens: Li, O'Brien, Jean-Luc, Müller, Łukasz.
func latinNameWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	r, size := utf8.DecodeRuneInString(w)
	if !isLatinUpper(r) {
		return false
	}
	for _, r := range w[size:] {
		if !isLatinLetter(r) && r != '\'' && r != '-' {
			return false
		}
	}
	return true
}

// isLatinLetter reports a letter of Basic Latin, the Latin-1 Supplement
// (À-ÿ but for × and ÷) or Latin Extended-A (Ā-ſ).
func isLatinLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return isLetter(byte(r))
	}
	return r >= 0xc0 && r <= 0x17f && r != 0xd7 && r != 0xf7
}

func isLatinUpper(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'A' && r <= 'Z'
	}
	return isLatinLetter(r) && unicode.IsUpper(r)
}

// notAName reports a value that names an organisation, a team or a place
// rather than a person (Support Team, Main Street, 万达广场): an ASCII word
// of the rule's not_name_words as a whole word, or a Chinese one as the end
// of the value.
func (p *params) notAName(v []byte) bool {
	for _, t := range p.notName {
		if !t.ascii {
			if bytes.HasSuffix(v, t.b) {
				return true
			}
			continue
		}
		for w := range bytes.FieldsSeq(v) {
			w = bytes.TrimRight(w, ".,")
			if len(w) == len(t.b) && equalFold(w, t.b) {
				return true
			}
		}
	}
	return false
}
