package redact

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"

	"github.com/piiscan/piiscan/scanner"
)

// The document properties of an Office package (docProps/core.xml, Dublin
// Core; docProps/app.xml, extended properties) are not read by the
// scanner but name people: the author (dc:creator), who saved it last
// (cp:lastModifiedBy) and the manager. No detector can tell a name in a
// field of its own, so these are emptied; the other properties (title,
// subject, description, keywords, category, the titles of parts) go
// through the engine as text, each value on its own.

// personProps are the property elements emptied whatever they hold.
var personProps = map[string]bool{"creator": true, "lastModifiedBy": true, "Manager": true}

// docProps adds the property parts of zr to rw, every other XML part
// that rw does not rewrite yet, to be swept (ooxml_side.go), the parts no
// rewriter reads, to be emptied (office_opaque.go), and the pictures, to
// lose their metadata (imagemeta.go).
func (o *objRun) docProps(zr *zip.Reader, kind string, rw map[*zip.File]officePart) {
	for _, f := range zr.File {
		switch {
		case rw[f] != nil:
		case f.Name == "docProps/core.xml" || f.Name == "docProps/app.xml":
			rw[f] = func(w io.Writer) error { return o.propsPart(f, kind, w) }
		case sidePart(f):
			rw[f] = func(w io.Writer) error { return o.sweepPart(f, kind, w) }
		case embeddedPackage(f):
			depth := o.officeDepth + 1
			rw[f] = func(w io.Writer) error { return o.embeddedPart(f, kind, depth, w) }
		case scanner.OfficeOpaquePart(f.Name):
			rw[f] = func(w io.Writer) error { return o.opaquePart(f, kind, w) }
		case imageKind(f) != "":
			img := imageKind(f)
			rw[f] = func(w io.Writer) error { return o.imagePart(f, kind, img, w) }
		}
	}
}

// propsPart copies a properties part with its values rewritten.
func (o *objRun) propsPart(f *zip.File, kind string, w io.Writer) error {
	rc, err := o.openPart(f, kind)
	if err != nil {
		return o.partError(kind, f.Name, err)
	}
	defer rc.Close()
	x := newXMLTokens(o.ctx, rc)
	var stack []string
	var buf []byte
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
			stack = append(stack, tk.Name.Local)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) == 0 {
				break
			}
			if personProps[stack[len(stack)-1]] {
				continue // emptied
			}
			edits, err := o.w.ed.text(o.ctx, tk, 0, len(tk))
			if err != nil {
				return err
			}
			if len(edits) > 0 {
				buf = splice(buf[:0], tk, edits)
				raw = appendXMLEscaped(nil, buf, false)
			}
		}
		if _, err := w.Write(raw); err != nil {
			return err
		}
	}
}
