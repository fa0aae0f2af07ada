package redact

import (
	"archive/zip"
	"io"

	"github.com/piiscan/piiscan/scanner"
)

// The document properties of an Office package (docProps/core.xml, Dublin
// Core; docProps/app.xml, extended properties) name people: the author
// (dc:creator), who saved it last (cp:lastModifiedBy) and the manager. No
// detector can tell a name in a field of its own, so these are emptied;
// the other properties (title, subject, description, keywords, category,
// the titles of parts) are side values as in any other part, replaced as
// the scanner classifies them (ooxml_side.go).

// personProps are the property elements emptied whatever they hold.
var personProps = map[string]bool{"creator": true, "lastModifiedBy": true, "Manager": true}

// docProps adds to rw the parts of zr that rw does not rewrite yet: the
// ones the scanner reads as side parts, to be swept (ooxml_side.go), the
// Office packages embedded in zr, to be rewritten one container deeper,
// the parts no rewriter reads, to be emptied (office_opaque.go), the
// pictures, to lose their metadata (imagemeta.go), the metafiles and SVG
// pictures, to have their text swept (metafile.go), and the thumbnail, to
// be blanked (thumbnail.go).
func (o *objRun) docProps(zr *zip.Reader, kind string, rw map[*zip.File]officePart) {
	var fields map[*zip.File][]string
	if kind == scanner.FormatXLSX {
		fields = scanner.OOXMLPivotFields(zr, o.walkPart)
	}
	for _, f := range zr.File {
		switch {
		case rw[f] != nil:
		case f.Name == "docProps/core.xml" || f.Name == "docProps/app.xml":
			rw[f] = func(w io.Writer) error { return o.sweepPart(f, kind, nil, personProps, w) }
		case thumbnailKind(f) != "":
			thumb := thumbnailKind(f)
			rw[f] = func(w io.Writer) error { return o.thumbnailPart(f, kind, thumb, w) }
		case scanner.OOXMLSidePart(f.Name):
			rw[f] = func(w io.Writer) error { return o.sweepPart(f, kind, fields[f], personText, w) }
		case scanner.OOXMLEmbedded(f.Name):
			depth := o.officeDepth + 1
			rw[f] = func(w io.Writer) error { return o.embeddedPart(f, kind, depth, w) }
		case scanner.OfficeOpaquePart(f.Name):
			rw[f] = func(w io.Writer) error { return o.opaquePart(f, kind, w) }
		case scanner.OfficeMediaText(f.Name) == "svg":
			rw[f] = func(w io.Writer) error { return o.sweepPart(f, kind, nil, nil, w) }
		case scanner.OfficeMediaText(f.Name) != "":
			media := scanner.OfficeMediaText(f.Name)
			rw[f] = func(w io.Writer) error { return o.metafilePart(f, kind, media, w) }
		case imageKind(f) != "":
			img := imageKind(f)
			rw[f] = func(w io.Writer) error { return o.imagePart(f, kind, img, w) }
		}
	}
}
