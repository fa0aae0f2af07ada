package redact

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
)

// cellSlot is a cell of the pending output: its bytes out[o0:o1].
type cellSlot struct {
	o0, o1 int
	span   int   // its value's span, -1 for none
	shared int64 // the shared string it refers to, -1 for none
	kind   scanner.XLSXCellKind
	se     xml.StartElement
}

// sheetRW rewrites one worksheet: tokens are copied to a pending output,
// cells with values become spans of a batch, and at row ends the batch is
// classified and the output written with the edited cells rebuilt.
type sheetRW struct {
	o  *objRun
	wb *xwb
	w  io.Writer

	out   []byte
	slots []cellSlot
	buf   []byte
	spans []classifiers.Span
	rec   int64
	recOf int64 // the row of the record being built

	fields []*classifiers.Field
	head   scanner.SheetHead // the first rows, until the header question is settled

	cells  scanner.XLSXCells // the open row and cell
	side   *sideSweep        // attributes, formulas, headers and footers
	inRow  bool
	cell   xml.StartElement
	cellO0 int
	tmp    []byte
}

func (o *objRun) sheet(wb *xwb, sh scanner.XLSXSheet, w io.Writer) error {
	rc, err := o.openPart(sh.Part, scanner.FormatXLSX)
	if err != nil {
		return o.partError(scanner.FormatXLSX, sh.Part.Name, err)
	}
	defer rc.Close()
	s := &sheetRW{o: o, wb: wb, w: w, recOf: -1, side: newSideSweep(o, scanner.OOXMLSideSheet, nil)}
	x := newXMLTokens(o.ctx, rc)
	for {
		tok, raw, err := x.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return o.partError(scanner.FormatXLSX, sh.Part.Name, err)
		}
		if err := s.token(tok, raw); err != nil {
			return err
		}
	}
	if !s.head.Decided() {
		s.decide()
	}
	return s.flush()
}

// token follows the sheet's cells as the scanner does, and copies the
// token to the pending output.
func (s *sheetRW) token(tok xml.Token, raw []byte) error {
	raw, err := s.sweep(tok, raw)
	if err != nil {
		return err
	}
	s.out = append(s.out, raw...)
	switch s.cells.Token(tok) {
	case scanner.XLSXRowStart:
		s.inRow = true
	case scanner.XLSXCellStart:
		s.cell = tok.(xml.StartElement).Copy()
		s.cellO0 = len(s.out) - len(raw)
	case scanner.XLSXCellEnd:
		return s.endCell()
	case scanner.XLSXRowEnd:
		return s.endRow()
	}
	if !s.inRow && !s.head.Holding() && len(s.out) >= maxPending {
		return s.flush()
	}
	return nil
}

// endCell resolves the cell's value as the scanner does and adds its
// slot.
func (s *sheetRW) endCell() error {
	v, kind, shared, ok := s.cells.Value(s.wb.XLSXWorkbook)
	if !ok {
		return nil
	}
	s.slots = append(s.slots, cellSlot{o0: s.cellO0, o1: len(s.out), span: -1, shared: shared, kind: kind, se: s.cell})
	if len(v) == 0 {
		return nil
	}
	si := len(s.slots) - 1
	row, col := s.cells.Row, s.cells.Col
	if !s.head.Decided() {
		if s.head.Cell(row, scanner.HeadCell{Col: col, Text: v, Str: kind == scanner.XLSXText, Slot: si}) {
			return nil
		}
		s.decide()
	}
	s.addSpan(row, col, v, si)
	return nil
}

// addSpan adds a cell's value to the batch; the cells of one row are one
// record.
func (s *sheetRW) addSpan(row int64, col int, v []byte, slot int) {
	if row != s.recOf {
		s.rec++
		s.recOf = row
	}
	start := len(s.buf)
	s.buf = append(s.buf, v...)
	s.spans = append(s.spans, classifiers.Span{Start: start, End: len(s.buf), Field: s.field(col), Record: s.rec, Kind: deid.KindText})
	s.buf = append(s.buf, '\n')
	s.slots[slot].span = len(s.spans) - 1
}

func (s *sheetRW) endRow() error {
	s.inRow = false
	if !s.head.Decided() && s.head.RowEnd(s.cells.Row) {
		s.decide()
	}
	if !s.head.Holding() && (len(s.buf) >= batchBytes || len(s.spans) >= batchRows || len(s.out) >= maxPending) {
		return s.flush()
	}
	return nil
}

// decide settles whether the first row is a header as the scanner does
// (scanner.SheetHead), and adds the cells of the rows held as data.
func (s *sheetRW) decide() {
	header, data := s.head.Settle(func(cells [][]byte, next func() [][]byte) bool {
		return s.o.w.ed.header(s.o.ctx, cells, next)
	})
	for _, c := range header.Cells {
		for len(s.fields) <= c.Col {
			s.fields = append(s.fields, nil)
		}
		if name := string(bytes.TrimSpace(c.Text)); name != "" {
			s.fields[c.Col] = s.o.w.field(name)
		}
	}
	for _, r := range data {
		for _, c := range r.Cells {
			s.addSpan(r.Row, c.Col, c.Text, c.Slot)
		}
	}
}

// field returns the field of a 0-based column: its header, else column_<n>.
func (s *sheetRW) field(col int) *classifiers.Field {
	if col < len(s.fields) && s.fields[col] != nil {
		return s.fields[col]
	}
	return s.o.w.field("column_" + strconv.Itoa(col+1))
}

// flush classifies the batch and writes the pending output, edited cells
// rebuilt; the shared strings of the cells kept are marked used.
func (s *sheetRW) flush() error {
	var edits [][]edit
	if len(s.spans) > 0 {
		var err error
		if edits, err = s.o.w.ed.records(s.o.ctx, s.buf, s.spans, false); err != nil {
			return err
		}
	}
	pos := 0
	var nv []byte
	for _, sl := range s.slots {
		if sl.span < 0 || len(edits[sl.span]) == 0 {
			if sl.shared >= 0 {
				s.wb.use(sl.shared)
			}
			continue
		}
		if _, err := s.w.Write(s.out[pos:sl.o0]); err != nil {
			return err
		}
		sp := s.spans[sl.span]
		nv = splice(nv[:0], s.buf[sp.Start:sp.End], edits[sl.span])
		s.tmp = rebuildCell(s.tmp[:0], sl, nv)
		if _, err := s.w.Write(s.tmp); err != nil {
			return err
		}
		pos = sl.o1
	}
	if _, err := s.w.Write(s.out[pos:]); err != nil {
		return err
	}
	s.out, s.slots, s.buf, s.spans = s.out[:0], s.slots[:0], s.buf[:0], s.spans[:0]
	return nil
}

// sweep rewrites what the scanner does not read of a sheet as a side
// value (scanner.OOXMLSideSheet): the text outside cells (headers and
// footers) and of formulas, and the attributes of elements other than
// rows and cells.
func (s *sheetRW) sweep(tok xml.Token, raw []byte) ([]byte, error) {
	return s.side.token(tok, raw)
}
