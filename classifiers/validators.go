package classifiers

import (
	"slices"
	"time"
)

// Validator checks a value matched by a user rule's pattern. It receives the
// matched bytes as written (separators included) and must not keep them.
type Validator func(value []byte) bool

// Validators are the checks a rule may name in `validator:`. The map is
// read-only after package initialization.
var Validators = map[string]Validator{
	"luhn":       func(v []byte) bool { return luhn(compact(v, false)) },
	"gb11643":    func(v []byte) bool { _, ok := residentID(compact(v, true), time.Now().UTC()); return ok },
	"iban_mod97": func(v []byte) bool { return iban(compact(v, true)) },
	"hkid":       validHKID,
	"tw_id":      func(v []byte) bool { return twID(compact(v, true)) },
	"cn_mobile":  func(v []byte) bool { return cnMobile(compact(v, false)) },
	"bank_card": func(v []byte) bool {
		d := compact(v, false)
		return allDigits(d) && cardNumber(d) && luhn(d)
	},
}

// ValidatorNames lists the validator names, sorted.
func ValidatorNames() []string {
	names := make([]string, 0, len(Validators))
	for n := range Validators {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// compact drops spaces, dashes and dots and, if upper is set, upper-cases
// ASCII letters: the canonical form of most identifiers.
func compact(v []byte, upper bool) []byte {
	out := make([]byte, 0, len(v))
	for _, c := range v {
		switch {
		case c == ' ' || c == '-' || c == '.' || c == '\t':
		case upper && c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
		default:
			out = append(out, c)
		}
	}
	return out
}

// validHKID accepts "A123456(3)", "A1234563" and "AB987654(3)".
func validHKID(v []byte) bool {
	c := compact(v, true)
	out := c[:0]
	for _, b := range c {
		if b != '(' && b != ')' {
			out = append(out, b)
		}
	}
	return hkid(out)
}
