package scanner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// CSVReader reads a CSV or TSV stream field by field, splitting records
// and fields exactly as the scanner's CSV decoder (csvParser) does, for the
// de-identified copy writer of sinks/redact: it must replace every value
// the scan reports, and a second, stricter or more lenient reader (such as
// encoding/csv with LazyQuotes, which runs a stray quote on to the end of
// the file) would see other values. The rules, shared with csvParser:
//   - A field that does not start with a quote runs to the next delimiter,
//     LF or CR; quotes inside it are ordinary bytes.
//   - A field that starts with a quote runs to its closing quote; "" inside
//     is one quote, and delimiters and line breaks are part of the value.
//     Text after the closing quote, up to the next delimiter or line break,
//     still belongs to the value (`"VIP" customer` is VIP customer).
//   - A quoted field the input ends in holds everything to the end.
//   - CRLF is one line break; a lone CR or LF is one too. A blank line is a
//     row of one empty field.
//
// Unlike csvParser it returns each field's bytes as they are in the stream
// (Raw and End), so that a writer can copy them unchanged, and it holds a
// whole field in memory. TestCSVReaderMatchesDecoder checks the two
// agree. Not safe for concurrent use.
type CSVReader struct {
	// MaxField bounds the bytes of one field (0: no bound). A longer
	// field is an error IsLimit reports, instead of a field held whole
	// (an unclosed quote makes the rest of a file one field).
	MaxField int

	r      io.Reader
	delim  byte
	quote  bool // CSVQuotes(delim)
	buf    []byte
	pos, n int // unread bytes are buf[pos:n]
	eof    bool
	err    error
	val    []byte
	off    int64 // stream offset of buf[pos]
}

// CSVField is one field as CSVReader.Next returns it. Its slices are valid
// until the next call to Next.
type CSVField struct {
	// Off is the stream offset of Raw.
	Off int64
	// Raw is the field's bytes in the stream, quotes included, without
	// the delimiter or line break that ends it.
	Raw []byte
	// Value is the value the scanner classifies: the enclosing quotes
	// removed, "" unescaped, text after a closing quote kept.
	Value []byte
	// End is what ended the field: the delimiter, "\n", "\r\n" or "\r";
	// empty at the end of input.
	End []byte
	// Quoted reports a field that starts with a quote.
	Quoted bool
	// Unclosed reports a quoted field the input ended in (the scanner
	// reports the object as malformed).
	Unclosed bool
	// EOL reports the last field of its row.
	EOL bool
}

// NewCSVReader returns a reader of r (UTF-8) whose fields are separated
// by delim (',', '\t', or '\x01' for Hive text, which has no quoting).
func NewCSVReader(r io.Reader, delim byte) *CSVReader {
	return &CSVReader{r: r, delim: delim, quote: CSVQuotes(delim), buf: make([]byte, 64<<10)}
}

// Next returns the next field. It returns io.EOF after the last field, or
// the error of the underlying reader.
func (c *CSVReader) Next() (CSVField, error) {
	if c.pos >= c.n && !c.fill() {
		if c.err != nil {
			return CSVField{}, c.err
		}
		return CSVField{}, io.EOF
	}
	var f CSVField
	k := 0 // end of the field, relative to c.pos (fill moves the bytes)
	plain := true
	if c.quote && c.buf[c.pos] == '"' {
		f.Quoted = true
		c.val = c.val[:0]
		k = 1
		for {
			q := c.index(k, '"')
			if q < 0 { // never closed: the value runs to the end
				c.val = append(c.val, c.buf[c.pos+k:c.n]...)
				k, f.Unclosed, plain = c.n-c.pos, true, false
				break
			}
			c.val = append(c.val, c.buf[c.pos+k:c.pos+q]...)
			k = q + 1
			x, ok := c.at(k)
			if !ok || x == c.delim || x == '\n' || x == '\r' {
				break
			}
			plain = false
			if x == '"' { // an escaped quote
				c.val = append(c.val, '"')
				k++
				continue
			}
			// Text after the closing quote belongs to the value.
			e := c.stop(k)
			c.val = append(c.val, c.buf[c.pos+k:c.pos+e]...)
			k = e
			break
		}
	} else {
		k = c.stop(0)
	}
	// The byte that ends the field, and a LF after a CR: reading them may
	// move the buffer, so the slices are taken after.
	end := 0
	if x, ok := c.at(k); ok {
		end = 1
		switch x {
		case c.delim:
		case '\r':
			if y, ok := c.at(k + 1); ok && y == '\n' {
				end = 2
			}
			f.EOL = true
		default:
			f.EOL = true
		}
	} else {
		f.EOL = true
	}
	if c.err != nil && isLimit(c.err) {
		return CSVField{}, c.err // the field was cut short: not a value
	}
	f.Off = c.off
	f.Raw = c.buf[c.pos : c.pos+k]
	f.End = c.buf[c.pos+k : c.pos+k+end]
	switch {
	case !f.Quoted:
		f.Value = f.Raw
	case plain:
		f.Value = f.Raw[1 : len(f.Raw)-1]
	default:
		f.Value = c.val
	}
	c.pos += k + end
	c.off += int64(k + end)
	return f, nil
}

// fill reads more input, keeping the unread bytes, and reports whether
// any came.
func (c *CSVReader) fill() bool {
	if c.eof {
		return false
	}
	if c.pos > 0 {
		c.n = copy(c.buf, c.buf[c.pos:c.n])
		c.pos = 0
	}
	if c.n == len(c.buf) {
		if c.MaxField > 0 && c.n >= c.MaxField {
			c.eof = true
			c.err = &errLimit{msg: fmt.Sprintf("csv: a field of more than %d bytes", c.MaxField)}
			return false
		}
		c.buf = append(c.buf, make([]byte, len(c.buf))...)
	}
	for range 100 { // io.Reader allows reads of nothing; give up as bufio does
		m, err := c.r.Read(c.buf[c.n:])
		c.n += m
		if err != nil {
			c.eof = true
			if !errors.Is(err, io.EOF) {
				c.err = err
			}
			return m > 0
		}
		if m > 0 {
			return true
		}
	}
	c.eof, c.err = true, io.ErrNoProgress
	return false
}

// at returns the byte at k (relative to pos), reading on as needed; false
// at the end of input.
func (c *CSVReader) at(k int) (byte, bool) {
	for c.pos+k >= c.n {
		if !c.fill() {
			return 0, false
		}
	}
	return c.buf[c.pos+k], true
}

// index returns the first b at or after k (relative to pos), reading on as
// needed; -1 when the input ends first.
func (c *CSVReader) index(k int, b byte) int {
	for {
		if j := bytes.IndexByte(c.buf[c.pos+k:c.n], b); j >= 0 {
			return k + j
		}
		k = c.n - c.pos
		if !c.fill() {
			return -1
		}
	}
}

// stop returns the first delimiter, LF or CR at or after k (relative to
// pos), or the end of input: where an unquoted value ends.
func (c *CSVReader) stop(k int) int {
	for {
		for j, x := range c.buf[c.pos+k : c.n] {
			if x == c.delim || x == '\n' || x == '\r' {
				return k + j
			}
		}
		k = c.n - c.pos
		if !c.fill() {
			return k
		}
	}
}
