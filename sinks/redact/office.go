package redact

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"

	"github.com/piiscan/piiscan/scanner"
)

// Office Open XML packages (ECMA-376 part 2) are zips; they are rebuilt
// with the same members in the same order. The parts the scanner reads
// are rewritten (xlsx.go, ooxml_text.go), and so are the document
// properties (docprops.go); the other XML parts (relationships, comments,
// pivot caches, charts, ...) have their values swept (ooxml_side.go), and
// Office packages embedded in it (the workbook behind a chart of a Word
// document or a deck: word/embeddings/*.xlsx) are rewritten as packages
// of their own, one container deeper; every other member (media, other
// embedded binaries) is copied byte for byte, compressed bytes included.

// officePart rewrites one member into w.
type officePart func(w io.Writer) error

// office rewrites an xlsx, docx or pptx package at container depth depth.
func (o *objRun) office(zr *zip.Reader, kind string, depth int, w io.Writer) error {
	defer func(d int) { o.officeDepth = d }(o.officeDepth)
	o.officeDepth = depth
	for _, f := range zr.File {
		if f.Flags&0x1 != 0 || (f.Method != zip.Store && f.Method != zip.Deflate) {
			// Encrypted (APPNOTE 4.4.4 bit 0) or a method Go cannot read;
			// nothing has been written yet.
			return &unsupportedError{format: "encrypted or unreadable " + kind}
		}
	}
	if kind == scanner.FormatXLSX {
		return o.xlsx(zr, w)
	}
	return o.ooxmlText(zr, kind, w)
}

// rebuildZip writes zr's members to w in order: those in parts through
// their rewriter (same name, method, times and attributes), the others
// copied as they are.
func (o *objRun) rebuildZip(zr *zip.Reader, parts map[*zip.File]officePart, w io.Writer) error {
	zw := zip.NewWriter(w)
	if err := zw.SetComment(zr.Comment); err != nil {
		return err
	}
	for _, f := range zr.File {
		if err := o.ctx.Err(); err != nil {
			return err
		}
		if _, err := o.member(f.Name); err != nil {
			return err
		}
		rw, ok := parts[f]
		if !ok {
			if err := copyZipMember(zw, f, f.Name); err != nil {
				return err
			}
			continue
		}
		mw, err := zw.CreateHeader(memberHeader(f))
		if err != nil {
			return err
		}
		if err := rw(mw); err != nil {
			return err
		}
	}
	return zw.Close()
}

// memberHeader is the header of a rewritten member: the original's but
// for sizes and checksum.
func memberHeader(f *zip.File) *zip.FileHeader {
	return &zip.FileHeader{Name: f.Name, Comment: f.Comment, NonUTF8: f.NonUTF8, Method: f.Method,
		Modified: f.Modified, ExternalAttrs: f.ExternalAttrs, CreatorVersion: f.CreatorVersion}
}

// copyZipMember copies a member's compressed bytes and header, under
// name.
func copyZipMember(zw *zip.Writer, f *zip.File, name string) error {
	raw, err := f.OpenRaw()
	if err != nil {
		return &malformedError{format: "zip", msg: "cannot open member"}
	}
	fh := f.FileHeader
	fh.Name = name
	mw, err := zw.CreateRaw(&fh)
	if err != nil {
		return err
	}
	_, err = io.Copy(mw, raw)
	return err
}

// openPart opens a member for reading within the size and ratio limits.
func (o *objRun) openPart(f *zip.File, kind string) (io.ReadCloser, error) {
	o.unpacked += int64(f.UncompressedSize64)
	if o.unpacked > o.w.cfg.MaxDecodedSize {
		return nil, &limitError{msg: fmt.Sprintf("%s parts unpack to over %d bytes (--max-decoded-size)", kind, o.w.cfg.MaxDecodedSize)}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &malformedError{format: kind, msg: "cannot open part"}
	}
	comp := int64(f.CompressedSize64)
	if f.Method == zip.Store {
		comp = 0 // stored: nothing to judge a ratio on
	}
	lim := scanner.LimitDecompression(rc, scanner.FixedCount(comp), o.w.cfg.MaxDecodedSize, o.w.cfg.MaxRatio)
	return struct {
		io.Reader
		io.Closer
	}{lim, rc}, nil
}

// partError turns a part's read error into the object's: limits and
// cancellation as they are, anything else malformed.
func (o *objRun) partError(kind, part string, err error) error {
	if err == nil {
		return nil
	}
	if o.ctx.Err() != nil {
		return o.ctx.Err()
	}
	var we *writeError
	var unsup *unsupportedError
	var mal *malformedError
	switch {
	case isLimit(err), errors.As(err, &we), errors.As(err, &unsup):
		return err
	case errors.As(err, &mal):
		return &malformedError{format: kind, off: mal.off, msg: "part " + scanner.SafeText(part) + ": " + mal.msg}
	}
	return &malformedError{format: kind, msg: "part " + scanner.SafeText(part) + " cannot be read"}
}
