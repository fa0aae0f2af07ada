package classifiers

import "time"

// Check-digit algorithms. Each takes the canonical form (upper case, no
// separators) and allocates nothing.

// luhn reports whether a digit string passes the Luhn (mod 10) check
// (ISO/IEC 7812-1, used by payment cards and IMEIs).
func luhn(d []byte) bool {
	if len(d) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		c := d[i]
		if c < '0' || c > '9' {
			return false
		}
		v := int(c - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// gb11643Weights are the ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 of
// GB 11643-1999 section 8.
var gb11643Weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// gb11643Check returns the check character for 17 digits ('0'-'9' or 'X').
func gb11643Check(d []byte) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d[i]-'0') * gb11643Weights[i]
	}
	return "10X98765432"[sum%11]
}

// cnProvince reports whether the first two digits of a resident ID name a
// province-level division of GB/T 2260 (11-65), Taiwan (71), Hong Kong and
// Macao residence permits (81, 82), Taiwan residence permits (83) or 91
// (historical overseas code). A full county table is not required: the
// sources disagree on withdrawn and late-published codes (conformance
// README, "CN ID region tables"), and the checksum and date carry the weight.
func cnProvince(a, b byte) bool {
	p := int(a-'0')*10 + int(b-'0')
	switch {
	case p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65:
		return true
	case p == 71, p == 81, p == 82, p == 83, p == 91:
		return true
	}
	return false
}

// parseDate8 reads YYYYMMDD and checks it is a real calendar date.
func parseDate8(d []byte) (time.Time, bool) {
	for _, c := range d[:8] {
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
	}
	y := int(d[0]-'0')*1000 + int(d[1]-'0')*100 + int(d[2]-'0')*10 + int(d[3]-'0')
	m := int(d[4]-'0')*10 + int(d[5]-'0')
	day := int(d[6]-'0')*10 + int(d[7]-'0')
	return makeDate(y, m, day)
}

func makeDate(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false // 31 April, 29 February in a common year
	}
	return t, true
}

// residentID validates an 18-character PRC resident ID (17 digits and a
// digit or 'X'): MOD 11-2 check character, a real birth date between 1900
// and notAfter, and a province code. It returns the birth date.
func residentID(d []byte, notAfter time.Time) (time.Time, bool) {
	if len(d) != 18 {
		return time.Time{}, false
	}
	for _, c := range d[:17] {
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
	}
	if gb11643Check(d) != d[17] {
		return time.Time{}, false
	}
	if !cnProvince(d[0], d[1]) {
		return time.Time{}, false
	}
	birth, ok := parseDate8(d[6:14])
	if !ok || birth.Year() < 1900 || birth.After(notAfter) {
		return time.Time{}, false
	}
	return birth, true
}

// underAge reports whether someone born on birth is younger than years on
// day asOf. A person whose birthday is that day has reached the age. Someone
// born on 29 February reaches it on 1 March in a common year.
func underAge(birth, asOf time.Time, years int) bool {
	return birth.AddDate(years, 0, 0).After(asOf)
}

// hkidValue maps an HKID character to its check-sum value: digits to 0-9,
// letters to 10-35, and the implied leading space of one-letter IDs to 36.
func hkidValue(c byte) int {
	switch {
	case c == ' ':
		return 36
	case c >= '0' && c <= '9':
		return int(c - '0')
	default:
		return int(c-'A') + 10
	}
}

// hkid validates a canonical HKID: one or two letters, six digits and a
// check character (0-9 or A), weights 9..2 over the space-padded 8 characters.
func hkid(v []byte) bool {
	n := len(v)
	if n != 8 && n != 9 {
		return false
	}
	var body [8]byte
	if n == 8 {
		body[0] = ' '
		copy(body[1:], v[:7])
	} else {
		copy(body[:], v[:8])
	}
	for i, c := range body {
		isL := c >= 'A' && c <= 'Z'
		isD := c >= '0' && c <= '9'
		switch {
		case i == 0 && !(isL || c == ' '), i == 1 && !isL, i >= 2 && !isD:
			return false
		}
	}
	sum := 0
	for i, c := range body {
		sum += hkidValue(c) * (9 - i)
	}
	chk := (11 - sum%11) % 11
	want := byte('0' + chk)
	if chk == 10 {
		want = 'A'
	}
	return v[n-1] == want
}

// twLetters maps the first letter of a Taiwan ID to its two-digit code.
var twLetters = [26]int{10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33}

// twID validates a Taiwan national ID (letter, 1 or 2, eight digits) or a
// new-format resident certificate (letter, 8 or 9, eight digits): the letter
// code's two digits and the nine digits, weights 1 9 8 7 6 5 4 3 2 1 1, sum
// divisible by 10.
func twID(v []byte) bool {
	if len(v) != 10 || v[0] < 'A' || v[0] > 'Z' {
		return false
	}
	switch v[1] {
	case '1', '2', '8', '9':
	default:
		return false
	}
	for _, c := range v[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	code := twLetters[v[0]-'A']
	sum := code/10 + (code%10)*9
	for i := 1; i < 9; i++ {
		sum += int(v[i]-'0') * (9 - i)
	}
	sum += int(v[9] - '0')
	return sum%10 == 0
}

// cnMobile reports whether 11 digits are a mainland mobile number in a
// segment allocated for mobile use (libphonenumber metadata; see
// conformance/libphonenumber/cn_mobile_prefixes.txt).
func cnMobile(d []byte) bool {
	if len(d) != 11 || d[0] != '1' {
		return false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return false
		}
	}
	a, b, c := d[1], d[2], d[3]
	switch a {
	case '3', '8':
		return true
	case '4':
		return b == '5' || b == '7'
	case '5':
		return b != '4'
	case '6':
		return (b == '1' && c == '0') || b == '2' || b == '5' || b == '6' || b == '7'
	case '7':
		switch b {
		case '0', '1', '2', '3', '5', '6', '7', '8':
			return true
		case '4':
			return c == '0' && d[4] <= '5' // 17400-17405
		}
		return false
	case '9':
		return b != '4'
	}
	return false
}

// cardIIN reports whether a card number starts in an issuer range of a
// network that issues cards: Visa, Mastercard, American Express, Discover,
// JCB, Diners Club, UnionPay, Maestro, Mir, RuPay and Troy.
func cardIIN(d []byte) bool {
	p2 := int(d[0]-'0')*10 + int(d[1]-'0')
	p4 := p2*100 + int(d[2]-'0')*10 + int(d[3]-'0')
	switch {
	case d[0] == '4':
		return true // Visa
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return true // Mastercard
	case p2 == 34 || p2 == 37:
		return true // American Express
	case p2 == 30 || p2 == 36 || p2 == 38 || p2 == 39:
		return true // Diners Club
	case p4 >= 3528 && p4 <= 3589:
		return true // JCB
	case p2 == 60 || p2 == 62 || p2 == 64 || p2 == 65 || p2 == 81 || p2 == 82:
		return true // Discover, UnionPay, RuPay, BoC
	case p2 == 50 || (p2 >= 56 && p2 <= 59) || p2 == 63 || p2 == 67:
		return true // Maestro
	case p4 >= 2200 && p4 <= 2204:
		return true // Mir
	case p4 == 9792:
		return true // Troy
	}
	return false
}

// cardNumber reports a number a card network issues: a length that suits
// the network of its prefix, in an issuer range, and not ASCII digits in
// hex. Luhn is left to the caller.
func cardNumber(d []byte) bool {
	return cardLength(d) && cardIIN(d) && !hexDigitText(d)
}

// hexDigitText reports digits with a '3' in every other place, from the
// first or the second: ASCII digits written in hex ("393533393034313035"
// is "953904105", a test vector's message in Wycheproof's files). A card
// number has six or more threes so placed one time in a million.
func hexDigitText(d []byte) bool {
	if len(d) < 12 {
		return false
	}
	for phase := 0; phase < 2; phase++ {
		k := phase
		for k < len(d) && d[k] == '3' {
			k += 2
		}
		if k >= len(d) {
			return true
		}
	}
	return false
}

// cardLength reports whether the length suits the network of the number's
// prefix: American Express 15; Mastercard 16; Visa 13, 16 or 19; Diners
// Club 14-19; Discover, JCB, Mir and RuPay 16-19; UnionPay 14-19 (all as
// in credit-card-type); the rest (Maestro) 13-19. A 13-19 digit number
// in a log (an order, task or batch id) passes Luhn one time in ten and
// the IIN prefixes cover a third of the numbers, so a length the
// network never issues is the check that keeps most of them out: an
// 18-digit number starting 52 is no Mastercard.
func cardLength(d []byte) bool {
	n := len(d)
	if n < 13 || n > 19 {
		return false
	}
	p2 := int(d[0]-'0')*10 + int(d[1]-'0')
	p4 := p2*100 + int(d[2]-'0')*10 + int(d[3]-'0')
	switch {
	case p2 == 34 || p2 == 37:
		return n == 15 // American Express
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19 // Visa
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return n == 16 // Mastercard
	case p2 == 30 || p2 == 36 || p2 == 38 || p2 == 39:
		return n >= 14 // Diners Club
	case p2 == 62 || p2 == 81 || p2 == 82:
		return n >= 14 // UnionPay
	case p4 >= 3528 && p4 <= 3589, p2 == 60, p2 == 64, p2 == 65, p4 >= 2200 && p4 <= 2204, p4 == 9792:
		return n >= 16 // JCB, Discover, RuPay, Mir, Troy
	}
	return true
}
