package deid

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strconv"
	"time"
)

// FF1Config configures FF1 tokenization.
type FF1Config struct {
	// KeyEnv names the environment variable holding the key material; the
	// AES-256 key is derived from it with HKDF-SHA256.
	KeyEnv string `yaml:"key_env"`
	// Tweak separates token spaces; empty means the data type id, so the
	// same digits as a card and as an ID give different tokens.
	Tweak string `yaml:"tweak"`
	// Radix applies to values without a known structure: 10 tokenizes
	// digits only (letters stay: EMP-123456 keeps EMP-), 36 digits and
	// letters case-insensitively (tokens are lower case), 62 digits and
	// letters keeping case. 0 means 10 for values of digits only and
	// values with at least six digits (FF1's minimum domain), else 62.
	Radix int `yaml:"radix"`
	// RecomputeCheck writes a correct check character (GB 11643, Luhn,
	// IBAN mod 97, HKID, Taiwan ID), so tokens stay valid identifiers that
	// downstream validation accepts; a rescan then finds them again, as
	// the real thing. Without it the check character is deliberately
	// wrong, so tokens are never taken for real identifiers.
	RecomputeCheck bool `yaml:"recompute_check"`
}

// Validate checks the configuration.
func (c FF1Config) Validate() error {
	switch c.Radix {
	case 0, 10, 36, 62:
		return nil
	}
	return fmt.Errorf("radix %d, want 10, 36 or 62", c.Radix)
}

// FF1 is format-preserving tokenization with FF1 (NIST SP 800-38G): the
// token has the value's length, alphabet and written shape, and the key
// holder can reverse it. What is kept and what is tokenized per type:
//
//   - cn_resident_id: the province (2 digits) and the birth year are kept;
//     the county (4 digits), the day of the year and the sequence number
//     (3 digits) are tokenized together, by cycle-walking FF1 over the
//     ten-digit numbers below days-in-year × 10^7, so the birth date stays
//     a real date in the same year. Then the check character (see
//     RecomputeCheck). Ages and minors stay roughly right.
//   - bank_card: the IIN (first 6 digits) and the length are kept; the
//     account digits are tokenized; then the Luhn digit.
//   - iban: the country and the BBAN's letters are kept; the BBAN digits
//     are tokenized; then the mod-97 check digits.
//   - hk_id, tw_id: the letters (and the Taiwan gender digit) are kept;
//     the digits are tokenized; then the check character.
//   - cn_mobile: the country code and the 3-digit segment are kept; the
//     last 8 digits are tokenized. Tokens are always valid numbers.
//   - cn_passport: the letters are kept; the digits are tokenized.
//   - email: the domain is kept; the local part's letters and digits are
//     tokenized in radix 36 (tokens are lower case). A local part needs at
//     least 4 of them (FF1's minimum domain of 10^6).
//   - ipv4: the four bytes are tokenized (radix 256).
//   - other types: the digits (or letters and digits, see Radix).
//
// Values without that structure, or too short for FF1's minimum domain,
// give ErrUnsupported. Reverse assumes the original's check character was
// correct (the scanner only reports valid identifiers) and recomputes it.
type FF1 struct {
	cfg FF1Config
	f   *ff1
}

var (
	_ Operator = (*FF1)(nil)
	_ Reverser = (*FF1)(nil)
)

// NewFF1 returns an FF1 operator whose key is derived from master.
func NewFF1(cfg FF1Config, master []byte) (*FF1, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("ff1: %w", err)
	}
	if err := checkKey("ff1", master); err != nil {
		return nil, err
	}
	k, err := deriveKey(master, "ff1", 32)
	if err != nil {
		return nil, err
	}
	f, err := newFF1(k)
	if err != nil {
		return nil, err
	}
	return &FF1{cfg: cfg, f: f}, nil
}

// Name returns "ff1".
func (t *FF1) Name() string { return "ff1" }

// Apply returns the token of the value.
func (t *FF1) Apply(ctx OpContext, value []byte) ([]byte, error) { return t.run(ctx, value, true) }

// Reverse returns the value of a token.
func (t *FF1) Reverse(ctx OpContext, token []byte) ([]byte, error) {
	return t.run(ctx, token, false)
}

func (t *FF1) run(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	var out []byte
	var err error
	switch ctx.DataType {
	case "cn_resident_id":
		out, err = t.residentID(ctx, v, enc)
	case "bank_card":
		out, err = t.card(ctx, v, enc)
	case "iban":
		out, err = t.iban(ctx, v, enc)
	case "hk_id":
		out, err = t.hkid(ctx, v, enc)
	case "tw_id":
		out, err = t.twid(ctx, v, enc)
	case "cn_mobile":
		out, err = t.keepPrefix(ctx, v, enc, 11, 3)
	case "cn_passport":
		out, err = t.passport(ctx, v, enc)
	case "email":
		out, err = t.email(ctx, v, enc)
	case "ipv4":
		out, err = t.ipv4(ctx, v, enc)
	case "gps_coordinate":
		err = unsupported(t.Name(), ctx.DataType, "coordinates have no format-preserving token; use generalize")
	default:
		out, err = t.generic(ctx, v, enc)
	}
	if err != nil {
		return nil, err
	}
	if !enc {
		return out, nil
	}
	return fitKind(t.Name(), ctx, out)
}

// tweak is the configured tweak (or the data type), a zero byte and the
// kept parts of the value, hashed if longer than FF1 allows.
func (t *FF1) tweak(ctx OpContext, kept ...[]byte) []byte {
	base := t.cfg.Tweak
	if base == "" {
		base = ctx.DataType
	}
	tw := append([]byte(base), 0)
	for _, k := range kept {
		tw = append(tw, k...)
		tw = append(tw, 0)
	}
	if len(tw) > ff1MaxTweak {
		s := sha256.Sum256(tw)
		tw = s[:]
	}
	return tw
}

// digits runs FF1 over a digit string.
func (t *FF1) digits(enc bool, d, tweak []byte) ([]byte, error) {
	if enc {
		return t.f.encryptString(alphabet10, d, tweak)
	}
	return t.f.decryptString(alphabet10, d, tweak)
}

// bad reports a value without the structure of its type.
func (t *FF1) bad(ctx OpContext, enc bool, why string) error {
	if !enc {
		return fmt.Errorf("ff1 %s: %w: %s", ctx.DataType, ErrToken, why)
	}
	return unsupported(t.Name(), ctx.DataType, why)
}

// residentID tokenizes a GB 11643 resident ID; see the FF1 doc.
func (t *FF1) residentID(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	s := newShape(ctx.DataType, v)
	c := upper(s.content())
	if len(c) != 18 || !allDigits(c[:17]) || !(isDigit(c[17]) || c[17] == 'X') {
		return nil, t.bad(ctx, enc, "not 17 digits and a check character")
	}
	year := atoi(c[6:10])
	born, ok := makeDate(year, atoi(c[10:12]), atoi(c[12:14]))
	if !ok {
		return nil, t.bad(ctx, enc, "no real birth date")
	}
	diy := int64(365)
	if isLeap(year) {
		diy = 366
	}
	n := (int64(atoi(c[2:6]))*diy+int64(born.YearDay()-1))*1000 + int64(atoi(c[14:17]))
	domain := diy * 10_000_000
	m, err := t.cycleWalk(enc, n, domain, 10, t.tweak(ctx, c[:2], c[6:10]))
	if err != nil {
		return nil, err
	}
	seq, m := m%1000, m/1000
	doy, county := m%diy, m/diy
	date := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(doy))
	body := fmt.Appendf(nil, "%s%04d%s%03d", c[:2], county, date.Format("20060102"), seq)
	check := gbCheck(body)
	if enc && !t.cfg.RecomputeCheck {
		check = breakCheck(check, "0123456789X", ctx.Kind == KindJSONNumber, func(ch byte) bool {
			return luhnValid(append(body, ch)) // not a bank card either
		})
	}
	out := append(body, check)
	if c[17] == 'X' && s.v[s.pos[17]] == 'x' && check == 'X' {
		out[17] = 'x'
	}
	return s.with(out), nil
}

// cycleWalk applies FF1 to n written as width digits until the result is
// below domain (Black and Rogaway's cycle walking): a permutation of the
// numbers below domain, reversed by walking with decryption.
func (t *FF1) cycleWalk(enc bool, n, domain int64, width int, tweak []byte) (int64, error) {
	if n < 0 || n >= domain {
		return 0, fmt.Errorf("ff1: %w: value outside its domain", ErrToken)
	}
	x := fmt.Appendf(nil, "%0*d", width, n)
	for range 1 << 16 {
		var err error
		if x, err = t.digits(enc, x, tweak); err != nil {
			return 0, err
		}
		m, _ := strconv.ParseInt(string(x), 10, 64)
		if m < domain {
			return m, nil
		}
	}
	// Unreachable in practice: each step lands inside with probability
	// domain/10^width (over 1/3 here).
	return 0, fmt.Errorf("ff1: cycle walk did not end")
}

// breakCheck returns a check character other than the correct one, from
// alphabet, that also fails avoid (another validator the token must not
// pass). In a JSON number slot it picks a digit.
func breakCheck(correct byte, alphabet string, digitsOnly bool, avoid func(byte) bool) byte {
	i := bytes.IndexByte([]byte(alphabet), correct)
	if !digitsOnly && correct != 'X' && alphabet[len(alphabet)-1] == 'X' {
		// Prefer X for resident IDs: 17 digits and X are never a card.
		return 'X'
	}
	for k := 1; k < len(alphabet); k++ {
		ch := alphabet[(i+k)%len(alphabet)]
		if digitsOnly && !isDigit(ch) {
			continue
		}
		if avoid == nil || !avoid(ch) {
			return ch
		}
	}
	return alphabet[(i+1)%len(alphabet)]
}
