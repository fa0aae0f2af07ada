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

	fields  []*classifiers.Field // by 0-based column
	decided bool                 // the header question is settled
	hdrRow  int64                // 1-based row of the header, 0 for none
	first   []xcell              // the first row, until decided
	firstR  int64

	cells   XLSXCells // the open row and cell
	rowOpen bool      // the open row has a record in the batch
	side    *sideText // formulas, headers and footers, attributes
}

// xcell is a buffered cell of the first row.
type xcell struct {
	col  int
	text []byte
	str  bool // a text cell (shared, inline or formula string)
}

func (o *objectScan) scanSheet(wb *XLSXWorkbook, b *batch, sh XLSXSheet, side *sideText, off *int64) error {
	s := &sheetReader{o: o, wb: wb, b: b, off: off, name: sh.Name, side: side}
	err := o.walkXML(sh.Part, s.token)
	if err == nil && !s.decided {
		err = s.decide()
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
	row, col := s.cells.Row, s.cells.Col
	if !s.decided {
		if s.first == nil {
			s.firstR = row
		}
		if row == s.firstR && len(s.first) < maxHeaderCells {
			s.first = append(s.first, xcell{col: col, text: append([]byte(nil), v...), str: kind == XLSXText})
			return nil
		}
		if err := s.decide(); err != nil {
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
	if !s.decided && s.first != nil && s.cells.Row == s.firstR {
		return s.decide()
	}
	if s.rowOpen {
		s.rowOpen = false
		return s.b.endRecord()
	}
	return nil
}

// decide settles whether the first row is a header (like the CSV reader:
// short text cells, no numbers or dates, nothing the engine would report)
// and replays it as data when it is not.
func (s *sheetReader) decide() error {
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
	if header && !s.o.w.sc.LooksLikeHeader(context.Background(), texts, nil) {
		header = false
	}
	if header {
		s.hdrRow = s.firstR
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
	row, open := s.cells.Row, s.rowOpen
	s.cells.Row, s.rowOpen = s.firstR, false
	for _, c := range first {
		if err := s.write(c.col, c.text); err != nil {
			return err
		}
	}
	if row != s.firstR || !open {
		if err := s.endRow(); err != nil {
			return err
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
