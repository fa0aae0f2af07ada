package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dustin/go-humanize"

	"github.com/piiscan/piiscan/sinks/termtable"
)

// table is a plain-text table aligned by display width. text/tabwriter
// counts runes, so a column holding Chinese file names (two cells per
// character on a terminal) would push every later column out of line;
// this measures East Asian wide and fullwidth characters as two cells
// (UAX #11) and combining marks as none.
type table struct {
	head  []string
	right []bool // right-align this column (numbers)
	rows  [][]string
}

// newTable starts a table; a heading that starts with '>' is a right-
// aligned column (the '>' is not shown).
func newTable(head ...string) *table {
	t := &table{}
	for _, h := range head {
		r := strings.HasPrefix(h, ">")
		t.head = append(t.head, strings.TrimPrefix(h, ">"))
		t.right = append(t.right, r)
	}
	return t
}

func (t *table) add(cells ...string) {
	row := make([]string, len(t.head))
	for i := range row {
		if i < len(cells) {
			row[i] = clean(cells[i])
		}
	}
	t.rows = append(t.rows, row)
}

// write prints the table with two spaces between columns and no trailing
// blanks.
func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.head))
	for _, row := range append([][]string{t.head}, t.rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var sb strings.Builder
	for _, row := range append([][]string{t.head}, t.rows...) {
		sb.Reset()
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			if i > 0 {
				sb.WriteString("  ")
			}
			if t.right[i] {
				sb.WriteString(pad + c)
			} else {
				sb.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(sb.String(), " "))
	}
}

// displayWidth is the number of terminal cells s takes.
func displayWidth(s string) int { return termtable.DisplayWidth(s) }

// clean makes a value from the dataset safe to print on a terminal:
// control characters (an object name can hold ESC sequences), bidi
// overrides (which reorder what is shown) and invalid UTF-8 are written
// as Go escapes.
func clean(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r == utf8.RuneError || unsafeRune(r) }) {
		return s
	}
	var sb strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&sb, `\x%02x`, s[0])
		case unsafeRune(r):
			q := strconv.QuoteRuneToASCII(r)
			sb.WriteString(q[1 : len(q)-1])
		default:
			sb.WriteString(s[:n])
		}
		s = s[n:]
	}
	return sb.String()
}

// group writes n with thousands separators: 1,234,567.
var group = humanize.Comma

// unsafeRune reports control characters and bidi controls.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}
