package classifiers

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/piiscan/piiscan/rules"
)

// keyword is a context word, lower-cased (ASCII only, so byte offsets of the
// text it is compared with stay valid).
type keyword struct {
	b     []byte
	text  string
	ev    string // "keyword:" + text
	ascii bool
	// value: the keyword is also a sensitive value (残疾, 犯罪记录 are both
	// context for one rule and dictionary values of another), so evidence
	// names it only as "keyword": the text it matched is the data.
	value bool
}

// evidence is how a keyword hit is named in a finding's evidence.
func (k keyword) evidence() string {
	if k.value {
		return "keyword"
	}
	return k.ev
}

func newKeyword(s string) keyword {
	b := []byte(s)
	lowerASCII(b, b)
	return keyword{b: b, text: s, ev: "keyword:" + s, ascii: isASCII(b)}
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerASCII writes src lower-cased (ASCII letters only) into dst.
func lowerASCII(dst, src []byte) {
	for i, c := range src {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
	}
}

func isLetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }

// kwIndex groups a rule's keywords by their first byte, so that the text
// around a match is read once, whatever the number of keywords, and in
// place: no lower-cased copy, no search per keyword.
type kwIndex struct {
	first  [256]uint8 // byte (either case) -> 1 + group; 0: no keyword starts with it
	groups [][]int32  // indices into the keyword list, ascending
	// second[g] has bit c set when a keyword of group g goes on with byte
	// c (either case), or is one byte long: a filter that spares the
	// group's comparisons after a common first byte (the lead byte of
	// most CJK characters, an ASCII letter).
	second [][4]uint64
}

func newKwIndex(kws []keyword) kwIndex {
	var x kwIndex
	for i, k := range kws {
		c := k.b[0] // keywords are lower-cased and never empty (rules.Validate)
		g := x.first[c]
		if g == 0 {
			x.groups = append(x.groups, nil)
			x.second = append(x.second, [4]uint64{})
			g = uint8(len(x.groups))
			for _, v := range caseVariants(c) {
				x.first[v] = g
			}
		}
		x.groups[g-1] = append(x.groups[g-1], int32(i))
		sec := &x.second[g-1]
		if len(k.b) == 1 {
			*sec = [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
			continue
		}
		for _, v := range caseVariants(k.b[1]) {
			sec[v>>6] |= 1 << (v & 63)
		}
	}
	return x
}

// find returns the index of the first keyword of kws (in list order) that
// occurs in text, or -1. Text is compared with ASCII letters folded to lower
// case. An ASCII keyword must start a word ("mobile" but not "automobile")
// and, when it is three letters or fewer, also end one ("ip" but not "zip"
// or "ship").
func (x *kwIndex) find(text []byte, kws []keyword) int {
	best := len(kws)
	for j, c := range text {
		g := x.first[c]
		if g == 0 {
			continue
		}
		if j+1 < len(text) {
			if c1 := text[j+1]; x.second[g-1][c1>>6]>>(c1&63)&1 == 0 {
				continue
			}
		}
		for _, ki := range x.groups[g-1] {
			if int(ki) >= best {
				break
			}
			k := kws[ki].b
			end := j + len(k)
			if end > len(text) || !equalFold(text[j:end], k) {
				continue
			}
			if kws[ki].ascii && !keywordAt(text, j, end) {
				continue
			}
			best = int(ki)
			if best == 0 {
				return 0
			}
			break
		}
	}
	if best == len(kws) {
		return -1
	}
	return best
}

// keywordAt reports whether the ASCII keyword found at text[j:end] is a word
// there: no letter before it, unless it starts a camelCase hump
// ("reqNonce", "userPhone"), and, when it has three letters or fewer, no
// letter after it ("id" is not in "idle").
func keywordAt(text []byte, j, end int) bool {
	if j > 0 && isLetter(text[j-1]) && !(isUpper(text[j]) && !isUpper(text[j-1])) {
		return false
	}
	return end-j > 3 || end == len(text) || !isLetter(text[end])
}

// last returns the start and end of the keyword occurrence in text that
// starts last (the longest keyword, of those starting there), or -1, -1.
// Words are matched as in find. A label is read from the value backwards,
// so the nearest one is found first.
func (x *kwIndex) last(text []byte, kws []keyword) (start, end int) {
	for j := len(text) - 1; j >= 0; j-- {
		g := x.first[text[j]]
		if g == 0 {
			continue
		}
		if j+1 < len(text) {
			if c1 := text[j+1]; x.second[g-1][c1>>6]>>(c1&63)&1 == 0 {
				continue
			}
		}
		end = -1
		for _, ki := range x.groups[g-1] {
			k := kws[ki].b
			e := j + len(k)
			if e <= end || e > len(text) || !equalFold(text[j:e], k) {
				continue
			}
			if kws[ki].ascii && !keywordAt(text, j, e) {
				continue
			}
			end = e
		}
		if end >= 0 {
			return j, end
		}
	}
	return -1, -1
}

// fieldToken is a field-name hint: normalized (lower case, no separators).
type fieldToken struct {
	norm  string
	ascii bool
}

func newFieldToken(s string) fieldToken {
	n := rules.NormalizeFieldName(s)
	return fieldToken{norm: n, ascii: isASCII([]byte(n))}
}

// fieldWords splits a column name or JSON path into lower-case words at
// separators, camelCase humps, letter/digit changes and ASCII/non-ASCII
// changes: "patientIdNo" -> patient id no; "$.user[3].手机号" -> user 3 手机号.
func fieldWords(name string) []string {
	var words []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	kind := func(c byte) int {
		switch {
		case c >= 'a' && c <= 'z':
			return 1
		case c >= 'A' && c <= 'Z':
			return 2
		case c >= '0' && c <= '9':
			return 3
		case c >= utf8.RuneSelf:
			return 4
		}
		return 0
	}
	prev := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		k := kind(c)
		switch {
		case k == 0:
			flush()
		case k == 2 && prev == 1: // camelCase hump
			flush()
		case k == 1 && prev == 2 && len(cur) > 1:
			// "IDNo": the last upper-case letter starts the next word.
			last := cur[len(cur)-1]
			cur = cur[:len(cur)-1]
			flush()
			cur = append(cur, last)
		case prev != 0 && k != prev && !(k <= 2 && prev <= 2):
			flush()
		}
		if k == 2 {
			c += 'a' - 'A'
		}
		if k != 0 {
			cur = append(cur, c)
		}
		prev = k
	}
	flush()
	return words
}

// matchField reports whether a field hint matches the words of a name: the
// hint equals a run of consecutive words joined ("id_no" matches "IdNo" and
// "patient_id_no"), or a single word starts with a hint of four letters or
// more ("idcardno" matches "idcard"). Non-ASCII hints match as substrings.
func matchField(words []string, lowName string, t fieldToken) bool {
	if t.norm == "" {
		return false
	}
	if !t.ascii {
		return strings.Contains(lowName, t.norm)
	}
	for i := range words {
		// Do words[i], words[i+1], ... spell t.norm? (Consumed from the
		// front, without building the joined string: a CSV of 100,000
		// columns spent most of its time concatenating here.)
		rest := t.norm
		for j := i; j < len(words) && strings.HasPrefix(rest, words[j]); j++ {
			rest = rest[len(words[j]):]
			if rest == "" {
				return true
			}
		}
		if len(t.norm) >= 4 && strings.HasPrefix(words[i], t.norm) {
			return true
		}
	}
	return false
}

// fieldKind is what a record rule makes of a field.
type fieldKind uint8

const (
	kindNone fieldKind = iota
	kindBirthDate
	kindLatitude
	kindLongitude
	kindSubject
)

var fieldKindNames = map[string]fieldKind{
	"birth_date": kindBirthDate,
	"latitude":   kindLatitude,
	"longitude":  kindLongitude,
	"subject":    kindSubject,
}

// Field is a column, key or path prepared once so that every value in it
// gets its context for free. Fields are immutable and safe to share.
type Field struct {
	// Name is the display name written to findings, with anything that looks
	// like a personal value (long digit runs, e-mail shapes) redacted.
	Name     string
	evidence string // "field:" + Name; a LabelledField's label
	hints    bitset // rules whose field_names match
	// ancestorOnly: any-value rules hinted by an enclosing key alone
	// ($.rules[*].conditions[*].fn): a value there needs a term of the
	// rule's dictionary.
	ancestorOnly bitset
	neg          bitset // rules whose negative keywords match the name
	negOwn       bitset // those that match its last key: order_id, not $.order.note
	kind         fieldKind
	// valueRules judge this field's values whole (categories, biometrics,
	// names, addresses); weakName marks a bare "name" column.
	valueRules []*ruleInfo
	weakName   bool
	namePart   bool // a first_name or last_name column: one word is a name
	disability bool // the name says 残疾 or disab...: it labels a disability certificate number
	col        int  // n of a positional name, column_<n>: a column of a table without a header (columns.go)
	labelled   bool // a LabelledField: a row cell a column list names
	// ctxRules judge this field's values whole, but only in a record with
	// a field whose name has a subject word (subject): an "embedding"
	// next to a user_id or a face_image is a face feature, next to a
	// product_id it is not.
	ctxRules []*ruleInfo
	subject  bool
	// recWork: record rules have work on this field (any of the above, or
	// a kind).
	recWork bool
}

type bitset []uint64

func (b *bitset) set(i int) {
	for len(*b) <= i/64 {
		*b = append(*b, 0)
	}
	(*b)[i/64] |= 1 << (i % 64)
}

func (b bitset) has(i int) bool { return i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0 }

// any reports a bit set: set grows the slice only to a word it sets.
func (b bitset) any() bool { return len(b) > 0 }

// FieldCache keeps the fields a reader prepares, one per column name or
// path (and label), for a worker's objects: a column is prepared once,
// not per value. It holds at most 100,000 fields (past that, fields are
// prepared on each call) and is not safe for concurrent use.
type FieldCache struct {
	e *Engine
	m map[string]*Field
}

// NewFieldCache returns an empty cache of e's fields; a nil Engine gives
// a cache whose fields are nil (the copy writer's decrypt mode).
func (e *Engine) NewFieldCache() *FieldCache { return &FieldCache{e: e, m: map[string]*Field{}} }

// Field returns the prepared field of a column name or path (Field), or,
// when label is not empty, of a cell at path that label describes
// (LabelledField).
func (c *FieldCache) Field(path, label string) *Field {
	if c.e == nil {
		return nil
	}
	key := path
	if label != "" {
		key = path + "\x00" + label
	}
	if f, ok := c.m[key]; ok {
		return f
	}
	var f *Field
	if label != "" {
		f = c.e.LabelledField(path, label)
	} else {
		f = c.e.Field(path)
	}
	if len(c.m) < 100_000 {
		c.m[key] = f
	}
	return f
}

// LabelledField prepares a column that a path names but a label describes:
// a cell of a JSON table whose column names are listed apart from its rows
// ({"columns": ["name", "phone"], "data": [[...]]}, see
// scanner.JSONTable). Its values get the label's context, as a CSV
// column gets its header's, while findings name it by its path. A label
// the rules do not know (c1, col_2, Unnamed: 0) says nothing of the
// column, which is then profiled by its values as if it had none
// (columns.go).
func (e *Engine) LabelledField(path, label string) *Field {
	f := e.Field(label)
	f.Name, f.labelled = SafeName(path), true
	if !f.Known() {
		f.col = positionalColumn(path)
	}
	return f
}

// Field prepares a column name or JSON path. The caller should cache the
// result per column; it costs a few microseconds.
func (e *Engine) Field(name string) *Field {
	f := &Field{Name: SafeName(name)}
	f.evidence = "field:" + f.Name
	if name == "" {
		return f
	}
	f.col = positionalColumn(name)
	words := fieldWords(name)
	low := strings.ToLower(name)
	ownWords, ownLow := words, low
	if k := lastSegment(name); k != name {
		ownWords, ownLow = fieldWords(k), strings.ToLower(k)
	}
	f.disability = strings.Contains(low, "残疾") || strings.Contains(low, "disab")
	var bioLen map[int]int // biometric rules: the longest field name matched
	for _, ri := range e.rules {
		for _, t := range ri.fieldToks {
			if matchField(words, low, t) {
				f.hints.set(ri.idx)
				if ri.detector != "biometric_vector" {
					break
				}
				if bioLen == nil {
					bioLen = map[int]int{}
				}
				bioLen[ri.idx] = max(bioLen[ri.idx], len(t.norm))
			}
		}
		for _, t := range ri.negFields {
			if matchField(ownWords, ownLow, t) {
				f.neg.set(ri.idx)
				f.negOwn.set(ri.idx)
				break
			}
			if matchField(words, low, t) {
				f.neg.set(ri.idx) // and on, for one of the last key
			}
		}
	}
	for _, ri := range e.fieldRules {
		hinted := f.hints.has(ri.idx)
		if hinted && ri.params.anyValue && !ownHint(ri, name, ownWords, ownLow) {
			f.ancestorOnly.set(ri.idx)
		}
		if ri.detector == "person_name" {
			// Names need the whole field to name a person: "customer_name"
			// yes, "product_name" no; a first_name column holds one word.
			last, lastWords := strings.ToLower(lastSegment(name)), lastFieldWords(name)
			hinted = false
			for _, t := range ri.fieldToks {
				if matchFieldExact(lastWords, last, t) {
					hinted = true
				}
			}
			for _, t := range ri.params.parts {
				if !hinted && wholeLabel(lastWords, last, t) {
					hinted, f.namePart = true, true
					f.hints.set(ri.idx)
				}
			}
		}
		if !hinted && len(ri.params.generic) > 0 {
			switch genericField(name, words, low, &ri.params) {
			case genericNamed:
				hinted = true
				f.hints.set(ri.idx)
				if bioLen == nil {
					bioLen = map[int]int{}
				}
				bioLen[ri.idx] = max(bioLen[ri.idx], 0)
			case genericBare:
				f.ctxRules = append(f.ctxRules, ri)
				continue
			}
		}
		if len(ri.params.subject) > 0 && !f.subject {
			for _, t := range ri.params.subject {
				if matchField(words, low, t) {
					f.subject = true
					break
				}
			}
		}
		if !hinted {
			weak := false
			last, lastWords := strings.ToLower(lastSegment(name)), lastFieldWords(name)
			for _, t := range ri.params.weak {
				// 名称 whole or after a role (客户名称), not after a
				// thing (产品名称, 公司名称).
				if wholeLabel(lastWords, last, t) || !t.ascii && afterRole(last, t.norm, ri.params.roles) {
					weak = true
				}
			}
			for _, t := range ri.params.roles {
				// A role label names the column whole: 顾客, not 顾客类型.
				if wholeLabel(lastWords, last, t) {
					weak = true
				}
			}
			if !weak {
				continue
			}
			f.weakName = true
		}
		f.valueRules = append(f.valueRules, ri)
	}
	if len(bioLen) > 1 {
		f.valueRules = mostSpecificBiometric(f.valueRules, bioLen)
	}
	if len(bioLen) > 0 {
		// A bare generic name under a biometric one says whose vector it
		// is no more than which kind: $.voiceprint.vector is a voiceprint,
		// not also a face feature because its record names a speaker.
		f.ctxRules = slices.DeleteFunc(f.ctxRules, func(ri *ruleInfo) bool { return ri.detector == "biometric_vector" })
	}
	// The last path element decides the kind: "$.birth.place" is not a date.
	lastWords := words
	if k := lastSegment(name); k != name {
		lastWords = fieldWords(k)
		low = strings.ToLower(k)
	}
	for _, kindName := range []string{"birth_date", "latitude", "longitude", "subject"} {
		for _, t := range e.fields[kindName] {
			if matchFieldExact(lastWords, low, t) {
				f.kind = fieldKindNames[kindName]
				break
			}
		}
		if f.kind != kindNone {
			break
		}
	}
	f.setRecWork()
	return f
}

func (f *Field) setRecWork() {
	f.recWork = len(f.valueRules) > 0 || len(f.ctxRules) > 0 || f.subject || f.kind != kindNone
}

// Known reports a name the rules know as a column label: one that hints
// at a data type (phone, 姓名, birth_date, face_embedding), or that a
// rule's negative keywords name (order_id). A row of data holds no such
// cell; a header row usually does (scanner's CSV header test).
func (f *Field) Known() bool {
	return f.recWork || f.weakName || f.hints.any() || f.neg.any()
}

// genderWords are the values of a gender column.
var genderWords = map[string]bool{"男": true, "女": true, "male": true, "female": true, "man": true, "woman": true}

// ValueScore tells how surely a cell is one person's value rather than a
// column label: 2 for a gender (男, female) or an ethnic group (汉族, 回族:
// a label says 民族), which no header names a column, 1 for a Chinese
// personal name (two to four Han characters starting with a common
// surname), which a label now and then reads like (金额, 高度), 0 else.
// Latin names score 0: Title Case headers ("Order Date") read like them.
func ValueScore(cell []byte) int {
	c := bytes.TrimSpace(cell)
	if genderWords[strings.ToLower(string(c))] {
		return 2
	}
	r, _ := utf8.DecodeRune(c)
	if !isHanRune(r) {
		return 0
	}
	if n := utf8.RuneCount(c); n >= 2 && n <= 4 && bytes.HasSuffix(c, []byte("族")) && !ethnicLabels[string(c)] {
		return 2
	}
	if looksLikeName(c) {
		return 1
	}
	return 0
}

// ethnicLabels are labels ending in 族 that name a column, not a group.
var ethnicLabels = map[string]bool{"民族": true, "种族": true, "族别": true, "家族": true, "所属民族": true}

// Names of biometric fields that do not say whose vector they hold.
const (
	genericNone  = iota // not such a name: another word qualifies it (text_embedding)
	genericNamed        // the name or its path has a subject word: user_embedding, $.person.vector
	genericBare         // embedding, feature_vector, 特征向量: whose depends on the record
)

// genericField classifies a field name for a biometric rule with generic
// field names: the last key must be made of generic names and subject
// words only (digits aside), at least one generic.
func genericField(name string, words []string, low string, p *params) int {
	gen, subj := false, false
	for _, w := range lastFieldWords(name) {
		if allDigitString(w) {
			continue
		}
		ok, g, s := composeField(w, p.generic, p.subject, 0)
		if !ok {
			return genericNone
		}
		gen, subj = gen || g, subj || s
	}
	if !gen {
		return genericNone
	}
	if subj {
		return genericNamed
	}
	for _, t := range p.subject {
		if matchField(words, low, t) {
			return genericNamed
		}
	}
	return genericBare
}

// composeField reports whether w is a concatenation of generic and subject
// tokens, and which kinds it used.
func composeField(w string, generic, subject []fieldToken, depth int) (ok, gen, subj bool) {
	if w == "" {
		return true, false, false
	}
	if depth > 8 {
		return false, false, false
	}
	for _, t := range generic {
		if t.norm != "" && strings.HasPrefix(w, t.norm) {
			if ok, _, s := composeField(w[len(t.norm):], generic, subject, depth+1); ok {
				return true, true, s
			}
		}
	}
	for _, t := range subject {
		if t.norm != "" && strings.HasPrefix(w, t.norm) {
			if ok, g, _ := composeField(w[len(t.norm):], generic, subject, depth+1); ok {
				return true, g, true
			}
		}
	}
	return false, false, false
}

func allDigitString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Keys returns the field of the keys of an object at this path, for
// objects keyed by personal values (phone numbers, e-mail addresses, ID
// numbers): the same name and field-name hints, but none of the rules that
// judge a value by its field alone (categories, names, biometrics) and no
// kind, since a key under "$.diagnosis" is as often a field name ("icd10")
// as a value. Nil for nil.
func (f *Field) Keys() *Field {
	if f == nil {
		return nil
	}
	k := *f
	k.valueRules, k.ctxRules, k.weakName, k.namePart, k.kind = nil, nil, false, false, kindNone
	k.setRecWork()
	return &k
}

// mostSpecificBiometric keeps, of the biometric rules a field name matches,
// those that match it with the longest name: "speaker_embedding" holds a
// voiceprint, not a face, although face_feature knows "embedding" too.
func mostSpecificBiometric(rs []*ruleInfo, bioLen map[int]int) []*ruleInfo {
	best := 0
	for _, ri := range rs {
		if ri.detector == "biometric_vector" {
			best = max(best, bioLen[ri.idx])
		}
	}
	out := rs[:0]
	for _, ri := range rs {
		if ri.detector != "biometric_vector" || bioLen[ri.idx] == best {
			out = append(out, ri)
		}
	}
	return out
}

func lastFieldWords(name string) []string { return fieldWords(lastSegment(name)) }

// ownHint reports whether a field name of rule ri names the field's own
// key ("diagnosis", "$.patient.allergies[*]") or the key of an object
// whose field holds its value under a generic name and whose own name
// ends with the hint ("$.condition.display", "$.diagnoses[*].text",
// "$.PrimaryDiagnosis.code"). Any value there is the
// category's. A hint further up names a subtree that may hold anything:
// AWS's endpoint rules keep function names under "conditions", API models
// list enum values under "Condition" and "ThirdParty...".
func ownHint(ri *ruleInfo, name string, ownWords []string, ownLow string) bool {
	for _, t := range ri.fieldToks {
		if matchField(ownWords, ownLow, t) {
			return true
		}
	}
	if !genericValueKeys[ownLow] {
		return false
	}
	parent := parentSegment(name)
	if parent == "" {
		return false
	}
	words, low := fieldWords(parent), strings.ToLower(parent)
	for _, t := range ri.fieldToks {
		if endsWithField(words, low, t) {
			return true
		}
	}
	return false
}

// endsWithField reports whether the last words of a name spell a field
// hint: the head of an English compound comes last, so "visit_diagnosis"
// and "PrimaryCondition" name a diagnosis and a condition, while
// "ConditionalForwarder", "InferICD10CM" and "ThirdPartyJob" do not.
// A non-ASCII hint ends the name ("初步诊断").
func endsWithField(words []string, lowName string, t fieldToken) bool {
	if !t.ascii {
		return strings.HasSuffix(lowName, t.norm)
	}
	rest := t.norm
	for j := len(words) - 1; j >= 0 && rest != ""; j-- {
		if !strings.HasSuffix(rest, words[j]) {
			return false
		}
		rest = rest[:len(rest)-len(words[j])]
	}
	return rest == "" && t.norm != ""
}

// genericValueKeys are keys that hold the value of the object they sit in
// (FHIR's "display" and "text", a code list's "code" and "description").
var genericValueKeys = map[string]bool{
	"text": true, "value": true, "name": true, "display": true, "description": true,
	"desc": true, "code": true, "label": true, "detail": true, "details": true,
	"note": true, "notes": true, "result": true, "results": true, "status": true,
	"名称": true, "内容": true, "描述": true, "说明": true, "结果": true, "值": true,
}

// parentSegment returns the key before the last one ("$.a.b[2].c" -> "b"),
// or "" for a name of one key.
func parentSegment(path string) string {
	p := strings.TrimPrefix(path, "$")
	p = strings.TrimRight(p, "]0123456789[*")
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return ""
	}
	p = strings.TrimRight(p[:i], "]0123456789[*")
	if j := strings.LastIndexAny(p, ".["); j >= 0 {
		p = p[j+1:]
	}
	return strings.Trim(p, `'"`)
}

// matchFieldExact is matchField for record-rule kinds, which must name the
// whole field ("lat" is a latitude column, "lat_error" is not).
func matchFieldExact(words []string, lowName string, t fieldToken) bool {
	if !t.ascii {
		return strings.Contains(lowName, t.norm)
	}
	return strings.Join(words, "") == t.norm
}

// wholeLabel reports a last key that is label t whole: its words for an
// ASCII label (Customer Name, customer_name), the key itself for a
// Chinese one (顾客, not 顾客类型).
func wholeLabel(lastWords []string, last string, t fieldToken) bool {
	if t.ascii {
		return matchFieldExact(lastWords, last, t)
	}
	return last == t.norm
}

// afterRole reports a last key that is a Chinese role label followed by
// w (客户名称 for 名称).
func afterRole(last, w string, roles []fieldToken) bool {
	role, ok := strings.CutSuffix(last, w)
	if !ok || role == "" {
		return false
	}
	for _, r := range roles {
		if !r.ascii && role == r.norm {
			return true
		}
	}
	return false
}

// lastSegment returns the last key of a path: a JSON path ("$.a.b[2]" ->
// "b") or a dotted column path of Parquet and Avro ("contact.name",
// "visits[*].lat" -> "lat").
func lastSegment(path string) string {
	p := strings.TrimPrefix(path, "$")
	p = strings.TrimRight(p, "]0123456789[*")
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		p = p[i+1:]
	}
	p = strings.Trim(p, `'"`)
	if p == "" {
		return path
	}
	return p
}

// digitRun returns the longest run of digits in s.
func digitRun(s string) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// SafeName returns a field name fit for output: runs that look like personal
// values (five or more digits, digit groups split by single spaces or
// dashes holding seven or more digits, as "138 1234 8000" or
// "1101 0519 4912 3100 2X", or anything with an '@') are replaced with
// <redacted>, and the name is cut to 256 bytes. A CSV without a header or a
// JSON object keyed by phone number must not leak through the field column.
func SafeName(name string) string {
	if len(name) > 256 {
		cut := 256
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut]
	}
	name = redactGroups(asciiDigits(name))
	isTok := func(c byte) bool {
		return c >= '0' && c <= '9' || isLetter(c) || c == '@' || c == '.' || c == '+' || c == '-' || c == '_'
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(name); {
		if !isTok(name[i]) {
			b.WriteByte(name[i])
			i++
			continue
		}
		j := i
		digits, maxRun, at := 0, 0, false
		for j < len(name) && isTok(name[j]) {
			c := name[j]
			if c >= '0' && c <= '9' {
				digits++
				if digits > maxRun {
					maxRun = digits
				}
			} else {
				digits = 0
			}
			if c == '@' {
				at = true
			}
			j++
		}
		switch {
		case at:
			b.WriteString("<redacted>") // an e-mail shape, dots and all
			changed = true
		case maxRun >= 5:
			// Redact only the path segments that hold the digits:
			// "$.users.13812348000.name" keeps users and name.
			for k, seg := range strings.Split(name[i:j], ".") {
				if k > 0 {
					b.WriteByte('.')
				}
				if digitRun(seg) >= 5 {
					b.WriteString("<redacted>")
				} else {
					b.WriteString(seg)
				}
			}
			changed = true
		default:
			b.WriteString(name[i:j])
		}
		i = j
	}
	if !changed {
		return name
	}
	return b.String()
}

// asciiDigits writes the full-width digits of name (１３８…, as an IME's
// full-width mode types them, which the engine reads as digits) as ASCII
// digits, so SafeName sees the numbers they spell.
func asciiDigits(name string) string {
	if !strings.Contains(name, "\xef\xbc") {
		return name
	}
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		if d := WideDigit(name, i); d != 0 {
			b = append(b, d)
			i += 2
			continue
		}
		b = append(b, name[i])
	}
	return string(b)
}

// redactGroups replaces in name each sequence of digit groups joined by
// single spaces or dashes that holds seven digits or more (a phone or ID
// number written in groups), with a check letter X after it, by
// <redacted>. Dates (2026-11-24), years (2025 2026) and groups that go
// on from a word (q1 2025, v1-2) are kept.
func redactGroups(name string) string {
	var b []byte
	last := 0
	for i := 0; i < len(name); {
		if !isDigit(name[i]) || i > 0 && (isDigit(name[i-1]) || isLetter(name[i-1])) {
			i++
			continue
		}
		j, digits, groups, years := i, 0, 0, true
		var lens [3]int
		for {
			k := j
			for k < len(name) && isDigit(name[k]) {
				k++
			}
			if groups < len(lens) {
				lens[groups] = k - j
			}
			g := name[j:k]
			years = years && len(g) == 4 && (g[:2] == "19" || g[:2] == "20")
			digits, groups, j = digits+k-j, groups+1, k
			if j+1 < len(name) && (name[j] == ' ' || name[j] == '-') && isDigit(name[j+1]) {
				j++
				continue
			}
			break
		}
		if j < len(name) && (name[j] == 'X' || name[j] == 'x') && (j+1 == len(name) || !isLetter(name[j+1])) {
			j++
		}
		date := groups == 3 && digits == 8 && (lens == [3]int{4, 2, 2} || lens == [3]int{2, 2, 4})
		if groups > 1 && digits >= 7 && !date && !years {
			b = append(b, name[last:i]...)
			b = append(b, "<redacted>"...)
			last = j
		}
		i = j
	}
	if b == nil {
		return name
	}
	return string(append(b, name[last:]...))
}
