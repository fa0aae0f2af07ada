package scanner

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"io"
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
// are pixels, which no scan reads anywhere (no OCR), and metafile and SVG
// pictures keep their text as characters, which is read (ooxml_media.go);
// nor are printer settings (printerSettings*.bin: a DEVMODE structure,
// the printer and paper, not the document's content) or embedded fonts
// (glyphs).

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

// maxEmptyCFB bounds the bytes read to tell an empty Compound File.
const maxEmptyCFB = 64 << 10

// emptyOpaquePart reports a part that holds nothing: no bytes, or a
// Compound File of at most three sectors (header, FAT, directory) whose
// root storage has no child and whose other directory entries are unused
// ([MS-CFB] 2.6: the root entry, the first of the first directory sector,
// has no child when the file holds no storage or stream at all; the size
// leaves no room for the sectors of a deleted stream). Such is what the
// redact writer leaves of an OLE object, so that its copy is not reported
// partial for a part it emptied. Anything else, or a part that cannot be
// read, is not empty.
func emptyOpaquePart(f *zip.File) bool {
	if f.UncompressedSize64 > maxEmptyCFB || f.Flags&0x1 != 0 || (f.Method != zip.Store && f.Method != zip.Deflate) {
		return false
	}
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	// The reader fails a member whose bytes are not its declared size.
	b, err := io.ReadAll(io.LimitReader(rc, maxEmptyCFB+1))
	if err != nil || len(b) > maxEmptyCFB {
		return false
	}
	if len(b) == 0 {
		return true
	}
	if len(b) < 512 || string(b[:8]) != CFBSignature {
		return false
	}
	le := binary.LittleEndian
	shift := le.Uint16(b[30:])
	if shift != 9 && shift != 12 {
		return false
	}
	sector := int64(1) << shift
	if int64(len(b)) > 3*sector {
		return false // room for more than the header, a FAT and a directory sector
	}
	dir := (int64(le.Uint32(b[48:])) + 1) * sector // sector n starts after the header sector
	if dir+sector > int64(len(b)) {
		return false
	}
	root := b[dir : dir+128]
	if root[66] != 5 || le.Uint32(root[76:]) != 0xFFFFFFFF {
		return false
	}
	for e := dir + 128; e < dir+sector; e += 128 {
		if b[e+66] != 0 || le.Uint16(b[e+64:]) != 0 {
			return false // another entry is in use, or keeps a name
		}
	}
	return true
}

// CFBSignature opens every Compound File ([MS-CFB] 2.2): an OLE object,
// a legacy .doc or .xls.
const CFBSignature = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

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
		if OfficeOpaquePart(f.Name) && !emptyOpaquePart(f) {
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
