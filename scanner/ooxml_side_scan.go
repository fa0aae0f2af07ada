package scanner

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"

	"github.com/piiscan/piiscan/classifiers"
)

// sideText scans the side values of one part (ooxml_side.go) as a text of
// their own: the values one after another, each followed by a line end.
// A finding's container_path is the part's name, below the package's own
// path as a zip member's is (word/_rels/document.xml.rels, or
// a.zip/b.docx/word/_rels/document.xml.rels); line and column are those
// of that text (line n is the part's n-th value when no value holds a
// line end), byte_offset the offset in it, and field the value's field
// (a pivot cache column, a custom property) when it has one. Side values
// have no paragraph, record or cell of the readers' to point at, and the
// part's own bytes would give offsets in XML that no reader decodes:
// the values' text is what was classified, as a document's paragraphs
// are for its text. Each value is classified on its own, as the redact
// writer replaces it: a keyword in a neighbouring value does not count.
type sideText struct {
	o    *objectScan
	side *OOXMLSide
	path string
	off  int64 // offset of the next value
	line int64 // line of the next value
	em   textEmitter
	span [1]classifiers.Span
}

// sideRecEm receives the matches of a side value of a field.
type sideRecEm sideText

func (r *sideRecEm) Match(m *classifiers.Match) error {
	t := (*sideText)(r)
	if m.Span != 0 {
		return nil // an object-level finding: reported by Finish
	}
	t.em.advance(m.Start)
	t.o.hold(t.o.finding(m, t.em.base+int64(m.Start), t.em.line, t.em.col, -1, t.em.field))
	return nil
}

func (r *sideRecEm) EndRecord(_ int64, minor bool) error {
	r.o.closeRecord(minor)
	return nil
}

func (r *sideRecEm) Anchor(int) any {
	return &anchorLoc{loc: spanLoc{off: r.em.base, rec: -1, line: r.em.line, col: 1}, field: r.em.field}
}

// addBytes counts n bytes classified.
func (o *objectScan) addBytes(n int) {
	o.bytes += int64(n)
	o.w.progress.addBytes(int64(n))
}

func (o *objectScan) newSideText(name string, mode OOXMLSideMode, fields []string) *sideText {
	p := memberPath(name)
	if o.container != nil {
		p = *o.container + "/" + p
	}
	return &sideText{o: o, side: NewOOXMLSide(mode, fields), path: p, line: 1}
}

// token takes the next token of the part.
func (t *sideText) token(tok xml.Token) error { return t.side.Token(tok, t.value) }

// value classifies one side value.
func (t *sideText) value(_ int, v []byte, field string) error {
	o := t.o
	prev := o.container
	o.container = &t.path
	defer func() { o.container = prev }()
	var f *classifiers.Field
	if field != "" {
		f = o.w.field(field)
	}
	switch {
	case len(v) > OOXMLMaxSideValue:
		if err := o.scanChunks(NewChunker(bytes.NewReader(v), o.w.cfg.Chunk), newTextEmitter(o, f, t.line, 1), t.off); err != nil {
			return err
		}
	case f != nil:
		// A value of a field is a record of one value, as a CSV cell is
		// of one column: the field's dictionaries apply (佛教 in a column
		// 宗教信仰), which they do not to text.
		t.em = textEmitter{o: o, data: v, base: t.off, line: t.line, col: 1, field: f, rec: -1}
		t.span[0] = classifiers.Span{End: len(v), Field: f, Record: OOXMLSideRecord}
		if err := o.w.sc.ScanRecords(o.ctx, v, t.span[:], false, (*sideRecEm)(t)); err != nil {
			return err
		}
		o.addBytes(len(v))
	default:
		t.em = textEmitter{o: o, data: v, base: t.off, line: t.line, col: 1, rec: -1}
		if err := o.w.sc.ScanText(o.ctx, v, 0, len(v), nil, &t.em); err != nil {
			return err
		}
		o.addBytes(len(v))
	}
	t.off += int64(len(v)) + 1
	t.line += int64(bytes.Count(v, []byte{'\n'})) + 1
	return nil
}

// scanOOXMLSide scans what the readers of a package did not read: its
// side parts (every XML part not in read) and the Office packages
// embedded in it, each as an archive member one container deeper than
// the package (depth), with its own container_path. The object's format
// stays the package's. A part that does not parse is reported malformed
// after the others are read; a limit or cancellation stops the package.
func (o *objectScan) scanOOXMLSide(zr *zip.Reader, read map[*zip.File]bool, depth int) error {
	kind := o.format
	var fields map[*zip.File][]string
	if kind == FormatXLSX {
		fields = OOXMLPivotFields(zr, o.walkXML)
	}
	var bad error
	for i, f := range zr.File {
		if read[f] || !OOXMLSidePart(f.Name) {
			continue
		}
		st := o.newSideText(f.Name, OOXMLSideAll, fields[f])
		if err := o.walkXML(f, st.token); err != nil {
			var unsup *errUnsupported
			if o.ctx.Err() != nil || isLimit(err) || errors.As(err, &unsup) {
				return err
			}
			if bad == nil {
				bad = badFormat(kind, fmt.Sprintf("part %d", i+1), err)
			}
		}
	}
	a := newArchive(kind)
	var err error
	for _, f := range zr.File {
		if !OOXMLEmbedded(f.Name) {
			continue
		}
		err = o.zipMember(a, f, depth)
		o.format = kind
		if err != nil {
			break
		}
	}
	mark := len(o.formats)
	err = o.finishArchive(a, err)
	o.formats = o.formats[:mark] // the package's format, not docx/xlsx
	if err != nil {
		return err
	}
	return bad
}

// firstErr returns the error to report of a reader's and the side
// parts': a limit before anything else, then the reader's.
func firstErr(main, side error) error {
	if main == nil || side != nil && isLimit(side) && !isLimit(main) {
		return side
	}
	return main
}
