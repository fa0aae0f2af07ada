package corpus

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Test helpers for the data types added with issue 3: canonical values
// derived from written ones, and shape finders for the completeness check.
// They use the standard library and libphonenumber where they can, never
// the generator's own formatting.

// categoryTypes are the types whose prose values touch the words around
// them (信仰佛教多年): their written forms need not be delimited.
var categoryTypes = []string{TypeReligion, TypeMedical, TypeIdentity}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// canonFromWrittenMore derives the canonical value of the issue-3 types;
// ok is false for other types.
func canonFromWrittenMore(l Label) (string, bool) {
	w := l.Written
	switch l.DataType {
	case TypeUSCC, TypeHKMacauPermit, TypeTWPermit:
		return strings.ToUpper(w), true
	case TypePlate:
		return strings.NewReplacer("·", "", " ", "").Replace(w), true
	case TypeLandline:
		d := digitsOf(w)
		if strings.HasPrefix(w, "+86") {
			d = "0" + d[2:]
		}
		return d, true
	case TypePhone:
		return "+" + digitsOf(w), true
	case TypeIPv6:
		a, err := netip.ParseAddr(w)
		if err != nil {
			return "", true
		}
		return a.String(), true
	case TypeMAC:
		h := strings.ToLower(strings.NewReplacer(":", "", "-", "", ".", "").Replace(w))
		if len(h) != 12 {
			return "", true
		}
		return h[0:2] + ":" + h[2:4] + ":" + h[4:6] + ":" + h[6:8] + ":" + h[8:10] + ":" + h[10:12], true
	case TypeIMEI:
		return digitsOf(w), true
	case TypeAddress, TypeName, TypeReligion, TypeMedical, TypeIdentity:
		return w, true
	case TypeTrace:
		// A device or IMEI field's value as written, or the canonical
		// form of the personal identifier that is the subject.
		if m := strings.TrimPrefix(strings.TrimPrefix(strings.NewReplacer(" ", "", "-", "").Replace(w), "+86"), "0086"); validMobile(m) {
			return m, true
		}
		return w, true
	case TypeFace, TypeVoice, TypeIris:
		b, ok := blobFromWritten(w)
		if !ok {
			return "", true
		}
		return hex.EncodeToString(b), true
	case TypeFingerprint:
		b, err := base64.StdEncoding.DecodeString(w)
		if err != nil {
			return "", true
		}
		return hex.EncodeToString(b[:min(len(b), 2048)]), true
	}
	return "", false
}

// blobFromWritten decodes a biometric value: a list of numbers (as
// little-endian float32), hex, or base64.
func blobFromWritten(w string) ([]byte, bool) {
	if strings.ContainsAny(w, ",[") {
		var out []byte
		for _, f := range strings.FieldsFunc(w, func(r rune) bool { return r == ',' || r == ' ' || r == '[' || r == ']' }) {
			x, err := strconv.ParseFloat(f, 32)
			if err != nil {
				return nil, false
			}
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(x)))
		}
		return out, true
	}
	if b, err := hex.DecodeString(w); err == nil {
		return b, true
	}
	b, err := base64.StdEncoding.DecodeString(w)
	return b, err == nil
}

// Keywords of the context-dependent types, transcribed from the catalogue
// (docs/catalogue.md and rules/builtin.yaml), lower case.
var (
	landlineWords = []string{"电话", "電話", "座机", "固话", "传真", "联系", "tel", "phone", "fax", "landline", "office"}
	imeiWords     = []string{"imei", "meid", "串号", "设备号", "设备识别码", "手机串号", "device id"}
	hkPermitWords = []string{"通行证", "港澳通行证", "往来港澳", "回乡证", "港澳居民来往内地", "permit", "home return"}
	twPermitWords = []string{"台胞证", "往来台湾", "台湾通行证", "大陆居民往来台湾", "台湾居民来往大陆", "mtp", "taiwan permit"}
	religionWords = []string{"信仰", "信奉", "宗教信仰", "皈依", "信教", "religion", "religious", "faith", "believer", "practising", "practicing"}
	medicalWords  = []string{"诊断", "确诊", "患有", "患者", "病历", "病史", "主诉", "既往史", "入院", "出院", "就诊", "病情",
		"icd", "diagnosis", "diagnosed", "patient", "medical record", "admitted", "discharged", "medical condition", "health condition", "chronic condition", "pre-existing condition", "underlying condition"}
	identityWords = []string{"犯罪记录", "前科", "刑事处罚", "残疾", "残疾证", "残疾等级", "政治面貌", "民族", "党员",
		"criminal record", "conviction", "disability", "disabled", "ethnicity", "political affiliation"}
)

var (
	usccRe      = regexp.MustCompile(`[0-9A-HJ-NP-RTUWXY]{18}`)
	plateRe     = regexp.MustCompile(`[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z](?:·| )?[0-9A-Z]{5,6}`)
	macColonRe  = regexp.MustCompile(`[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}`)
	macDashRe   = regexp.MustCompile(`[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}`)
	macDotRe    = regexp.MustCompile(`[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}`)
	ipv6RunRe   = regexp.MustCompile(`[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*`)
	intlRe      = regexp.MustCompile(`\+[1-9][0-9 ()\-]{5,22}[0-9]`)
	landDashRe  = regexp.MustCompile(`0[0-9]{2,3}-[0-9]{7,8}`)
	landParenRe = regexp.MustCompile(`\(0[0-9]{2,3}\) ?[0-9]{3,4} ?[0-9]{4}`)
	land86Re    = regexp.MustCompile(`\+86 [0-9]{2,3} [0-9]{3,4} [0-9]{4}`)
	landSolidRe = regexp.MustCompile(`0[0-9]{9,11}`)
	imeiRe      = regexp.MustCompile(`[0-9]{15}|[0-9]{2}-[0-9]{6}-[0-9]{6}-[0-9]|[0-9]{8}-[0-9]{6}-[0-9]`)
	permitRe    = regexp.MustCompile(`[CWHMTL][0-9]{8}`)
	templateRe  = regexp.MustCompile(`Rk1SA[A-Za-z0-9+/]*={0,2}`)
	icdRe       = regexp.MustCompile(`[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,4})?`)
)

// macCanon lower-cases a MAC and writes it with colons.
func macCanon(s string) string {
	c, _ := canonFromWrittenMore(Label{DataType: TypeMAC, Written: s})
	return c
}

// alnumColon reports bytes that continue a network address.
func alnumColon(b byte) bool { return isAlnum(b) || b == ':' || b == '-' || b == '.' || b == '_' }

// shapesMore reports, through report, the valid values of the issue-3
// types in one line of text. Context-dependent types (solid landlines,
// IMEIs, permits) count only next to one of their keywords in text.
func shapesMore(text string, report func(typ, canon string, ok bool)) {
	bounded := func(m []int, bad func(byte) bool) bool { return strictBounded(text, m[0], m[1], bad) }
	if hasPair(text, isUpperOrDigit, isUpperOrDigit) {
		for _, m := range usccRe.FindAllStringIndex(text, -1) {
			if bounded(m, isAlnumByte) {
				report(TypeUSCC, text[m[0]:m[1]], validUSCC(text[m[0]:m[1]]))
			}
		}
	}
	for _, m := range plateRe.FindAllStringIndex(text, -1) {
		if m[1] == len(text) || !isAlnum(text[m[1]]) {
			c := strings.NewReplacer("·", "", " ", "").Replace(text[m[0]:m[1]])
			report(TypePlate, c, validPlate(c))
		}
	}
	if strings.ContainsAny(text, ":-.") {
		for _, re := range []*regexp.Regexp{macColonRe, macDashRe, macDotRe} {
			for _, m := range re.FindAllStringIndex(text, -1) {
				if bounded(m, alnumColon) {
					c := macCanon(text[m[0]:m[1]])
					report(TypeMAC, c, validMAC(c))
				}
			}
		}
	}
	if strings.Contains(text, ":") {
		for _, m := range ipv6RunRe.FindAllStringIndex(text, -1) {
			if !bounded(m, func(b byte) bool { return isAlnum(b) || b == '_' || b == '.' }) {
				continue
			}
			a, err := netip.ParseAddr(text[m[0]:m[1]])
			if err == nil && a.Is6() && !a.Is4In6() && !a.IsLoopback() && !a.IsUnspecified() {
				report(TypeIPv6, a.String(), true)
			}
		}
	}
	if strings.Contains(text, "+") {
		for _, m := range intlRe.FindAllStringIndex(text, -1) {
			if !bounded(m, isAlnumByte) {
				continue
			}
			s := text[m[0]:m[1]]
			num, err := phonenumbers.Parse(s, "ZZ")
			if err == nil && num.GetCountryCode() != 86 && phonenumbers.IsValidNumber(num) {
				report(TypePhone, phonenumbers.Format(num, phonenumbers.E164), true)
			}
		}
	}
	digitBound := func(b byte) bool { return isAlnum(b) || b == '-' || b == '+' }
	for _, re := range []*regexp.Regexp{landDashRe, landParenRe, land86Re} {
		for _, m := range re.FindAllStringIndex(text, -1) {
			if bounded(m, digitBound) {
				l := Label{DataType: TypeLandline, Written: text[m[0]:m[1]]}
				c, _ := canonFromWrittenMore(l)
				report(TypeLandline, c, validLandline(c))
			}
		}
	}
	for _, m := range landSolidRe.FindAllStringIndex(text, -1) {
		if bounded(m, digitBound) && near(text, m[0], m[1], 64, landlineWords) {
			report(TypeLandline, text[m[0]:m[1]], validLandline(text[m[0]:m[1]]))
		}
	}
	for _, m := range imeiRe.FindAllStringIndex(text, -1) {
		if bounded(m, digitBound) && near(text, m[0], m[1], 64, imeiWords) {
			d := digitsOf(text[m[0]:m[1]])
			report(TypeIMEI, d, validIMEI(d))
		}
	}
	for _, m := range permitRe.FindAllStringIndex(text, -1) {
		if !bounded(m, isAlnumByte) {
			continue
		}
		s := text[m[0]:m[1]]
		if strings.ContainsRune("CWHM", rune(s[0])) && near(text, m[0], m[1], 48, hkPermitWords) {
			report(TypeHKMacauPermit, s, true)
		}
		if strings.ContainsRune("TL", rune(s[0])) && near(text, m[0], m[1], 48, twPermitWords) {
			report(TypeTWPermit, s, true)
		}
	}
	if strings.Contains(text, "Rk1SA") {
		for _, m := range templateRe.FindAllStringIndex(text, -1) {
			b, err := base64.StdEncoding.DecodeString(text[m[0]:m[1]])
			if err == nil && validTemplate(b[:min(len(b), maxTemplateBytes)]) {
				report(TypeFingerprint, hex.EncodeToString(b[:min(len(b), maxTemplateBytes)]), true)
			}
		}
	}
}

func isUpperOrDigit(b byte) bool { return isDigitByte(b) || b >= 'A' && b <= 'Z' }

// proseTerms reports the category terms of free text that stand within 64
// bytes of a keyword of their rule (ASCII terms as whole words, a term
// inside a longer one only once), and ICD-10 codes next to a medical
// keyword.
func proseTerms(text string, report func(typ, canon string, ok bool)) {
	for _, c := range []struct {
		typ          string
		terms, words []string
	}{
		{TypeReligion, religionTerms, religionWords},
		{TypeMedical, medicalTerms, medicalWords},
		{TypeIdentity, identityTerms, identityWords},
	} {
		low := strings.ToLower(text)
		var taken [][2]int
		terms := append([]string(nil), c.terms...)
		// Longest first: 乙型肝炎 before the 肝炎 it holds.
		for i := 1; i < len(terms); i++ {
			for j := i; j > 0 && len(terms[j]) > len(terms[j-1]); j-- {
				terms[j], terms[j-1] = terms[j-1], terms[j]
			}
		}
		for _, term := range terms {
			for off := 0; ; {
				i := strings.Index(low[off:], term)
				if i < 0 {
					break
				}
				i += off
				off = i + len(term)
				if term[0] < utf8.RuneSelf && !(strictBounded(low, i, i+len(term), isLetterByte)) {
					continue
				}
				inside := false
				for _, t := range taken {
					inside = inside || i >= t[0] && i+len(term) <= t[1]
				}
				if inside || !nearKeyword(low, i, i+len(term), c.words) {
					continue
				}
				taken = append(taken, [2]int{i, i + len(term)})
				report(c.typ, text[i:i+len(term)], true)
			}
		}
	}
	for _, m := range icdRe.FindAllStringIndex(text, -1) {
		if strictBounded(text, m[0], m[1], isAlnumByte) && (m[1] == len(text) || text[m[1]] != '.') &&
			nearKeyword(strings.ToLower(text), m[0], m[1], medicalWords) {
			report(TypeMedical, text[m[0]:m[1]], true)
		}
	}
}

// nearKeyword reports a keyword within 64 bytes of text[i:j] (keywords
// inside the span do not count); ASCII keywords must start a word.
func nearKeyword(low string, i, j int, words []string) bool {
	lo, hi := max(0, i-64), min(len(low), j+64)
	for _, part := range [2][2]int{{lo, i}, {j, hi}} {
		seg := low[part[0]:part[1]]
		for _, w := range words {
			for off := 0; ; {
				k := strings.Index(seg[off:], w)
				if k < 0 {
					break
				}
				k += off
				if w[0] >= utf8.RuneSelf || part[0]+k == 0 || !isLetterByte(low[part[0]+k-1]) {
					return true
				}
				off = k + 1
			}
		}
	}
	return false
}
