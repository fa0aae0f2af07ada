package scanner

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"math/bits"
	"slices"
	"strconv"

	"github.com/piiscan/piiscan/classifiers"
)

// csvParser reads CSV or TSV (RFC 4180, leniently: ragged rows, CRLF, LF
// or a lone CR, stray quotes inside unquoted fields) as a stream, writing
// each value to the record batch. The first row is a header when it reads
// like one; otherwise columns are named column_<n>.
//
// Fields are found with bytes.IndexByte, not byte by byte: the next line
// break, carriage return and quote are searched once and cached (nextByte),
// so a field costs one search for the delimiter within its row. A field
// whose bytes are all in the window and need no unescaping is added whole;
// the rest (escaped quotes, text after a closing quote, values running past
// the window) go through slowField, the state machine fed piece by piece.
//
// It is written by hand rather than on encoding/csv because that reader
// holds a whole record in memory (a 1 GiB quoted field would be read whole),
// reports no byte offsets and allocates per record.
type csvParser struct {
	o     *objectScan
	b     *batch
	w     window
	delim byte
	quote bool // '"' quotes a field (not in Hive text: CSVQuotes)
	i     int  // next byte in w.buf
	err   error

	nl, cr, qt nextByte // the next '\n', '\r' and '"'
	crLine     bool     // a CR ended the last row: a '\n' right after it is part of that line break

	row, col int64 // data row index and column index
	header   *csvHeader
	fields   []*fieldSlot
	inValue  bool
	ends     []int32 // scratch: where the fields of a row end
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
	b := newBatch(o)
	b.counted = true
	p := &csvParser{o: o, b: b, delim: delim, quote: CSVQuotes(delim), header: &csvHeader{}}
	p.w.init(o.ctx, r, b, o.w.takeWinBuf())
	defer o.w.putWinBuf(p.w.buf)
	p.resetCache()
	if err := p.run(); err != nil {
		return err
	}
	return p.err
}

// more reads on (see window.more), keeping the bytes from keep.
func (p *csvParser) more(keep int) bool {
	d, ok := p.w.more(keep)
	p.i -= d
	p.resetCache()
	return ok
}

func (p *csvParser) resetCache() {
	p.nl.reset()
	p.cr.reset()
	p.qt.reset()
}

const (
	stUnquoted = iota
	stQuoted
	stQuote // a quote inside a quoted field: "" or the end of the field
)

func (p *csvParser) run() error {
	for {
		if p.i >= p.w.n && !p.more(p.i) {
			break
		}
		if p.crLine {
			// CRLF is one line break; a lone CR is one too.
			p.crLine = false
			if p.w.buf[p.i] == '\n' {
				p.i++
			}
			p.w.lines.add(p.w.off + int64(p.i))
			continue
		}
		if p.col == 0 && p.header.done {
			if ok, err := p.plainRow(); ok || err != nil {
				if err != nil {
					return err
				}
				continue
			}
		}
		if err := p.next(); err != nil {
			return err
		}
	}
	if err := p.o.ctx.Err(); err != nil && !p.o.drain(p.w.err) {
		return err
	}
	if !p.header.done {
		if err := p.decideHeader(); err != nil {
			return err
		}
	}
	if p.err == nil {
		p.err = p.w.err
	}
	return p.b.finish()
}

// plainRow adds the row starting at p.i in one go when it is plain: in the
// window with its line break (LF or CRLF), without quotes or a lone CR,
// not blank and not longer than maxInline. It is copied into the batch
// whole and its delimiters turned into the batch's '\n' separators
// (splitRow), so a value costs a span; an empty value's separator is
// squeezed out, as the batch holds no empty values. It reports false to
// leave the row to the field by field path.
func (p *csvParser) plainRow() (bool, error) {
	buf := p.w.buf[:p.w.n]
	s := p.i
	nl := p.nl.find(buf, s, '\n')
	if nl == len(buf) || nl-s > maxInline || (p.quote && p.qt.find(buf, s, '"') < nl) {
		return false, nil
	}
	e := nl
	if cr := p.cr.find(buf, s, '\r'); cr < nl {
		if cr != nl-1 {
			return false, nil
		}
		e = cr
	}
	if e == s {
		return false, nil
	}
	b := p.b
	b.beginRecord()
	n := len(b.buf)
	if cap(b.buf)-n <= e-s {
		b.buf = slices.Grow(b.buf, e-s+1)
	}
	b.buf = b.buf[:n+e-s+1]
	dst := b.buf[n:]
	if cap(p.ends) < e-s+1 {
		p.ends = make([]int32, 0, e-s+1) // one end per byte at most
	}
	copy(dst, buf[s:e])
	dst[e-s] = '\n'
	ends := append(splitRow(dst[:e-s], p.delim, p.ends[:e-s+1]), int32(e-s))
	p.field(int64(len(ends) - 1)) // every column of the row has its slot
	if !p.rowSpans(n, ends, p.w.off+int64(s)) {
		p.squeeze(dst, n, ends, p.w.off+int64(s))
	}
	p.i = nl + 1
	p.w.lines.add(p.w.off + int64(p.i))
	p.row++
	return true, b.endRecord()
}

// rowSpans adds the spans and locations of a row copied at n in the batch
// buffer, whose values end at ends and which starts at stream offset off.
// It reports false, adding nothing, when a value is empty.
func (p *csvParser) rowSpans(n int, ends []int32, off int64) bool {
	start := int32(-1)
	for _, end := range ends {
		if end == start+1 {
			return false
		}
		start = end
	}
	b := p.b
	k := len(b.spans)
	if cap(b.spans)-k < len(ends) || cap(b.locs)-k < len(ends) {
		b.spans, b.locs = slices.Grow(b.spans, len(ends)), slices.Grow(b.locs, len(ends))
	}
	// Reslicing in place stores only the lengths, and setting the spans
	// field by field keeps the GC's write barrier to the one pointer.
	b.spans = b.spans[:k+len(ends)]
	b.locs = b.locs[:k+len(ends)]
	sp := b.spans[k:]
	lc := b.locs[k : k+len(sp)]
	fields := p.fields[:len(sp)]
	rec, row := b.rec, p.row
	start = 0
	for j, end := range ends[:len(sp)] {
		s := &sp[j]
		s.Start, s.End, s.Field, s.Record, s.Kind = n+int(start), n+int(end), fields[j].f, rec, 0
		lc[j] = spanLoc{off: off + int64(start), rec: row}
		start = end + 1
	}
	if b.stats {
		for _, s := range fields {
			b.count(s)
		}
	}
	return true
}

// squeeze is rowSpans for a row with empty values: the batch holds no
// empty value, so each one's separator is cut out of the copied row.
func (p *csvParser) squeeze(dst []byte, n int, ends []int32, off int64) {
	b := p.b
	start, cut := 0, 0
	for col, end := range ends {
		if int(end) == start {
			cut++
		} else {
			if cut > 0 {
				copy(dst[start-cut:], dst[start:end+1])
			}
			b.spans = append(b.spans, classifiers.Span{Start: n + start - cut, End: n + int(end) - cut, Field: p.fields[col].f, Record: b.rec})
			b.locs = append(b.locs, spanLoc{off: off + int64(start), rec: p.row})
			if b.stats {
				b.count(p.fields[col])
			}
		}
		start = int(end) + 1
	}
	b.buf = b.buf[:len(b.buf)-cut]
}

// splitRow turns the delimiters of a row (copied into the batch) into
// the batch's '\n' separators and returns their indexes, written into at
// (room for one per byte). It tests eight bytes at a time (SWAR): with
// x = w ^ delim·0x0101..., (x - 0x0101..) &^ x & 0x8080.. is not zero when
// x has a zero byte, and then ^((x & 0x7f..) + 0x7f.. | x) & 0x8080.. marks
// exactly those (no carry crosses bytes). Values of ~20 bytes make this
// cheaper than a bytes.IndexByte call per value.
func splitRow(row []byte, delim byte, at []int32) []int32 {
	const ones, low7, highs = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	pat := uint64(delim) * ones
	k, i := 0, 0
	for ; i+8 <= len(row); i += 8 {
		x := binary.LittleEndian.Uint64(row[i:i+8]) ^ pat
		if (x-ones)&^x&highs == 0 {
			continue
		}
		for m := ^((x & low7) + low7 | x) & highs; m != 0 && k < len(at); m &= m - 1 {
			j := i + bits.TrailingZeros64(m)>>3
			row[j] = '\n'
			at[k] = int32(j)
			k++
		}
	}
	for ; i < len(row) && k < len(at); i++ {
		if row[i] == delim {
			row[i] = '\n'
			at[k] = int32(i)
			k++
		}
	}
	return at[:k]
}

// next reads the field starting at p.i, and the byte that ends it.
func (p *csvParser) next() error {
	for {
		buf := p.w.buf[:p.w.n]
		s := p.i
		if buf[s] != '"' || !p.quote {
			if e := p.stop(buf, s); e < len(buf) || p.w.eof {
				return p.emit(p.w.off+int64(s), buf[s:e], e)
			}
		} else if q := p.qt.find(buf, s+1, '"'); q+1 < len(buf) || (q < len(buf) && p.w.eof) {
			if q+1 < len(buf) {
				if c := buf[q+1]; c != p.delim && c != '\n' && c != '\r' {
					return p.slowField() // an escaped quote, or text after the closing quote
				}
			}
			p.breaks(buf, s+1, q) // a quoted value may span lines
			return p.emit(p.w.off+int64(s)+1, buf[s+1:q], q+1)
		} else if p.w.eof {
			return p.slowField() // never closed
		}
		// The field runs past the window: read on, or stream a long one.
		if len(buf)-s > maxInline || !p.more(s) {
			return p.slowField()
		}
	}
}

// stop returns the index of the byte ending an unquoted value that starts
// at x: the delimiter or a line break, or len(buf) when the window has none.
func (p *csvParser) stop(buf []byte, x int) int {
	lim := p.nl.find(buf, x, '\n')
	if cr := p.cr.find(buf, x, '\r'); cr < lim {
		lim = cr
	}
	if j := bytes.IndexByte(buf[x:lim], p.delim); j >= 0 {
		return x + j
	}
	return lim
}

// breaks records the line breaks inside a quoted value, buf[a:b].
func (p *csvParser) breaks(buf []byte, a, b int) {
	for {
		j := p.nl.find(buf, a, '\n')
		if j >= b {
			return
		}
		p.w.lines.add(p.w.off + int64(j) + 1)
		a = j + 1
	}
}

// terminate passes the byte at e that ended a value (e is past the window
// at the end of input) and reports whether it also ended the row.
func (p *csvParser) terminate(e int) bool {
	if e >= p.w.n {
		p.i = e
		return true
	}
	c := p.w.buf[e]
	p.i = e + 1
	switch c {
	case p.delim:
		return false
	case '\n':
		p.w.lines.add(p.w.off + int64(e) + 1)
	default: // '\r'
		p.crLine = true
	}
	return true
}

// emit passes a whole value, seg at stream offset off, ended by the byte
// at e: data rows add it to the batch in one step.
func (p *csvParser) emit(off int64, seg []byte, e int) error {
	eol := p.terminate(e)
	loc := spanLoc{off: off, rec: p.row}
	if !p.header.done {
		if err := p.beginValue(loc); err != nil {
			return err
		}
		if err := p.write(seg); err != nil {
			return err
		}
		return p.endValue(eol)
	}
	if p.col == 0 {
		p.b.beginRecord()
	}
	if err := p.b.add(p.field(p.col), loc, seg); err != nil {
		return err
	}
	return p.nextField(eol)
}

// nextField moves past a field: to the next column, or, at the end of a
// line, to the next row after ending the record.
func (p *csvParser) nextField(eol bool) error {
	p.col++
	if eol {
		p.col = 0
		p.row++
		return p.b.endRecord()
	}
	return nil
}

// slowField reads the field at p.i the quick path leaves: a quoted value
// with escaped quotes or text after its closing quote (`"a"b,` is the
// value ab), or one that runs past the window, possibly streamed.
func (p *csvParser) slowField() error {
	loc := spanLoc{off: p.w.off + int64(p.i), rec: p.row}
	state := stUnquoted
	if p.quote && p.w.buf[p.i] == '"' {
		p.i++
		loc.off++
		state = stQuoted
	}
	if err := p.beginValue(loc); err != nil {
		return err
	}
	for p.i < p.w.n || p.more(p.i) {
		buf := p.w.buf[:p.w.n]
		switch state {
		case stUnquoted:
			e := p.stop(buf, p.i)
			if err := p.write(buf[p.i:e]); err != nil {
				return err
			}
			if e == len(buf) {
				p.i = e
				continue
			}
			return p.endValue(p.terminate(e))
		case stQuoted:
			q := p.qt.find(buf, p.i, '"')
			p.breaks(buf, p.i, q)
			if err := p.write(buf[p.i:q]); err != nil {
				return err
			}
			p.i = min(q+1, len(buf))
			if q < len(buf) {
				state = stQuote
			}
		case stQuote:
			if buf[p.i] == '"' { // an escaped quote
				if err := p.escaped(buf[p.i:p.i+1], 2); err != nil {
					return err
				}
				p.i++
				state = stQuoted
				continue
			}
			// The rest up to the delimiter still belongs to the value
			// ("ab"cd is abcd); the closing quote does not.
			if p.stop(buf, p.i) > p.i {
				if err := p.escaped(nil, 1); err != nil {
					return err
				}
			}
			state = stUnquoted
		}
	}
	if state == stQuoted {
		p.err = &errMalformed{format: "csv", off: p.w.off + int64(p.w.n), msg: "quoted field not closed at end of input"}
	}
	return p.endValue(true)
}

func (p *csvParser) beginValue(loc spanLoc) error {
	p.inValue = true
	if !p.header.done {
		// The header row is held apart from the window, so its
		// locations are worked out now.
		loc.line, loc.col = p.w.at(loc.off)
		p.header.cells = append(p.header.cells, nil)
		p.header.locs = append(p.header.locs, loc)
		return nil
	}
	if p.col == 0 {
		p.b.beginRecord()
	}
	p.b.beginSlot(p.field(p.col), loc)
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

// escaped writes dec, which stands for raw bytes of the field (a doubled
// quote, or nothing for a closing quote before more of the value).
func (p *csvParser) escaped(dec []byte, raw int) error {
	if !p.header.done {
		return p.write(dec)
	}
	return p.b.writeEscape(dec, raw)
}

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
	return p.nextField(eol)
}

// field returns the prepared field of column i.
func (p *csvParser) field(i int64) *fieldSlot {
	if i < int64(len(p.fields)) {
		return p.fields[i]
	}
	for int64(len(p.fields)) <= i {
		p.fields = append(p.fields, &fieldSlot{f: p.o.w.field("column_" + strconv.Itoa(len(p.fields)+1))})
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
		if !LabelCell(c) {
			isHeader = false
			break
		}
	}
	if isHeader && p.o.w.sc.LooksLikeHeader(context.Background(), h.cells, p.peekRow) {
		for i, c := range h.cells {
			name := string(bytes.TrimSpace(c))
			if name == "" {
				name = "column_" + strconv.Itoa(i+1)
			}
			p.fields = append(p.fields, &fieldSlot{f: p.o.w.field(name)})
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
		p.b.beginSlot(p.field(int64(i)), loc)
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

// peekRow returns the cells of the row after the first, for the header
// decision: the bytes from p.i to the next line break, read on if the
// window holds fewer than PeekRowMax of them (SecondRowCells).
func (p *csvParser) peekRow() [][]byte {
	if p.w.n-p.i < PeekRowMax+2 && !p.w.eof {
		p.more(p.i)
	}
	rest := p.w.buf[p.i:p.w.n]
	if p.crLine && len(rest) > 0 && rest[0] == '\n' {
		rest = rest[1:]
	}
	look := rest[:min(len(rest), PeekRowMax+1)]
	end := bytes.IndexAny(look, "\r\n")
	if end < 0 {
		if len(rest) > PeekRowMax || !p.w.eof {
			return nil
		}
		end = len(rest)
	}
	return SecondRowCells(rest[:end], p.delim)
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
