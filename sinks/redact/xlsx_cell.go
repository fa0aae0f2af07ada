package redact

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
	"time"
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
	if sl.kind == cellNumber && isNumber(nv) {
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
	if n := len(nv); n > 0 && (isXMLSpace(nv[0]) || isXMLSpace(nv[n-1])) {
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
// it has one), as scanner/xlsx_sheet.go does. The 1900 system counts
// 1900-02-29, which did not exist (ECMA-376 part 1, 18.17.4.1).
func excelDate(v []byte, date1904 bool) []byte {
	x, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64)
	if err != nil || x < 1 || x > 2958465 {
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
