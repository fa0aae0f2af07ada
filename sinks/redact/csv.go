package redact

import (
	"bytes"
	"errors"
	"io"
	"strconv"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
)

// CSV and TSV are read with the scanner's own field reader
// (scanner.CSVReader), so the copy replaces exactly the values a scan
// reports: the same records, fields and values, stray quotes and all.
// Every byte read is copied to a pending output and each non-empty value
// noted as a slot there (the pattern of the JSON writer); when a batch is
// classified, the slots with edits are written anew and everything else
// byte for byte, so line endings, blank lines, the quoting of unchanged
// cells and a byte order mark (text.go) stay as they were. A changed cell
// keeps its quotes; an unquoted one is quoted when its new value holds the
// delimiter, a quote or a line break, so the copy stays valid CSV.
//
// As in the scanner (scanner/csv.go decideHeader) the first row is a
// header when its cells are short, not numbers or dates, and hold nothing
// the engine reports; its cells name the fields, otherwise columns are
// named column_<n>. Every row is one record; rows are classified in
// batches of about batchBytes.

// Batch bounds: values of many records share one engine call.
const (
	batchBytes = 256 << 10
	batchRows  = 8192
)

// maxValue bounds one value held whole (a CSV field, a JSON string): the
// rewriters keep a value, its copy in the batch and its edits, several
// times its size, and an unclosed quote makes the rest of a CSV file one
// field (an 85 MB file took 2 GB). An object with a longer value is not
// written (archive_limit); the scanner reads such values in parts.
const maxValue = 16 << 20

// csvSlot is a value in the pending output.
type csvSlot struct {
	o0, o1 int // the field's bytes (quotes included) in the pending output
	span   int
	quoted bool
}

// csvHeadCell is a cell of the first row, held until the header decision.
type csvHeadCell struct {
	value []byte
	slot  csvSlot
}

type csvRW struct {
	o     *objRun
	w     io.Writer
	delim byte

	fields  []*classifiers.Field
	decided bool // the header decision is made
	first   []csvHeadCell
	// the fields of the second row read for the header decision
	// (peekRow), taken before the reader's next ones
	rd       *scanner.CSVReader
	ahead    []scanner.CSVField
	aheadErr error

	out   []byte
	slots []csvSlot
	buf   []byte
	spans []classifiers.Span
	rec   int64
	col   int
	rows  int
	tmp   []byte
	cell  []byte
}

func (o *objRun) csv(r io.Reader, delim byte, w io.Writer) error {
	rd := scanner.NewCSVReader(r, delim)
	rd.MaxField = maxValue
	p := &csvRW{o: o, w: w, delim: delim, rd: rd}
	for {
		if err := o.ctx.Err(); err != nil {
			return err
		}
		f, err := p.nextField()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if f.Unclosed && o.fallback == nil {
			// The scanner reports the object as malformed; its value, to
			// the end, is still rewritten.
			o.fallback = &malformedError{format: "csv", off: f.Off, msg: "quoted field not closed at end of input"}
		}
		if err := p.field(f); err != nil {
			return err
		}
	}
	if !p.decided {
		p.decide()
	}
	return p.flush(false)
}

// nextField returns the next field: one peekRow read ahead, else the
// reader's.
func (p *csvRW) nextField() (scanner.CSVField, error) {
	if len(p.ahead) > 0 {
		f := p.ahead[0]
		p.ahead = p.ahead[1:]
		return f, nil
	}
	if p.aheadErr != nil {
		return scanner.CSVField{}, p.aheadErr
	}
	return p.rd.Next()
}

// peekRow reads the second row ahead for the header decision, as the
// scanner's CSV parser looks at it (scanner.SecondRowCells): its cells, or
// nil when it is longer than scanner.PeekRowMax or the input ends first.
// The fields read are kept for nextField.
func (p *csvRW) peekRow() [][]byte {
	var row []byte
	for len(row) <= scanner.PeekRowMax {
		f, err := p.rd.Next()
		if err != nil {
			p.aheadErr = err
			return nil
		}
		f.Raw, f.Value, f.End = bytes.Clone(f.Raw), bytes.Clone(f.Value), bytes.Clone(f.End)
		p.ahead = append(p.ahead, f)
		row = append(row, f.Raw...)
		if f.EOL {
			return scanner.SecondRowCells(row, p.delim)
		}
		row = append(row, f.End...)
	}
	return nil
}

// field takes the next field of the stream.
func (p *csvRW) field(f scanner.CSVField) error {
	o0 := len(p.out)
	p.out = append(p.out, f.Raw...)
	s := csvSlot{o0: o0, o1: len(p.out), span: -1, quoted: f.Quoted}
	p.out = append(p.out, f.End...)
	if !p.decided {
		// The first row, as scanner/csv.go buffers it: decided at its end,
		// at a cell too long for a header, or at too many cells.
		p.first = append(p.first, csvHeadCell{value: bytes.Clone(f.Value), slot: s})
		if f.EOL || len(f.Value) > scanner.MaxHeaderCell || len(p.first) > scanner.MaxHeaderCells {
			if p.decideHeader() {
				return nil
			}
		} else {
			return nil
		}
	} else {
		if p.col == 0 {
			p.rec++
		}
		p.add(f.Value, s)
	}
	return p.next(f.EOL)
}

// next moves past a field: to the next column or, at the end of a row, to
// the next record, flushing a full batch.
func (p *csvRW) next(eol bool) error {
	p.col++
	if eol {
		p.col = 0
		p.rows++
		if len(p.buf) >= batchBytes || p.rows >= batchRows || len(p.out) >= maxPending {
			return p.flush(false)
		}
		return nil
	}
	if len(p.buf) >= maxPending || len(p.out) >= maxPending {
		return p.flush(true) // a huge row: the record continues in the next batch
	}
	return nil
}

// add adds a value of column p.col, in slot s, to the batch. Empty values
// are not classified (as in the scanner's batch).
func (p *csvRW) add(v []byte, s csvSlot) {
	if len(v) > 0 {
		start := len(p.buf)
		p.buf = append(p.buf, v...)
		p.spans = append(p.spans, classifiers.Span{Start: start, End: len(p.buf), Field: p.fieldOf(p.col), Record: p.rec, Kind: deid.KindText})
		p.buf = append(p.buf, '\n')
		s.span = len(p.spans) - 1
	}
	p.slots = append(p.slots, s)
}

func (p *csvRW) fieldOf(i int) *classifiers.Field {
	for len(p.fields) <= i {
		p.fields = append(p.fields, p.o.w.field("column_"+strconv.Itoa(len(p.fields)+1)))
	}
	return p.fields[i]
}

// decideHeader makes the header decision on the cells of the first row
// read so far and reports a header. When the first row is data its cells
// are record 1, the current field the last of them; a header that has not
// ended (too many cells) leaves the rest of its row to start a record, as
// in the scanner.
func (p *csvRW) decideHeader() bool {
	if p.decide() {
		p.col = 0
		return true
	}
	p.col = len(p.first) - 1
	p.first = nil
	return false
}

// decide settles whether the buffered first row is a header
// (scanner/csv.go decideHeader) and, when it is not, adds its cells as
// record 1. It reports a header.
func (p *csvRW) decide() bool {
	p.decided = true
	first := p.first
	header := len(first) > 0
	cells := make([][]byte, len(first))
	for i, c := range first {
		if !scanner.LabelCell(c.value) {
			header = false
			break
		}
		cells[i] = c.value
	}
	if header && !p.o.w.ed.header(p.o.ctx, cells, p.peekRow) {
		header = false
	}
	if header {
		for i, c := range first {
			name := string(bytes.TrimSpace(c.value))
			if name == "" {
				name = "column_" + strconv.Itoa(i+1)
			}
			p.fields = append(p.fields, p.o.w.field(name))
		}
		p.first = nil
		return true
	}
	if len(first) > 0 {
		p.rec++
	}
	for i, c := range first {
		p.col = i
		p.add(c.value, c.slot)
	}
	return false
}

// flush classifies the batch and writes the pending output, the slots
// with edits written anew. With more, the last record continues in the
// next batch.
func (p *csvRW) flush(more bool) error {
	var edits [][]edit
	if len(p.spans) > 0 {
		var err error
		if edits, err = p.o.w.ed.records(p.o.ctx, p.buf, p.spans, more); err != nil {
			return err
		}
	}
	prev := 0
	for _, s := range p.slots {
		if s.span < 0 || len(edits[s.span]) == 0 {
			continue
		}
		if _, err := p.w.Write(p.out[prev:s.o0]); err != nil {
			return err
		}
		sp := p.spans[s.span]
		p.tmp = splice(p.tmp[:0], p.buf[sp.Start:sp.End], edits[s.span])
		p.cell = csvCell(p.cell[:0], p.tmp, p.delim, s.quoted)
		if _, err := p.w.Write(p.cell); err != nil {
			return err
		}
		prev = s.o1
	}
	if _, err := p.w.Write(p.out[prev:]); err != nil {
		return err
	}
	p.out, p.slots, p.buf, p.spans, p.rows = p.out[:0], p.slots[:0], p.buf[:0], p.spans[:0], 0
	return nil
}

// csvCell appends v as a CSV field: quoted, with its quotes doubled, when
// the original was quoted or v holds the delimiter, a quote or a line
// break (RFC 4180 section 2); as it is otherwise, and always in a Hive
// text table, which has no quoting (a value there holds no delimiter or
// line break, and a mask adds none).
func csvCell(dst, v []byte, delim byte, quoted bool) []byte {
	if !scanner.CSVQuotes(delim) || !quoted && bytes.IndexByte(v, delim) < 0 && !bytes.ContainsAny(v, "\"\r\n") {
		return append(dst, v...)
	}
	dst = append(dst, '"')
	for {
		i := bytes.IndexByte(v, '"')
		if i < 0 {
			break
		}
		dst = append(dst, v[:i+1]...)
		dst = append(dst, '"')
		v = v[i+1:]
	}
	dst = append(dst, v...)
	return append(dst, '"')
}
