package corpus

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file holds the generator's own check-digit functions. They are written
// from the published specifications and deliberately share no code with
// package classifiers: a bug shared by the scanner and the generator would
// otherwise make the end-to-end tests pass on wrong data.

// gbWeights are the GB 11643-1999 (ISO 7064 MOD 11-2) weights of the first
// 17 characters of a resident ID.
var gbWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// gbCheckMap maps the weighted sum mod 11 to the check character.
const gbCheckMap = "10X98765432"

// gbCheck returns the GB 11643 check character of 17 digits, or 0 when the
// input is not 17 ASCII digits.
func gbCheck(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * gbWeights[i]
	}
	return gbCheckMap[sum%11]
}

// validResidentID reports whether id is an 18-character resident ID with a
// correct check character, a real birth date between 1900 and notAfter and a
// plausible province-level prefix (11..65, or 81..83 for residence permits).
// Region tables change over time, so only the province is checked.
func validResidentID(id string, notAfter time.Time) bool {
	if len(id) != 18 || gbCheck(id[:17]) != upperASCII(id[17]) {
		return false
	}
	prov, _ := strconv.Atoi(id[:2])
	if !(prov >= 11 && prov <= 65) && !(prov >= 81 && prov <= 83) {
		return false
	}
	b, ok := idBirth(id)
	return ok && b.Year() >= 1900 && !b.After(notAfter)
}

// idBirth reads the birth date (characters 7-14) of a resident ID.
func idBirth(id string) (time.Time, bool) {
	if len(id) < 14 {
		return time.Time{}, false
	}
	return parseYMD(id[6:14])
}

// parseYMD parses an 8-digit YYYYMMDD date and rejects impossible ones such
// as month 13 or 30 February (time.Date would normalise them silently).
func parseYMD(s string) (time.Time, bool) {
	if len(s) != 8 {
		return time.Time{}, false
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[4:6])
	d, err3 := strconv.Atoi(s[6:8])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Month() != time.Month(m) || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// isMinor reports whether someone born on birth is under 14 on asOf. The
// 14th birthday itself is not a minor day. A 29 February birthday falls on
// 1 March in common years (time.AddDate normalisation).
func isMinor(birth, asOf time.Time) bool {
	return asOf.Before(birth.AddDate(14, 0, 0))
}

// hkValue is the HKID value of a character: digits as such, letters
// A=10..Z=35, and the padding space 36.
func hkValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	default:
		return 36
	}
}

// hkCheck returns the HKID check character for 1 or 2 letters followed by
// 6 digits: weights 9..2 over the 8 characters after left-padding with a
// space, check = (11 - sum mod 11) mod 11, where 10 is written 'A'.
func hkCheck(body string) byte {
	if len(body) == 7 {
		body = " " + body
	}
	if len(body) != 8 {
		return 0
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += hkValue(body[i]) * (9 - i)
	}
	c := (11 - sum%11) % 11
	if c == 10 {
		return 'A'
	}
	return byte('0' + c)
}

// validHKID reports whether s is a canonical HKID (no parentheses).
func validHKID(s string) bool {
	n := len(s)
	if n != 8 && n != 9 {
		return false
	}
	letters := n - 7
	for i := 0; i < n-1; i++ {
		isL := s[i] >= 'A' && s[i] <= 'Z'
		isD := s[i] >= '0' && s[i] <= '9'
		if (i < letters && !isL) || (i >= letters && !isD) {
			return false
		}
	}
	return hkCheck(s[:n-1]) == s[n-1]
}

// twLetterCodes are the two-digit codes of the Taiwan ID's first letter.
var twLetterCodes = [26]int{10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33}

// twSum returns the Taiwan ID weighted sum of a letter and 9 digits (the
// last being the check digit): weights 1 9 over the letter code's digits,
// 8..1 over the next eight digits and 1 over the check digit.
func twSum(s string) (int, bool) {
	if len(s) != 10 || s[0] < 'A' || s[0] > 'Z' {
		return 0, false
	}
	code := twLetterCodes[s[0]-'A']
	sum := code/10 + (code%10)*9
	for i := 1; i < 10; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		w := 9 - i
		if i == 9 {
			w = 1
		}
		sum += int(s[i]-'0') * w
	}
	return sum, true
}

// validTWID reports whether s is a Taiwan national ID: a letter, 1 or 2
// (sex), 7 digits and a check digit making the weighted sum divisible by 10.
func validTWID(s string) bool {
	sum, ok := twSum(s)
	return ok && (s[1] == '1' || s[1] == '2') && sum%10 == 0
}

// luhnValid reports whether the digit string passes the Luhn mod 10 check.
func luhnValid(digits string) bool {
	if len(digits) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// luhnDigit returns the check digit that makes body+digit Luhn-valid.
func luhnDigit(body string) byte {
	for d := byte('0'); d <= '9'; d++ {
		if luhnValid(body + string(d)) {
			return d
		}
	}
	return 0
}

// cardBrand names the IIN range of a card number of that length, or "" when
// the prefix and length match none of the ranges the generator uses.
func cardBrand(d string) string {
	n := len(d)
	p2, _ := strconv.Atoi(d[:min(2, n)])
	p4, _ := strconv.Atoi(d[:min(4, n)])
	switch {
	case p2 == 62 && n >= 16 && n <= 19:
		return "unionpay"
	case d[0] == '4' && (n == 13 || n == 16 || n == 19):
		return "visa"
	case p2 >= 51 && p2 <= 55 && n == 16:
		return "mastercard"
	case (p2 == 34 || p2 == 37) && n == 15:
		return "amex"
	case p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19:
		return "jcb"
	}
	return ""
}

// validCard reports whether d is a Luhn-valid number in a known IIN range.
func validCard(d string) bool {
	return len(d) >= 13 && len(d) <= 19 && luhnValid(d) && cardBrand(d) != ""
}

// validMobile reports whether s is 11 digits in a mainland mobile segment
// (the libphonenumber ranges, including 1610 and 17400-17405).
func validMobile(s string) bool {
	if len(s) != 11 || !allDigits(s) || s[0] != '1' {
		return false
	}
	p3, _ := strconv.Atoi(s[:3])
	switch {
	case p3 >= 130 && p3 <= 139, p3 >= 180 && p3 <= 189:
		return true
	case p3 == 145, p3 == 147, p3 >= 150 && p3 <= 153, p3 >= 155 && p3 <= 159:
		return true
	case p3 == 162, p3 >= 165 && p3 <= 167, p3 >= 170 && p3 <= 173, p3 >= 175 && p3 <= 178:
		return true
	case p3 >= 190 && p3 <= 193, p3 >= 195 && p3 <= 199:
		return true
	case p3 == 161:
		return s[3] == '0'
	case p3 == 174:
		return s[3] == '0' && s[4] <= '5'
	}
	return false
}

// validPassport reports whether s is E or G followed by 8 digits.
func validPassport(s string) bool {
	return len(s) == 9 && (s[0] == 'E' || s[0] == 'G') && allDigits(s[1:])
}

// Validate checks a canonical value of a catalogue type with the generator's
// own checkers, which share no code with package classifiers. asOf is the
// latest plausible resident-ID birth date (zero means DefaultAsOf). It
// returns nil when the value is valid and canonical; the error never
// contains the value.
func Validate(dataType, canonical string, asOf time.Time) error {
	if asOf.IsZero() {
		asOf = DefaultAsOf
	}
	ok := false
	switch dataType {
	case TypeResidentID:
		ok = validResidentID(canonical, asOf) && canonical == strings.ToUpper(canonical)
	case TypeHKID:
		ok = validHKID(canonical)
	case TypeTWID:
		ok = validTWID(canonical)
	case TypePassport:
		ok = validPassport(canonical)
	case TypeMobile:
		ok = validMobile(canonical)
	case TypeEmail:
		ok = validEmail(canonical) && canonical == strings.ToLower(canonical)
	case TypeIPv4:
		ok = validIPv4(canonical)
	case TypeBankCard:
		ok = validCard(canonical)
	case TypeIBAN:
		ok = validIBAN(canonical)
	case TypeGPS:
		ok = validGPS(canonical)
	case TypeUSCC:
		ok = validUSCC(canonical)
	case TypePlate:
		ok = validPlate(canonical)
	case TypeLandline:
		ok = validLandline(canonical)
	case TypePhone:
		ok = validIntlPhone(canonical)
	case TypeIPv6:
		ok = validIPv6(canonical)
	case TypeMAC:
		ok = validMAC(canonical)
	case TypeIMEI:
		ok = validIMEI(canonical)
	case TypeHKMacauPermit:
		ok = validPermit(canonical, "CWHM")
	case TypeTWPermit:
		ok = validPermit(canonical, "TL")
	case TypeAddress:
		ok = validAddress(canonical)
	case TypeName:
		ok = validName(canonical)
	case TypeFace, TypeVoice:
		// The corpus writes face and voice data as vectors (as text or as
		// base64 of their float32s).
		b, hexOK := validBlob(canonical, 128)
		ok = hexOK && validVector(b, 64)
	case TypeIris:
		_, ok = validBlob(canonical, 128)
	case TypeFingerprint:
		b, hexOK := validBlob(canonical, 24)
		ok = hexOK && validTemplate(b)
	case TypeReligion, TypeMedical, TypeIdentity:
		ok = validCategory(dataType, canonical)
	case TypeTrace:
		ok = canonical != "" && strings.TrimSpace(canonical) == canonical && len(canonical) <= 256
	default:
		return fmt.Errorf("validate %s: unknown data type", dataType)
	}
	if !ok {
		return fmt.Errorf("validate %s: invalid or non-canonical value", dataType)
	}
	return nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}
