package deid

import "time"

// Check characters of the identifiers that carry one. They mirror the
// validators of package classifiers, which this package cannot import
// (classifiers will import deid). Inputs are canonical: upper case, no
// separators.

// gbWeights are the ISO 7064 MOD 11-2 weights of GB 11643-1999.
var gbWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// gbCheck returns the GB 11643 check character of 17 digits.
func gbCheck(d []byte) byte {
	sum := 0
	for i := range 17 {
		sum += int(d[i]-'0') * gbWeights[i]
	}
	return "10X98765432"[sum%11]
}

// validResidentID reports whether 18 characters are a resident ID the
// scanner accepts: 17 digits, the check character, a province code and a
// real birth date from 1900 on.
func validResidentID(d []byte) bool {
	if len(d) != 18 || !allDigits(d[:17]) || gbCheck(d) != d[17] {
		return false
	}
	p := int(d[0]-'0')*10 + int(d[1]-'0')
	if !validProvince(p) {
		return false
	}
	y := atoi(d[6:10])
	_, ok := makeDate(y, atoi(d[10:12]), atoi(d[12:14]))
	return ok && y >= 1900
}

// validProvince reports a province-level code of GB/T 2260 (as the scanner
// reads it: 11-65, 71, 81-83, 91).
func validProvince(p int) bool {
	switch {
	case p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65:
		return true
	}
	return p == 71 || p == 81 || p == 82 || p == 83 || p == 91
}

// luhnDigit returns the Luhn (ISO/IEC 7812-1) check digit for a payload.
func luhnDigit(d []byte) byte {
	sum := 0
	double := true
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// luhnValid reports whether a digit string passes the Luhn check.
func luhnValid(d []byte) bool {
	return len(d) >= 2 && allDigits(d) && luhnDigit(d[:len(d)-1]) == d[len(d)-1]
}

// hkidCheck returns the HKID check character ('0'-'9' or 'A') of one or
// two letters and six digits: weights 9..2 over the value padded to eight
// characters with a leading space worth 36.
func hkidCheck(body []byte) byte {
	sum := 0
	w := len(body) + 1 // 9 for two letters; 8 after the implied space
	if len(body) == 7 {
		sum += 36 * 9
	}
	for _, c := range body {
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * w
		w--
	}
	chk := (11 - sum%11) % 11
	if chk == 10 {
		return 'A'
	}
	return byte('0' + chk)
}

// twCodes are the two-digit codes of the first letter of a Taiwan ID.
var twCodes = [26]int{10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33}

// twCheck returns the check digit of a Taiwan ID's letter and first eight
// digits: weights 1 9 8 7 6 5 4 3 2 1 over the letter code and digits,
// so the sum with the check digit is a multiple of 10.
func twCheck(body []byte) byte {
	code := twCodes[body[0]-'A']
	sum := code/10 + (code%10)*9
	for i := 1; i < 9; i++ {
		sum += int(body[i]-'0') * (9 - i)
	}
	return byte('0' + (10-sum%10)%10)
}

// ibanRemainder returns the ISO 7064 MOD 97-10 remainder of an IBAN with
// its first four characters moved to the end, letters read as 10..35.
func ibanRemainder(v []byte) int {
	rem := 0
	add := func(c byte) {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	for _, c := range v[4:] {
		add(c)
	}
	for _, c := range v[:4] {
		add(c)
	}
	return rem
}

// ibanCheckDigits returns the two check digits of an IBAN (ISO 13616):
// 98 minus the remainder with "00" in their place.
func ibanCheckDigits(v []byte) [2]byte {
	w := append([]byte{}, v...)
	w[2], w[3] = '0', '0'
	cd := 98 - ibanRemainder(w)
	return [2]byte{byte('0' + cd/10), byte('0' + cd%10)}
}

func makeDate(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == y && int(t.Month()) == m && t.Day() == d
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isAlnum(c byte) bool { return isDigit(c) || isUpper(c) || isLower(c) }

// atoi reads a short run of ASCII digits.
func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}
