package classifiers

import (
	"bytes"
	"slices"
	"sort"
	"unicode/utf8"
)

// Full-width forms. Chinese typed in an IME's full-width mode writes digits
// and Latin letters as the forms of the Halfwidth and Fullwidth Forms block
// ("手机：１３８１２３４５６７８", "护照：Ｅ１２３４５６７８",
// "ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ"), with － (U+FF0D) and the
// ideographic space (U+3000) between groups; and an address is often
// written with a full-width ＠ to keep it from harvesters
// ("zhang＠example.com"). The detectors read ASCII; rather than teach each
// parser a second spelling of every byte they test, a buffer that holds a
// full-width digit or ＠ is folded:
//
//   - a token is a run of full-width digits, letters and （ ） ＋ － ． ／
//     ＠ ＿; tokens are apart when spaces (ASCII or U+3000) or anything else
//     stand between them;
//   - a token folds when it holds a digit or ＠, and so does a token next to
//     one with only spaces between ("ＩＤ　Ｅ１２３４５６７８", the letter
//     group of "ＧＢ８２　ＷＥＳＴ　１２３４ ..."), a token joined to one
//     that holds ＠ by ASCII address characters only (the ． of
//     "zhang＠example．com"), and the ideographic spaces between two tokens
//     that fold; folding writes each character in ASCII (U+3000 as a space)
//     into a copy of the buffer, and every other byte is copied as it is;
//   - the pass and the record rules run on the copy, so a full-width value
//     is parsed, validated, given context (keywords, its field), graded,
//     masked and fingerprinted exactly as the same value written in ASCII:
//     its canonical value is ASCII;
//   - match offsets are mapped back to the original bytes, so findings'
//     offsets, lengths and columns and a de-identified copy's replacements
//     cover the full-width text.
//
// Whether a token folds depends on it and its neighbours only, not on where
// a chunk starts or ends. A number mixing the two forms ("138１２３４5678",
// "E１２３４５６７８") is read as the ASCII number it spells: ASCII and
// folded characters join as they would in ASCII. Full-width letters away
// from a full-width digit or ＠ are left as they are: a Latin keyword written
// in full width counts only right before or after the value
// ("ｐａｓｓｐｏｒｔ　Ｅ１２３４５６７８"), and neither a full-width letter
// before ASCII digits ("Ｅ12345678") nor a full-width local part before an
// ASCII '@' ("ｚｈａｎｇ@example.com") is read. A ＠ that starts a mention
// ("＠张三") folds to an '@' that no address holds.
// Mixed text can leave one parenthesis full-width and the other ASCII
// ("Ｚ６８３３６５（A）" folds to "Z683365(A）"): the HKID and landline
// parsers read either form of each. The full-width colon and comma are not
// folded: they are the labels' punctuation of all Chinese text ("手机：",
// "，"), and the GPS parser reads the full-width comma.
//
// Offsets and bounds inside the detectors are in the copy's bytes. The
// look-behind of a chunk (256 bytes) holds 85 full-width characters: more
// than a token the parsers look at (maxTok, 64) and than a keyword window
// (64), but less than the longest digit-group sequence (maxSeq, 160): a
// full-width sequence of more than 85 characters that crosses the start of
// a chunk is read from the look-behind's edge, where in ASCII it would be
// skipped whole. No value is that long.
//
// The pass learns of a full-width digit or ＠ from its pair table (the
// pairs BC 9x and BC A0 that end EF BC 90-99 and EF BC A0), in the loads it
// does anyway, so text without one costs one more flagged pair per Han
// character that ends the same way (优, 众, 编, 引, 传 ...) and nothing else.
// On the first full-width digit or ＠ the pass stops and starts again on the
// folded copy: a chunk that holds one is read about twice, and every other
// chunk once.
//
// User rules (regexp2) run on the original bytes: their patterns say what
// they read.

// foldTable maps a full-width token character EF BC xx or EF BD xx to its
// ASCII byte, by (the low bit of the middle byte, the low six bits of the
// last): EF BC 90-99 ０-９, EF BC A1-BA Ａ-Ｚ, EF BD 81-9A ａ-ｚ, （ ） ＋ － ．
// ／ ＠ ＿. Zero: not a token character.
var foldTable = func() (t [0x80]byte) {
	for c := byte(0); c < 10; c++ {
		t[0x10+c] = '0' + c
	}
	for c := byte(0); c < 26; c++ {
		t[0x21+c] = 'A' + c
		t[0x41+c] = 'a' + c
	}
	t[0x08], t[0x09] = '(', ')'
	t[0x0B], t[0x0D], t[0x0E], t[0x0F] = '+', '-', '.', '/'
	t[0x20], t[0x3F] = '@', '_'
	return t
}()

// tokenAt returns the ASCII byte of the token character at b[i:], or 0.
func tokenAt(b []byte, i int) byte {
	if i+2 >= len(b) || b[i] != 0xEF || b[i+1]&^1 != 0xBC || b[i+2]&0xC0 != 0x80 {
		return 0
	}
	return foldTable[int(b[i+1]&1)<<6|int(b[i+2]&0x3F)]
}

// WideDigit returns the ASCII digit of the full-width digit (EF BC 90-99,
// ０-９) at b[i:], or 0: for readers of names (field names, JSON keys)
// that must see the numbers the engine reads.
func WideDigit[T string | []byte](b T, i int) byte {
	if i+2 < len(b) && b[i] == 0xEF && b[i+1] == 0xBC && b[i+2]-0x90 <= 9 {
		return '0' + b[i+2] - 0x90
	}
	return 0
}

// ideoSpace reports the ideographic space U+3000 (E3 80 80) at b[i:].
func ideoSpace(b []byte, i int) bool {
	return i+2 < len(b) && b[i] == 0xE3 && b[i+1] == 0x80 && b[i+2] == 0x80
}

// spaced reports that b[a:z] is one or more spaces, ASCII or ideographic.
func spaced(b []byte, a, z int) bool {
	if a >= z {
		return false
	}
	for a < z {
		switch {
		case b[a] == ' ':
			a++
		case a+3 <= z && ideoSpace(b, a):
			a += 3
		default:
			return false
		}
	}
	return true
}

// addressGap reports that b[a:z] is one to maxDomain characters an e-mail
// address holds in ASCII (letters, digits, . _ % + -).
func addressGap(b []byte, a, z int) bool {
	if a >= z || z-a > maxDomain {
		return false
	}
	for _, c := range b[a:z] {
		if !isLocalChar(c) {
			return false
		}
	}
	return true
}

// wideTok is a token of full-width characters in a buffer being folded.
type wideTok struct {
	s, e   int
	anchor bool // it holds a full-width digit or ＠
	at     bool // it holds ＠
	fold   bool
}

// addRun notes n characters folded from orig to side, as a run of its own
// or as the end of the last one.
func addRun(runs []foldRun, orig, side, n int) []foldRun {
	if k := len(runs) - 1; k >= 0 && runs[k].orig+3*runs[k].n == orig && runs[k].side+runs[k].n == side {
		runs[k].n += n
		return runs
	}
	return append(runs, foldRun{orig: orig, side: side, n: n})
}

// foldRun is a run of folded characters: the n characters of the original at
// [orig, orig+3n) are the n bytes of the copy at [side, side+n).
type foldRun struct{ orig, side, n int }

// view is what the detectors read: a buffer with its owned region, record
// window and spans. The scanner keeps the original's while it reads the
// folded copy.
type view struct {
	buf          []byte
	own0, own1   int
	recLo, recHi int
	spans        []Span
}

func (s *Scanner) viewOf() view {
	return view{buf: s.buf, own0: s.own0, own1: s.own1, recLo: s.recLo, recHi: s.recHi, spans: s.spans}
}

func (s *Scanner) setView(v view) {
	s.buf, s.own0, s.own1, s.recLo, s.recHi, s.spans = v.buf, v.own0, v.own1, v.recLo, v.recHi, v.spans
	s.lastSpan = 0
}

// fold makes the scanner read a folded copy of its buffer: every token
// that folds (see above) in ASCII, with the owned region, record window and
// spans mapped onto it. unfold goes back.
func (s *Scanner) fold() {
	b := s.buf
	// The copy starts foldBack bytes before the owned region: the
	// detectors never look further back (the chunker's look-behind is
	// 256 bytes), and a caller may hand a long buffer with a small owned
	// region (a benchmark hands every chunk the whole text before it).
	lo := max(0, s.own0-foldBack)
	for lo > 0 && !utf8.RuneStart(b[lo]) {
		lo++
	}
	s.foldLo = lo
	toks := s.toks[:0]
	for i := lo; i < len(b); {
		k := bytes.IndexByte(b[i:], 0xEF) // every token character starts so
		if k < 0 {
			break
		}
		i += k
		if tokenAt(b, i) == 0 {
			i++
			continue
		}
		t := wideTok{s: i}
		for c := tokenAt(b, i); c != 0; c = tokenAt(b, i) {
			if c-'0' <= 9 {
				t.anchor = true
			} else if c == '@' {
				t.anchor, t.at = true, true
			}
			i += 3
		}
		t.e = i
		toks = append(toks, t)
	}
	for k := range toks {
		t := &toks[k]
		t.fold = t.anchor || k > 0 && toks[k-1].anchor && spaced(b, toks[k-1].e, t.s) ||
			k+1 < len(toks) && toks[k+1].anchor && spaced(b, t.e, toks[k+1].s)
	}
	// The tokens of an address written partly in ASCII around a ＠
	// ("zhang＠example．com"): a token joined to a ＠ by ASCII address
	// characters only folds too.
	for k := range toks {
		if !toks[k].at {
			continue
		}
		for j := k + 1; j < len(toks) && addressGap(b, toks[j-1].e, toks[j].s); j++ {
			toks[j].fold = true
		}
		for j := k - 1; j >= 0 && addressGap(b, toks[j].e, toks[j+1].s); j-- {
			toks[j].fold = true
		}
	}
	s.toks = toks
	// The copy is never longer than the original: grow it once.
	out, runs := slices.Grow(s.fbuf[:0], len(b)-lo), s.runs[:0]
	copied := lo // b[lo:copied] is in out
	for k, t := range toks {
		if !t.fold {
			continue
		}
		if k > 0 && toks[k-1].fold && copied == toks[k-1].e && spaced(b, copied, t.s) {
			// The spaces between two folded tokens fold too.
			for q := copied; q < t.s; {
				if b[q] == ' ' {
					out = append(out, ' ')
					q++
					continue
				}
				runs = addRun(runs, q, len(out), 1)
				out = append(out, ' ')
				q += 3
			}
			copied = t.s
		}
		out = append(out, b[copied:t.s]...)
		n := len(out)
		runs = addRun(runs, t.s, n, (t.e-t.s)/3)
		out = out[:n+(t.e-t.s)/3]
		for j, q := n, t.s; q < t.e; j, q = j+1, q+3 {
			out[j] = foldTable[int(b[q+1]&1)<<6|int(b[q+2]&0x3F)]
		}
		copied = t.e
	}
	out = append(out, b[copied:]...)
	s.fbuf, s.runs = out, runs

	s.orig = s.viewOf()
	v := view{buf: out, own0: s.toSide(s.own0), own1: s.toSide(s.own1), recLo: s.toSide(s.recLo), recHi: s.toSide(s.recHi)}
	if s.spans != nil {
		sp := s.fspans[:0]
		for _, x := range s.spans {
			x.Start, x.End = s.toSide(x.Start), s.toSide(x.End)
			sp = append(sp, x)
		}
		s.fspans, v.spans = sp, sp
	}
	s.setView(v)
	s.folded = true
}

// unfold maps the matches found on the folded copy back to the original
// and makes the scanner read the original again.
func (s *Scanner) unfold() {
	if !s.folded {
		return
	}
	for i := range s.out {
		m := &s.out[i]
		m.Start, m.End = s.toOrig(m.Start), s.toOrig(m.End)
	}
	s.setView(s.orig)
	s.orig = view{}
	s.folded = false
}

// foldBack is how far before the owned region a folded copy starts: 256
// bytes of the copy however full-width the text before it.
const foldBack = 3 * 256

// toSide maps an offset of the original (a character boundary) to the copy.
// Offsets before the copy map to its start.
func (s *Scanner) toSide(p int) int {
	k := sort.Search(len(s.runs), func(k int) bool { return s.runs[k].orig > p }) - 1
	if k < 0 {
		return max(0, p-s.foldLo)
	}
	r := s.runs[k]
	if end := r.orig + 3*r.n; p >= end {
		return r.side + r.n + p - end
	}
	return r.side + (p-r.orig)/3
}

// toOrig maps an offset of the copy back to the original.
func (s *Scanner) toOrig(q int) int {
	k := sort.Search(len(s.runs), func(k int) bool { return s.runs[k].side > q }) - 1
	if k < 0 {
		return q + s.foldLo
	}
	r := s.runs[k]
	if q < r.side+r.n {
		return r.orig + 3*(q-r.side)
	}
	return r.orig + 3*r.n + q - r.side - r.n
}

// runUserOriginal runs the user rules on the original bytes. While the
// scanner reads a folded copy, their matches are mapped onto it, so that
// every match of the call is in the copy's offsets until unfold.
func (s *Scanner) runUserOriginal() error {
	if !s.folded {
		return s.runUser()
	}
	n := len(s.out)
	folded := s.viewOf()
	s.setView(s.orig)
	err := s.runUser()
	s.setView(folded)
	for i := n; i < len(s.out); i++ {
		m := &s.out[i]
		m.Start, m.End = s.toSide(m.Start), s.toSide(m.End)
	}
	return err
}

// wide handles the last byte of a pair BC 90-99 or BC A0 that the pass
// flagged: a full-width digit or ＠ when the byte two before is EF (the
// pairs also end Han characters such as 优, E4 BC 98, and 传, E4 BC A0).
// The first one stops the pass, which scan then runs again on the folded
// copy.
func (s *Scanner) wide(i int) int {
	if i >= 2 && s.buf[i-2] == 0xEF && !s.folded {
		s.sawWide = true
		return len(s.buf)
	}
	return i + 1
}
