package classifiers

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// The parsers of the single pass (pass.go). The pass sends the bytes that
// can start a candidate (digits, '@', ':') to them; they return the offset
// after what they consumed, so each digit sequence and token is parsed once.

// Bounds that make parsing independent of where a chunk boundary falls: a
// parser never looks further back than leadIn bytes or further ahead than
// maxSeq, both well inside the chunker's look-behind and look-ahead.
const (
	maxTok = 64  // longest alphanumeric token considered
	maxSeq = 160 // longest digit-group sequence considered, in bytes
	maxGrp = 12  // most digit groups in one sequence
	leadIn = maxLocal + 2
)

// glueBefore and glueAfter are the bytes that join a digit run to its
// neighbours into something a detector must look at.
var glueBefore, glueAfter = func() (b, a [256]bool) {
	for c := 0; c < 256; c++ {
		x := byte(c)
		alnum := isAlnum(x)
		// 0xB7 ends "·" (a plate's separator) and a few Han characters.
		b[c] = alnum || x == ' ' || x == '-' || x == '.' || x == '+' || x == '@' || x == '(' || x == 0xB7 || x == '%' // '%': a percent escape (percent)
		a[c] = alnum || x == ' ' || x == '-' || x == '.' || x == '@' || x == '(' || x == ')'
	}
	return b, a
}()

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool      { return isDigit(c) || isLetter(c) }
func isUpperAlnum(c byte) bool { return isDigit(c) || isUpper(c) }
func isSep(c byte) bool        { return c == ' ' || c == '-' }
func isBlank(c byte) bool      { return c == ' ' || c == '\t' || c == '\n' || c == '\r' } // blanks and line breaks

// Detectors are the built-in detector names a rule may use.
var Detectors = map[string]bool{
	"cn_resident_id": true, "hk_id": true, "tw_id": true, "cn_passport": true,
	"cn_mobile": true, "email": true, "ipv4": true, "bank_card": true,
	"iban": true, "gps_coordinate": true, "cn_uscc": true, "cn_license_plate": true,
	"cn_landline": true, "phone_number": true, "ipv6": true, "mac_address": true,
	"imei": true, "hk_macau_permit": true, "tw_permit": true, "cn_address": true,
	"person_name": true, "biometric_vector": true, "fingerprint_template": true,
	"field_value": true, "location_trace": true,
}

// fieldDetectors judge a whole value by the name of its field.
var fieldDetectors = map[string]bool{
	"field_value": true, "biometric_vector": true, "person_name": true, "cn_address": true,
}

// detectorEvidence is the base evidence of each detector's matches.
var detectorEvidence = map[string]string{
	"cn_resident_id": "checksum", "hk_id": "checksum", "tw_id": "checksum",
	"cn_passport": "format", "cn_mobile": "format", "email": "format,tld",
	"ipv4": "format", "bank_card": "checksum", "iban": "checksum",
	"gps_coordinate": "format", "cn_uscc": "checksum", "cn_license_plate": "format",
	"cn_landline": "format", "phone_number": "libphonenumber", "ipv6": "format",
	"mac_address": "format", "imei": "checksum", "hk_macau_permit": "format",
	"tw_permit": "format", "cn_address": "format", "person_name": "name_shape",
	"biometric_vector": "field_shape", "fingerprint_template": "template_header",
	"field_value": "field", "location_trace": "trace",
}

// number handles the digit at i: it finds the alphanumeric token holding it
// and sends it to the token, dotted-number or digit-group parser.
func (s *Scanner) number(i int) int {
	buf := s.buf
	// Fast path: an isolated run of fewer than ten digits ("200", "34:",
	// "id=123456789 ") starts nothing. Isolated means no letter, digit
	// separator, dot or plus sign on either side, which would make it part
	// of a token, a group sequence, a dotted number or a country code.
	j := digitsEnd(buf, i+1)
	// Dates and times ("2026-11-16 08:00:00.731", "2026/11/16T08:00") are
	// the commonest digits in logs and exports and no detector wants them:
	// skip them whole before any group parsing.
	if j-i == 4 && j < len(buf) && (buf[j] == '-' || buf[j] == '/') && (i == 0 || !isAlnum(buf[i-1])) && i+10 <= len(buf) {
		if end := dateTime(buf, i); end > 0 {
			return end
		}
	}
	if j-i < 5 && spaceIsolated(buf, i, j) {
		return j
	}
	if (i == 0 || !glueBefore[buf[i-1]]) && (j == len(buf) || !glueAfter[buf[j]]) {
		// A run of 10 to 19 digits with nothing to glue it to is one group:
		// validate it directly (order numbers and timestamps end here).
		switch n := j - i; {
		case n >= 10 && n < 20:
			s.gs[0] = group{s: i, e: j}
			s.tryGroups(s.gs[:1], 0, 0, 0, false)
		case n == disabilityLen:
			s.disabilityCert(i, j)
		case n <= 4 && j < len(buf) && buf[j] == 0xEF:
			// "（010）62345678": an area code in full-width parentheses.
			if end, ok := s.parenLandline(i, j); ok {
				return end
			}
		}
		return j
	}
	ts := i
	for ts > 0 && isAlnum(buf[ts-1]) {
		ts--
		if i-ts > maxTok {
			return skipAlnum(buf, i)
		}
	}
	if ts == i && i > 0 && buf[i-1] == '%' {
		// Percent-encoding: the digits after '%' start an escape ("%40",
		// "%2B", "%20"), not a number. '%' glues (glueBefore), so that
		// "%2013812348000" does not take the fast path for a run of 10 to
		// 19 digits above.
		if end := s.percent(i); end > 0 {
			return end
		}
	}
	// buf[i:j] are digits: the token goes on from j.
	te := j
	letters := ts < i
	if te-ts > maxTok {
		return skipAlnum(buf, te)
	}
	for te < len(buf) && isAlnum(buf[te]) {
		if !isDigit(buf[te]) {
			letters = true
		}
		te++
		if te-ts > maxTok {
			return skipAlnum(buf, te)
		}
	}
	if te < len(buf) && buf[te] == '-' || ts > 0 && buf[ts-1] == '-' {
		// A UUID ("31ccb239-8c13-4a06-a99c-4f0cbe7eee33", a trace or
		// request id on every line of many logs) holds no value: skip it
		// whole instead of sending each of its groups to the parsers.
		if end, ok := uuidAround(buf, ts, te); ok {
			return end
		}
	}
	if s.hasNet && te < len(buf) && (te-ts == 2 && buf[te] == '-' || te-ts == 4 && buf[te] == '.' && letters && allHex(buf[ts:te])) {
		// A MAC group: "AB-CD-12-..." reached at "12", or a dotted
		// (Cisco) group with letters, "a012.3456.789a" (all-digit dotted
		// groups are handled with dotted numbers below).
		if end, ok := s.macBack(ts); ok {
			return end
		}
	}
	if letters && !isXTail(buf[ts:te]) {
		return s.token(ts, te)
	}
	if end, ok := s.parenLandline(ts, te); ok {
		return end
	}
	if end, ok := s.parenCountry(ts, te); ok {
		return end
	}
	if !letters && te+1 < len(buf) && buf[te] == '.' && (isDigit(buf[te+1]) || te-ts == 4 && s.hasNet) {
		if te-ts == 4 && s.hasNet {
			// Not necessarily the first group: "acde.4840.53a1" is reached
			// at its first digits.
			if end, ok := s.macBack(ts); ok {
				return end
			}
		}
		if isDigit(buf[te+1]) {
			return s.dotted(ts)
		}
	}
	if ts > 0 && buf[ts-1] == '.' && ts > 1 && isDigit(buf[ts-2]) {
		// The tail of a dotted number reached from a chunk start: parse the
		// whole number from its beginning.
		return s.dotted(ts)
	}
	return s.groups(ts)
}

// percent handles the digit after a '%' of a URL's percent-encoding:
// "%40" is an e-mail address's '@' (?email=zhang%40example.com) and "%2B"
// the '+' before a country code (?phone=%2B8613812348000). It returns
// where scanning resumes, or 0 when neither is there.
func (s *Scanner) percent(i int) int {
	buf := s.buf
	if i+2 >= len(buf) {
		return 0
	}
	switch {
	case buf[i] == '4' && buf[i+1] == '0':
		return s.emailAt(i-1, 3)
	case buf[i] == '2' && buf[i+1]|0x20 == 'b' && isDigit(buf[i+2]):
		return s.groups(i + 2)
	case isDigit(buf[i+2]) && isHexByte(buf[i]) && isHexByte(buf[i+1]):
		// Any other escape of a byte that is no letter or digit ("%20",
		// "%3D", "%3A", the last byte of an escaped Chinese character) ends
		// a word as the byte itself does: phone%3D13812348000 and
		// %E5%BC%A0%E4%B8%8913812348000 (a name saved URL-encoded) hold
		// the number, as phone=13812348000 and 张三13812348000 do.
		if c := hexVal(buf[i])<<4 | hexVal(buf[i+1]); !isAlnum(c) {
			return s.groups(i + 2)
		}
	}
	return 0
}

// hexVal is the value of hex digit c (isHexByte).
func hexVal(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return (c | 0x20) - 'a' + 10
}

// spaceIsolated reports a digit run buf[i:j] between spaces that no group
// sequence can continue ("order 7 shipped", "user 12 at"): the byte before
// the left space is not a digit (nor the ')' of "(010) 1234") and the byte
// after the right space is not a digit. Such a run of fewer than five
// digits is a lone group too short for any detector (a plate's serial has
// five), which groups would find only after walking back over the word
// before it.
func spaceIsolated(buf []byte, i, j int) bool {
	return i >= 2 && buf[i-1] == ' ' && !isDigit(buf[i-2]) && buf[i-2] != ')' &&
		j < len(buf) && buf[j] == ' ' && (j+1 == len(buf) || !isDigit(buf[j+1]))
}

// digitsEnd returns the end of the run of digits at buf[i:], eight bytes
// at a time: a byte is a digit when, XORed with '0', it is at most 9; adding
// 0x76 sets its high bit otherwise. A carry only leaves a byte that is not
// a digit, so the lowest flagged byte is the first non-digit.
func digitsEnd(buf []byte, i int) int {
	for i+8 <= len(buf) {
		x := binary.LittleEndian.Uint64(buf[i:]) ^ 0x3030303030303030
		if m := (x + 0x7676767676767676 | x) & 0x8080808080808080; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(buf) && isDigit(buf[i]) {
		i++
	}
	return i
}

// dateTime returns the end of a date (YYYY-MM-DD or YYYY/MM/DD) at i,
// with an optional time (T or space, HH:MM, :SS, fraction), or 0. It runs
// once per log line, so it tests bytes directly (no closures, no loops
// before the fraction).
func dateTime(b []byte, i int) int {
	if i+10 > len(b) {
		return 0
	}
	d := b[i : i+10]
	if sep := d[4]; sep != '-' && sep != '/' || d[7] != sep ||
		d[0] != '1' && d[0] != '2' || d[5] > '1' || d[8] > '3' ||
		!isDigit(d[1]) || !isDigit(d[2]) || !isDigit(d[3]) || !isDigit(d[5]) || !isDigit(d[6]) || !isDigit(d[8]) || !isDigit(d[9]) {
		return 0 // not a plausible year, month or day
	}
	e := i + 10
	if e+6 <= len(b) {
		t := b[e : e+6]
		if (t[0] == 'T' || t[0] == ' ') && isDigit(t[1]) && isDigit(t[2]) && t[3] == ':' && isDigit(t[4]) && isDigit(t[5]) {
			e += 6
			if e+3 <= len(b) && b[e] == ':' && isDigit(b[e+1]) && isDigit(b[e+2]) {
				e += 3
				if e+1 < len(b) && (b[e] == '.' || b[e] == ',') && isDigit(b[e+1]) {
					e += 2
					for e < len(b) && isDigit(b[e]) {
						e++
					}
				}
			}
			e = zone(b, e)
		}
	}
	if e < len(b) && (isAlnum(b[e]) && b[e] != 'Z' && b[e] != 'T') {
		return 0 // glued to more: not a date after all
	}
	return e
}

// uuidLen is the length of a UUID's text form, 8-4-4-4-12 hex digits.
const uuidLen = 36

// uuidAround reports whether the alphanumeric token buf[ts:te] is one group
// of a UUID standing on its own, and returns the UUID's end.
func uuidAround(buf []byte, ts, te int) (int, bool) {
	// Where the UUID would start, by the group's length: the first (8),
	// the second, third or fourth (4) or the last (12).
	var starts [3]int
	n := 0
	switch te - ts {
	case 8:
		starts[0], n = ts, 1
	case 4:
		starts, n = [3]int{ts - 9, ts - 14, ts - 19}, 3
	case 12:
		starts[0], n = ts-24, 1
	}
	for _, st := range starts[:n] {
		if st >= 0 && st+uuidLen <= len(buf) && isUUID(buf[st:st+uuidLen]) &&
			(st == 0 || !isAlnum(buf[st-1]) && buf[st-1] != '-') &&
			(st+uuidLen == len(buf) || !isAlnum(buf[st+uuidLen]) && buf[st+uuidLen] != '-') {
			return st + uuidLen, true
		}
	}
	return 0, false
}

// isUUID reports 8-4-4-4-12 hex digits with at least one letter (an
// all-digit sequence is left to the digit-group parser). The dashes are
// checked first, so most look-alikes cost four loads; the groups are then
// classified by table without a branch per byte.
func isUUID(u []byte) bool {
	if len(u) != uuidLen || u[8] != '-' || u[13] != '-' || u[18] != '-' || u[23] != '-' {
		return false
	}
	var acc byte
	for _, c := range u[:8] {
		acc |= hexClass[c]
	}
	for _, c := range u[9:13] {
		acc |= hexClass[c]
	}
	for _, c := range u[14:18] {
		acc |= hexClass[c]
	}
	for _, c := range u[19:23] {
		acc |= hexClass[c]
	}
	for _, c := range u[24:] {
		acc |= hexClass[c]
	}
	return acc&hexBad == 0 && acc&hexLetter != 0
}

// hexClass sorts bytes for isUUID: a digit, a hex letter (either case) or
// anything else.
const (
	hexDigit  = 1
	hexLetter = 2
	hexBad    = 4
)

var hexClass = func() (t [256]byte) {
	for c := range t {
		switch b := byte(c); {
		case isDigit(b):
			t[c] = hexDigit
		case isHexByte(b):
			t[c] = hexLetter
		default:
			t[c] = hexBad
		}
	}
	return t
}()

// zone returns the end of an ISO 8601 zone at e (Z, +08:00, +0800, -05:00)
// after a time, or e: "+08:00" parsed on its own would send "+08" to the
// international phone parser and ":00" to the IPv6 parser on every line of
// a JSON log.
func zone(b []byte, e int) int {
	if e >= len(b) {
		return e
	}
	switch b[e] {
	case 'Z':
		return e + 1
	case '+', '-':
	default:
		return e
	}
	z := b[e+1 : min(len(b), e+6)]
	if len(z) >= 4 && isDigit(z[0]) && isDigit(z[1]) && z[0] <= '2' {
		if len(z) == 5 && z[2] == ':' && isDigit(z[3]) && isDigit(z[4]) {
			return e + 6
		}
		if isDigit(z[2]) && isDigit(z[3]) && (len(z) < 5 || !isAlnum(z[4])) {
			return e + 5
		}
	}
	return e
}

func skipAlnum(buf []byte, i int) int {
	for i < len(buf) && isAlnum(buf[i]) {
		i++
	}
	return i
}

// isXTail reports digits ending in X or x: the last group of a resident ID.
func isXTail(t []byte) bool {
	n := len(t)
	if n < 2 || (t[n-1] != 'X' && t[n-1] != 'x') {
		return false
	}
	for _, c := range t[:n-1] {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// group is one run of digits in a sequence such as "138 1234 5678".
type group struct {
	s, e int  // offsets in buf
	x    bool // ends with X (resident ID check character)
}

// groups parses the digit-group sequence holding the token at ts: runs of
// digits joined by single spaces or dashes. A match is always a run of
// whole groups, so a longer digit run (an order number, a timestamp) never
// yields a sub-match, while "2024 13812345678" still yields the phone.
func (s *Scanner) groups(ts int) int {
	buf := s.buf
	// Walk back to the first group of the sequence.
	start := ts
	blockFirst := false
	for start >= 2 && isSep(buf[start-1]) && isAlnum(buf[start-2]) {
		p := start - 1
		q := p
		for q > 0 && isAlnum(buf[q-1]) && p-q <= maxTok {
			q--
		}
		if !allDigits(buf[q:p]) {
			if isTimeZ(buf, q, p) {
				break // "08:00:00Z 13812345678": a UTC time, then a value
			}
			// A sequence glued to a code like "DE89 3704 ..." or "AB12-3456"
			// continues that code (an IBAN that failed its check, a part
			// number): none of its groups is a value of its own.
			if hasDigit(buf[q:p]) {
				return skipSeq(buf, ts)
			}
			break
		}
		start = q
		if ts-start > maxSeq {
			return skipSeq(buf, ts)
		}
	}
	// Walk forward collecting groups (into a reused array: zeroing a fresh
	// one per call shows up in digit-heavy logs).
	gs := &s.gs
	n := 0
	i := start
	for {
		e := digitsEnd(buf, i)
		g := group{s: i, e: e}
		if e < len(buf) && (buf[e] == 'X' || buf[e] == 'x') && (e+1 >= len(buf) || !isAlnum(buf[e+1])) {
			g.e, g.x = e+1, true
		} else if e < len(buf) && isLetter(buf[e]) {
			// Digits running into letters ("123abc") end the sequence and
			// the token is not a number.
			if n == 0 {
				return skipAlnum(buf, e)
			}
			break
		}
		gs[n] = g
		n++
		if g.e-start > maxSeq || n > maxGrp {
			return skipSeq(buf, g.e)
		}
		if g.x || g.e+1 >= len(buf) || !isSep(buf[g.e]) || !isDigit(buf[g.e+1]) {
			break
		}
		i = g.e + 1
	}
	end := gs[n-1].e
	// Boundaries: a fraction (3.14159...) or a group glued to '@' (an e-mail
	// local part) cannot start or end a match.
	if start >= 2 && buf[start-1] == '.' && isDigit(buf[start-2]) || start >= 1 && buf[start-1] == '@' {
		blockFirst = true
	}
	plus := plusWidth(buf, start)
	digits := 0
	for _, g := range gs[:n] {
		digits += g.e - g.s
	}
	if digits < 10 && plus == 0 {
		// No digit type is this short (dates, times, counts): only a
		// licence plate's serial ("沪C 88888") can be here.
		if n == 1 && !blockFirst && digits >= 5 {
			if ps, ok := s.plate(gs[0].s, gs[0].e); ok {
				s.emitPlate(ps, gs[0].e)
			}
		}
		return end
	}
	blockLast := end < len(buf) && (buf[end] == '@' || buf[end] == '.' && end+1 < len(buf) && isDigit(buf[end+1]))
	if plus > 0 && !blockFirst {
		if e, ok := s.intlPhone(start-plus, start); ok {
			return e
		}
	}
	if n == 1 && !blockFirst {
		if ps, ok := s.plate(gs[0].s, gs[0].e); ok {
			s.emitPlate(ps, gs[0].e)
			return end
		}
	}
	if n == 1 && digits == disabilityLen && !blockFirst && !blockLast {
		s.disabilityCert(gs[0].s, gs[0].e)
		return end
	}
	s.matchGroups(gs[:n], blockFirst, blockLast, plus)
	return end
}

// plusWidth returns the width of a plus sign right before the digits at
// start: 1 for '+', 3 for a URL's "%2B", else 0.
func plusWidth(buf []byte, start int) int {
	switch {
	case start >= 1 && buf[start-1] == '+':
		return 1
	case start >= 3 && buf[start-3] == '%' && buf[start-2] == '2' && buf[start-1]|0x20 == 'b':
		return 3
	}
	return 0
}

// isTimeZ reports that buf[q:p] ends a UTC time: digits and Z after a
// colon or a fraction's dot ("08:00:00Z", "08:00:00.731Z").
func isTimeZ(buf []byte, q, p int) bool {
	return p-q >= 2 && buf[p-1] == 'Z' && q > 0 && (buf[q-1] == ':' || buf[q-1] == '.') && allDigits(buf[q:p-1])
}

func skipSeq(buf []byte, i int) int {
	for i < len(buf) && (isAlnum(buf[i]) || isSep(buf[i]) && i+1 < len(buf) && isDigit(buf[i+1])) {
		i++
	}
	return i
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !isHexByte(c) {
			return false
		}
	}
	return true
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

func hasDigit(b []byte) bool {
	for _, c := range b {
		if isDigit(c) {
			return true
		}
	}
	return false
}

// matchGroups tries every run of whole groups, longest first from each start,
// and keeps the first validated value; a validated run is consumed.
func (s *Scanner) matchGroups(gs []group, blockFirst, blockLast bool, plus int) {
	took := -1 // the last group of the last validated run
	for a := 0; a < len(gs); a++ {
		if a == 0 && blockFirst {
			continue
		}
		for b := len(gs) - 1; b >= a; b-- {
			if b == len(gs)-1 && blockLast {
				continue
			}
			if gs[b].x && b != len(gs)-1 {
				continue
			}
			nd := 0
			for k := a; k <= b; k++ {
				nd += gs[k].e - gs[k].s
			}
			if nd < 10 {
				break // shorter runs from this start are shorter still
			}
			if nd > 19 {
				continue
			}
			if b > a && s.insideRun(gs, a, b, took) {
				continue
			}
			p := plus
			if a > 0 {
				p = 0
			}
			if s.tryGroups(gs, a, b, p, took == a-1 && a > 0) {
				took = b
				a = b
				break
			}
		}
	}
}

// insideRun reports that the groups gs[a:b+1] are cut from a longer run
// of numbers: groups joined by the same separator go on both before and
// after them, or two or more come before them. A run of numbers is a
// table, a drawing or a list of codes ("insert ( 10656 4614 2950 2950 2
// 4617 )" in PostgreSQL's catalogue, a PostScript file's "5917 5953 5989
// 6025 6062 6098"), where one window in ten passes Luhn; a value written
// in groups stands apart from the numbers around it, or has at most one
// before it ("张三 25 138 1234 8000"). The groups of a value found before
// (up to took) are not part of the run: "138 1234 8000 139 8765 4321 137
// 0000 1111" lists three numbers. Numbers only after the groups are left
// alone, as they may be the next values of such a list.
func (s *Scanner) insideRun(gs []group, a, b, took int) bool {
	sep := s.buf[gs[a+1].s-1]
	before := 0
	for k := a; k > took+1 && k > 0 && s.buf[gs[k].s-1] == sep && before < 2; k-- {
		before++
	}
	after := b < len(gs)-1 && s.buf[gs[b+1].s-1] == sep
	return before >= 2 || before == 1 && after
}

// sameSep reports whether the groups are joined by one kind of separator.
func (s *Scanner) sameSep(gs []group) bool {
	for k := 1; k < len(gs); k++ {
		if s.buf[gs[k].s-1] != s.buf[gs[1].s-1] {
			return false
		}
	}
	return true
}

// layout reports whether the group lengths equal one of the given shapes.
func layoutIs(gs []group, shapes ...[]int) bool {
outer:
	for _, sh := range shapes {
		if len(sh) != len(gs) {
			continue
		}
		for k, g := range gs {
			if g.e-g.s != sh[k] {
				continue outer
			}
		}
		return true
	}
	return false
}

var (
	// IMEIs are written solid or as AA-BBBBBB-CCCCCC-D, TAC-SNR-CD (8-6-1)
	// and 6-2-6-1 (the old TAC and final assembly code).
	imeiShapes   = [][]int{{15}, {2, 6, 6, 1}, {8, 6, 1}, {6, 2, 6, 1}}
	idShapes     = [][]int{{18}, {6, 8, 4}, {6, 4, 4, 4}, {4, 4, 4, 4, 2}}
	mobileShapes = [][]int{{11}, {3, 4, 4}, {3, 8}, {4, 7}}
)

// cardShape: one run, groups of four with a shorter last group after four
// of them (the 17 to 19 digits of UnionPay), or the 4-6-5 / 4-6-4 shapes
// of American Express and Diners Club. "4077 1083 1083 4" is no card
// layout (13 to 15 digits are written 4-3-3-3, 4-6-5 or 4-6-4) but four
// numbers of a table row, 12 of them in PostgreSQL's catalogue.
func cardShape(gs []group) bool {
	if len(gs) == 1 || layoutIs(gs, []int{4, 6, 5}, []int{4, 6, 4}) {
		return true
	}
	for k, g := range gs {
		l := g.e - g.s
		if l != 4 && !(k == len(gs)-1 && k >= 4 && l >= 1 && l < 4) {
			return false
		}
	}
	return true
}

// tryGroups validates the run seq[a:b+1] of a group sequence as a resident
// ID, a mobile number or a payment card, in that order, and reports whether
// one validated. plus is the width of a plus sign before the first group
// (plusWidth); taken says a value was found in the groups just before.
func (s *Scanner) tryGroups(seq []group, a, b int, plus int, taken bool) bool {
	gs := seq[a : b+1]
	if !s.sameSep(gs) || unitAfter(s.buf, gs[len(gs)-1].e) {
		return false
	}
	d := s.digits[:0]
	for _, g := range gs {
		d = append(d, s.buf[g.s:g.e]...)
	}
	s.digits = d
	start, end := gs[0].s, gs[len(gs)-1].e
	if a == 0 && signed(s.buf, start) {
		return false
	}
	if len(gs) == 1 && s.spans == nil && !s.name && strokeColumn(s.buf, start, end, s.own0 == 0, s.own1 == len(s.buf)) {
		return false
	}
	s.stats.Candidates++
	if gs[len(gs)-1].x {
		d[len(d)-1] = 'X'
		if len(d) == 18 && layoutIs(gs, idShapes...) && s.tryResidentID(d, start, end) {
			return true
		}
		// A unified social credit code may end in X too.
		if len(d) == 18 && len(gs) == 1 && uscc(d) {
			s.emit(candidate{ri: s.e.det[dCnUscc], start: start, end: end, canon: d})
			return true
		}
		return false
	}
	if len(d) == 18 && layoutIs(gs, idShapes...) && s.tryResidentID(d, start, end) {
		return true
	}
	// A code of digits only is not proven by its check character the way
	// one with letters is: one 18-digit number in about 10,000 passes (an
	// order or transaction number), so a negative label ("订单号") vetoes it.
	if len(d) == 18 && len(gs) == 1 && uscc(d) {
		s.emit(candidate{ri: s.e.det[dCnUscc], start: start, end: end, canon: d})
		return true
	}
	if s.tryMobile(gs, d, plus) {
		return true
	}
	if d[0] == '0' || plus > 0 {
		if s.tryLandline(gs, d, plus, seq, a, taken) {
			return true
		}
	}
	// An IMEI is a 15-digit Luhn number; it needs an IMEI keyword or column,
	// otherwise the number may be a card.
	if len(d) == 15 && layoutIs(gs, imeiShapes...) && luhn(d) {
		if s.emit(candidate{ri: s.e.det[dImei], start: start, end: end, canon: d}) {
			return true
		}
	}
	// Luhn is required for every network, UnionPay included (DESIGN.md
	// section 4), although some UnionPay test numbers lack it (conformance
	// README, surprise 5): "card-shaped but failing Luhn" is the commonest
	// decoy, and a check digit is what tells a card from an order number.
	if cardShape(gs) && cardNumber(d) && luhn(d) {
		if len(gs) == 1 && (numberList(s.buf, start, end, s.spans == nil) || castArg(s.buf, start)) || len(gs) >= 4 && s.amongCodes(gs, taken) {
			return false
		}
		weak := (s.name || slugTail(s.buf, start)) && len(gs) == 1
		s.emit(candidate{ri: s.e.det[dBankCard], start: start, end: end, canon: d, needCtx: weak})
		return true
	}
	return false
}

// signed reports a minus sign that makes the digits at start a negative
// number: a '-' right before them, at the start of a token ("x =
// -4576982950128230565", "{-19012425939, 64}", "$-4503599627370496" in
// assembly). No identifier is negative; a hyphen inside a token joins
// ("2024-13812345678") and one before a space lists ("- 13812345678").
func signed(buf []byte, start int) bool {
	if start < 1 || buf[start-1] != '-' {
		return false
	}
	if start == 1 {
		return true
	}
	switch buf[start-2] {
	case ' ', '\t', '\n', '\r', ',', '(', '[', '{', '=', '$':
		return true
	}
	return false
}

// amongCodes reports a card written in groups of four that is cut from a
// line of codes joined by the same separator: Unicode code points in hex
// ("5211 5212 5213 5214 5215 ... 521A 20BBF", Perl's collation tables gave
// 31 cards), a column of numbers ("quanta 2650 1514 1514 1514 1514"). A
// code is four or five hex digits, one of them a digit, so that words
// ("face", "dead") are not. insideRun sees only digit groups; this sees
// the hex codes around them too. A card is inside such a line with two
// codes before it, or one before and one after; at the start of one with
// two after, unless the groups after it are a card as well (a list of
// cards on one line). taken says a value ends just before: its groups are
// not codes.
func (s *Scanner) amongCodes(gs []group, taken bool) bool {
	buf := s.buf
	sep := buf[gs[1].s-1]
	// code reports a code of its own in buf[a:b]: four or five hex
	// digits (code points past U+FFFF have five), one of them a digit.
	code := func(a, b int) bool {
		if a < 0 || b > len(buf) || b-a < 4 || b-a > 5 || a > 0 && isAlnum(buf[a-1]) || b < len(buf) && isAlnum(buf[b]) {
			return false
		}
		digit := false
		for _, c := range buf[a:b] {
			if !isHexByte(c) {
				return false
			}
			digit = digit || isDigit(c)
		}
		return digit
	}
	before, after := 0, 0
	for p := gs[0].s - 1; !taken && before < 2 && p > 0 && buf[p] == sep; before++ {
		a := p
		for a > 0 && p-a < 6 && isAlnum(buf[a-1]) {
			a--
		}
		if !code(a, p) {
			break
		}
		p = a - 1
	}
	for p := gs[len(gs)-1].e; after < 2 && p < len(buf) && buf[p] == sep; after++ {
		b := p + 1
		for b < len(buf) && b-p <= 6 && isAlnum(buf[b]) {
			b++
		}
		if !code(p+1, b) {
			break
		}
		p = b
	}
	switch {
	case before >= 2 || before == 1 && after >= 1:
		return true
	case after < 2:
		return false
	}
	// The start of a line of codes, or the first of a list of cards: the
	// groups after it, as wide as its own, must be a card too.
	d := s.digits[len(s.digits):] // after the candidate's digits
	p := gs[len(gs)-1].e
	for _, g := range gs {
		w := g.e - g.s
		if p+1+w > len(buf) || buf[p] != sep || !allDigits(buf[p+1:p+1+w]) || p+1+w < len(buf) && isAlnum(buf[p+1+w]) {
			return true
		}
		d = append(d, buf[p+1:p+1+w]...)
		p += 1 + w
	}
	return !(cardNumber(d) && luhn(d))
}

// slugTail reports a number joined by '-' or '_' to the word before it,
// the end of an identifier or file name ("hb-subset-fuzzer-5675720390475776",
// an OSS-Fuzz test case, of which harfbuzz's changelog lists 93 that pass
// the card checks). As in an object's name, a card there needs a card
// keyword ("card-6222...") or column.
func slugTail(buf []byte, start int) bool {
	return start >= 2 && (buf[start-1] == '-' || buf[start-1] == '_') && isLetter(buf[start-2])
}

// castArg reports a number that is the argument of a conversion to an
// integer type in code: "int64(6715870808026712034)", "uint64(...)",
// "BigInt(...)". Go's math/rand regression tables list their 64-bit
// outputs so; a card in code is a string.
func castArg(buf []byte, start int) bool {
	if start < 1 || buf[start-1] != '(' {
		return false
	}
	p := start - 1
	for _, w := range [...]string{"int", "int64", "uint", "uint64", "long", "ulong", "i64", "u64", "i128", "u128", "bigint", "newint", "uintptr"} {
		if wordEndsAt(buf, p, w) && (p == len(w) || !isDigit(buf[p-len(w)-1]) && buf[p-len(w)-1] != '_') {
			return true
		}
	}
	return false
}

// numberList reports a card-like number buf[start:end] that is one of a
// comma-separated list of long numbers, two or more of its neighbours (up
// to two on each side) being long numbers that are not cards, and more of
// them than are: a table of random or computed 64-bit constants
// ("-4576982950128230565, 1395769623340756751, ...", Go's math/rand seed
// table gave 33 cards), where one in twenty passes every card check and so
// a neighbour may too. A list of cards has cards for neighbours, and a
// card next to one order number ("1234567890123, 4111111111111111") is
// kept. A negative number is no card.
//
// In text, a number alone on its line among lines that hold one each is
// judged by the same count: a column of Fibonacci numbers, of order or
// account numbers, gives a card in about thirty lines; a file of cards has
// cards on the lines around. (A batch of record values has one per line:
// the scanner judges columns of records by their values' coincidences.)
func numberList(buf []byte, start, end int, text bool) bool {
	if text && lineStart(buf, start) && lineEnd(buf, end) {
		return listOf(buf, start, end, lineItemBefore, lineItemAfter)
	}
	return listOf(buf, start, end, listItemBefore, listItemAfter)
}

// listOf is numberList for one kind of list, its items read by before and
// after.
func listOf(buf []byte, start, end int, before, after func([]byte, int) (int, int, bool)) bool {
	n1, c1, ok := longItems(buf, start, before)
	if !ok {
		return false
	}
	n2, c2, ok := longItems(buf, end, after)
	return ok && n1+n2 >= 2 && n1+n2 > c1+c2
}

func lineStart(buf []byte, p int) bool { return p == 0 || buf[p-1] == '\n' }
func lineEnd(buf []byte, p int) bool {
	return p == len(buf) || buf[p] == '\n' || buf[p] == '\r' && (p+1 == len(buf) || buf[p+1] == '\n')
}

// lineItemBefore returns the line before the line starting at p, when it
// is one token of digits, signs and dots.
func lineItemBefore(buf []byte, p int) (int, int, bool) {
	if p == 0 {
		return 0, 0, false
	}
	e := p - 1 // the '\n'
	if e > 0 && buf[e-1] == '\r' {
		e--
	}
	s := e
	for s > 0 && e-s < 32 && (isDigit(buf[s-1]) || buf[s-1] == '.' || buf[s-1] == '-') {
		s--
	}
	return s, e, s < e && lineStart(buf, s)
}

// lineItemAfter returns the line after the line ending at p, when it is
// one token of digits, signs and dots.
func lineItemAfter(buf []byte, p int) (int, int, bool) {
	if p < len(buf) && buf[p] == '\r' {
		p++
	}
	if p >= len(buf) {
		return 0, 0, false
	}
	s := p + 1
	e := s
	for e < len(buf) && e-s < 32 && (isDigit(buf[e]) || buf[e] == '.' || buf[e] == '-') {
		e++
	}
	return s, e, s < e && lineEnd(buf, e)
}

// longItems counts up to two list items next to p, read by item (before or
// after p), that are long numbers: n that are not cards, cards that are.
// A number of a card network's prefix and length that fails Luhn counts
// as neither: lists of test cards hold many ("6222000000000000", as
// UnionPay's often fail it), and a typo is no sign of a table. A negative
// number counts twice: no list of cards holds one. ok is false when one of them is anything else (a name: "Alice,
// 4111111111111111, ..." is a record, not a table of numbers).
func longItems(buf []byte, p int, item func([]byte, int) (int, int, bool)) (n, cards int, ok bool) {
	for k := 0; k < 2; k++ {
		s, e, found := item(buf, p)
		if !found {
			break
		}
		card, shaped, big := longNumber(buf[s:e])
		switch {
		case !big:
			return n, cards, false
		case card:
			cards++
		case !shaped:
			n++
			if buf[s] == '-' {
				n++ // a negative number: a table, whatever its neighbours
			}
		}
		if s < p {
			p = s // before: go on leftwards
		} else {
			p = e
		}
	}
	return n, cards, true
}

// listItemBefore returns the list item before a comma before p: "x, "
// and "x,\n\t\t" both give x, a token of digits, signs and dots.
func listItemBefore(buf []byte, p int) (int, int, bool) {
	for p > 0 && isBlank(buf[p-1]) {
		p--
	}
	if p == 0 || buf[p-1] != ',' {
		return 0, 0, false
	}
	p--
	for p > 0 && (buf[p-1] == ' ' || buf[p-1] == '\t') {
		p--
	}
	e := p
	for p > 0 && e-p < 32 && (isAlnum(buf[p-1]) || buf[p-1] == '.' || buf[p-1] == '-') {
		p--
	}
	return p, e, p < e
}

// listItemAfter returns the list item after a comma after p.
func listItemAfter(buf []byte, p int) (int, int, bool) {
	for p < len(buf) && (buf[p] == ' ' || buf[p] == '\t') {
		p++
	}
	if p == len(buf) || buf[p] != ',' {
		return 0, 0, false
	}
	p++
	for p < len(buf) && isBlank(buf[p]) {
		p++
	}
	s := p
	for p < len(buf) && p-s < 32 && (isAlnum(buf[p]) || buf[p] == '.' || buf[p] == '-') {
		p++
	}
	return s, p, s < p
}

// longNumber reports whether a list item t is a number (a sign, digits,
// a fraction) with ten digits or more before any point (big), whether it
// has a card network's prefix and length (shaped), and whether it passes
// as a card (shaped and Luhn). A negative number is no card.
func longNumber(t []byte) (card, shaped, big bool) {
	signed := len(t) > 0 && t[0] == '-'
	if signed {
		t = t[1:]
	}
	n := 0
	for n < len(t) && isDigit(t[n]) {
		n++
	}
	if n < len(t) && (t[n] != '.' || !allDigits(t[n+1:])) {
		return false, false, false // a word or a code
	}
	if n < 10 {
		return false, false, false
	}
	d := t[:n]
	shaped = !signed && n == len(t) && n >= 13 && n <= 19 && cardNumber(d)
	return shaped && luhn(d), shaped, true
}

// unitAfter reports a unit of measure after a number ending at end: a
// space and a Go benchmark's per-operation unit ("19319967000
// build-user-ns/op", "1234567890 B/op"), a time or a size ("13812348000
// ns", "6222021234567894 bytes"). A measurement is no identifier: the
// benchmark results in golang.org/x/perf's test data gave 9,104 mobiles.
func unitAfter(buf []byte, end int) bool {
	if end+1 >= len(buf) || buf[end] != ' ' {
		return false
	}
	j := end + 1
	for j < len(buf) && j-end <= 32 && (isAlnum(buf[j]) || buf[j] == '-' || buf[j] == '_' || buf[j] == '/') {
		j++
	}
	u := buf[end+1 : j]
	if len(u) == 0 || j < len(buf) && j-end > 32 {
		return false
	}
	if len(u) > 3 && bytes.HasSuffix(u, []byte("/op")) || len(u) > 2 && bytes.HasSuffix(u, []byte("/s")) {
		return true
	}
	switch string(u) {
	case "ns", "us", "ms", "sec", "secs", "seconds", "B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "bytes":
		return true
	}
	return false
}

// pathPart reports a token buf[ts:te] that is a segment of a file path or
// URL, or a file's stem: a '/' or '\\' before it, or after it, or a '.'
// and a letter after it (an extension).
func pathPart(buf []byte, ts, te int) bool {
	if ts > 0 && (buf[ts-1] == '/' || buf[ts-1] == '\\') {
		return true
	}
	if te < len(buf) && (buf[te] == '/' || buf[te] == '\\') {
		return true
	}
	return te+1 < len(buf) && buf[te] == '.' && isLetter(buf[te+1])
}

// disabilityLen is the length of a disability certificate number (second
// generation 残疾人证): the holder's resident ID, the disability category
// (1 视力 to 7 多重) and its level (1 to 4).
const disabilityLen = 20

// disabilityCert reports the resident ID held in a disability certificate
// number buf[start:end] (20 digits). The canonical value is the ID, so the
// finding joins the holder's other findings; the match covers the whole
// number. An ID with two more digits is also the shape of many transaction
// numbers, so the number must be labelled as a certificate: 残疾 (残疾人证,
// 残疾证号) just before it, or a field named so.
func (s *Scanner) disabilityCert(start, end int) {
	d := append(s.digits[:0], s.buf[start:end]...)
	s.digits = d
	if d[18] < '1' || d[18] > '7' || d[19] < '1' || d[19] > '4' {
		return
	}
	// The label first: it is rare, and cheaper than the ID's checks.
	if !s.disabilityLabel(start) {
		return
	}
	s.stats.Candidates++
	birth, ok := residentID(d[:18], s.e.notAfter)
	if !ok {
		return
	}
	minor := underAge(birth, s.e.asOf, 14)
	ev := "disability_certificate"
	if minor {
		ev = "disability_certificate,minor:birth_date_in_id"
	}
	s.emit(candidate{ri: s.e.det[dCnResidentId], start: start, end: end, canon: d[:18], minor: minor, strong: true, evidence: ev})
}

// disabilityWord labels a disability certificate number (残疾).
var disabilityWord = []byte("残疾")

// disabilityLabel reports 残疾 in the negWindow bytes before start (in
// records, of the same value), or a field whose name holds 残疾 or
// "disab".
func (s *Scanner) disabilityLabel(start int) bool {
	lo := max(0, start-negWindow)
	f := s.textField
	if s.spans != nil {
		i := s.spanAt(start)
		if i < 0 {
			return false
		}
		f = s.spans[i].Field
		lo = max(lo, s.spans[i].Start)
	}
	if f != nil && f.disability {
		return true
	}
	return bytes.Contains(s.buf[lo:start], disabilityWord)
}

func (s *Scanner) tryResidentID(d []byte, start, end int) bool {
	birth, ok := residentID(d, s.e.notAfter)
	if !ok {
		return false
	}
	minor := underAge(birth, s.e.asOf, 14)
	ev := ""
	if minor {
		ev = "minor:birth_date_in_id"
	}
	s.emit(candidate{ri: s.e.det[dCnResidentId], start: start, end: end, canon: d, minor: minor, strong: true, evidence: ev})
	return true
}

// tryMobile accepts 11 digits in a mobile segment, alone or after a +86,
// 86 or 0086 country code written as its own group or glued to the number.
func (s *Scanner) tryMobile(gs []group, d []byte, plus int) bool {
	start := gs[0].s
	body := gs
	num := d
	switch {
	case len(d) == 11 && plus == 0:
		// After a '+' the first digits are a country code: "+15505551234"
		// is a North American number (+1), not 155 0555 1234.
	case len(d) == 13 && d[0] == '8' && d[1] == '6' && (plus > 0 || gs[0].e-gs[0].s == 2):
		num = d[2:]
		if gs[0].e-gs[0].s == 2 {
			body = gs[1:]
		} else if len(gs) != 1 {
			return false
		}
	case len(d) == 15 && string(d[:4]) == "0086":
		num = d[4:]
		if gs[0].e-gs[0].s == 4 {
			body = gs[1:]
		} else if len(gs) != 1 {
			return false
		}
	default:
		return false
	}
	if len(body) == len(gs) && len(num) != len(d) {
		// Country code glued to the number: one solid run.
		if len(gs) != 1 {
			return false
		}
	} else if !layoutIs(body, mobileShapes...) {
		return false
	}
	if !cnMobile(num) || wholeMiB(num) {
		return false
	}
	start -= plus
	s.emit(candidate{ri: s.e.det[dCnMobile], start: start, end: gs[len(gs)-1].e, canon: num})
	return true
}

// wholeMiB reports a number of whole mebibytes: a size in bytes (16 GiB is
// 17179869184, in Node.js's diagnostic report and Go's tests), not a
// mobile number, of which one in a million is a multiple of 2^20.
func wholeMiB(d []byte) bool {
	v := 0
	for _, c := range d {
		v = v*10 + int(c-'0')
	}
	return v%(1<<20) == 0
}

// token handles an alphanumeric token with letters: resident IDs written
// with a trailing X are handled by groups; here are the letter-prefixed
// identity numbers (HKID, Taiwan ID, passport), codes and IBANs. Their
// letters may be written in lower case ("a123456789", "iban de89 ..."):
// they are validated and reported in upper case, the canonical form, with
// the same structure and check characters. Shapes that a lower-case hex
// string takes (a commit hash, a random id) need context in lower case.
func (s *Scanner) token(ts, te int) int {
	buf := s.buf
	t := buf[ts:te]
	if te < len(buf) && buf[te] == '@' {
		return te // an e-mail local part
	}
	nl := 0
	lower := false
	for nl < len(t) && isLetter(t[nl]) {
		lower = lower || t[nl] >= 'a'
		nl++
	}
	if len(t) == 18 {
		u, low := t, hasLower(t)
		if low {
			if hasUpper(t) {
				return te // mixed case: not a code
			}
			u = s.upperOf(t)
		}
		if uscc(u) {
			// In lower case it needs context, like the other identifiers.
			s.canon = append(s.canon[:0], u...)
			s.emit(candidate{ri: s.e.det[dCnUscc], start: ts, end: te, canon: s.canon, strong: !low, needCtx: low})
			return te
		}
	}
	if ps, ok := s.plate(ts, te); ok {
		s.emitPlate(ps, te)
		return te
	}
	if nl == 1 && !lower && len(t) == 3 && isDigit(t[1]) && isDigit(t[2]) && s.e.icdRule != nil {
		return s.icd10(ts, te)
	}
	if s.hasNet && te < len(buf) && (te-ts == 2 && buf[te] == '-' || te-ts == 4 && buf[te] == '.') {
		if end, ok := s.macBack(ts); ok {
			return end
		}
	}
	if nl == 0 || nl > 2 || !allDigitsOrA(t[nl:]) {
		// IBANs continue past this token ("GB82 WEST 1234 ...").
		if nl == 2 && len(t) >= 4 && isDigit(t[2]) && isDigit(t[3]) {
			if end, ok, weak := s.scanIBAN(ts); ok {
				s.emit(candidate{ri: s.e.det[dIban], start: ts, end: end, canon: s.canon, strong: !weak, needCtx: weak})
				return end
			}
		}
		return te
	}
	digits := t[nl:]
	nd := len(digits)
	if lower || digits[nd-1] == 'a' {
		if hasUpper(t) {
			return te // mixed case ("Ab123456", "A123456a"): not an identifier
		}
		lower = true
		t = s.upperOf(t)
		digits = t[nl:]
	}
	s.stats.Candidates++
	// IBAN with a numeric BBAN written in groups: "DE89 3704 0044 ...".
	if nl == 2 && nd >= 2 && isDigit(digits[0]) && isDigit(digits[1]) {
		if end, ok, weak := s.scanIBAN(ts); ok {
			s.emit(candidate{ri: s.e.det[dIban], start: ts, end: end, canon: s.canon, strong: !weak, needCtx: weak})
			return end
		}
	}
	// Passport: E or G and 8 digits, or E, a letter and 7 digits. It needs a
	// passport keyword or column; otherwise the token may still be an HKID.
	if (nl == 1 && (t[0] == 'E' || t[0] == 'G') && nd == 8 && allDigits(digits)) ||
		(nl == 2 && t[0] == 'E' && t[1] != 'I' && t[1] != 'O' && nd == 7 && allDigits(digits)) {
		s.canon = append(s.canon[:0], t...)
		if s.emit(candidate{ri: s.e.det[dCnPassport], start: ts, end: te, canon: s.canon}) {
			return te
		}
	}
	// Travel permits: a letter and eight digits, with a permit keyword.
	if nl == 1 && nd == 8 && allDigits(digits) {
		det := ""
		switch t[0] {
		case 'C', 'W', 'H', 'M':
			det = "hk_macau_permit"
		case 'T', 'L':
			det = "tw_permit"
		}
		if det != "" {
			s.canon = append(s.canon[:0], t...)
			if s.emit(candidate{ri: s.e.byDet[det], start: ts, end: te, canon: s.canon}) {
				return te
			}
		}
	}
	// Taiwan ID: a letter and nine digits.
	if nl == 1 && nd == 9 && allDigits(digits) {
		if twID(t) {
			// In lower case it needs context: "e284265919" is as often a
			// short commit hash or a generated name.
			s.canon = append(s.canon[:0], t...)
			weak := lower || pathPart(buf, ts, te)
			s.emit(candidate{ri: s.e.det[dTwId], start: ts, end: te, canon: s.canon, strong: !weak, needCtx: weak})
		}
		return te
	}
	// HKID: one or two letters, six digits and a check character, solid
	// ("A1234563") or with the check in parentheses ("A123456(3)", also
	// after a space or in full-width parentheses: "A123456 (3)",
	// "A123456（3）"). Solid in lower case it needs context: "e1234567"
	// may be a short commit hash.
	end := te
	s.canon = append(s.canon[:0], t...)
	if nd == 6 && allDigits(digits) {
		c, e := hkidCheck(buf, te)
		if e == 0 || isLetter(c) && (c >= 'a') != lower {
			return te // no check character, or one of the other case
		}
		s.canon = append(s.canon, upperTable[c])
		end = e
		lower = false // the parentheses make the shape unambiguous
	} else if nd != 7 || !allDigits(digits[:6]) {
		return te
	}
	// Solid with at most two digits among its six ("B4000000", a baud-rate
	// constant of golang.org/x/sys, "R1111111"), it is a number of code or
	// a part number more often than an ID: it needs context too.
	// In a name, solid, it needs context whatever its digits: cameras name
	// pictures with a letter and seven digits (P1010234.JPG).
	// A path's folder or file named so is a test case or a bug number
	// more often ("tools/javac/T8176714/T8176714.java": 566 findings in
	// one JDK test report): it needs context as well.
	// Solid, it is not strong either: a negative label vetoes it, as an
	// OpenPGP key ID is a letter and seven hex digits ("using RSA key ID
	// B7227189").
	needCtx := lower || end == te && (fewDigits(digits[:6]) || s.name || pathPart(buf, ts, te))
	if hkid(s.canon) && (end >= len(buf) || !isAlnum(buf[end])) {
		s.emit(candidate{ri: s.e.det[dHkId], start: ts, end: end, canon: s.canon, strong: end > te, needCtx: needCtx})
		return end
	}
	return te
}

// fewDigits reports digits made of at most two distinct digits.
func fewDigits(d []byte) bool {
	var seen [10]bool
	n := 0
	for _, c := range d {
		if !seen[c-'0'] {
			seen[c-'0'] = true
			n++
		}
	}
	return n <= 2
}

// hkidCheck reads an HKID's check character in parentheses after its
// digits end at te: "(3)", " (3)", "（3）" (full-width; either parenthesis
// may be, as folded full-width text can mix them: fullwidth.go). It
// returns the character and the end, or 0, 0.
func hkidCheck(buf []byte, te int) (byte, int) {
	i := te
	if i < len(buf) && buf[i] == ' ' {
		i++
	}
	var ow int
	switch {
	case i+1 < len(buf) && buf[i] == '(':
		ow = 1
	case i+3 < len(buf) && buf[i] == 0xEF && buf[i+1] == 0xBC && buf[i+2] == 0x88:
		ow = 3
	default:
		return 0, 0
	}
	c := buf[i+ow]
	cw := closeParenAt(buf, i+ow+1)
	if cw == 0 || !isDigit(c) && c != 'A' && c != 'a' {
		return 0, 0
	}
	return c, i + ow + 1 + cw
}

// upperOf returns t in upper case, in a buffer of the scanner's.
func (s *Scanner) upperOf(t []byte) []byte {
	s.upper = s.upper[:0]
	for _, c := range t {
		s.upper = append(s.upper, upperTable[c])
	}
	return s.upper
}

func hasUpper(t []byte) bool {
	for _, c := range t {
		if c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

func hasLower(t []byte) bool {
	for _, c := range t {
		if c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

func allDigitsOrA(b []byte) bool {
	for i, c := range b {
		if !isDigit(c) && !((c == 'A' || c == 'a') && i == len(b)-1) {
			return false
		}
	}
	return len(b) > 0
}

// upperTable maps ASCII lower-case letters to upper case and every other
// byte to itself.
var upperTable = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if c >= 'a' && c <= 'z' {
			t[c] = byte(c) - 'a' + 'A'
		}
	}
	return t
}()
