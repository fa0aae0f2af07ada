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

// Header limits of scanner/csv.go, which the xlsx reader shares.
const (
	maxHeaderCell  = 256
	maxHeaderCells = 2000
)

// cellKind is how a cell's value was read.
type cellKind uint8

const (
	cellText cellKind = iota
	cellNumber
	cellDate
)

// cellSlot is a cell of the pending output: its bytes out[o0:o1].
type cellSlot struct {
	o0, o1 int
	span   int   // its value's span, -1 for none
	shared int64 // the shared string it refers to, -1 for none
	kind   cellKind
	se     xml.StartElement
}

// firstCell is a cell of the first row, held until the header question
// is settled.
type firstCell struct {
	col  int
	text []byte
	str  bool
	slot int
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

	fields  []*classifiers.Field
	decided bool
	first   []firstCell
	firstR  int64

	row    int64
	inRow  bool
	col    int
	cell   xml.StartElement
	cellO0 int
	ctype  string
	style  int
	val    []byte
	inV    int
	inT    int
	inIS   bool
	tmp    []byte
}

func (o *objRun) sheet(wb *xwb, sh xsheet, w io.Writer) error {
	rc, err := o.openPart(sh.part, scanner.FormatXLSX)
	if err != nil {
		return o.partError(scanner.FormatXLSX, sh.part.Name, err)
	}
	defer rc.Close()
	s := &sheetRW{o: o, wb: wb, w: w, recOf: -1}
	x := newXMLTokens(rc)
	for i := 0; ; i++ {
		if i&0xfff == 0 {
			if err := o.ctx.Err(); err != nil {
				return err
			}
		}
		tok, raw, err := x.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return o.partError(scanner.FormatXLSX, sh.part.Name, err)
		}
		if err := s.token(tok, raw); err != nil {
			return err
		}
	}
	if !s.decided {
		if err := s.decide(); err != nil {
			return err
		}
	}
	return s.flush()
}

// token follows scanner/xlsx_sheet.go's token, and copies the token to
// the pending output.
func (s *sheetRW) token(tok xml.Token, raw []byte) error {
	s.out = append(s.out, raw...)
	switch tk := tok.(type) {
	case xml.StartElement:
		switch tk.Name.Local {
		case "row":
			r, err := strconv.ParseInt(attrValue(tk, "r"), 10, 64)
			if err != nil || r <= s.row {
				r = s.row + 1
			}
			s.row, s.inRow, s.col = r, true, -1
		case "c":
			s.col = cellColumn(attrValue(tk, "r"), s.col+1)
			s.ctype = attrValue(tk, "t")
			s.style, _ = strconv.Atoi(attrValue(tk, "s"))
			s.val = s.val[:0]
			s.cell = tk.Copy()
			s.cellO0 = len(s.out) - len(raw)
		case "v":
			s.inV++
		case "is":
			s.inIS = true
		case "t":
			if s.inIS {
				s.inT++
			}
		}
	case xml.EndElement:
		switch tk.Name.Local {
		case "v":
			s.inV = max(0, s.inV-1)
		case "t":
			s.inT = max(0, s.inT-1)
		case "is":
			s.inIS = false
		case "c":
			return s.endCell()
		case "row":
			return s.endRow()
		}
	case xml.CharData:
		if s.inV > 0 || s.inT > 0 {
			s.val = append(s.val, tk...)
		}
	}
	if !s.inRow && s.first == nil && len(s.out) >= maxPending {
		return s.flush()
	}
	return nil
}

// endCell resolves the cell's value as the scanner does (cell) and adds
// its slot.
func (s *sheetRW) endCell() error {
	slot := cellSlot{o0: s.cellO0, o1: len(s.out), span: -1, shared: -1, se: s.cell}
	var v []byte
	str := true
	switch s.ctype {
	case "s":
		i, err := strconv.ParseInt(string(bytes.TrimSpace(s.val)), 10, 64)
		if err != nil {
			return nil
		}
		slot.shared = i
		v, _ = s.wb.sst.get(i)
	case "inlineStr", "str", "d":
		v = s.val
	case "b", "e":
		return nil // booleans and error codes hold nothing personal
	default: // a number
		str = false
		v = s.val
		slot.kind = cellNumber
		if s.style >= 0 && s.style < len(s.wb.dateXF) && s.wb.dateXF[s.style] {
			v = excelDate(v, s.wb.date1904)
			slot.kind = cellDate
		}
	}
	s.slots = append(s.slots, slot)
	if len(v) == 0 {
		return nil
	}
	si := len(s.slots) - 1
	if !s.decided {
		if s.first == nil {
			s.firstR = s.row
		}
		if s.row == s.firstR && len(s.first) < maxHeaderCells {
			s.first = append(s.first, firstCell{col: s.col, text: bytes.Clone(v), str: str, slot: si})
			return nil
		}
		if err := s.decide(); err != nil {
			return err
		}
	}
	s.addSpan(s.row, s.col, v, si)
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
	if !s.decided && s.first != nil && s.row == s.firstR {
		if err := s.decide(); err != nil {
			return err
		}
	}
	if s.first == nil && (len(s.buf) >= batchBytes || len(s.spans) >= batchRows || len(s.out) >= maxPending) {
		return s.flush()
	}
	return nil
}

// decide settles whether the first row is a header (scanner/xlsx_sheet.go
// decide: short text cells, no numbers or dates, nothing the engine
// reports), and adds its cells as data when it is not.
func (s *sheetRW) decide() error {
	s.decided = true
	first := s.first
	s.first = nil
	if len(first) == 0 {
		return nil
	}
	header := true
	texts := make([][]byte, 0, len(first))
	for _, c := range first {
		if !c.str || len(c.text) > maxHeaderCell || looksNumeric(c.text) {
			header = false
			break
		}
		texts = append(texts, c.text)
	}
	if header && !s.o.w.ed.header(s.o.ctx, texts) {
		header = false
	}
	if header {
		for _, c := range first {
			for len(s.fields) <= c.col {
				s.fields = append(s.fields, nil)
			}
			if name := string(bytes.TrimSpace(c.text)); name != "" {
				s.fields[c.col] = s.o.w.field(name)
			}
		}
		return nil
	}
	for _, c := range first {
		s.addSpan(s.firstR, c.col, c.text, c.slot)
	}
	return nil
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
				s.wb.sst.use(sl.shared)
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
