package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// ibanLengths is the ISO 13616 IBAN length per country (SWIFT IBAN registry).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
	"NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// mod97 computes the ISO 7064 MOD 97-10 remainder of an alphanumeric string
// with letters expanded to 10..35, or -1 on other characters.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			v := int(c-'A') + 10
			r = (r*100 + v) % 97
		default:
			return -1
		}
	}
	return r
}

// ibanCheckDigits returns the two check digits for a country and BBAN.
func ibanCheckDigits(country, bban string) string {
	r := mod97(bban + country + "00")
	return fmt.Sprintf("%02d", 98-r)
}

// validIBAN reports whether s is a compact upper-case IBAN with the
// registered length of its country, mod 97 = 1, and (for BE, ES, FR and IT)
// the national check digits inside the BBAN.
func validIBAN(s string) bool {
	if len(s) < 5 {
		return false
	}
	n, ok := ibanLengths[s[:2]]
	if !ok || n != len(s) || !allDigits(s[2:4]) {
		return false
	}
	if mod97(s[4:]+s[:4]) != 1 {
		return false
	}
	return nationalCheck(s[:2], s[4:])
}

// nationalCheck verifies the national check digits some countries embed in
// the BBAN. Countries without a rule here pass.
func nationalCheck(country, bban string) bool {
	switch country {
	case "BE":
		// BBAN = 3 bank + 7 account + 2 check; check = first 10 mod 97 (0 -> 97).
		return beCheck(bban[:10]) == bban[10:]
	case "ES":
		// BBAN = 4 bank + 4 branch + 2 control + 10 account.
		return esControl(bban[:8], bban[10:]) == bban[8:10]
	case "FR":
		// BBAN = 5 bank + 5 branch + 11 account + 2 RIB key.
		return ribKey(bban[:21]) == bban[21:]
	case "IT":
		// BBAN = CIN letter + 5 ABI + 5 CAB + 12 account.
		return itCIN(bban[1:]) == bban[0]
	}
	return true
}

func beCheck(first10 string) string {
	v, err := strconv.ParseInt(first10, 10, 64)
	if err != nil {
		return ""
	}
	c := v % 97
	if c == 0 {
		c = 97
	}
	return fmt.Sprintf("%02d", c)
}

// esWeights are the weights of the Spanish CCC control digits.
var esWeights = [10]int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}

func esDigit(ten string) byte {
	sum := 0
	for i := 0; i < 10; i++ {
		sum += int(ten[i]-'0') * esWeights[i]
	}
	d := 11 - sum%11
	switch d {
	case 11:
		d = 0
	case 10:
		d = 1
	}
	return byte('0' + d)
}

// esControl returns the two CCC control digits: one over "00"+bank+branch,
// one over the 10-digit account.
func esControl(bankBranch, account string) string {
	if !allDigits(bankBranch) || !allDigits(account) {
		return ""
	}
	return string([]byte{esDigit("00" + bankBranch), esDigit(account)})
}

// ribKey returns the French RIB key of bank(5)+branch(5)+account(11):
// 97 - ((89*bank + 15*branch + 3*account) mod 97), letters of the account
// mapped A-I,J-R -> 1-9 and S-Z -> 2-9.
func ribKey(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c >= 'A' && c <= 'I':
			b.WriteByte('1' + c - 'A')
		case c >= 'J' && c <= 'R':
			b.WriteByte('1' + c - 'J')
		case c >= 'S' && c <= 'Z':
			b.WriteByte('2' + c - 'S')
		default:
			return ""
		}
	}
	d := b.String()
	r := 0
	for i, w := range [3]int{89, 15, 3} {
		part := [3]string{d[:5], d[5:10], d[10:21]}[i]
		r = (r + w*mod97(part)) % 97
	}
	return fmt.Sprintf("%02d", 97-r)
}

// itOdd is the CIN value of 0-9 and A-Z in odd (1st, 3rd, ...) positions.
var itOdd = [36]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23} // A-Z

// itCIN returns the Italian CIN letter of ABI(5)+CAB(5)+account(12).
func itCIN(s string) byte {
	if len(s) != 22 {
		return 0
	}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var idx int
		switch {
		case c >= '0' && c <= '9':
			idx = int(c - '0')
		case c >= 'A' && c <= 'Z':
			idx = int(c-'A') + 10
		default:
			return 0
		}
		if i%2 == 0 {
			sum += itOdd[idx]
		} else if idx < 10 {
			sum += idx
		} else {
			sum += idx - 10
		}
	}
	return byte('A' + sum%26)
}

// realTLDs are the top-level domains the generator writes; all are in the
// IANA root zone.
var realTLDs = []string{"com", "cn", "net", "org", "hk", "tw", "io", "de", "uk", "edu"}

// validEmail reports whether s is local@domain with an RFC 5321 shaped local
// part and a domain ending in one of realTLDs.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at > 64 || at == len(s)-1 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !isAlnum(c) && !strings.ContainsRune(".+_-", rune(c)) {
			return false
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(strings.ToLower(domain), ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	for _, t := range realTLDs {
		if t == tld {
			return true
		}
	}
	return false
}

// validIPv4 reports whether s is a dotted quad with parts 0-255 written
// without leading zeros.
func validIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || !allDigits(p) || (len(p) > 1 && p[0] == '0') {
			return false
		}
		if v, _ := strconv.Atoi(p); v > 255 {
			return false
		}
	}
	return true
}

// validGPS reports whether s is a canonical "lat,lng" pair: both in range
// and both written with exactly 6 decimals.
func validGPS(s string) bool {
	lat, lng, ok := strings.Cut(s, ",")
	if !ok {
		return false
	}
	a, err1 := strconv.ParseFloat(lat, 64)
	b, err2 := strconv.ParseFloat(lng, 64)
	if err1 != nil || err2 != nil || a < -90 || a > 90 || b < -180 || b > 180 {
		return false
	}
	return strconv.FormatFloat(a, 'f', 6, 64) == lat && strconv.FormatFloat(b, 'f', 6, 64) == lng
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
