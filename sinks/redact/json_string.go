package redact

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// Replaced JSON strings. Only the replaced parts of a string change: the
// rest is copied from the input as it was, escapes included, and each
// replacement is escaped for JSON and for the output encoding (a
// character the encoding cannot hold becomes a \uXXXX escape, a pair of
// them above U+FFFF). A legacy-encoded document therefore keeps its
// escapes, and stays valid JSON in its own encoding.

// spliceString appends the string token raw (quotes included) with the
// edits es of its unescaped value v applied. When an edit bound falls
// inside an escape, or raw does not unescape to v, the whole string is
// written again from the edited value.
func (p *jsonRW) spliceString(dst, raw, v []byte, es []edit) []byte {
	if len(raw) < 2 {
		return appendJSONString(dst, splice(nil, v, es), p.fits)
	}
	// bounds holds pairs (value offset, raw offset) at token starts and
	// at the closing quote.
	p.bounds, p.unesc = p.bounds[:0], p.unesc[:0]
	body := raw[:len(raw)-1]
	for i := 1; i < len(body); {
		p.bounds = append(p.bounds, len(p.unesc), i)
		n, ok := 0, false
		if p.unesc, n, ok = unescapeToken(p.unesc, body, i); !ok {
			return appendJSONString(dst, splice(nil, v, es), p.fits)
		}
		i += n
	}
	p.bounds = append(p.bounds, len(p.unesc), len(body))
	if !bytes.Equal(p.unesc, v) {
		return appendJSONString(dst, splice(nil, v, es), p.fits)
	}
	rawAt := func(u int) (int, bool) {
		// bounds is sorted on value offsets; tokens are short.
		lo, hi := 0, len(p.bounds)/2
		for lo < hi {
			m := (lo + hi) / 2
			if p.bounds[2*m] < u {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo == len(p.bounds)/2 || p.bounds[2*lo] != u {
			return 0, false
		}
		return p.bounds[2*lo+1], true
	}
	mark := len(dst)
	dst = append(dst, '"')
	pos, rpos := 0, 1 // value and raw offsets copied up to
	for _, e := range es {
		if e.end <= pos {
			continue
		}
		rs, ok1 := rawAt(max(e.start, pos))
		re, ok2 := rawAt(min(e.end, len(v)))
		if !ok1 || !ok2 {
			return appendJSONString(dst[:mark], splice(nil, v, es), p.fits)
		}
		dst = append(dst, raw[rpos:rs]...)
		dst = appendJSONChars(dst, e.repl, p.fits)
		pos, rpos = e.end, re
	}
	return append(dst, raw[rpos:]...)
}

// unescapeToken appends the value of the string token at raw[i] (one
// byte, or one escape) to dst and returns its length in raw, as
// readString reads it. ok is false for what readString reads differently
// (a high surrogate whose pair is not complete).
func unescapeToken(dst, raw []byte, i int) ([]byte, int, bool) {
	if raw[i] != '\\' {
		return append(dst, raw[i]), 1, true
	}
	if i+1 >= len(raw) {
		return dst, 0, false
	}
	switch e := raw[i+1]; e {
	case '"', '\\', '/':
		return append(dst, e), 2, true
	case 'b':
		return append(dst, '\b'), 2, true
	case 'f':
		return append(dst, '\f'), 2, true
	case 'n':
		return append(dst, '\n'), 2, true
	case 'r':
		return append(dst, '\r'), 2, true
	case 't':
		return append(dst, '\t'), 2, true
	case 'u':
		r, ok := hex4At(raw, i+2)
		if !ok {
			return dst, 0, false
		}
		if !utf16.IsSurrogate(r) {
			return utf8.AppendRune(dst, r), 6, true
		}
		if i+7 >= len(raw) || raw[i+6] != '\\' || raw[i+7] != 'u' {
			return dst, 0, false
		}
		lo, ok := hex4At(raw, i+8)
		if !ok {
			return dst, 0, false
		}
		return utf8.AppendRune(dst, utf16.DecodeRune(r, lo)), 12, true
	}
	return dst, 0, false
}

// hex4At reads the four hex digits at raw[i].
func hex4At(raw []byte, i int) (rune, bool) {
	if i+4 > len(raw) {
		return 0, false
	}
	var r rune
	for _, c := range raw[i : i+4] {
		d, ok := hexVal(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// hexVal is the value of a hexadecimal digit.
func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// appendJSONString appends s as a JSON string (appendJSONChars in quotes).
func appendJSONString(dst, s []byte, fits func(rune) bool) []byte {
	dst = append(dst, '"')
	dst = appendJSONChars(dst, s, fits)
	return append(dst, '"')
}

// appendJSONChars appends s escaped for a JSON string: quotes,
// backslashes and control characters escaped, characters fits rejects
// (nil: none) as \uXXXX, invalid UTF-8 as U+FFFD except for the bytes a
// legacy decoder kept (isByteEscape), which the encoder writes back.
func appendJSONChars(dst, s []byte, fits func(rune) bool) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == 0x7f:
				dst = appendUEscape(dst, rune(c))
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if _, ok := byteEscape(s[i:]); ok {
				n = 3
				dst = append(dst, s[i:i+n]...)
			} else {
				dst = append(dst, `\ufffd`...)
			}
		case fits != nil && !fits(r):
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				dst = appendUEscape(appendUEscape(dst, r1), r2)
			} else {
				dst = appendUEscape(dst, r)
			}
		default:
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return dst
}

// appendUEscape appends \uXXXX for a character of the BMP.
func appendUEscape(dst []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}
