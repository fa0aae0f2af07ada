package scanner

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strconv"
)

// Exported pieces of the scanner's SpreadsheetML reading, for the
// de-identified copy writer of sinks/redact, which must see a workbook's
// sheets, cells and values exactly as the scanner does (the same pattern
// as detect_export.go: one implementation, so the two never drift apart).

// XMLWalk streams the XML tokens of a package part to fn; each reader
// brings its own (the scanner's and the redact writer's limits, errors
// and cancellation differ).
type XMLWalk func(part *zip.File, fn func(xml.Token) error) error

// XLSXSheet is a worksheet in workbook order.
type XLSXSheet struct {
	Name string
	Part *zip.File
}

// XLSXWorkbook is what the sheets need from the package's other parts.
type XLSXWorkbook struct {
	Sheets        []XLSXSheet
	SharedStrings *zip.File    // the shared strings part, nil when none
	Strings       *XLSXStrings // its strings; Close it when done
	DateXF        []bool       // cell style index -> a date format
	Date1904      bool         // serial day numbers count from 1904
}

// Header limits shared by the CSV and xlsx readers (and the redact
// writer's): a header row has at most MaxHeaderCells cells of at most
// MaxHeaderCell bytes each.
const (
	MaxHeaderCell  = maxHeaderCell
	MaxHeaderCells = maxHeaderCells
)

// PeekRowMax bounds the second row a CSV or sheet reader looks at for its header
// decision (classifiers.Scanner.LooksLikeHeader).
const PeekRowMax = 4096

// SecondRowCells splits row, the bytes of a CSV's second row before its
// line break, into its cells for the header decision; nil when it is
// longer than PeekRowMax or holds a quote in CSV or TSV (its cells would need the whole
// reader, and it may run on over lines). The scanner and the redact writer
// both decide on it, so that they take the same first rows for headers.
func SecondRowCells(row []byte, delim byte) [][]byte {
	if len(row) > PeekRowMax || (CSVQuotes(delim) && bytes.IndexByte(row, '"') >= 0) {
		return nil
	}
	return bytes.Split(row, []byte{delim})
}

// CSVQuotes reports whether '"' quotes a field in a table whose fields
// are separated by delim: in CSV and TSV it does; Hive text tables
// (FormatHive) have no quoting, and a value starting with a quote is
// that quote and what follows it up to the delimiter.
func CSVQuotes(delim byte) bool { return delim != hiveDelim }

// LabelCell reports a cell of a table's first row that may be a column
// label: at most MaxHeaderCell bytes, and not a number, a date or a time.
// A first row is a header only when all its cells are (and LooksLikeHeader
// agrees); the CSV and sheet readers of the scan and of the copy writer
// all judge it so.
func LabelCell(c []byte) bool { return len(c) <= maxHeaderCell && !looksNumeric(c) }

// IsLimit reports an archive, decompression or table-size limit error of
// the scanner's readers.
func IsLimit(err error) bool { return isLimit(err) }

// XLSXCellKind is how a cell's value was read.
type XLSXCellKind uint8

const (
	XLSXText   XLSXCellKind = iota // a shared, inline or formula string
	XLSXNumber                     // a number
	XLSXDate                       // a number with a date format, read as a date
)

// XLSXEvent is what a worksheet token means to a cell reader.
type XLSXEvent uint8

const (
	XLSXNone      XLSXEvent = iota
	XLSXRowStart            // <row>: Row is set, Col reset
	XLSXCellStart           // <c>: Col, Type and Style are set
	XLSXCellEnd             // </c>: Value resolves the cell
	XLSXRowEnd              // </row>
)

// XLSXCells follows a worksheet's tokens: the open row and cell, and the
// cell's raw value (the text of <v>, or of <t> inside an inline string).
type XLSXCells struct {
	Row   int64  // 1-based row number of the open row
	Col   int    // 0-based column of the open cell
	Type  string // the cell's t attribute
	Style int    // the cell's s attribute (style index)
	Val   []byte // the raw value
	inV   int
	inT   int
	inIS  bool
}

// Token takes the next token of the sheet and says what it was.
func (c *XLSXCells) Token(tok xml.Token) XLSXEvent {
	switch tk := tok.(type) {
	case xml.StartElement:
		switch tk.Name.Local {
		case "row":
			r, err := strconv.ParseInt(attr(tk, "r"), 10, 64)
			if err != nil || r <= c.Row {
				r = c.Row + 1
			}
			c.Row, c.Col = r, -1
			return XLSXRowStart
		case "c":
			c.Col = cellColumn(attr(tk, "r"), c.Col+1)
			c.Type = attr(tk, "t")
			c.Style, _ = strconv.Atoi(attr(tk, "s"))
			c.Val = c.Val[:0]
			return XLSXCellStart
		case "v":
			c.inV++
		case "is":
			c.inIS = true
		case "t":
			if c.inIS {
				c.inT++
			}
		}
	case xml.EndElement:
		switch tk.Name.Local {
		case "v":
			c.inV = max(0, c.inV-1)
		case "t":
			c.inT = max(0, c.inT-1)
		case "is":
			c.inIS = false
		case "c":
			return XLSXCellEnd
		case "row":
			return XLSXRowEnd
		}
	case xml.CharData:
		if c.inV > 0 || c.inT > 0 {
			c.Val = append(c.Val, tk...)
		}
	}
	return XLSXNone
}

// Value resolves the cell that just ended: shared strings looked up,
// numbers with a date style read as dates (2006-01-02). shared is the
// shared string index the cell refers to (-1 for none; the value is empty
// when the index is out of range). ok is false for cells that hold
// nothing to read: booleans, error codes and a malformed shared index.
// The value is valid until the next token or lookup.
func (c *XLSXCells) Value(wb *XLSXWorkbook) (v []byte, kind XLSXCellKind, shared int64, ok bool) {
	switch c.Type {
	case "s":
		i, err := strconv.ParseInt(string(bytes.TrimSpace(c.Val)), 10, 64)
		if err != nil {
			return nil, XLSXText, -1, false
		}
		v, _ = wb.Strings.Get(i)
		return v, XLSXText, i, true
	case "inlineStr", "str", "d":
		return c.Val, XLSXText, -1, true
	case "b", "e":
		return nil, XLSXText, -1, false // booleans and error codes hold nothing personal
	}
	if c.Style >= 0 && c.Style < len(wb.DateXF) && wb.DateXF[c.Style] {
		return excelDate(c.Val, wb.Date1904), XLSXDate, -1, true
	}
	return c.Val, XLSXNumber, -1, true
}
