package classifiers

// ibanLengths is the total IBAN length per country (SWIFT IBAN registry,
// release 2024), including the country code and check digits.
var ibanLengths = map[[2]byte]int{
	{'A', 'D'}: 24, {'A', 'E'}: 23, {'A', 'L'}: 28, {'A', 'T'}: 20, {'A', 'Z'}: 28,
	{'B', 'A'}: 20, {'B', 'E'}: 16, {'B', 'G'}: 22, {'B', 'H'}: 22, {'B', 'I'}: 27,
	{'B', 'R'}: 29, {'B', 'Y'}: 28, {'C', 'H'}: 21, {'C', 'R'}: 22, {'C', 'Y'}: 28,
	{'C', 'Z'}: 24, {'D', 'E'}: 22, {'D', 'J'}: 27, {'D', 'K'}: 18, {'D', 'O'}: 28,
	{'E', 'E'}: 20, {'E', 'G'}: 29, {'E', 'S'}: 24, {'F', 'I'}: 18, {'F', 'K'}: 18,
	{'F', 'O'}: 18, {'F', 'R'}: 27, {'G', 'B'}: 22, {'G', 'E'}: 22, {'G', 'I'}: 23,
	{'G', 'L'}: 18, {'G', 'R'}: 27, {'G', 'T'}: 28, {'H', 'R'}: 21, {'H', 'U'}: 28,
	{'I', 'E'}: 22, {'I', 'L'}: 23, {'I', 'Q'}: 23, {'I', 'S'}: 26, {'I', 'T'}: 27,
	{'J', 'O'}: 30, {'K', 'W'}: 30, {'K', 'Z'}: 20, {'L', 'B'}: 28, {'L', 'C'}: 32,
	{'L', 'I'}: 21, {'L', 'T'}: 20, {'L', 'U'}: 20, {'L', 'V'}: 21, {'L', 'Y'}: 25,
	{'M', 'C'}: 27, {'M', 'D'}: 24, {'M', 'E'}: 22, {'M', 'K'}: 19, {'M', 'N'}: 20,
	{'M', 'R'}: 27, {'M', 'T'}: 31, {'M', 'U'}: 30, {'N', 'I'}: 28, {'N', 'L'}: 18,
	{'N', 'O'}: 15, {'O', 'M'}: 23, {'P', 'K'}: 24, {'P', 'L'}: 28, {'P', 'S'}: 29,
	{'P', 'T'}: 25, {'Q', 'A'}: 29, {'R', 'O'}: 24, {'R', 'S'}: 22, {'R', 'U'}: 33,
	{'S', 'A'}: 24, {'S', 'C'}: 31, {'S', 'D'}: 18, {'S', 'E'}: 24, {'S', 'I'}: 19,
	{'S', 'K'}: 24, {'S', 'M'}: 27, {'S', 'O'}: 23, {'S', 'T'}: 25, {'S', 'V'}: 28,
	{'T', 'L'}: 23, {'T', 'N'}: 24, {'T', 'R'}: 26, {'U', 'A'}: 29, {'V', 'A'}: 22,
	{'V', 'G'}: 24, {'X', 'K'}: 20, {'Y', 'E'}: 30,
}

// ibanMod97 checks ISO 13616 / ISO 7064 MOD 97-10 on a canonical IBAN: move
// the first four characters to the end, read letters as 10..35, and the
// number must leave remainder 1. Computed digit by digit, no big integers.
func ibanMod97(v []byte) bool {
	if len(v) < 5 {
		return false
	}
	rem := 0
	add := func(c byte) bool {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
		return true
	}
	for _, c := range v[4:] {
		if !add(c) {
			return false
		}
	}
	for _, c := range v[:4] {
		if !add(c) {
			return false
		}
	}
	return rem == 1
}

// iban validates a canonical IBAN: a known country, its length, two check
// digits and mod 97.
func iban(v []byte) bool {
	if len(v) < 15 || len(v) > 34 {
		return false
	}
	n, ok := ibanLengths[[2]byte{v[0], v[1]}]
	if !ok || n != len(v) || !isDigit(v[2]) || !isDigit(v[3]) {
		return false
	}
	return ibanMod97(v)
}

// scanIBAN reads an IBAN starting at p (two letters, two digits), written
// solid or in groups of four separated by single spaces or dashes, in
// upper or lower case; s.canon holds it in upper case. It returns the end
// offset and true when a valid IBAN ends at a boundary (its letters all of
// one case: "LV80 bANK ..." is not one), and weak when the
// IBAN is written in lower case with hex letters only (a-f): such a string
// may be a hash or a random id that passed mod 97 (one in 97 does), so it
// needs context.
func (s *Scanner) scanIBAN(p int) (end int, ok, weak bool) {
	buf := s.buf
	if p+4 > len(buf) {
		return 0, false, false
	}
	want, ok := ibanLengths[[2]byte{upperTable[buf[p]], upperTable[buf[p+1]]}]
	if !ok {
		return 0, false, false
	}
	s.canon = s.canon[:0]
	i := p
	var sep byte
	group := 0 // characters since the last separator
	upper, lower, hex := false, false, true
	for len(s.canon) < want && i < len(buf) {
		c := buf[i]
		if sep != 0 && group == 4 && isAlnum(c) {
			// Written in groups, every group but the last is four long:
			// "de742f933684b4b1 create" (a hex id, then a word) is not
			// an IBAN in groups.
			return 0, false, false
		}
		switch {
		case isDigit(c):
			s.canon = append(s.canon, c)
			group++
			i++
		case c >= 'A' && c <= 'Z':
			s.canon = append(s.canon, c)
			upper = true
			hex = hex && isHexByte(c)
			group++
			i++
		case c >= 'a' && c <= 'z':
			s.canon = append(s.canon, c-'a'+'A')
			lower = true
			hex = hex && isHexByte(c)
			group++
			i++
		case (c == ' ' || c == '-') && group == 4 && (sep == 0 || sep == c) &&
			i+1 < len(buf) && isAlnum(buf[i+1]):
			sep, group = c, 0
			i++
		default:
			return 0, false, false
		}
	}
	if len(s.canon) != want || (i < len(buf) && isAlnum(buf[i])) || upper && lower {
		return 0, false, false
	}
	s.stats.Candidates++
	return i, iban(s.canon), lower && hex
}
