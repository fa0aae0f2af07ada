package redact

import (
	"bytes"
	"encoding/xml"
	"strconv"

	"github.com/piiscan/piiscan/scanner"
)

// rebuildCell writes a cell with a new value: a number cell whose new
// value is a number keeps it as <v>, anything else becomes an inline
// string. The cell's attributes stay but its type; a formula is dropped.
func rebuildCell(dst []byte, sl cellSlot, nv []byte) []byte {
	se := xml.StartElement{Name: sl.se.Name}
	for _, a := range sl.se.Attr {
		if a.Name.Local != "t" || a.Name.Space != "" {
			se.Attr = append(se.Attr, a)
		}
	}
	pfx := sl.se.Name.Space
	if sl.kind == scanner.XLSXNumber && isNumber(nv) {
		dst = appendStartTag(dst, se, false)
		dst = appendStartTag(dst, xml.StartElement{Name: xml.Name{Space: pfx, Local: "v"}}, false)
		dst = append(dst, nv...)
		dst = appendEndTag(dst, xml.Name{Space: pfx, Local: "v"})
		return appendEndTag(dst, se.Name)
	}
	se.Attr = append(se.Attr, xml.Attr{Name: xml.Name{Local: "t"}, Value: "inlineStr"})
	dst = appendStartTag(dst, se, false)
	dst = appendStartTag(dst, xml.StartElement{Name: xml.Name{Space: pfx, Local: "is"}}, false)
	t := xml.StartElement{Name: xml.Name{Space: pfx, Local: "t"}}
	if n := len(nv); n > 0 && (scanner.IsXMLSpace(nv[0]) || scanner.IsXMLSpace(nv[n-1])) {
		t.Attr = []xml.Attr{{Name: xml.Name{Space: "xml", Local: "space"}, Value: "preserve"}}
	}
	dst = appendStartTag(dst, t, false)
	dst = appendXMLEscaped(dst, nv, false)
	dst = appendEndTag(dst, t.Name)
	dst = appendEndTag(dst, xml.Name{Space: pfx, Local: "is"})
	return appendEndTag(dst, se.Name)
}

// isNumber reports a plain decimal number (what a <v> of a number cell
// holds).
func isNumber(b []byte) bool {
	if len(b) == 0 || len(b) > 32 {
		return false
	}
	_, err := strconv.ParseFloat(string(b), 64)
	return err == nil && !bytes.ContainsAny(b, "xXpPiInN_")
}
