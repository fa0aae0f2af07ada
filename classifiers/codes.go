package classifiers

import (
	"bytes"
	"unicode/utf8"
)

// A column of stroke codes. The stroke order of a Han character is written
// with the digits 1 to 5 (horizontal, vertical, left-falling, dot, turning),
// one digit per stroke, and collation tables list one character per line
// with its code: glibc's cns11643_stroke locale holds 70,000 lines like
// "<U8123> <U8123>;IGNORE;IGNORE;IGNORE # 13115343544". Codes of 11 digits
// starting 13 or 15 read as mobiles and one long code in ten passes Luhn:
// that one file gave 659 mobiles and 489 cards, most of the false alarms in
// a scan of /usr/share.
//
// A number whose digits are all 1 to 5 is rare among real ones: a mobile's
// last eight digits are all 1 to 5 once in 256 numbers, a card's last
// twelve once in 4,096. Two lines in a row with such a number at the same
// place, the k-th word of the line, besides the line being read, is what a
// table of codes looks like and a list of numbers almost never does: three
// mobiles in a row come out that way about once in 10^8 lists. So a digit
// run written with 1 to 5 only, as a word of its own, is not a value when
// two of the lines next to it (the one above and the one below, or the two
// above, or the two below) hold the same kind of word in the same place.
//
// The rule reads text only: in records a value's neighbours are the other
// fields of its row, and a column of codes is what the coincidence rule of
// the scanner's numbers is for.

const (
	codeMinDigits = 7    // no digits-only detector takes fewer
	codeMaxLine   = 1024 // longer lines are not searched for their neighbours
)

// strokeColumn reports that the digit run buf[start:end] is a stroke code
// in a column of them (see above). It needs the lines next to it whole in
// buf: a line cut by the chunk's look-behind or look-ahead does not count.
// head and tail say that buf starts and ends where the text does (the
// first and the last chunk), so a line running to either end is whole.
func strokeColumn(buf []byte, start, end int, head, tail bool) bool {
	if !strokeCode(buf[start:end]) || !wordEdge(buf, start-1, head) || !wordEdge(buf, end, tail) {
		return false
	}
	ls, ok := lineStartBefore(buf, start, head)
	if !ok {
		return false
	}
	k := wordIndex(buf[ls:start])
	le, ok := lineEndAfter(buf, end, tail)
	if !ok {
		return false
	}
	// q[0], q[1]: the lines two and one above; q[2], q[3]: one and two below.
	var q [4]bool
	s := ls
	for i := 1; i >= 0; i-- {
		if s == 0 {
			break
		}
		ps, ok := lineStartBefore(buf, s-1, head)
		if !ok {
			break
		}
		q[i] = strokeCode(nthWord(buf[ps:s-1], k))
		s = ps
	}
	e := le
	for i := 2; i < 4; i++ {
		if e+1 >= len(buf) {
			break // no line after
		}
		ne, ok := lineEndAfter(buf, e+1, tail)
		if !ok {
			break
		}
		q[i] = strokeCode(nthWord(buf[e+1:ne], k))
		e = ne
	}
	return q[1] && q[2] || q[0] && q[1] || q[2] && q[3]
}

// strokeCode reports a word of codeMinDigits or more digits, all 1 to 5.
func strokeCode(w []byte) bool {
	if len(w) < codeMinDigits {
		return false
	}
	for _, c := range w {
		if c < '1' || c > '5' {
			return false
		}
	}
	return true
}

// wordEdge reports a blank or line break at buf[i], or the text's start or end
// there when i is just outside buf and end (head or tail) says buf holds
// that end.
func wordEdge(buf []byte, i int, end bool) bool {
	if i < 0 || i >= len(buf) {
		return end
	}
	return isBlank(buf[i])
}

// lineStartBefore returns the start of the line holding buf[p-1] (p itself
// when buf[p-1] is a line break). ok is false when the line runs past
// codeMaxLine bytes, or to the start of buf unless head.
func lineStartBefore(buf []byte, p int, head bool) (int, bool) {
	lo := max(p-codeMaxLine-1, 0)
	if i := bytes.LastIndexByte(buf[lo:p], '\n'); i >= 0 {
		return lo + i + 1, true
	}
	return 0, lo == 0 && head
}

// lineEndAfter returns the index of the line break ending the line that
// holds buf[p] (p itself when that is one), or len(buf) for the text's last
// line when tail; ok is false when there is none within codeMaxLine bytes.
func lineEndAfter(buf []byte, p int, tail bool) (int, bool) {
	hi := min(p+codeMaxLine+1, len(buf))
	if i := bytes.IndexByte(buf[p:hi], '\n'); i >= 0 {
		return p + i, true
	}
	return hi, hi == len(buf) && tail
}

// wordIndex counts the words of line, which ends where a word starts.
func wordIndex(line []byte) int {
	k := 0
	for range bytes.FieldsFuncSeq(line, breakRune) {
		k++
	}
	return k
}

// nthWord returns the k-th word (from 0) of line, or nil.
func nthWord(line []byte, k int) []byte {
	for w := range bytes.FieldsFuncSeq(line, breakRune) {
		if k == 0 {
			return w
		}
		k--
	}
	return nil
}

func breakRune(r rune) bool { return r < utf8.RuneSelf && isBlank(byte(r)) }
