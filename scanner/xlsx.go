package scanner

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// xlsx reading (ECMA-376 part 1, SpreadsheetML) is done here with
// archive/zip and a streaming encoding/xml tokenizer rather than with
// excelize: excelize.OpenReader reads the whole file into memory and its
// row iterator keeps the shared strings as Go strings, while this reader
// streams each sheet's XML and keeps only the shared strings table (in a
// spool file past 16 MiB). Each sheet becomes records: the first row is the
// header when it reads like one (field = its cell text), `record` = 0-based
// row below the header (Excel row = record + header row + 1), and
// `container_path` = the sheet's name, so a finding points at sheet, row
// and column. `byte_offset` counts the object's cell values as if they
// were written one per line, in sheet and row order.

func (o *objectScan) scanXLSX(zr *zip.Reader, depth int) error {
	o.format = FormatXLSX
	// The workbook's own parts (its sheet list and relationships, the
	// styles) are side parts too: their values are read as the workbook
	// reads them, not in a second pass.
	read := map[*zip.File]bool{}
	walk := func(f *zip.File, fn func(xml.Token) error) error {
		if f == nil || !xlsxWorkbookParts[f.Name] || read[f] {
			return o.walkXML(f, fn)
		}
		read[f] = true
		side := o.newSideText(f.Name, OOXMLSideAll, nil)
		return o.walkXML(f, func(tok xml.Token) error {
			if err := side.token(tok); err != nil {
				return err
			}
			return fn(tok)
		})
	}
	wb, err := ReadXLSXWorkbook(zr, o.w.cfg.TempDir, walk)
	if wb.Strings != nil {
		defer wb.Strings.Close()
	}
	if err != nil {
		if o.ctx.Err() != nil || isLimit(err) {
			return err
		}
		return badFormat(FormatXLSX, "workbook parts", err)
	}
	if len(wb.Sheets) == 0 {
		return &formatError{format: FormatXLSX, msg: "the workbook lists no worksheet; nothing scanned"}
	}
	b := newBatch(o)
	var off int64
	var bad error
	prev := o.container
	defer func() { o.container = prev }()
	for _, sh := range wb.Sheets {
		name := sh.Name
		if prev != nil {
			name = *prev + "/" + name
		}
		side := o.newSideText(sh.Part.Name, OOXMLSideSheet, nil) // below the package's path
		o.container = &name
		err := o.scanSheet(wb, b, sh, side, &off)
		if ferr := b.finish(); err == nil {
			err = ferr
		}
		if err != nil {
			if o.ctx.Err() != nil || isLimit(err) {
				return err
			}
			if bad == nil {
				bad = badFormat(FormatXLSX, "sheet", err)
			}
		}
	}
	o.container = prev
	read[wb.SharedStrings] = true
	for _, sh := range wb.Sheets {
		read[sh.Part] = true
	}
	return firstErr(bad, o.scanOOXMLSide(zr, read, depth))
}

// xlsxWorkbookParts are the parts ReadXLSXWorkbook reads besides the
// shared strings.
var xlsxWorkbookParts = map[string]bool{"xl/workbook.xml": true, "xl/_rels/workbook.xml.rels": true, "xl/styles.xml": true}

// xlsxSheetPart matches the parts that hold cells.
var xlsxSheetPart = regexp.MustCompile(`^xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.xml$`)

// ReadXLSXWorkbook reads a workbook's sheet list (the sheets it does not
// list after those it does), relationships, styles
// and shared strings (kept in a spool file in tempDir past 16 MiB), each
// part through walk. The workbook is returned also with an error, for its
// Strings to be closed.
func ReadXLSXWorkbook(zr *zip.Reader, tempDir string, walk XMLWalk) (*XLSXWorkbook, error) {
	wb := &XLSXWorkbook{}
	rels := map[string]string{} // relationship id -> part name
	sharedName := "xl/sharedStrings.xml"
	if f := zipPart(zr, "xl/_rels/workbook.xml.rels"); f != nil {
		err := walk(f, func(tok xml.Token) error {
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Relationship" {
				target := attr(se, "Target")
				if strings.HasPrefix(target, "/") {
					target = target[1:]
				} else {
					target = path.Join("xl", target)
				}
				rels[attr(se, "Id")] = target
				if strings.HasSuffix(attr(se, "Type"), "/sharedStrings") {
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
	err := walk(zipPart(zr, "xl/workbook.xml"), func(tok xml.Token) error {
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
			refs = append(refs, sheetRef{attr(se, "name"), rid})
		case se.Name.Local == "workbookPr":
			v := attr(se, "date1904")
			wb.Date1904 = v == "1" || v == "true"
		}
		return nil
	})
	if err != nil {
		return wb, err
	}
	for i, r := range refs {
		f := zipPart(zr, rels[r.rid])
		if f == nil {
			// No relationships: fall back on the conventional part name.
			f = zipPart(zr, "xl/worksheets/sheet"+strconv.Itoa(i+1)+".xml")
		}
		if f != nil && (strings.Contains(f.Name, "worksheets/") || xlsxSheetPart.MatchString(f.Name)) {
			wb.Sheets = append(wb.Sheets, XLSXSheet{Name: r.name, Part: f})
		}
	}
	// Sheets the workbook does not list (or lists under a name that
	// cannot be found) still hold cells; they are read under their part
	// name.
	listed := make(map[*zip.File]bool, len(wb.Sheets))
	for _, sh := range wb.Sheets {
		listed[sh.Part] = true
	}
	for _, f := range zr.File {
		if !listed[f] && xlsxSheetPart.MatchString(f.Name) {
			listed[f] = true
			wb.Sheets = append(wb.Sheets, XLSXSheet{Name: f.Name, Part: f})
		}
	}
	if f := zipPart(zr, "xl/styles.xml"); f != nil {
		if wb.DateXF, err = readDateStyles(walk, f); err != nil {
			return wb, err
		}
	}
	wb.Strings = newStringTable(tempDir)
	if f := zipPart(zr, sharedName); f != nil {
		wb.SharedStrings = f
		if err := readSharedStrings(walk, f, wb.Strings); err != nil {
			return wb, err
		}
	}
	return wb, wb.Strings.done()
}

// readSharedStrings loads the shared strings: the text of each <si>, rich
// text runs joined, phonetic hints (<rPh>) left out.
func readSharedStrings(walk XMLWalk, f *zip.File, t *XLSXStrings) error {
	var cur []byte
	inT, inPh := 0, 0
	return walk(f, func(tok xml.Token) error {
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

// readDateStyles returns, per cell style (cellXfs index), whether its
// number format shows a date, so that date cells (stored as day numbers)
// reach the record rules as dates: a birth-date column makes a record a
// minor's.
func readDateStyles(walk XMLWalk, f *zip.File) ([]bool, error) {
	custom := map[string]bool{}
	var dates []bool
	inXfs := false
	err := walk(f, func(tok xml.Token) error {
		switch tk := tok.(type) {
		case xml.StartElement:
			switch tk.Name.Local {
			case "numFmt":
				custom[attr(tk, "numFmtId")] = isDateFormat(attr(tk, "formatCode"))
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs && len(dates) < 1<<16 {
					id := attr(tk, "numFmtId")
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

// walkXML streams the tokens of a part to fn.
func (o *objectScan) walkXML(f *zip.File, fn func(xml.Token) error) error {
	if f == nil {
		return errNoPart
	}
	rc, err := o.partReader(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	text, _ := XMLPartText(rc)
	dec := newRawXML(text, XMLCharsetReader)
	defer dec.release()
	for i := 0; ; i++ {
		if i&0xfff == 0 {
			if err := o.ctx.Err(); err != nil {
				return err
			}
		}
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
