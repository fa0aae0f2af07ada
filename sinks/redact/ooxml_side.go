package redact

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/piiscan/piiscan/scanner"
)

// An Office package holds values outside the text the scanner reads, and
// a copy that kept them would not be de-identified: hyperlink targets in
// the relationship parts (Word and Excel turn a typed e-mail address into
// a mailto: link), field instructions (w:instrText: HYPERLINK "tel:…"),
// comments of workbooks, the copy of the source data a pivot table keeps
// (pivotCacheRecords, pivotCacheDefinition), chart caches, sheet headers
// and footers, formulas, defined names, custom properties, and attributes
// such as tooltips and the alt text of pictures. No detector can read a
// record or a field in them, so they are swept as text, each value on its
// own, as the document properties are (docprops.go): the character data
// of every XML part the scanner does not read, the character data the
// text and sheet rewriters leave (field instructions, formulas, headers
// and footers), and the value of every attribute but namespace
// declarations. A part that is not XML is emptied when it cannot be read
// (OLE objects, macros: office_opaque.go); pictures lose their metadata
// (imagemeta.go); the others (fonts, printer settings) are copied.

// maxSideValue is the largest value handed to the engine in one call; a
// longer one (a huge text node of a custom XML part) goes through the
// chunker as a text object does.
const maxSideValue = 1 << 20

// sidePart reports whether a member the rewriters do not read is an XML
// part to sweep.
func sidePart(f *zip.File) bool {
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".xml", ".rels", ".vml":
		return !strings.HasSuffix(f.Name, "/")
	}
	return false
}

// Who wrote a comment is a person's name (and often an e-mail address),
// which no detector reads in a field of its own: as Word's w:author is
// emptied (ooxml_runs.go withoutAuthors), so are the authors of workbook
// comments (<author>), of threaded comments (xl/persons: displayName,
// userId) and of deck comments (p:cmAuthor, and the modern ppt/authors
// part: name, initials, userId).

// personText are the elements whose text is emptied.
var personText = map[string]bool{"author": true}

// personAttr are the attributes, by element, whose values are emptied.
var personAttr = map[string]map[string]bool{
	"person":   {"displayName": true, "userId": true},
	"cmAuthor": {"name": true, "initials": true},
	"author":   {"name": true, "initials": true, "userId": true},
}

// embeddedPackage reports an Office package embedded in another (the
// workbook that holds a chart's data): it is rewritten as a package.
func embeddedPackage(f *zip.File) bool {
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".pptm":
		return true
	}
	return false
}

// embeddedPart rewrites an embedded package at container depth depth. One
// that cannot be rewritten fails the document: its member is already
// begun, and a copy would keep its values.
func (o *objRun) embeddedPart(f *zip.File, kind string, depth int, w io.Writer) error {
	rc, err := o.openPart(f, kind)
	if err != nil {
		return o.partError(kind, f.Name, err)
	}
	defer rc.Close()
	err = o.rewriteMember(rc, f.Name, depth, w)
	var unsup *unsupportedError
	if errors.As(err, &unsup) {
		return &malformedError{format: kind, msg: "embedded package " + scanner.SafeText(f.Name) + " cannot be rewritten"}
	}
	return err
}

// sideSweep rewrites the values of tokens outside the scanner's text.
type sideSweep struct {
	o    *objRun
	buf  []byte
	tmp  []byte
	attr []byte
}

// value returns the edits of the matches in v, in offset order.
func (s *sideSweep) value(v []byte) ([]edit, error) {
	if len(bytes.TrimSpace(v)) == 0 {
		return nil, nil
	}
	if len(v) <= maxSideValue {
		return s.o.w.ed.text(s.o.ctx, v, 0, len(v))
	}
	tes, err := s.o.streamEdits(bytes.NewReader(v))
	if err != nil {
		return nil, err
	}
	out := make([]edit, len(tes))
	for i, e := range tes {
		out[i] = edit{start: int(e.start), end: int(e.end), repl: e.repl}
	}
	return out, nil
}

// token returns raw, or the token rebuilt with its values replaced: a
// start tag's attribute values, and the text of character data when text
// is set. The result is valid until the next call.
func (s *sideSweep) token(tok xml.Token, raw []byte, text bool) ([]byte, error) {
	switch tk := tok.(type) {
	case xml.StartElement:
		var se xml.StartElement
		changed := false
		for i, a := range tk.Attr {
			if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
				continue
			}
			if personAttr[tk.Name.Local][a.Name.Local] && a.Value != "" {
				if !changed {
					se, changed = tk.Copy(), true
				}
				se.Attr[i].Value = ""
				continue
			}
			edits, err := s.value([]byte(a.Value))
			if err != nil {
				return nil, err
			}
			if len(edits) == 0 {
				continue
			}
			if !changed {
				se, changed = tk.Copy(), true
			}
			s.attr = splice(s.attr[:0], []byte(a.Value), edits)
			se.Attr[i].Value = string(s.attr)
		}
		if changed {
			s.tmp = appendStartTag(s.tmp[:0], se, selfClosing(raw))
			return s.tmp, nil
		}
	case xml.CharData:
		if !text {
			break
		}
		edits, err := s.value(tk)
		if err != nil {
			return nil, err
		}
		if len(edits) > 0 {
			s.buf = splice(s.buf[:0], tk, edits)
			s.tmp = appendXMLEscaped(s.tmp[:0], s.buf, false)
			return s.tmp, nil
		}
	}
	return raw, nil
}

// sweepPart copies an XML part with every value swept.
func (o *objRun) sweepPart(f *zip.File, kind string, w io.Writer) error {
	rc, err := o.openPart(f, kind)
	if err != nil {
		return o.partError(kind, f.Name, err)
	}
	defer rc.Close()
	s := &sideSweep{o: o}
	x := newXMLTokens(o.ctx, rc)
	cur := "" // the element whose text comes next
	for {
		tok, raw, err := x.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return o.partError(kind, f.Name, err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			cur = tk.Name.Local
		case xml.EndElement:
			cur = ""
		case xml.CharData:
			if personText[cur] {
				continue // emptied
			}
		}
		if raw, err = s.token(tok, raw, true); err != nil {
			return err
		}
		if _, err := w.Write(raw); err != nil {
			return err
		}
	}
}
