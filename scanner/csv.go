package scanner

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/bits"
	"strconv"

	"github.com/piiscan/piiscan/classifiers"
)

// csvParser reads CSV or TSV (RFC 4180, leniently: ragged rows, CRLF or LF,
// stray quotes inside unquoted fields) as a stream, writing each value to
// the record batch with its line and character column. The first row is a
// header when it reads like one; otherwise columns are named column_<n>.
//
// It is written by hand rather than on encoding/csv because that reader
// holds a whole record in memory (a 1 GiB quoted field would be read whole),
// reports no byte offsets and allocates per record.
type csvParser struct {
	o     *objectScan
	b     *batch
	r     io.Reader
	delim byte
	blk   []byte
	i, n  int
	off   int64 // stream offset of blk[0]
	eof   bool
	err   error

	cols columns // line and character column bookkeeping

	row, col int64 // data row index and column index
	header   *csvHeader
	fields   []*classifiers.Field
	inValue  bool
	special  [256]bool
}

// csvHeader buffers the first row until it is known to be a header or data.
type csvHeader struct {
	cells [][]byte
	locs  []spanLoc
	done  bool
}

const (
	maxHeaderCell  = 256
	maxHeaderCells = 2000
)

func (o *objectScan) scanCSV(r io.Reader, delim byte) error {
	p := &csvParser{o: o, b: newBatch(o), r: r, delim: delim, blk: make([]byte, 64<<10), cols: newColumns(), header: &csvHeader{}}
	p.special[delim] = true
	p.special['\n'] = true
	p.special['\r'] = true
	if err := p.run(); err != nil {
		return err
	}
	return p.err
}

func (p *csvParser) fill() bool {
	if p.eof {
		return false
	}
	p.cols.settle(p.blk[:p.n], p.off, p.off+int64(p.n))
	p.off += int64(p.n)
	p.i, p.n = 0, 0
	for p.n == 0 {
		m, err := p.r.Read(p.blk)
		p.n = m
		if err != nil {
			p.eof = true
			if !errors.Is(err, io.EOF) {
				p.err = err
			}
			break
		}
	}
	p.cols.block(p.blk[:p.n])
	return p.n > 0
}

// pos returns the location of the next byte.
func (p *csvParser) pos() spanLoc {
	at := p.off + int64(p.i)
	line, col := p.cols.at(p.blk[:p.n], p.off, at)
	return spanLoc{off: at, line: line, col: col, rec: p.row}
}

const (
	stStart = iota
	stUnquoted
	stQuoted
	stQuote // a quote inside a quoted field: "" or the end of the field
	stCR
)

func (p *csvParser) run() error {
	state := stStart
	for {
		if p.i >= p.n && !p.fill() {
			break
		}
		if p.i&0xfff == 0 {
			if err := p.o.ctx.Err(); err != nil {
				return err
			}
		}
		blk := p.blk[p.i:p.n]
		segOff := p.off + int64(p.i)
		switch state {
		case stStart:
			loc := p.pos()
			if blk[0] == '"' {
				p.i++
				loc.off++
				loc.col++
				state = stQuoted
			} else {
				state = stUnquoted
			}
			if err := p.beginValue(loc); err != nil {
				return err
			}
		case stUnquoted:
			j := 0
			for j < len(blk) && !p.special[blk[j]] {
				j++
			}
			if err := p.write(blk[:j]); err != nil {
				return err
			}
			p.i += j
			if j == len(blk) {
				continue
			}
			c := blk[j]
			p.i++
			var err error
			switch c {
			case p.delim:
				err = p.endValue(false)
				state = stStart
			case '\r':
				err = p.endValue(true)
				state = stCR
			default: // '\n'
				p.newline(segOff + int64(j))
				err = p.endValue(true)
				state = stStart
			}
			if err != nil {
				return err
			}
		case stQuoted:
			j := bytes.IndexByte(blk, '"')
			if j < 0 {
				j = len(blk)
			} else {
				state = stQuote
			}
			if err := p.write(blk[:j]); err != nil {
				return err
			}
			p.cols.newlines(blk[:j], segOff) // a quoted value may span lines
			p.i += min(j+1, len(blk))
		case stQuote:
			if blk[0] == '"' { // an escaped quote
				if err := p.writeByte('"'); err != nil {
					return err
				}
				p.i++
				state = stQuoted
				continue
			}
			// The field ended; anything before the delimiter (lenient
			// CSV: `"a"b,`) still belongs to the value.
			state = stUnquoted
		case stCR:
			if blk[0] == '\n' {
				p.i++
				p.cols.newline(segOff)
			} else {
				p.cols.newline(segOff - 1) // a lone CR ends a line too
			}
			state = stStart
		}
	}
	if p.inValue || state == stQuote {
		if err := p.endValue(true); err != nil {
			return err
		}
	}
	if state == stQuoted {
		p.err = &errMalformed{format: "csv", off: p.off + int64(p.n), msg: "quoted field not closed at end of input"}
	}
	if !p.header.done {
		if err := p.decideHeader(); err != nil {
			return err
		}
	}
	return p.b.finish()
}

func (p *csvParser) newline(nlOff int64) { p.cols.newline(nlOff) }

func (p *csvParser) beginValue(loc spanLoc) error {
	p.inValue = true
	if !p.header.done {
		p.header.cells = append(p.header.cells, nil)
		p.header.locs = append(p.header.locs, loc)
		return nil
	}
	if p.col == 0 {
		p.b.beginRecord()
	}
	p.b.beginValue(p.field(p.col), loc)
	return nil
}

func (p *csvParser) write(seg []byte) error {
	if len(seg) == 0 {
		return nil
	}
	if !p.header.done {
		k := len(p.header.cells) - 1
		p.header.cells[k] = append(p.header.cells[k], seg...)
		if len(p.header.cells[k]) > maxHeaderCell {
			return p.decideHeader() // too long for a header: it is data
		}
		return nil
	}
	return p.b.write(seg)
}

func (p *csvParser) writeByte(c byte) error { return p.write([]byte{c}) }

// endValue closes a value; eol says it also ends the row.
func (p *csvParser) endValue(eol bool) error {
	p.inValue = false
	if !p.header.done {
		if eol || len(p.header.cells) > maxHeaderCells {
			return p.decideHeader()
		}
		return nil
	}
	if err := p.b.endValue(); err != nil {
		return err
	}
	p.col++
	if eol {
		p.col = 0
		p.row++
		return p.b.endRecord()
	}
	return nil
}

// field returns the prepared field of column i.
func (p *csvParser) field(i int64) *classifiers.Field {
	for int64(len(p.fields)) <= i {
		p.fields = append(p.fields, p.o.w.field("column_"+strconv.Itoa(len(p.fields)+1)))
	}
	return p.fields[i]
}

// decideHeader settles whether the buffered first row is a header. A
// header's cells are short, not numbers or dates, and hold nothing the
// engine would report; otherwise the row is data and is replayed as such.
func (p *csvParser) decideHeader() error {
	h := p.header
	h.done = true
	isHeader := len(h.cells) > 0 && !p.inValue
	for _, c := range h.cells {
		if len(c) > maxHeaderCell || looksNumeric(c) {
			isHeader = false
			break
		}
	}
	if isHeader && p.o.w.sc.Finds(context.Background(), bytes.Join(h.cells, []byte{'\n'})) {
		isHeader = false
	}
	if isHeader {
		for i, c := range h.cells {
			name := string(bytes.TrimSpace(c))
			if name == "" {
				name = "column_" + strconv.Itoa(i+1)
			}
			p.fields = append(p.fields, p.o.w.field(name))
		}
		return nil
	}
	// Replay the row as data row 0; a value still open continues in the batch.
	for i, c := range h.cells {
		loc := h.locs[i]
		loc.rec = 0
		if i == 0 {
			p.b.beginRecord()
		}
		p.b.beginValue(p.field(int64(i)), loc)
		if err := p.b.write(c); err != nil {
			return err
		}
		if i < len(h.cells)-1 || !p.inValue {
			if err := p.b.endValue(); err != nil {
				return err
			}
		}
	}
	p.col = int64(len(h.cells))
	if p.inValue {
		p.col--
	}
	if !p.inValue && p.col > 0 {
		// The row ended with the header decision.
		p.col = 0
		p.row++
		if err := p.b.endRecord(); err != nil {
			return err
		}
	}
	h.cells, h.locs = nil, nil
	return nil
}

// looksNumeric reports a cell that is a number, a date or a time: data,
// not a column name.
func looksNumeric(c []byte) bool {
	c = bytes.TrimSpace(c)
	if len(c) == 0 {
		return false
	}
	digits := 0
	for _, x := range c {
		switch {
		case x >= '0' && x <= '9':
			digits++
		case x == '.' || x == '-' || x == '+' || x == ':' || x == '/' || x == ' ' || x == ',':
		default:
			return false
		}
	}
	return digits > 0
}

// countCont counts UTF-8 continuation bytes (10xxxxxx), eight at a time.
func countCont(b []byte) int {
	n := 0
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		if w&0x8080808080808080 == 0 {
			continue
		}
		// top bit set and next bit clear
		m := w & 0x8080808080808080 &^ (w << 1)
		n += bits.OnesCount64(m)
	}
	for ; i < len(b); i++ {
		if b[i]&0xC0 == 0x80 {
			n++
		}
	}
	return n
}
