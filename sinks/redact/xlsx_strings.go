package redact

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"

	"github.com/piiscan/piiscan/scanner"
)

// sharedStrings copies the shared strings table, emptying the strings no
// cell of the copy refers to, with the table's count of references
// updated.
func (o *objRun) sharedStrings(wb *xwb, w io.Writer) error {
	f := wb.SharedStrings
	rc, err := o.openPart(f, scanner.FormatXLSX)
	if err != nil {
		return o.partError(scanner.FormatXLSX, f.Name, err)
	}
	defer rc.Close()
	x := newXMLTokens(o.ctx, rc)
	idx := int64(-1)
	skip, depth := false, 0
	var tag []byte
	for {
		tok, raw, err := x.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return o.partError(scanner.FormatXLSX, f.Name, err)
		}
		if skip {
			switch tk := tok.(type) {
			case xml.StartElement:
				depth++
			case xml.EndElement:
				if depth == 0 && tk.Name.Local == "si" {
					skip = false
				} else {
					depth--
				}
			}
			continue
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "sst":
				for j, a := range se.Attr {
					if a.Name.Local == "count" && a.Name.Space == "" {
						se.Attr[j].Value = strconv.FormatInt(wb.refs, 10)
						raw = appendStartTag(tag[:0], se, selfClosing(raw))
						tag = raw
					}
				}
			case "si":
				idx++
				if !wb.isUsed(idx) {
					// Emptied: <si><t/></si>, in the element's prefix.
					t := xml.Name{Space: se.Name.Space, Local: "t"}
					raw = appendEndTag(appendStartTag(appendStartTag(tag[:0], xml.StartElement{Name: se.Name}, false),
						xml.StartElement{Name: t}, true), se.Name)
					tag = raw
					skip, depth = true, 0
				}
			}
		}
		if _, err := w.Write(raw); err != nil {
			return err
		}
	}
}
