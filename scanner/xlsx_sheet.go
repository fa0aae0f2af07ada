package scanner

import (
	"bytes"
	"context"
	"encoding/xml"
	"math"
	"strconv"
	"time"

	"github.com/piiscan/piiscan/classifiers"
)

// sheetReader streams one worksheet's rows into the record batch.
type sheetReader struct {
	o    *objectScan
	wb   *XLSXWorkbook
	b    *batch
	off  *int64
	name string

	fields []*classifiers.Field // by 0-based column
	hdrRow int64                // 1-based row of the header, 0 for none
	head   SheetHead            // the first rows, until the header question is settled

	cells   XLSXCells // the open row and cell
	rowOpen bool      // the open row has a record in the batch
	side    *sideText // formulas, headers and footers, attributes
}

func (o *objectScan) scanSheet(wb *XLSXWorkbook, b *batch, sh XLSXSheet, side *sideText, off *int64) error {
	s := &sheetReader{o: o, wb: wb, b: b, off: off, name: sh.Name, side: side}
	err := o.walkXML(sh.Part, s.token)
	if err == nil && !s.head.Decided() {
		err = s.decide(false)
	}
	return err
}

func (s *sheetReader) token(tok xml.Token) error {
	if err := s.side.token(tok); err != nil {
		return err
	}
	switch s.cells.Token(tok) {
	case XLSXRowStart:
		s.rowOpen = false
	case XLSXCellEnd:
		return s.cell()
	case XLSXRowEnd:
		return s.endRow()
	}
	return nil
}

// cell writes the value of the cell that just ended.
func (s *sheetReader) cell() error {
	v, kind, _, ok := s.cells.Value(s.wb)
	if !ok || len(v) == 0 {
		return nil
	}
	col := s.cells.Col
	if !s.head.Decided() {
		if s.head.Cell(s.cells.Row, HeadCell{Col: col, Text: v, Str: kind == XLSXText}) {
			return nil
		}
		if err := s.decide(true); err != nil {
			return err
		}
	}
	return s.write(col, v)
}

// write adds one value to the row's record.
func (s *sheetReader) write(col int, v []byte) error {
	b := s.b
	if !s.rowOpen {
		b.beginRecord()
		s.rowOpen = true
	}
	rec := s.cells.Row - s.hdrRow - 1
	b.beginValue(s.field(col), spanLoc{off: *s.off, rec: rec})
	*s.off += int64(len(v)) + 1
	if err := b.write(v); err != nil {
		return err
	}
	return b.endValue()
}

func (s *sheetReader) endRow() error {
	if !s.head.Decided() && s.head.RowEnd(s.cells.Row) {
		if err := s.decide(false); err != nil {
			return err
		}
	}
	if s.rowOpen {
		s.rowOpen = false
		return s.b.endRecord()
	}
	return nil
}

// decide settles whether the first row is a header (SheetHead: like the
// CSV reader, short text cells, no numbers or dates, nothing the engine
// would report, and the second row to tell one name from a label), and
// writes the rows held as data. midRow says the current row goes on: a
// cell of it is to be written, in its record.
func (s *sheetReader) decide(midRow bool) error {
	header, data := s.head.Settle(func(cells [][]byte, next func() [][]byte) bool {
		return s.o.w.sc.LooksLikeHeader(context.Background(), cells, next)
	})
	if header.Cells != nil {
		s.hdrRow = header.Row
		for _, c := range header.Cells {
			for len(s.fields) <= c.Col {
				s.fields = append(s.fields, nil)
			}
			if name := string(bytes.TrimSpace(c.Text)); name != "" {
				s.fields[c.Col] = s.o.w.field(name)
			}
		}
	}
	row := s.cells.Row
	for _, r := range data {
		s.cells.Row, s.rowOpen = r.Row, false
		for _, c := range r.Cells {
			if err := s.write(c.Col, c.Text); err != nil {
				return err
			}
		}
		if midRow && r.Row == row {
			continue // its record stays open for the rest of the row
		}
		if s.rowOpen {
			s.rowOpen = false
			if err := s.b.endRecord(); err != nil {
				return err
			}
		}
	}
	s.cells.Row = row
	return nil
}

// field returns the field of a 0-based column: its header, else column_<n>.
func (s *sheetReader) field(col int) *classifiers.Field {
	if col < len(s.fields) && s.fields[col] != nil {
		return s.fields[col]
	}
	return s.o.w.field("column_" + strconv.Itoa(col+1))
}

// cellColumn reads the 0-based column of a cell reference such as "AB12";
// def is used when the reference is missing or bad.
func cellColumn(ref string, def int) int {
	col := 0
	i := 0
	for ; i < len(ref) && i < 3; i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
	}
	if i == 0 {
		return max(def, 0)
	}
	return col - 1
}

// excelDate turns a serial day number into 2006-01-02 (with the time when
// it has one). The 1900 system counts 1900-02-29, which did not exist
// (ECMA-376 part 1, 18.17.4.1).
func excelDate(v []byte, date1904 bool) []byte {
	x, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64)
	if err != nil || x < 1 || x > 2958465 { // up to 9999-12-31
		return v
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case x < 61:
		base = base.AddDate(0, 0, 1)
	}
	days := math.Floor(x)
	t := base.AddDate(0, 0, int(days))
	if frac := x - days; frac > 0 {
		t = t.Add(time.Duration(math.Round(frac*86400)) * time.Second)
		return []byte(t.Format("2006-01-02 15:04:05"))
	}
	return []byte(t.Format("2006-01-02"))
}
