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
	wb   *workbook
	b    *batch
	off  *int64
	name string

	fields  []*classifiers.Field // by 0-based column
	decided bool                 // the header question is settled
	hdrRow  int64                // 1-based row of the header, 0 for none
	first   []xcell              // the first row, until decided
	firstR  int64

	row      int64 // 1-based row number of the open row
	rowOpen  bool
	col      int // 0-based column of the open cell
	ctype    string
	style    int
	val      []byte
	inV, inT int
	inIS     bool
}

// xcell is a buffered cell of the first row.
type xcell struct {
	col  int
	text []byte
	str  bool // a text cell (shared, inline or formula string)
}

func (o *objectScan) scanSheet(wb *workbook, b *batch, sh xlsxSheet, off *int64) error {
	s := &sheetReader{o: o, wb: wb, b: b, off: off, name: sh.name}
	err := o.walkXML(sh.part, s.token)
	if err == nil && !s.decided {
		err = s.decide()
	}
	return err
}

func (s *sheetReader) token(tok xml.Token) error {
	switch tk := tok.(type) {
	case xml.StartElement:
		switch tk.Name.Local {
		case "row":
			r, err := strconv.ParseInt(attr(tk, "r"), 10, 64)
			if err != nil || r <= s.row {
				r = s.row + 1
			}
			s.row, s.rowOpen, s.col = r, false, -1
		case "c":
			s.col = cellColumn(attr(tk, "r"), s.col+1)
			s.ctype = attr(tk, "t")
			s.style, _ = strconv.Atoi(attr(tk, "s"))
			s.val = s.val[:0]
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
			return s.cell()
		case "row":
			return s.endRow()
		}
	case xml.CharData:
		if s.inV > 0 || s.inT > 0 {
			s.val = append(s.val, tk...)
		}
	}
	return nil
}

// cell resolves the open cell's value and writes it.
func (s *sheetReader) cell() error {
	var v []byte
	str := true
	switch s.ctype {
	case "s":
		i, err := strconv.ParseInt(string(bytes.TrimSpace(s.val)), 10, 64)
		if err != nil {
			return nil
		}
		v, _ = s.wb.strings.get(i)
	case "inlineStr", "str", "d":
		v = s.val
	case "b", "e":
		return nil // booleans and error codes hold nothing personal
	default: // a number
		str = false
		v = s.val
		if s.style >= 0 && s.style < len(s.wb.dateXF) && s.wb.dateXF[s.style] {
			v = excelDate(v, s.wb.date1904)
		}
	}
	if len(v) == 0 {
		return nil
	}
	if !s.decided {
		if s.first == nil {
			s.firstR = s.row
		}
		if s.row == s.firstR && len(s.first) < maxHeaderCells {
			s.first = append(s.first, xcell{col: s.col, text: append([]byte(nil), v...), str: str})
			return nil
		}
		if err := s.decide(); err != nil {
			return err
		}
	}
	return s.write(s.col, v)
}

// write adds one value to the row's record.
func (s *sheetReader) write(col int, v []byte) error {
	b := s.b
	if !s.rowOpen {
		b.beginRecord()
		s.rowOpen = true
	}
	rec := s.row - s.hdrRow - 1
	b.beginValue(s.field(col), spanLoc{off: *s.off, rec: rec})
	*s.off += int64(len(v)) + 1
	if err := b.write(v); err != nil {
		return err
	}
	return b.endValue()
}

func (s *sheetReader) endRow() error {
	if !s.decided && s.first != nil && s.row == s.firstR {
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
	if header && s.o.w.sc.Finds(context.Background(), bytes.Join(texts, []byte{'\n'})) {
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
	row, open := s.row, s.rowOpen
	s.row, s.rowOpen = s.firstR, false
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
	s.row = row
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
