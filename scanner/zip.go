package scanner

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"sort"
)

// unzip scans a zip archive, or the Office document (xlsx, docx, pptx) it
// is. A zip needs random access to its central directory: see
// randomAccess. Members are scanned in central-directory order, each as
// its own stream (container_path = member path); nested archives recurse
// within the depth, size, ratio and member limits.
func (o *objectScan) unzip(in *input) error {
	if err := o.checkDepth(in.depth); err != nil {
		o.formats = append(o.formats, FormatZip)
		return err
	}
	ra, size, release, err := o.randomAccess(in)
	if err != nil {
		o.formats = append(o.formats, FormatZip)
		return err
	}
	defer release()
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		o.formats = append(o.formats, FormatZip)
		return o.claimed(in.name, FormatZip, badFormat(FormatZip, "cannot read the central directory", err))
	}
	kind := ooxmlKind(zr)
	o.formats = append(o.formats, kind)
	switch kind {
	case FormatXLSX:
		return o.claimed(in.name, kind, o.officeOpaque(zr, kind, o.officeMedia(zr, kind, o.scanXLSX(zr, in.depth))))
	case FormatDOCX, FormatPPTX:
		return o.claimed(in.name, kind, o.officeOpaque(zr, kind, o.officeMedia(zr, kind, o.scanOOXMLText(zr, kind, in.depth))))
	}
	return o.claimed(in.name, kind, o.zipMembers(zr, in.depth))
}

// ooxmlKind tells an Office Open XML package (ECMA-376 part 2) from a plain
// zip by its main part.
func ooxmlKind(zr *zip.Reader) string {
	for _, f := range zr.File {
		switch f.Name {
		case "xl/workbook.xml":
			return FormatXLSX
		case "word/document.xml":
			return FormatDOCX
		case "ppt/presentation.xml":
			return FormatPPTX
		}
	}
	return FormatZip
}

// zipMembers scans the members of a zip archive.
func (o *objectScan) zipMembers(zr *zip.Reader, depth int) error {
	if err := o.archiveText(FormatZip, FieldZipComment, "", "", zr.Comment); err != nil {
		return err
	}
	if err := o.zipOverlap(zr); err != nil {
		return err
	}
	a := newArchive(FormatZip)
	var err error
	for _, f := range zr.File {
		// A member's comment is in the central directory: read for every
		// entry, folders and members whose bytes are out of reach too.
		if err = o.archiveText(FormatZip, FieldZipMemberComment, "", f.Name, f.Comment); err != nil {
			break
		}
		if f.FileInfo().IsDir() {
			if err = o.entryNames(f.Name, ""); err != nil { // a folder's name
				break
			}
			continue
		}
		if err = o.zipMember(a, f, depth); err != nil {
			break
		}
	}
	return o.finishArchive(a, err)
}

// zipMember scans one member, after the checks its header allows.
func (o *objectScan) zipMember(a *archive, f *zip.File, depth int) error {
	if err := o.ctx.Err(); err != nil {
		return err
	}
	if f.Flags&0x1 != 0 || (f.Method != zip.Store && f.Method != zip.Deflate) {
		// Encrypted (APPNOTE 4.4.4 bit 0) or a method Go cannot read:
		// the bytes themselves are out of reach.
		a.index++
		a.unread++
		return nil
	}
	comp := int64(f.CompressedSize64)
	if comp < 0 || f.UncompressedSize64 > 1<<62 {
		a.index++
		a.keep(&errMalformed{format: FormatZip, msg: fmt.Sprintf("member %d: impossible sizes", a.index)})
		return nil
	}
	// The declared sizes already show a bomb: do not inflate it at all.
	if r := o.w.cfg.MaxRatio; f.Method == zip.Deflate && f.UncompressedSize64 > ratioAfter &&
		int64(f.UncompressedSize64)/max(comp, 1) > r {
		a.index++
		a.keep(&errLimit{msg: fmt.Sprintf("zip member %d: compression ratio over %d (--max-ratio)", a.index, r)})
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		a.index++
		a.keep(badFormat(FormatZip, fmt.Sprintf("member %d", a.index), err))
		return nil
	}
	defer rc.Close()
	if f.Method == zip.Store {
		comp = 0 // stored: nothing to judge a ratio on
	}
	return o.member(a, rc, f.Name, comp, depth)
}

// zipOverlap refuses archives whose members' data overlap: the "better
// zip bomb" (Fifield, 2019) makes many members share one deflate stream,
// reaching ratios of millions to one with sizes that all look modest.
func (o *objectScan) zipOverlap(zr *zip.Reader) error {
	type span struct{ start, end int64 }
	spans := make([]span, 0, len(zr.File))
	for i, f := range zr.File {
		if i&0x3ff == 0 {
			if err := o.ctx.Err(); err != nil {
				return err
			}
		}
		if int64(len(spans)) > o.w.cfg.MaxMembers {
			break // the member limit stops the scan anyway
		}
		off, err := f.DataOffset()
		if err != nil {
			continue // reported when the member is opened
		}
		spans = append(spans, span{off, off + int64(f.CompressedSize64)})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return &errLimit{msg: "zip members overlap (a zip bomb); not unpacked"}
		}
	}
	return nil
}

// zipPart opens a part of an Office package by name, nil when absent.
func zipPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// errNoPart is an Office package without a part it needs.
var errNoPart = errors.New("a required part is missing")

// partReader opens a part for streaming, bounded like an archive member.
func (o *objectScan) partReader(f *zip.File) (io.ReadCloser, error) {
	if f.Flags&0x1 != 0 || (f.Method != zip.Store && f.Method != zip.Deflate) {
		return nil, &errUnsupported{format: "encrypted office document"}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	comp := int64(f.CompressedSize64)
	if f.Method == zip.Store {
		comp = 0
	}
	return struct {
		io.Reader
		io.Closer
	}{&memberReader{o: o, r: rc, comp: comp}, rc}, nil
}
