package redact

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"sort"

	"github.com/piiscan/piiscan/scanner"
)

// The second pass over a Word or PowerPoint text part (ooxml_text.go):
// the part copied token by token with the edits applied to its text.

// textPart copies one text part, applying the edits that fall in its
// text (which starts at offset start of the stream).
func (o *objRun) textPart(f *zip.File, kind string, start int64, edits []textEdit, w io.Writer) error {
	rc, err := o.openPart(f, kind)
	if err != nil {
		return o.partError(kind, f.Name, err)
	}
	defer rc.Close()
	p := &textRewriter{w: w, pos: start, edits: edits, side: newSideSweep(o, scanner.OOXMLSideText, nil)}
	p.ei = sort.Search(len(edits), func(i int) bool { return edits[i].end > start })
	x := newXMLTokens(o.ctx, rc)
	for {
		tok, raw, err := x.next()
		if errors.Is(err, io.EOF) {
			return p.flushTag()
		}
		if err != nil {
			return o.partError(kind, f.Name, err)
		}
		if err := p.token(tok, raw); err != nil {
			return err
		}
	}
}

// textRewriter is the state of textPart.
type textRewriter struct {
	w      io.Writer
	pos    int64 // stream offset of the next text
	edits  []textEdit
	ei     int // first edit that ends after pos
	inText int
	// a w:t start tag held back until its text is known, in case the
	// text needs xml:space="preserve"
	held   []byte
	heldSE xml.StartElement
	out    []byte
	tmp    []byte
	// elemText is the text of the last element, in the scanner's stream
	elemText []byte
	// side sweeps what is not in the stream: attribute values and the
	// text of other elements (field instructions)
	side *sideSweep
}

func (p *textRewriter) token(tok xml.Token, raw []byte) error {
	if cd, ok := tok.(xml.CharData); ok && p.inText > 0 {
		return p.text(cd, raw)
	}
	if err := p.flushTag(); err != nil {
		return err
	}
	// The offsets count what the scanner's text stream holds for the
	// element.
	p.elemText = scanner.OOXMLAppendText(p.elemText[:0], tok, &p.inText)
	p.pos += int64(len(p.elemText))
	if tk, ok := tok.(xml.StartElement); ok {
		if se, ok := withoutAuthors(tk); ok {
			p.tmp = appendStartTag(p.tmp[:0], se, selfClosing(raw))
			raw, tok = p.tmp, se
		}
	}
	raw, err := p.side.token(tok, raw)
	if err != nil {
		return err
	}
	if tk, ok := tok.(xml.StartElement); ok {
		if (tk.Name.Local == "t" || tk.Name.Local == "delText") && tk.Name.Space == "w" &&
			!selfClosing(raw) && !hasAttr(tk, "xml", "space") {
			p.held = append(p.held[:0], raw...)
			p.heldSE = tk.Copy()
			return nil
		}
	}
	_, err = p.w.Write(raw)
	return err
}

// flushTag writes a held start tag as it was.
func (p *textRewriter) flushTag() error {
	if p.held == nil {
		return nil
	}
	_, err := p.w.Write(p.held)
	p.held = nil
	return err
}

// text writes a text node, with the edits that touch [pos, pos+len).
func (p *textRewriter) text(cd xml.CharData, raw []byte) error {
	a, b := p.pos, p.pos+int64(len(cd))
	p.pos = b
	for p.ei < len(p.edits) && p.edits[p.ei].end <= a {
		p.ei++
	}
	changed := false
	out := p.out[:0]
	cur := a
	for j := p.ei; j < len(p.edits) && p.edits[j].start < b; j++ {
		e := &p.edits[j]
		s, en := max(e.start, a), min(e.end, b)
		out = append(out, cd[cur-a:s-a]...)
		if !e.done {
			out = append(out, e.repl...)
			e.done = true
		}
		cur, changed = en, true
	}
	if !changed {
		if err := p.flushTag(); err != nil {
			return err
		}
		_, err := p.w.Write(raw)
		return err
	}
	out = append(out, cd[cur-a:]...)
	p.out = out
	if p.held != nil {
		tag := p.held
		if n := len(out); n > 0 && (scanner.IsXMLSpace(out[0]) || scanner.IsXMLSpace(out[n-1])) {
			se := p.heldSE
			se.Attr = append(se.Attr[:len(se.Attr):len(se.Attr)], xml.Attr{Name: xml.Name{Space: "xml", Local: "space"}, Value: "preserve"})
			tag = appendStartTag(p.tmp[:0], se, false)
			p.tmp = tag
		}
		p.held = nil
		if _, err := p.w.Write(tag); err != nil {
			return err
		}
	}
	p.tmp = appendXMLEscaped(p.tmp[:0], out, false)
	_, err := p.w.Write(p.tmp)
	return err
}

// withoutAuthors returns a start tag with its w:author and w:initials
// attributes (tracked changes, comments) emptied: they name people, and
// the scanner does not read attributes.
func withoutAuthors(se xml.StartElement) (xml.StartElement, bool) {
	found := false
	for _, a := range se.Attr {
		if a.Name.Space == "w" && (a.Name.Local == "author" || a.Name.Local == "initials") && a.Value != "" {
			found = true
		}
	}
	if !found {
		return se, false
	}
	out := se.Copy()
	for i, a := range out.Attr {
		if a.Name.Space == "w" && (a.Name.Local == "author" || a.Name.Local == "initials") {
			out.Attr[i].Value = ""
		}
	}
	return out, true
}
