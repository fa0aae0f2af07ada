package redact

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"

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
// Worksheet parts that the workbook does not list are rewritten too, so
// that their references keep their strings.

// xlsxSheetPart matches the parts that hold cells.
var xlsxSheetPart = regexp.MustCompile(`^xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.xml$`)

// xwb is what the sheets need from the package's other parts.
type xwb struct {
	sheets   []xsheet
	sst      *sstTable
	sstPart  *zip.File
	dateXF   []bool
	date1904 bool
}

type xsheet struct {
	name string
	part *zip.File
}

func (o *objRun) xlsx(zr *zip.Reader, w io.Writer) error {
	wb, err := o.readWorkbook(zr)
	if wb.sst != nil {
		defer wb.sst.close()
	}
	if err != nil {
		return o.partError(scanner.FormatXLSX, "workbook", err)
	}
	if len(wb.sheets) == 0 {
		return &malformedError{format: scanner.FormatXLSX, msg: "the workbook lists no worksheet"}
	}
	listed := map[*zip.File]bool{}
	for _, sh := range wb.sheets {
		listed[sh.part] = true
	}
	for _, f := range zr.File {
		if !listed[f] && xlsxSheetPart.MatchString(f.Name) {
			listed[f] = true
			wb.sheets = append(wb.sheets, xsheet{name: f.Name, part: f})
		}
	}
	spools := map[*zip.File]*scanner.TempSpool{}
	defer func() {
		for _, sp := range spools {
			sp.Close()
		}
	}()
	for _, sh := range wb.sheets {
		if spools[sh.part] != nil {
			continue // listed twice: rewritten once
		}
		sp, err := scanner.NewTempSpool(o.w.cfg.TempDir)
		if err != nil {
			return err
		}
		spools[sh.part] = sp
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
	if wb.sstPart != nil {
		rw[wb.sstPart] = func(w io.Writer) error { return o.sharedStrings(wb, w) }
	}
	o.docProps(zr, scanner.FormatXLSX, rw)
	return o.rebuildZip(zr, rw, w)
}

// readWorkbook reads the sheet list, relationships, styles and shared
// strings (scanner/xlsx.go readWorkbook).
func (o *objRun) readWorkbook(zr *zip.Reader) (*xwb, error) {
	wb := &xwb{}
	rels := map[string]string{}
	sharedName := "xl/sharedStrings.xml"
	if f := zipFile(zr, "xl/_rels/workbook.xml.rels"); f != nil {
		err := o.walkPart(f, func(tok xml.Token) error {
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Relationship" {
				target := attrValue(se, "Target")
				if strings.HasPrefix(target, "/") {
					target = target[1:]
				} else {
					target = path.Join("xl", target)
				}
				rels[attrValue(se, "Id")] = target
				if strings.HasSuffix(attrValue(se, "Type"), "/sharedStrings") {
					sharedName = target
				}
			}
			return nil
		})
		if err != nil {
			return wb, err
		}
	}
	type sheetRef struct{ name, rid string }
	var refs []sheetRef
	wbPart := zipFile(zr, "xl/workbook.xml")
	if wbPart == nil {
		return wb, &malformedError{format: scanner.FormatXLSX, msg: "xl/workbook.xml is missing"}
	}
	err := o.walkPart(wbPart, func(tok xml.Token) error {
		se, ok := tok.(xml.StartElement)
		switch {
		case !ok:
		case se.Name.Local == "sheet":
			rid := ""
			for _, a := range se.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					rid = a.Value
				}
			}
			refs = append(refs, sheetRef{attrValue(se, "name"), rid})
		case se.Name.Local == "workbookPr":
			v := attrValue(se, "date1904")
			wb.date1904 = v == "1" || v == "true"
		}
		return nil
	})
	if err != nil {
		return wb, err
	}
	for i, r := range refs {
		f := zipFile(zr, rels[r.rid])
		if f == nil {
			f = zipFile(zr, "xl/worksheets/sheet"+strconv.Itoa(i+1)+".xml")
		}
		if f != nil && strings.Contains(f.Name, "worksheets/") {
			wb.sheets = append(wb.sheets, xsheet{name: r.name, part: f})
		}
	}
	if f := zipFile(zr, "xl/styles.xml"); f != nil {
		if wb.dateXF, err = o.readDateStyles(f); err != nil {
			return wb, err
		}
	}
	wb.sst = &sstTable{dir: o.w.cfg.TempDir, offs: []int64{0}}
	if f := zipFile(zr, sharedName); f != nil {
		wb.sstPart = f
		if err := o.readSharedStrings(f, wb.sst); err != nil {
			return wb, err
		}
	}
	return wb, wb.sst.done()
}

// readSharedStrings loads the text of each <si>: rich text runs joined,
// phonetic hints (<rPh>) left out.
func (o *objRun) readSharedStrings(f *zip.File, t *sstTable) error {
	var cur []byte
	inT, inPh := 0, 0
	return o.walkPart(f, func(tok xml.Token) error {
		switch tk := tok.(type) {
		case xml.StartElement:
			switch tk.Name.Local {
			case "si":
				cur, inT, inPh = cur[:0], 0, 0
			case "t":
				inT++
			case "rPh":
				inPh++
			}
		case xml.EndElement:
			switch tk.Name.Local {
			case "si":
				return t.add(cur)
			case "t":
				inT = max(0, inT-1)
			case "rPh":
				inPh = max(0, inPh-1)
			}
		case xml.CharData:
			if inT > 0 && inPh == 0 {
				cur = append(cur, tk...)
			}
		}
		return nil
	})
}

// readDateStyles returns, per cell style, whether its number format shows
// a date (scanner/xlsx.go readStyles).
func (o *objRun) readDateStyles(f *zip.File) ([]bool, error) {
	custom := map[string]bool{}
	var dates []bool
	inXfs := false
	err := o.walkPart(f, func(tok xml.Token) error {
		switch tk := tok.(type) {
		case xml.StartElement:
			switch tk.Name.Local {
			case "numFmt":
				custom[attrValue(tk, "numFmtId")] = isDateFormat(attrValue(tk, "formatCode"))
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs && len(dates) < 1<<16 {
					id := attrValue(tk, "numFmtId")
					n, _ := strconv.Atoi(id)
					dates = append(dates, custom[id] || builtinDate(n))
				}
			}
		case xml.EndElement:
			if tk.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
		return nil
	})
	return dates, err
}

// builtinDate reports the built-in number formats that show dates
// (ECMA-376 part 1, 18.8.30, and the CJK date formats 27-36 and 50-58).
func builtinDate(id int) bool {
	return id >= 14 && id <= 17 || id == 22 || id >= 27 && id <= 36 || id >= 50 && id <= 58
}

// isDateFormat reports a custom format code with a year or day part,
// outside quoted text, escapes and [bracketed] sections.
func isDateFormat(code string) bool {
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\\':
			i++
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case bracket:
		case c == 'y' || c == 'Y' || c == 'd' || c == 'D':
			return true
		}
	}
	return false
}

// walkPart streams the tokens of a part to fn.
func (o *objRun) walkPart(f *zip.File, fn func(xml.Token) error) error {
	rc, err := o.openPart(f, scanner.FormatXLSX)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
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
