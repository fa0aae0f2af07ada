package corpus

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Checks of the data types added with issue 3, written from the published
// specifications (GB 32100-2015, GB 11714-1997, GA 36-2018, RFC 5952,
// ISO/IEC 19794-2:2005) and sharing no code with package classifiers.

// usccChars is the GB 32100 alphabet: digits and the capitals without I, O,
// S, V and Z; a character's value is its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccAuthorities maps a registering authority (first character, GB 32100
// appendix A) to the organization types (second character) it registers.
var usccAuthorities = map[byte]string{
	'1': "1239", '2': "19", '3': "123459", '4': "19", '5': "1239", '6': "12",
	'7': "12", '8': "19", '9': "123", 'A': "19", 'N': "1239", 'Y': "1",
}

// usccCheckChar returns the GB 32100 check character of the first 17
// characters: weights 3^i mod 31, check = 31 - (sum mod 31), 31 -> 0.
func usccCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, first17[i])
		if v < 0 {
			return 0
		}
		sum += v * w
		w = w * 3 % 31
	}
	return usccChars[(31-sum%31)%31]
}

// orgCheckChar returns the GB 11714 check character of an 8-character
// organization code body: weights 3 7 9 10 5 8 4 2, letters A=10..Z=35,
// check = 11 - (sum mod 11), where 10 is written X and 11 is written 0.
func orgCheckChar(body string) byte {
	if len(body) != 8 {
		return 0
	}
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		default:
			return 0
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// provinceCode reports whether two digits are a province-level code of
// GB/T 2260 (or 10, the national level of a USCC's region).
func provinceCode(s string) bool {
	p, err := strconv.Atoi(s)
	if err != nil || len(s) != 2 {
		return false
	}
	switch {
	case p == 10, p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65:
		return true
	}
	return false
}

// validUSCC reports whether s is a unified social credit code: a known
// authority and type, a six-digit region code of a real province, an
// embedded GB 11714 organization code with its check character and the
// GB 32100 check character.
func validUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	types, ok := usccAuthorities[s[0]]
	if !ok || !strings.Contains(types, s[1:2]) || !allDigits(s[2:8]) || !provinceCode(s[2:4]) {
		return false
	}
	return orgCheckChar(s[8:16]) == s[16] && usccCheckChar(s[:17]) == s[17]
}

// plateProvinceChars are the province characters of PRC licence plates.
const plateProvinceChars = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

// plateChars are the serial characters: digits and capitals without I, O.
const plateChars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// validPlate reports whether s is a plate without separator: a province
// character, a letter (not I or O) and five serial characters, or six for
// new-energy vehicles (D or F first or last), with at least one digit.
func validPlate(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	if n != 3 || !strings.ContainsRune(plateProvinceChars, r) || len(s) < n+1 {
		return false
	}
	letter, serial := s[n], s[n+1:]
	if letter < 'A' || letter > 'Z' || letter == 'I' || letter == 'O' {
		return false
	}
	digit := false
	for i := 0; i < len(serial); i++ {
		if !strings.ContainsRune(plateChars, rune(serial[i])) {
			return false
		}
		digit = digit || isDigitByte(serial[i])
	}
	switch len(serial) {
	case 5:
	case 6:
		if !strings.ContainsAny(serial[:1], "DF") && !strings.ContainsAny(serial[5:], "DF") {
			return false
		}
	default:
		return false
	}
	return digit
}

// validLandline reports whether s is a mainland fixed-line number with its
// trunk 0: an area code (10 and 2x are two digits, 3xx-9xx three) and a
// subscriber number of 7 or 8 digits starting with 2-9.
func validLandline(s string) bool {
	if !allDigits(s) || len(s) < 10 || s[0] != '0' {
		return false
	}
	area := 0
	switch {
	case s[1] == '1' && s[2] == '0', s[1] == '2':
		area = 2
	case s[1] >= '3' && s[1] <= '9':
		area = 3
	default:
		return false
	}
	sub := s[1+area:]
	return (len(sub) == 7 || len(sub) == 8) && sub[0] >= '2'
}

// intlPatterns are the written forms of the non-mainland phone numbers the
// generator draws ('#' is a random digit). Every number of these forms is
// valid in libphonenumber's metadata (checked in the tests); the country
// code ends at the first space.
var intlPatterns = []string{
	"+44 20 7946 0###", "+44 161 496 0###", "+44 7911 1#####", "+44 7700 1#####",
	"+1 415-555-####", "+1 (646) 555-####", "+1 (212) 736-####", "+1 650-253-####", "+1 312-786-####",
	"+1 (617) 253-####", "+1 206-266-####",
	"+852 61## ####", "+852 69## ####", "+852 2811 ####", "+853 661# ####", "+853 662# ####",
	"+886 912 ### ###", "+886 2 2###-####", "+65 91## ####", "+65 81## ####", "+65 98## ####",
	"+81 90-1###-####", "+81 80-3###-####", "+49 30 ########", "+49 151 ########", "+49 171 #######",
	"+33 6 1# ## ## ##", "+33 1 ## ## ## ##", "+61 41# ### ###", "+61 2 9### ####",
	"+60 12-### ####", "+66 81 ### ####", "+7 916 ###-##-##", "+91 98### #####",
}

// validIntlPhone reports whether s is an E.164 number of one of the
// intlPatterns.
func validIntlPhone(s string) bool {
	for _, p := range intlPatterns {
		if e164Pattern(p, s) {
			return true
		}
	}
	return false
}

// e164Pattern matches an E.164 number against a written pattern.
func e164Pattern(pattern, s string) bool {
	var want []byte
	for i := 0; i < len(pattern); i++ {
		if c := pattern[i]; c == '+' || c == '#' || isDigitByte(c) {
			want = append(want, c)
		}
	}
	if len(want) != len(s) {
		return false
	}
	for i := range want {
		if !(want[i] == s[i] || want[i] == '#' && isDigitByte(s[i])) {
			return false
		}
	}
	return true
}

// parseIPv6 reads the eight 16-bit groups of an IPv6 address written in
// full or with one "::" (no embedded IPv4 part).
func parseIPv6(s string) ([8]uint16, bool) {
	var out [8]uint16
	head, tail, compressed := strings.Cut(s, "::")
	if strings.Contains(tail, "::") {
		return out, false
	}
	split := func(part string) ([]uint16, bool) {
		if part == "" {
			return nil, true
		}
		var gs []uint16
		for _, g := range strings.Split(part, ":") {
			if len(g) < 1 || len(g) > 4 {
				return nil, false
			}
			v, err := strconv.ParseUint(g, 16, 16)
			if err != nil {
				return nil, false
			}
			gs = append(gs, uint16(v))
		}
		return gs, true
	}
	h, ok1 := split(head)
	t, ok2 := split(tail)
	if !ok1 || !ok2 {
		return out, false
	}
	switch {
	case !compressed && len(h) == 8:
		copy(out[:], h)
	case compressed && len(h)+len(t) <= 6:
		copy(out[:], h)
		copy(out[8-len(t):], t)
	default:
		return out, false
	}
	return out, true
}

// ipv6Text formats groups as RFC 5952 recommends: lower case, no leading
// zeros, the longest run of two or more zero groups (the first of equal
// runs) written "::".
func ipv6Text(g [8]uint16) string {
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if g[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && g[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if i == best {
			b.WriteString("::")
			i += bestLen - 1
			continue
		}
		if i > 0 && i != best+bestLen {
			b.WriteByte(':')
		}
		b.WriteString(strconv.FormatUint(uint64(g[i]), 16))
	}
	return b.String()
}

// validIPv6 reports whether s is an IPv6 address in its RFC 5952 form,
// neither unspecified nor loopback nor IPv4-mapped.
func validIPv6(s string) bool {
	g, ok := parseIPv6(s)
	if !ok || ipv6Text(g) != s {
		return false
	}
	zero := g == [8]uint16{}
	loop := g == [8]uint16{7: 1}
	mapped := g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff
	return !zero && !loop && !mapped
}

// validMAC reports whether s is six lower-case hex octets joined by
// colons, neither all zeros nor broadcast.
func validMAC(s string) bool {
	if len(s) != 17 || s == "00:00:00:00:00:00" || s == "ff:ff:ff:ff:ff:ff" {
		return false
	}
	for i := 0; i < 17; i++ {
		c := s[i]
		if i%3 == 2 {
			if c != ':' {
				return false
			}
		} else if !(isDigitByte(c) || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// validIMEI reports whether s is 15 digits passing Luhn.
func validIMEI(s string) bool { return len(s) == 15 && luhnValid(s) }

// validPermit reports whether s is one of the letters and eight digits.
func validPermit(s, letters string) bool {
	return len(s) == 9 && strings.ContainsRune(letters, rune(s[0])) && allDigits(s[1:])
}

// Address parts: an address names a province-level division or a city, a
// district or county, a road or estate, and ends with a number and unit.
var (
	addrAdmin = []string{"省", "市", "区", "县", "州", "镇", "乡", "旗", "盟"}
	addrRoad  = []string{"路", "街", "道", "巷", "弄", "胡同", "村", "里", "苑", "小区", "大厦", "广场"}
	addrUnit  = []string{"号", "室", "栋", "幢", "楼", "单元", "座"}
)

// validAddress reports whether s has the shape of a Chinese postal address:
// it starts with a place name (a Han character), names an administrative
// level and a road, and ends with a digit or letter and a unit mark.
func validAddress(s string) bool {
	if len(s) > 200 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !isHan(r) {
		return false
	}
	has := func(marks []string) bool {
		for _, m := range marks {
			if strings.Contains(s, m) {
				return true
			}
		}
		return false
	}
	if !has(addrAdmin) || !has(addrRoad) {
		return false
	}
	for _, m := range addrUnit {
		if strings.HasSuffix(s, m) {
			c := s[len(s)-len(m)-1]
			return isDigitByte(c) || c >= 'A' && c <= 'Z'
		}
	}
	return false
}

func isHan(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }

// validName reports whether s is a Chinese name (two to four Han characters
// starting with one of the generator's surnames) or a Latin name (two or
// three capitalised words of letters, apostrophes and hyphens).
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s); isHan(r) {
		n := utf8.RuneCountInString(s)
		if n < 2 || n > 4 {
			return false
		}
		for _, r := range s {
			if !isHan(r) {
				return false
			}
		}
		for _, sn := range surnames {
			if strings.HasPrefix(s, sn[0]) {
				return true
			}
		}
		return false
	}
	words := strings.Split(s, " ")
	if len(words) < 2 || len(words) > 3 {
		return false
	}
	for _, w := range words {
		if len(w) < 2 || w[0] < 'A' || w[0] > 'Z' {
			return false
		}
		for i := 1; i < len(w); i++ {
			if !isLetterByte(w[i]) && w[i] != '\'' && w[i] != '-' {
				return false
			}
		}
	}
	return true
}

// validVector reports whether b is at least dims little-endian float32s,
// all finite.
func validVector(b []byte, dims int) bool {
	if len(b)%4 != 0 || len(b)/4 < dims {
		return false
	}
	for i := 0; i < len(b); i += 4 {
		f := math.Float32frombits(binary.LittleEndian.Uint32(b[i:]))
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			return false
		}
	}
	return true
}

// fmrLength reads an ISO/IEC 19794-2:2005 finger minutiae record header
// ("FMR\0", version " 20\0", a four-byte big-endian record length, the
// capture device id) and returns the record length.
func fmrLength(b []byte) (int, bool) {
	if len(b) < 24 || string(b[:8]) != "FMR\x00 20\x00" {
		return 0, false
	}
	n := int(binary.BigEndian.Uint32(b[8:12]))
	return n, n >= 24
}

// validTemplate reports whether b is a whole finger minutiae record whose
// finger views add up to its length, or the first maxTemplateBytes bytes of
// a longer record.
func validTemplate(b []byte) bool {
	n, ok := fmrLength(b)
	switch {
	case !ok:
		return false
	case n > maxTemplateBytes:
		return len(b) == maxTemplateBytes
	case len(b) != n:
		return false
	}
	p := 24
	for v := 0; v < int(b[22]); v++ {
		if p+4 > n {
			return false
		}
		p += 4 + 6*int(b[p+3])
		if p+2 > n {
			return false
		}
		p += 2 + int(binary.BigEndian.Uint16(b[p:]))
	}
	return p == n
}

// maxTemplateBytes caps the canonical value of a fingerprint template: the
// catalogue fingerprints at most this many bytes of a record.
const maxTemplateBytes = 2048

// Dictionaries of the category values the generator writes, transcribed
// from the catalogue's descriptions (zh and en), and the values that mean
// "none". validCategory uses them; the engine's own lists are not read.
var (
	religionTerms = []string{"佛教", "道教", "伊斯兰教", "基督教", "天主教", "藏传佛教", "基督徒", "穆斯林",
		"buddhism", "buddhist", "christianity", "christian", "catholic", "islam", "muslim", "hinduism",
		"hindu", "judaism", "jewish", "taoism", "sikh", "protestant", "orthodox"}
	medicalTerms = []string{"糖尿病", "高血压", "冠心病", "乙肝", "乙型肝炎", "肝硬化", "肺结核", "抑郁症",
		"焦虑症", "肺癌", "胃癌", "乳腺癌", "白血病", "哮喘", "脑卒中", "癫痫", "帕金森", "阿尔茨海默",
		"慢阻肺", "尿毒症", "diabetes", "hypertension", "asthma", "cancer", "leukemia", "hepatitis",
		"cirrhosis", "tuberculosis", "depression", "schizophrenia", "epilepsy", "stroke", "copd", "dementia"}
	identityTerms = []string{"汉族", "回族", "藏族", "维吾尔族", "蒙古族", "壮族", "满族", "苗族", "彝族",
		"朝鲜族", "土家族", "中共党员", "中共预备党员", "共青团员", "民盟", "九三学社", "无党派人士",
		"视力残疾", "听力残疾", "肢体残疾", "言语残疾", "有犯罪记录", "曾受刑事处罚"}
	// noneValues are the field values that mean "none" per category
	// (rules/builtin.yaml, params.empty).
	noneValues = map[string][]string{
		TypeReligion: {"无", "无宗教信仰", "不详", "未知", "none", "n/a", "na", "-", "null", "unknown", "否"},
		TypeMedical:  {"无", "正常", "不详", "未知", "none", "n/a", "na", "-", "null", "unknown", "否"},
		TypeIdentity: {"无", "无犯罪记录", "否", "不详", "未知", "群众", "none", "n/a", "na", "-", "null", "unknown", "no", "健全"},
	}
)

// isNone reports whether a field value means "none" for a category type.
func isNone(typ, s string) bool {
	for _, n := range noneValues[typ] {
		if strings.EqualFold(s, n) {
			return true
		}
	}
	return false
}

// validCategory reports whether s is a plausible canonical value of a
// category type: a non-empty field value that does not mean "none" (a
// religion value must name a religion), or a dictionary term.
func validCategory(dataType, s string) bool {
	if strings.TrimSpace(s) != s || s == "" || len(s) > 4096 || isNone(dataType, s) {
		return false
	}
	if dataType == TypeReligion {
		low := strings.ToLower(s)
		for _, t := range religionTerms {
			if strings.Contains(low, t) {
				return true
			}
		}
		return false
	}
	return true
}

// validBlob reports whether a hex canonical value decodes to at least n
// bytes.
func validBlob(h string, n int) ([]byte, bool) {
	b, err := hex.DecodeString(h)
	return b, err == nil && len(b) >= n && h == strings.ToLower(h)
}

func isDigitByte(c byte) bool  { return c >= '0' && c <= '9' }
func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
