package scanner

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"path"
	"strings"
)

// An Office package holds values outside the text and cells the readers
// read (ooxml.go, xlsx.go): hyperlink targets in the relationship parts
// (Word and Excel turn a typed e-mail address into a mailto: link), field
// instructions (w:instrText: HYPERLINK "tel:…"), comments of workbooks,
// the copy of the source rows a pivot table keeps (pivotCacheRecords,
// pivotCacheDefinition), chart caches, sheet headers and footers,
// formulas, defined names, document and custom properties, and
// attributes such as tooltips and the alt text of pictures (descr,
// title). These side values are read as text, each value on its own: the
// value of every attribute but namespace declarations, the character
// data and the text of comments of every XML part the readers do not
// read (OOXMLSidePart), and of the parts they do read, what they leave
// (OOXMLSideText, OOXMLSideSheet). The scanner reports their findings
// (ooxml_side_scan.go) and the redact writer replaces them (sinks/redact),
// both through OOXMLSide, so that a copy replaces what a scan finds.
//
// Two kinds of part name the values they hold, and a value is classified
// with that name as its field, as a CSV cell is with its header, so that
// a field hint counts (a column 手机, a property 身份证号):
//   - a pivot cache: the name of a cacheField is the column of the source
//     rows; the items of the field in the definition (<s v="…"/> in
//     sharedItems and groupItems) and the i-th value of each record <r>
//     of pivotCacheRecords (OOXMLPivotFields) belong to it. A record's
//     <x v="…"/> is an index into the shared items, read without a field.
//   - custom properties (docProps/custom.xml): the text of a <property>
//     belongs to its name.
//
// The names themselves are values too, read without a field: a cache
// whose source had no header row names its fields after the first row.

// OOXMLSidePart reports whether a member of an Office package is an XML
// part whose values are side values when no reader reads it: every .xml,
// .rels and .vml part but the formatting parts (formatPart).
func OOXMLSidePart(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".xml", ".rels", ".vml":
		return !strings.HasSuffix(name, "/") && !formatPart(name)
	}
	return false
}

// formatPart reports the parts that describe how a document looks and
// hold nothing of its content: the content types, Word's styles, font
// table and web settings, the themes, a workbook's styles, a deck's table
// styles and view and presentation settings. Word writes them all into
// every file, and they outweigh the text of a short one (styles.xml alone
// is 28 KB): reading them as side parts made a one-page letter 3.5 times
// as slow to scan (BenchmarkDecoders docx-word-page, 0.54 -> 1.91 ms).
// Their values are style, font, colour and theme names, so scan does not
// read them and redact copies them. Settings (document variables), the
// masters and layouts of a deck (footer text) and everything else are
// read.
func formatPart(name string) bool {
	switch name {
	case "[Content_Types].xml",
		"word/styles.xml", "word/stylesWithEffects.xml", "word/fontTable.xml", "word/webSettings.xml",
		"xl/styles.xml",
		"ppt/tableStyles.xml", "ppt/viewProps.xml", "ppt/presProps.xml":
		return true
	}
	dir, file := path.Split(name)
	return strings.HasSuffix(dir, "/theme/") && strings.HasPrefix(file, "theme") && strings.HasSuffix(file, ".xml")
}

// OOXMLEmbedded reports a member that is an Office package embedded in
// the package (word/embeddings/*.xlsx: the workbook behind a chart), read
// as a package of its own, one container deeper.
func OOXMLEmbedded(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".pptm":
		return !strings.HasSuffix(name, "/")
	}
	return false
}

// OOXMLSideMode says which values of a part are side values.
type OOXMLSideMode uint8

const (
	// OOXMLSideAll is a part no reader reads: all its values.
	OOXMLSideAll OOXMLSideMode = iota
	// OOXMLSideText is a text part of a Word document or deck: attribute
	// values, and the character data outside w:t, a:t and w:delText (the
	// text stream's).
	OOXMLSideText
	// OOXMLSideSheet is a worksheet: the attribute values of elements
	// other than rows and cells, and the character data outside cells
	// (headers and footers, validation formulas) and of formulas (f).
	OOXMLSideSheet
)

// A side value is classified on its own, by both readers: as text, or,
// when it has a field, as a record of one value (as a CSV cell is: the
// field's dictionaries apply, 佛教 in a column 宗教信仰), whose record id
// is OOXMLSideRecord, far from the ids of the readers' records so that
// none is taken for the continuation of another. A value longer than
// OOXMLMaxSideValue (a huge text node of a custom XML part) goes through
// the chunker as a text object does.
const (
	OOXMLMaxSideValue = 1 << 20
	OOXMLSideRecord   = 1 << 62
)

// Bounds of the field names kept for a pivot cache's records.
const (
	maxCacheFields    = 16384 // Excel's columns
	maxCacheFieldName = maxHeaderCell
)

// OOXMLSide follows the tokens of one part and tells its side values. It
// is not safe for concurrent use.
type OOXMLSide struct {
	mode   OOXMLSideMode
	fields []string // the cache fields of a records part
	depth  int      // open elements
	root   string   // the root element's local name
	elem   string   // local name of the innermost open element
	inText int      // OOXMLSideText: depth in w:t, a:t, w:delText
	inCell bool     // OOXMLSideSheet: in a <c>
	inF    bool     // and in its <f>
	// the field of the values inside an element: the element's depth
	// (0 for none) and the name
	fieldAt int
	field   string
	rAt     int // depth of the open <r> of a records part, 0 for none
	child   int // index of the record's open child
	buf     []byte
}

// NewOOXMLSide returns an OOXMLSide for a part read in mode; cacheFields
// are the field names of a pivot cache records part (OOXMLPivotFields),
// nil for other parts.
func NewOOXMLSide(mode OOXMLSideMode, cacheFields []string) *OOXMLSide {
	return &OOXMLSide{mode: mode, fields: cacheFields}
}

// Elem returns the local name of the innermost open element: the element
// whose text the last character data was.
func (s *OOXMLSide) Elem() string { return s.elem }

// OOXMLSideComment is the attr of the text of an XML comment: comments
// are not shown, but a custom XML part or a picture can keep a value in
// one as well as in its text.
const OOXMLSideComment = -2

// Token takes the next token of the part and calls fn for each side value
// it holds, in document order: attr is the index of an attribute of a
// start element, -1 for character data, OOXMLSideComment for the text of
// a comment; field is the name the value
// belongs to, "" for none. v is valid during the call only. Values that
// are empty or white space are left out, and so are namespace
// declarations. fn's error is returned as it is.
func (s *OOXMLSide) Token(tok xml.Token, fn func(attr int, v []byte, field string) error) error {
	switch tk := tok.(type) {
	case xml.StartElement:
		return s.start(tk, fn)
	case xml.EndElement:
		s.end(tk)
	case xml.CharData:
		if s.mode == OOXMLSideText && s.inText > 0 || s.mode == OOXMLSideSheet && s.inCell && !s.inF || blank(tk) {
			return nil
		}
		return fn(-1, tk, s.textField())
	case xml.Comment:
		if blank(tk) {
			return nil
		}
		return fn(OOXMLSideComment, tk, "")
	}
	return nil
}

func (s *OOXMLSide) start(se xml.StartElement, fn func(int, []byte, string) error) error {
	s.depth++
	s.elem = se.Name.Local
	if s.depth == 1 {
		s.root = se.Name.Local
	}
	attrs := true
	switch s.mode {
	case OOXMLSideText:
		if se.Name.Local == "t" || se.Name.Local == "delText" {
			s.inText++
		}
	case OOXMLSideSheet:
		switch se.Name.Local {
		case "c":
			s.inCell, attrs = true, false
		case "row":
			attrs = false
		case "f":
			s.inF = s.inCell
		}
	}
	field := "" // the field of this element's v attribute
	switch {
	case s.root == "pivotCacheDefinition" && se.Name.Local == "cacheField" && s.fieldAt == 0:
		s.fieldAt, s.field = s.depth, attr(se, "name")
	case s.root == "pivotCacheDefinition" && s.fieldAt > 0:
		field = s.field
	case s.root == "pivotCacheRecords" && s.depth == 2 && se.Name.Local == "r":
		s.rAt, s.child = s.depth, -1
	case s.rAt > 0 && s.depth == s.rAt+1:
		s.child++
		if se.Name.Local != "x" && s.child < len(s.fields) {
			field = s.fields[s.child]
		}
	case s.root == "Properties" && s.depth == 2 && se.Name.Local == "property":
		s.fieldAt, s.field = s.depth, attr(se, "name")
	}
	if !attrs {
		return nil
	}
	for i, a := range se.Attr {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" || blank(a.Value) || revisionID(se.Name.Local, a) {
			continue
		}
		f := ""
		if a.Name.Local == "v" && a.Name.Space == "" {
			f = field
		}
		s.buf = append(s.buf[:0], a.Value...)
		if err := fn(i, s.buf, f); err != nil {
			return err
		}
	}
	return nil
}

func (s *OOXMLSide) end(ee xml.EndElement) {
	switch s.mode {
	case OOXMLSideText:
		if ee.Name.Local == "t" || ee.Name.Local == "delText" {
			s.inText = max(0, s.inText-1)
		}
	case OOXMLSideSheet:
		switch ee.Name.Local {
		case "c":
			s.inCell, s.inF = false, false
		case "f":
			s.inF = false
		}
	}
	if s.depth == s.fieldAt {
		s.fieldAt, s.field = 0, ""
	}
	if s.depth == s.rAt {
		s.rAt = 0
	}
	s.depth = max(0, s.depth-1)
	s.elem = ""
}

// textField is the field of character data: a custom property's name.
func (s *OOXMLSide) textField() string {
	if s.root == "Properties" && s.fieldAt > 0 {
		return s.field
	}
	return ""
}

// revisionID reports the ids Word writes on every paragraph and run and
// lists in its settings: the revision session ids (w:rsidR, w:rsidRPr,
// ..., and w:val of the w:rsid and w:rsidRoot of settings.xml) and
// paragraph ids (w14:paraId, w14:textId), ST_LongHexNumber values of
// eight hex digits that are not read as side values (nor replaced: a
// masked one would not be hex). A value of another shape is read as any
// attribute's.
func revisionID(elem string, a xml.Attr) bool {
	switch n := a.Name.Local; {
	case strings.HasPrefix(n, "rsid"), n == "paraId", n == "textId":
	case n == "val" && (elem == "rsid" || elem == "rsidRoot"):
	default:
		return false
	}
	if len(a.Value) == 0 || len(a.Value) > 8 {
		return false
	}
	for i := 0; i < len(a.Value); i++ {
		switch c := a.Value[i]; {
		case '0' <= c && c <= '9', 'A' <= c && c <= 'F', 'a' <= c && c <= 'f':
		default:
			return false
		}
	}
	return true
}

// blank reports a value of XML white space only.
func blank[T ~string | ~[]byte](v T) bool {
	for i := 0; i < len(v); i++ {
		if !IsXMLSpace(v[i]) {
			return false
		}
	}
	return true
}

// IsXMLSpace reports XML's white space (the S production).
func IsXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// errStopWalk ends a walk that has read what it needs.
var errStopWalk = errors.New("stop")

// OOXMLPivotFields returns the field names of each pivot cache records
// part of a workbook, in order: the names of the cacheFields of the
// definition whose relationships point to the records (else of the
// definition of the same number, pivotCacheDefinitionN for
// pivotCacheRecordsN). A definition that cannot be read gives no names;
// its records are then read without fields. Each definition is read up to
// the end of its field list.
func OOXMLPivotFields(zr *zip.Reader, walk XMLWalk) map[*zip.File][]string {
	var out map[*zip.File][]string
	for _, f := range zr.File {
		dir, base := path.Split(f.Name)
		num, ok := strings.CutPrefix(base, "pivotCacheDefinition")
		if !ok || !strings.HasSuffix(num, ".xml") {
			continue
		}
		recs := zipPart(zr, dir+"pivotCacheRecords"+num)
		if rels := zipPart(zr, dir+"_rels/"+base+".rels"); rels != nil {
			_ = walk(rels, func(tok xml.Token) error {
				se, ok := tok.(xml.StartElement)
				if ok && se.Name.Local == "Relationship" && strings.HasSuffix(attr(se, "Type"), "/pivotCacheRecords") {
					if r := zipPart(zr, path.Join(dir, attr(se, "Target"))); r != nil {
						recs = r
					}
				}
				return nil
			})
		}
		if recs == nil {
			continue
		}
		var names []string
		err := walk(f, func(tok xml.Token) error {
			switch tk := tok.(type) {
			case xml.StartElement:
				if tk.Name.Local == "cacheField" && len(names) < maxCacheFields {
					names = append(names, truncName(attr(tk, "name")))
				}
			case xml.EndElement:
				if tk.Name.Local == "cacheFields" {
					return errStopWalk
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopWalk) {
			continue
		}
		if out == nil {
			out = map[*zip.File][]string{}
		}
		out[recs] = names
	}
	return out
}

// truncName bounds a field name at a rune start.
func truncName(s string) string {
	if len(s) <= maxCacheFieldName {
		return s
	}
	i := maxCacheFieldName
	for i > 0 && s[i]&0xc0 == 0x80 {
		i--
	}
	return s[:i]
}
