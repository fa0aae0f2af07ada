package corpus

import "strings"

// FullWidth writes text as an IME's full-width mode types its values, for
// tests and benchmarks of full-width input: a token (a run of ASCII
// letters, digits and + - . / ( ) @ _) that holds a digit or '@' is written
// in full-width forms (U+FF01-FF5E), and so is a token next to one with only
// spaces between ("ID E12345678" becomes "ＩＤ　Ｅ１２３４５６７８"), and
// the spaces between two such tokens (U+3000). Everything else is kept, so
// that words, labels and punctuation read as before. at maps each byte
// offset of text, and len(text), to the offset of the same character in
// the result.
func FullWidth(text string) (wide string, at []int) {
	type token struct {
		s, e  int
		digit bool
	}
	var toks []token
	for i := 0; i < len(text); {
		if !tokenByte(text[i]) {
			i++
			continue
		}
		t := token{s: i, e: i}
		for ; t.e < len(text) && tokenByte(text[t.e]); t.e++ {
			t.digit = t.digit || text[t.e] >= '0' && text[t.e] <= '9' || text[t.e] == '@'
		}
		toks = append(toks, t)
		i = t.e
	}
	spaced := func(a, z int) bool { return a < z && strings.Trim(text[a:z], " ") == "" }
	wideAt := make([]bool, len(text))
	for k, t := range toks {
		if !(t.digit || k > 0 && toks[k-1].digit && spaced(toks[k-1].e, t.s) ||
			k+1 < len(toks) && toks[k+1].digit && spaced(t.e, toks[k+1].s)) {
			continue
		}
		for i := t.s; i < t.e; i++ {
			wideAt[i] = true
		}
		if k > 0 && wideAt[toks[k-1].s] && spaced(toks[k-1].e, t.s) {
			for i := toks[k-1].e; i < t.s; i++ {
				wideAt[i] = true
			}
		}
	}
	var b strings.Builder
	b.Grow(len(text) * 2)
	at = make([]int, len(text)+1)
	for i := 0; i < len(text); i++ {
		at[i] = b.Len()
		switch {
		case !wideAt[i]:
			b.WriteByte(text[i])
		case text[i] == ' ':
			b.WriteRune('\u3000')
		default:
			b.WriteRune(rune(text[i]) - '!' + '\uFF01')
		}
	}
	at[len(text)] = b.Len()
	return b.String(), at
}

func tokenByte(c byte) bool {
	return c >= '0' && c <= '9' || (c|0x20) >= 'a' && (c|0x20) <= 'z' ||
		c == '+' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '@' || c == '_'
}
