package redact

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"

	"github.com/piiscan/piiscan/scanner"
)

// Workbooks (SpreadsheetML) are read the way scanner/xlsx.go reads them:
// the sheets in workbook order, each row a record, the first row the
// header when it reads like one (field = the header cell's text, else
// column_<n>), shared strings resolved, numbers with a date format read
// as dates. Each sheet is rewritten into an encrypted spool, then the
// package is rebuilt with the same members in the same order.
//
// Shared strings. A cell whose value changes gets the new value as an
// inline string (t="inlineStr") in the sheet, and the shared strings
// table keeps its indexes; a string that no cell refers to any more is
// emptied (<si><t/></si>). The table could not be rewritten in place: a
// string is shared by cells of different columns and records, and the
// engine's verdict depends on both (宗教信仰 makes 佛教 a religion, a
// notes column does not; a minor's record raises an identifier to S4;
// a latitude column pairs with the longitude of its own row). Inline
// strings make every replacement exact per cell, leave the other cells'
// indexes as they are, and emptying the strings left without a
// reference (the table's unreferenced strings included, which the
// scanner never reads) leaves no replaced value in the package.
//
// A replaced number stays a number when the replacement is one;
// otherwise, and for dates, the cell becomes an inline string (a date
// generalized to a year reads 1990, not a day number). A formula cell
// whose value is replaced loses its formula: it could rebuild the value.
// Worksheet parts that the workbook does not list are rewritten too (the
// scanner reads them after the listed ones: scanner.ReadXLSXWorkbook), so
// that their references keep their strings.

// xwb is the workbook as the scanner reads it (scanner.ReadXLSXWorkbook),
// with the shared strings that cells of the copy still refer to.
type xwb struct {
	*scanner.XLSXWorkbook
	used []uint64 // bit i: shared string i is referred to
	refs int64    // references from cells of the copy
}

// use marks shared string i as referred to by a cell of the copy.
func (wb *xwb) use(i int64) {
	if i >= 0 && i < wb.Strings.Len() {
		wb.used[i/64] |= 1 << (i % 64)
	}
	wb.refs++
}

func (wb *xwb) isUsed(i int64) bool {
	return i >= 0 && i/64 < int64(len(wb.used)) && wb.used[i/64]&(1<<(i%64)) != 0
}

func (o *objRun) xlsx(zr *zip.Reader, w io.Writer) error {
	wb, err := o.readWorkbook(zr)
	if wb.Strings != nil {
		defer wb.Strings.Close()
	}
	if err != nil {
		return o.partError(scanner.FormatXLSX, "workbook", err)
	}
	if len(wb.Sheets) == 0 {
		return &malformedError{format: scanner.FormatXLSX, msg: "the workbook lists no worksheet"}
	}
	spools := map[*zip.File]*scanner.TempSpool{}
	defer func() {
		for _, sp := range spools {
			sp.Close()
		}
	}()
	for _, sh := range wb.Sheets {
		if spools[sh.Part] != nil {
			continue // listed twice: rewritten once
		}
		sp, err := scanner.NewTempSpool(o.w.cfg.TempDir)
		if err != nil {
			return err
		}
		spools[sh.Part] = sp
		if err := o.sheet(wb, sh, sp); err != nil {
			return err
		}
		if err := sp.Seal(); err != nil {
			return err
		}
	}
	rw := map[*zip.File]officePart{}
	for part, sp := range spools {
		rw[part] = func(w io.Writer) error {
			_, err := io.Copy(w, sp.Reader())
			return err
		}
	}
	if wb.SharedStrings != nil {
		rw[wb.SharedStrings] = func(w io.Writer) error { return o.sharedStrings(wb, w) }
	}
	o.docProps(zr, scanner.FormatXLSX, rw)
	return o.rebuildZip(zr, rw, w)
}

// readWorkbook reads the sheet list, relationships, styles and shared
// strings as the scanner does.
func (o *objRun) readWorkbook(zr *zip.Reader) (*xwb, error) {
	if zipFile(zr, "xl/workbook.xml") == nil {
		return &xwb{XLSXWorkbook: &scanner.XLSXWorkbook{}}, &malformedError{format: scanner.FormatXLSX, msg: "xl/workbook.xml is missing"}
	}
	swb, err := scanner.ReadXLSXWorkbook(zr, o.w.cfg.TempDir, o.walkPart)
	wb := &xwb{XLSXWorkbook: swb}
	if err == nil {
		wb.used = make([]uint64, (wb.Strings.Len()+64)/64)
	}
	return wb, err
}

// walkPart streams the tokens of a part to fn.
func (o *objRun) walkPart(f *zip.File, fn func(xml.Token) error) error {
	rc, err := o.openPart(f, scanner.FormatXLSX)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(scanner.BoundXMLTokens(rc))
	for i := 0; ; i++ {
		if i&0xfff == 0 {
			if err := o.ctx.Err(); err != nil {
				return err
			}
		}
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return &malformedError{format: "xml", off: dec.InputOffset(), msg: "syntax error"}
			}
			return err
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

// zipFile returns a member by name, nil when absent.
func zipFile(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if f.Name == name {
			return f
		}
	}
	return nil
}
