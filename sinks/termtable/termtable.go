// Package termtable aligns plain-text tables for terminals by display
// width. text/tabwriter counts runes, so a cell holding Chinese text (two
// terminal cells per character) pushes every later column out of line;
// this package measures East Asian wide and fullwidth characters as two
// cells (UAX #11) and combining marks and format characters as none.
package termtable

import (
	"bytes"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// DisplayWidth is the number of terminal cells s takes.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < utf8RuneSelf:
			n++
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
			// combining marks and format characters take no cell
		default:
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
	}
	return n
}

const utf8RuneSelf = 0x80

// Writer is a drop-in for text/tabwriter.NewWriter(w, 0, 0, 2, ' ', 0):
// lines written to it are made of tab-terminated cells and a last cell;
// Flush pads every tab-terminated cell to its column's widest cell plus
// two spaces, by display width, and writes the lines. Columns are aligned
// across all the lines of one Flush.
type Writer struct {
	w   io.Writer
	buf bytes.Buffer
}

// NewWriter returns a Writer that writes to w on Flush.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write buffers p; it never fails.
func (t *Writer) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes the buffered lines aligned and empties the buffer. An
// unterminated last line is written as a line.
func (t *Writer) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	if text == "" {
		return nil
	}
	text = strings.TrimSuffix(text, "\n")
	lines := strings.Split(text, "\n")
	cells := make([][]string, len(lines))
	var widths []int
	for i, l := range lines {
		cells[i] = strings.Split(l, "\t")
		for j, c := range cells[i][:len(cells[i])-1] { // tab-terminated cells
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], DisplayWidth(c))
		}
	}
	var out strings.Builder
	for _, row := range cells {
		last := len(row) - 1
		for j, c := range row[:last] {
			out.WriteString(c)
			out.WriteString(strings.Repeat(" ", widths[j]-DisplayWidth(c)+2))
		}
		out.WriteString(row[last])
		out.WriteByte('\n')
	}
	_, err := io.WriteString(t.w, out.String())
	return err
}
