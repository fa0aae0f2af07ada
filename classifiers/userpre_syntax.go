package classifiers

import (
	"strings"
	"unicode/utf8"
)

// goSyntax rewrites a user pattern (regexp2, .NET syntax, RegexOptions.None
// as rules and the engine compile it) into Go's regexp/syntax so that the
// prefilter (userpre.go) can parse it. It does not need the same language:
// it needs every regexp2 match to be a match of the rewrite, so that the
// literals the rewrite requires are required by the pattern, and its
// width bounds the pattern's. So each construct is kept only when the two
// engines read it alike, and the classes whose meaning differs are widened:
//
//   - regexp2's \d is Go's \p{Nd} (both from package unicode), where Go's
//     \d is ASCII. Its \w (L, Mn, Nd, Pc, ZWJ, ZWNJ) and \s
//     (unicode.IsSpace) become their ASCII part plus every non-ASCII
//     rune, and \W, \S lose only ASCII members; inside a negated class
//     they become their ASCII part (the complement of less is more).
//     \p{..} and \P{..} become any rune (.NET and Go name categories,
//     blocks and scripts differently).
//   - \uXXXX becomes \x{XXXX}, \e becomes \x1b and \b in a class (a
//     backspace in .NET) becomes \x08.
//
// It reports false for whatever it does not know to be read alike, and the
// rule then runs without a prefilter: lookarounds, atomic groups,
// backreferences, \G, \Z, conditionals, comments, inline options other
// than i, m and s (x changes what whitespace means, n what captures),
// class subtraction ([a-z-[aeiou]]), POSIX classes (a .NET class holding
// '[' and ':'), a class starting with ']', an escape class used as the end
// of a range, octal and unknown escapes. negFold reports a negated class
// in a pattern that turns case-insensitivity on somewhere: Go folds such
// a class before negating it and regexp2 after, so their sets differ.
func goSyntax(p string) (g string, negFold bool, ok bool) {
	var b strings.Builder
	neg := false
	for i := 0; i < len(p); {
		c := p[i]
		switch c {
		case '\\':
			n, ok := goEscape(&b, p[i:], false, false)
			if !ok {
				return "", false, false
			}
			i += n
		case '[':
			n, negated, ok := goClass(&b, p[i:])
			if !ok {
				return "", false, false
			}
			neg = neg || negated
			i += n
		case '(':
			n, ok := goGroup(&b, p[i:])
			if !ok {
				return "", false, false
			}
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), neg && foldsSomewhere(p), true
}

// foldsSomewhere reports whether an inline option group turns on i.
func foldsSomewhere(p string) bool {
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '\\' {
			i++
			continue
		}
		if p[i] == '(' && p[i+1] == '?' {
			for j := i + 2; j < len(p) && p[j] != ':' && p[j] != ')'; j++ {
				if p[j] == '-' {
					break
				}
				if p[j] == 'i' {
					return true
				}
			}
		}
	}
	return false
}

// goGroup copies an opening parenthesis and what the group construct
// needs after it: (?: , a named group (?<name> and inline options of i,
// m and s. It returns the bytes consumed.
func goGroup(b *strings.Builder, p string) (int, bool) {
	if len(p) < 2 || p[1] != '?' {
		b.WriteByte('(')
		return 1, true
	}
	if len(p) < 3 {
		return 0, false
	}
	switch p[2] {
	case ':':
		b.WriteString("(?:")
		return 3, true
	case '<':
		// (?<name>...) is a capture in both; (?<= and (?<! look behind.
		if len(p) < 4 || p[3] == '=' || p[3] == '!' {
			return 0, false
		}
		b.WriteString("(?<")
		return 3, true
	}
	j := 2
	for j < len(p) && strings.IndexByte("ims-", p[j]) >= 0 {
		j++
	}
	if j == 2 || j >= len(p) || (p[j] != ':' && p[j] != ')') {
		return 0, false
	}
	b.WriteString(p[:j+1])
	return j + 1, true
}

// Rewrites of the escape classes (see goSyntax). Outside a class and in a
// class they widen; in a negated class they narrow to their ASCII part.
var escapeClasses = map[byte][3]string{
	//   outside,                      in a class,                    in a negated class
	'd': {`\p{Nd}`, `\p{Nd}`, `\p{Nd}`},
	'D': {`\P{Nd}`, `\P{Nd}`, `\P{Nd}`},
	'w': {`[0-9A-Z_a-z\x{80}-\x{10FFFF}]`, `0-9A-Z_a-z\x{80}-\x{10FFFF}`, `0-9A-Z_a-z`},
	'W': {`[^0-9A-Z_a-z]`, "\\x00-/:-@\\[-^`{-\\x{10FFFF}", "\\x00-/:-@\\[-^`{-\\x7f"},
	's': {`[\t-\r\x1c- \x{80}-\x{10FFFF}]`, `\t-\r\x1c- \x{80}-\x{10FFFF}`, `\t-\r `},
	'S': {`[^\t-\r ]`, `\x00-\x08\x0e-\x1f!-\x{10FFFF}`, `\x00-\x08\x0e-\x1b!-\x7f`},
}

// goEscape rewrites the escape at the start of p (p[0] is '\\'), outside a
// class or inside one (negated or not). It returns the bytes consumed.
func goEscape(b *strings.Builder, p string, inClass, negated bool) (int, bool) {
	if len(p) < 2 {
		return 0, false
	}
	c := p[1]
	if cls, ok := escapeClasses[c]; ok {
		switch {
		case !inClass:
			b.WriteString(cls[0])
		case negated:
			b.WriteString(cls[2])
		default:
			b.WriteString(cls[1])
		}
		return 2, true
	}
	switch c {
	case 'p', 'P':
		end := strings.IndexByte(p, '}')
		if len(p) < 4 || p[2] != '{' || end < 0 || negated {
			return 0, false
		}
		if inClass {
			b.WriteString(`\x00-\x{10FFFF}`)
		} else {
			b.WriteString(`[\x00-\x{10FFFF}]`)
		}
		return end + 1, true
	case 'b':
		if inClass {
			b.WriteString(`\x08`)
			return 2, true
		}
		b.WriteString(`\b`)
		return 2, true
	case 'B', 'A', 'z':
		if inClass {
			return 0, false
		}
		b.WriteString(p[:2])
		return 2, true
	case 't', 'n', 'r', 'f', 'v', 'a':
		b.WriteString(p[:2])
		return 2, true
	case 'e':
		b.WriteString(`\x1b`)
		return 2, true
	case 'x':
		if len(p) > 2 && p[2] == '{' {
			end := strings.IndexByte(p, '}')
			if end < 0 || !hexDigits(p[3:end]) || end-3 > 6 {
				return 0, false
			}
			b.WriteString(p[:end+1])
			return end + 1, true
		}
		if len(p) < 4 || !hexDigits(p[2:4]) {
			return 0, false
		}
		b.WriteString(p[:4])
		return 4, true
	case 'u':
		if len(p) < 6 || !hexDigits(p[2:6]) {
			return 0, false
		}
		// A surrogate half never reaches regexp2 (runes come from UTF-8).
		if p[2]|0x20 == 'd' && strings.IndexByte("89abcdefABCDEF", p[3]) >= 0 {
			return 0, false
		}
		b.WriteString(`\x{` + p[2:6] + `}`)
		return 6, true
	}
	// Escaped punctuation is the character itself in both.
	if c < utf8.RuneSelf && !isLetter(c) && !isDigit(c) && c > ' ' && c != 0x7f {
		b.WriteString(p[:2])
		return 2, true
	}
	return 0, false
}

// goClass rewrites the character class at the start of p (p[0] is '[').
// It returns the bytes consumed and whether the class is negated.
func goClass(b *strings.Builder, p string) (int, bool, bool) {
	i := 1
	negated := i < len(p) && p[i] == '^'
	if negated {
		i++
	}
	if i < len(p) && p[i] == ']' {
		return 0, false, false // "[]a]": read alike? not worth knowing
	}
	b.WriteString(p[:i])
	first := i
	for i < len(p) {
		c := p[i]
		switch {
		case c == ']':
			b.WriteByte(']')
			return i + 1, negated, true
		case c == '[' && i+1 < len(p) && p[i+1] == ':':
			return 0, false, false // POSIX class in Go, literal in .NET
		case c == '-' && i+1 < len(p) && p[i+1] == '[':
			return 0, false, false // .NET class subtraction
		case c == '\\':
			if i+1 < len(p) {
				if _, cls := escapeClasses[p[i+1]]; cls || p[i+1] == 'p' || p[i+1] == 'P' {
					// An escape class as either end of a range reads
					// differently: keep only a trailing '-'.
					if i-1 > first && p[i-1] == '-' {
						return 0, false, false
					}
					if i+2 < len(p) && p[i+2] == '-' && (i+3 >= len(p) || p[i+3] != ']') {
						return 0, false, false
					}
				}
			}
			n, ok := goEscape(b, p[i:], true, negated)
			if !ok {
				return 0, false, false
			}
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return 0, false, false // unterminated
}

// hexDigits reports a non-empty run of hex digits.
func hexDigits(s string) bool { return s != "" && isHex([]byte(s)) }
