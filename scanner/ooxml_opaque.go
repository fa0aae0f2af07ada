package scanner

import (
	"archive/zip"
	"fmt"
	"path"
	"strings"
)

// An Office package can hold parts that no decoder reads and whose
// content is unknown: OLE objects (word/embeddings/oleObject1.bin, a
// Compound File Binary container holding a legacy .doc or .xls, or an
// \x01Ole10Native stream with an attached file such as a CSV), legacy
// documents embedded as they are (.doc, .xls, .ppt), the macros of a
// macro-enabled document (vbaProject.bin, whose string literals are
// text), the persisted state of ActiveX controls (a text box's value),
// and the signature of a macro project (a certificate naming its signer).
// Like an encrypted zip member (zip.go), they make the document partial
// with reason unsupported_format rather than complete with nothing read
// from them: what they hold is unknown. Media are not among them: images
// are pixels, which no scan reads anywhere (no OCR); nor are printer
// settings (printerSettings*.bin: a DEVMODE structure, the printer and
// paper, not the document's content) or embedded fonts (glyphs).

// OfficeOpaquePart reports whether the member name of an Office package is
// such a part. The redact writer replaces their bytes with inert ones
// (sinks/redact office_opaque.go), so scan and redact agree on them.
func OfficeOpaquePart(name string) bool {
	if strings.HasSuffix(name, "/") {
		return false // a folder entry
	}
	low := strings.ToLower(name)
	switch path.Ext(low) {
	case ".xml", ".rels", ".vml":
		return false // XML: read or swept as text
	case ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".pptm":
		if underFolder(low, "embeddings") {
			return false // an Office package: rewritten as one by redact
		}
	case ".bin":
		return !underFolder(low, "printersettings")
	}
	return underFolder(low, "embeddings") || underFolder(low, "activex")
}

// underFolder reports whether the lower-case member name has a folder
// named dir on its path.
func underFolder(low, dir string) bool {
	return strings.HasPrefix(low, dir+"/") || strings.Contains(low, "/"+dir+"/")
}

// officeOpaque makes the result err of an Office package's scan partial
// when the package holds parts no decoder reads (OfficeOpaquePart). An
// error already there (a malformed part, a limit) keeps its reason and the
// unread parts become a note. The text counts parts and never names them:
// member names are content.
func (o *objectScan) officeOpaque(zr *zip.Reader, kind string, err error) error {
	n := 0
	for _, f := range zr.File {
		if OfficeOpaquePart(f.Name) {
			n++
		}
	}
	if n == 0 {
		return err
	}
	msg := fmt.Sprintf("%d embedded object(s) of the %s not scanned (OLE objects, macros or ActiveX data: binary parts whose content is unknown)", n, kind)
	if err != nil {
		o.note(o.where() + ": " + msg)
		return err
	}
	return &errNotRead{msg: msg}
}
