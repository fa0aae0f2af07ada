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
	// digits only, 36 digits and letters case-insensitively (tokens are
	// lower case), 62 digits and letters keeping case. 0 means 10 for
	// values made of digits and 62 otherwise.
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

// card tokenizes a payment card number; see the FF1 doc.
func (t *FF1) card(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	s := newShape(ctx.DataType, v)
	c := s.content()
	if len(c) < 13 || len(c) > 19 || !allDigits(c) {
		return nil, t.bad(ctx, enc, "not 13 to 19 digits")
	}
	n := len(c)
	mid, err := t.digits(enc, c[6:n-1], t.tweak(ctx, c[:6], []byte{byte(n)}))
	if err != nil {
		return nil, err
	}
	body := append(append([]byte{}, c[:6]...), mid...)
	check := luhnDigit(body)
	if enc && !t.cfg.RecomputeCheck {
		check = breakCheck(check, alphabet10, true, func(ch byte) bool {
			return n == 18 && validResidentID(append(body, ch))
		})
	}
	return s.with(append(body, check)), nil
}

// iban tokenizes the digits of an IBAN's BBAN; see the FF1 doc.
func (t *FF1) iban(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	s := newShape(ctx.DataType, v)
	c := s.content()
	u := upper(c)
	if len(u) < 15 || len(u) > 34 || !isUpper(u[0]) || !isUpper(u[1]) || !isDigit(u[2]) || !isDigit(u[3]) {
		return nil, t.bad(ctx, enc, "not a country code, check digits and BBAN")
	}
	var idx []int
	var d []byte
	for i := 4; i < len(u); i++ {
		if isDigit(u[i]) {
			idx = append(idx, i)
			d = append(d, u[i])
		}
	}
	tok, err := t.digits(enc, d, t.tweak(ctx, u[:2]))
	if err != nil {
		return nil, unsupportedShort(t, ctx, enc, err)
	}
	for k, i := range idx {
		c[i], u[i] = tok[k], tok[k]
	}
	cd := ibanCheckDigits(u)
	if enc && !t.cfg.RecomputeCheck {
		// Any other pair fails mod 97, except the same number plus 97:
		// moving by one never lands there.
		x := int(cd[0]-'0')*10 + int(cd[1]-'0') + 1
		if x > 98 {
			x = 2
		}
		cd = [2]byte{byte('0' + x/10), byte('0' + x%10)}
	}
	c[2], c[3] = cd[0], cd[1]
	return s.with(c), nil
}

// unsupportedShort turns FF1's domain error into ErrUnsupported.
func unsupportedShort(t *FF1, ctx OpContext, enc bool, err error) error {
	if err == errFF1Domain {
		return t.bad(ctx, enc, "too few characters for ff1 (domain below 10^6)")
	}
	return err
}

// hkid tokenizes the six digits of an HKID; see the FF1 doc.
func (t *FF1) hkid(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	s := newShape(ctx.DataType, v)
	c := upper(s.content())
	nl := 0
	for nl < len(c) && nl < 2 && isUpper(c[nl]) {
		nl++
	}
	if nl == 0 || len(c) != nl+7 || !allDigits(c[nl:nl+6]) || !(isDigit(c[nl+6]) || c[nl+6] == 'A') {
		return nil, t.bad(ctx, enc, "not one or two letters, six digits and a check character")
	}
	d, err := t.digits(enc, c[nl:nl+6], t.tweak(ctx, c[:nl]))
	if err != nil {
		return nil, err
	}
	body := append(append([]byte{}, c[:nl]...), d...)
	check := hkidCheck(body)
	if enc && !t.cfg.RecomputeCheck {
		check = breakCheck(check, "0123456789A", false, nil)
	}
	return s.with(append(body, check)), nil
}

// twid tokenizes seven digits of a Taiwan ID; see the FF1 doc.
func (t *FF1) twid(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	s := newShape(ctx.DataType, v)
	c := upper(s.content())
	if len(c) != 10 || !isUpper(c[0]) || !allDigits(c[1:]) {
		return nil, t.bad(ctx, enc, "not a letter and nine digits")
	}
	d, err := t.digits(enc, c[2:9], t.tweak(ctx, c[:2]))
	if err != nil {
		return nil, err
	}
	body := append(append([]byte{}, c[:2]...), d...)
	check := twCheck(body)
	if enc && !t.cfg.RecomputeCheck {
		check = breakCheck(check, alphabet10, true, nil)
	}
	return s.with(append(body, check)), nil
}

// keepPrefix tokenizes all but the first keep digits of an n-digit value.
func (t *FF1) keepPrefix(ctx OpContext, v []byte, enc bool, n, keep int) ([]byte, error) {
	s := newShape(ctx.DataType, v)
	c := s.content()
	if len(c) != n || !allDigits(c) {
		return nil, t.bad(ctx, enc, fmt.Sprintf("not %d digits", n))
	}
	d, err := t.digits(enc, c[keep:], t.tweak(ctx, c[:keep]))
	if err != nil {
		return nil, err
	}
	return s.with(append(append([]byte{}, c[:keep]...), d...)), nil
}

// passport tokenizes the digits after a passport's letters.
func (t *FF1) passport(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	s := newShape(ctx.DataType, v)
	c := s.content()
	nl := 0
	for nl < len(c) && (isUpper(c[nl]) || isLower(c[nl])) {
		nl++
	}
	if nl == 0 || nl > 2 || !allDigits(c[nl:]) {
		return nil, t.bad(ctx, enc, "not letters and digits")
	}
	d, err := t.digits(enc, c[nl:], t.tweak(ctx, upper(c[:nl])))
	if err != nil {
		return nil, unsupportedShort(t, ctx, enc, err)
	}
	return s.with(append(append([]byte{}, c[:nl]...), d...)), nil
}

// email tokenizes the letters and digits of the local part in radix 36.
func (t *FF1) email(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	at := bytes.LastIndexByte(v, '@')
	if at <= 0 {
		return nil, t.bad(ctx, enc, "no local part")
	}
	s := newShape("", v[:at])
	c := lower(s.content())
	tok, err := t.alnum(enc, alphabet36, c, t.tweak(ctx, lower(v[at+1:])))
	if err != nil {
		return nil, unsupportedShort(t, ctx, enc, err)
	}
	out := s.with(tok)
	return append(out, v[at:]...), nil
}

func (t *FF1) alnum(enc bool, alphabet string, c, tweak []byte) ([]byte, error) {
	if enc {
		return t.f.encryptString(alphabet, c, tweak)
	}
	return t.f.decryptString(alphabet, c, tweak)
}

// ipv4 tokenizes the four bytes of a dotted quad.
func (t *FF1) ipv4(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	q, ok := parseIPv4(bytes.TrimSpace(v))
	if !ok {
		return nil, t.bad(ctx, enc, "not a dotted quad")
	}
	x := []uint16{uint16(q[0]), uint16(q[1]), uint16(q[2]), uint16(q[3])}
	var y []uint16
	var err error
	if enc {
		y, err = t.f.encrypt(256, x, t.tweak(ctx))
	} else {
		y, err = t.f.decrypt(256, x, t.tweak(ctx))
	}
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "%d.%d.%d.%d", y[0], y[1], y[2], y[3]), nil
}

// generic tokenizes the digits, or the letters and digits, of any value.
func (t *FF1) generic(ctx OpContext, v []byte, enc bool) ([]byte, error) {
	s := newShape("", v)
	c := s.content()
	radix := t.cfg.Radix
	if radix == 0 {
		radix = 62
		if allDigits(c) {
			radix = 10
		}
	}
	if radix == 10 {
		// Tokenize the digits only; letters stay.
		var d []byte
		var idx []int
		for i, ch := range c {
			if isDigit(ch) {
				d, idx = append(d, ch), append(idx, i)
			}
		}
		tw := t.tweak(ctx)
		tok, err := t.digits(enc, d, tw)
		// In a JSON number slot a leading zero would break the number:
		// walk the cycle until the first digit is not 0, a permutation of
		// the strings that do not start with 0.
		for err == nil && ctx.Kind == KindJSONNumber && len(d) > 1 && d[0] != '0' && tok[0] == '0' {
			tok, err = t.digits(enc, tok, tw)
		}
		if err != nil {
			return nil, unsupportedShort(t, ctx, enc, err)
		}
		for k, i := range idx {
			c[i] = tok[k]
		}
		return s.with(c), nil
	}
	alpha := alphabet62
	if radix == 36 {
		alpha, c = alphabet36, lower(c)
	}
	tok, err := t.alnum(enc, alpha, c, t.tweak(ctx))
	if err != nil {
		return nil, unsupportedShort(t, ctx, enc, err)
	}
	return s.with(tok), nil
}

// parseIPv4 reads a dotted quad of decimal octets 0-255.
func parseIPv4(v []byte) ([4]int, bool) {
	var q [4]int
	parts := bytes.Split(v, []byte{'.'})
	if len(parts) != 4 {
		return q, false
	}
	for i, p := range parts {
		if len(p) == 0 || len(p) > 3 || !allDigits(p) {
			return q, false
		}
		q[i] = atoi(p)
		if q[i] > 255 {
			return q, false
		}
	}
	return q, true
}
