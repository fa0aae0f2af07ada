package redact

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"golang.org/x/text/transform"
	"io"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
)

// An Office package holds values outside the text the scanner reads, and
// a copy that kept them would not be de-identified: hyperlink targets in
// the relationship parts, field instructions, comments of workbooks,
// pivot-table caches, chart caches, sheet headers and footers, formulas,
// defined names, custom properties, and attributes such as tooltips and
// the alt text of pictures. Which values these are, and the field a value
// belongs to (a pivot cache's column, a custom property's name), is the
// scanner's scanner.OOXMLSide, which the scan reads them with: each value
// is replaced on its own, as the scan classifies it. An embedded Office
// package is rewritten as a package (office.go). A part that is not XML
// is emptied when it cannot be read (OLE objects, macros:
// office_opaque.go); pictures lose their metadata (imagemeta.go); the
// others (fonts, printer settings) are copied.

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

// sideSweep rewrites the side values of a part's tokens.
type sideSweep struct {
	o     *objRun
	side  *scanner.OOXMLSide
	empty map[string]bool // elements whose text is emptied
	buf   []byte
	tmp   []byte
	attr  []byte
	span  [1]classifiers.Span
}

func newSideSweep(o *objRun, mode scanner.OOXMLSideMode, cacheFields []string) *sideSweep {
	return &sideSweep{o: o, side: scanner.NewOOXMLSide(mode, cacheFields), empty: personText}
}

// value returns the edits of the matches in v, in offset order.
func (s *sideSweep) value(v []byte, field string) ([]edit, error) {
	var f *classifiers.Field
	if field != "" {
		f = s.o.w.field(field)
	}
	switch {
	case len(v) <= scanner.OOXMLMaxSideValue && f != nil:
		// a record of one value, as the scanner reads it: the field's
		// dictionaries apply
		s.span[0] = classifiers.Span{End: len(v), Field: f, Record: scanner.OOXMLSideRecord, Kind: deid.KindText}
		edits, err := s.o.w.ed.records(s.o.ctx, v, s.span[:], false)
		if err != nil {
			return nil, err
		}
		return edits[0], nil
	case len(v) <= scanner.OOXMLMaxSideValue:
		return s.o.w.ed.text(s.o.ctx, v, 0, len(v), nil)
	}
	tes, err := s.o.streamEdits(bytes.NewReader(v), f)
	if err != nil {
		return nil, err
	}
	out := make([]edit, len(tes))
	for i, e := range tes {
		out[i] = edit{start: int(e.start), end: int(e.end), repl: e.repl}
	}
	return out, nil
}

// token returns raw, or the token rebuilt with its side values replaced:
// a start tag's attribute values, character data's text (nil when it is
// emptied), a comment's text (emptied when a replacement would put "--"
// in it). The result is valid until the next call.
func (s *sideSweep) token(tok xml.Token, raw []byte) ([]byte, error) {
	var se xml.StartElement
	changed := false
	out := raw
	err := s.side.Token(tok, func(i int, v []byte, field string) error {
		if i == scanner.OOXMLSideComment {
			edits, err := s.value(v, field)
			if err != nil || len(edits) == 0 {
				return err
			}
			s.buf = splice(s.buf[:0], v, edits)
			if bytes.Contains(s.buf, []byte("--")) || bytes.HasSuffix(s.buf, []byte("-")) {
				s.buf = s.buf[:0] // a replacement a comment cannot hold
			}
			s.tmp = append(append(append(s.tmp[:0], "<!--"...), s.buf...), "-->"...)
			out = s.tmp
			return nil
		}
		if i < 0 {
			if s.empty[s.side.Elem()] {
				out = nil // emptied
				return nil
			}
			edits, err := s.value(v, field)
			if err != nil || len(edits) == 0 {
				return err
			}
			s.buf = splice(s.buf[:0], v, edits)
			s.tmp = appendXMLEscaped(s.tmp[:0], s.buf, false)
			out = s.tmp
			return nil
		}
		tk := tok.(xml.StartElement)
		if personAttr[tk.Name.Local][tk.Attr[i].Name.Local] {
			if !changed {
				se, changed = tk.Copy(), true
			}
			se.Attr[i].Value = ""
			return nil
		}
		edits, err := s.value(v, field)
		if err != nil || len(edits) == 0 {
			return err
		}
		if !changed {
			se, changed = tk.Copy(), true
		}
		s.attr = splice(s.attr[:0], v, edits)
		se.Attr[i].Value = string(s.attr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if changed {
		s.tmp = appendStartTag(s.tmp[:0], se, selfClosing(raw))
		return s.tmp, nil
	}
	return out, nil
}

// sweepPart copies an XML part with every value swept and the text of the
// elements in empty emptied; cacheFields are the field names of a pivot
// cache's records.
func (o *objRun) sweepPart(f *zip.File, kind string, cacheFields []string, empty map[string]bool, w io.Writer) error {
	rc, err := o.openPart(f, kind)
	if err != nil {
		return o.partError(kind, f.Name, err)
	}
	defer rc.Close()
	s := newSideSweep(o, scanner.OOXMLSideAll, cacheFields)
	s.empty = empty
	text, enc := scanner.XMLPartText(rc)
	if enc != nil {
		// A UTF-16 part is read as UTF-8 and written back in UTF-16.
		w = transform.NewWriter(w, enc.NewEncoder())
	}
	x := newXMLTokens(o.ctx, text)
	for {
		tok, raw, err := x.next()
		if errors.Is(err, io.EOF) {
			if enc != nil {
				return w.(io.Closer).Close() // its last bytes
			}
			return nil
		}
		if err != nil {
			return o.partError(kind, f.Name, err)
		}
		if raw, err = s.token(tok, raw); err != nil {
			return err
		}
		if _, err := w.Write(raw); err != nil {
			return err
		}
	}
}
