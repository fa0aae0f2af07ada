package deid

import (
	"bytes"
	"fmt"
)

// The per-type FF1 tokenizers other than the resident ID; see the FF1
// type's doc for what each keeps.

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
		if allDigits(c) || countDigits(c) >= 6 {
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

func countDigits(b []byte) int {
	n := 0
	for _, c := range b {
		if isDigit(c) {
			n++
		}
	}
	return n
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
