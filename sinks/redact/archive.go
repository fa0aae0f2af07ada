package redact

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/piiscan/piiscan/scanner"
)

// Archives are rebuilt with the same members in the same order, each
// rewritten by its own format (nested archives and gzip included, within
// the depth, member and size limits). A member that cannot be rewritten is
// listed in Result.Members and, with CopyUnsupported, copied as it is
// (zip: its compressed bytes); otherwise it is left out. Office documents
// (xlsx, docx, pptx) are zips rewritten as documents (office.go).

// member starts a member: it counts it against the limit and returns its
// path for issues.
func (o *objRun) member(name string) (string, error) {
	o.members++
	if o.members > o.w.cfg.MaxMembers {
		return "", &limitError{msg: fmt.Sprintf("more than %d archive members (--max-members)", o.w.cfg.MaxMembers)}
	}
	return o.memberPath(name), nil
}

// memberPath is the path of a member of the container being rewritten.
func (o *objRun) memberPath(name string) string {
	return o.res.Info.Key + "!" + o.inside + name
}

// memberIssue records a member that was not rewritten.
func (o *objRun) memberIssue(path string, err *unsupportedError, copied bool) {
	st := StatusSkipped
	if copied {
		st = StatusCopied
	}
	o.res.Members = append(o.res.Members, Issue{Object: path, Format: err.format, Status: st,
		Reason: string(scanner.ReasonUnsupported), Error: err.Error()})
}

// rewriteMember rewrites one member; the member's inner formats are not
// added to the object's.
func (o *objRun) rewriteMember(r io.Reader, name string, depth int, w io.Writer) error {
	n := len(o.formats)
	in := o.inside
	o.inside += name + "!"
	err := o.rewrite(r, name, depth, nil, w)
	o.inside = in
	var unsup *unsupportedError
	if errors.As(err, &unsup) && len(o.formats) > n {
		unsup.format = o.formats[len(o.formats)-1]
	}
	o.formats = o.formats[:n]
	return err
}

// ooxmlKind tells an Office Open XML package from a plain zip.
func ooxmlKind(zr *zip.Reader) string {
	for _, f := range zr.File {
		switch f.Name {
		case "xl/workbook.xml":
			return scanner.FormatXLSX
		case "word/document.xml":
			return scanner.FormatDOCX
		case "ppt/presentation.xml":
			return scanner.FormatPPTX
		}
	}
	return scanner.FormatZip
}

func (o *objRun) zip(br *bufio.Reader, file *os.File, name string, depth int, w io.Writer) error {
	if err := o.checkDepth(depth); err != nil {
		o.addFormat(scanner.FormatZip)
		return err
	}
	ra, size, release, err := o.randomAccess(br, file)
	if err != nil {
		o.addFormat(scanner.FormatZip)
		return err
	}
	defer release()
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		o.addFormat(scanner.FormatZip)
		return &malformedError{format: "zip", msg: "cannot read the central directory"}
	}
	kind := ooxmlKind(zr)
	o.addFormat(kind)
	if kind != scanner.FormatZip {
		return o.office(zr, kind, depth, w)
	}
	zw := zip.NewWriter(w)
	comment, err := o.metaText(zr.Comment)
	if err != nil {
		return err
	}
	if err := zw.SetComment(comment); err != nil {
		return err
	}
	book := newNameBook()
	for _, f := range zr.File {
		if err := o.ctx.Err(); err != nil {
			return err
		}
		path, err := o.member(f.Name)
		if err != nil {
			return err
		}
		hdr := memberHeader(f)
		if hdr.Name, err = o.memberName(book, f.Name); err != nil {
			return err
		}
		if hdr.Comment, err = o.metaText(f.Comment); err != nil {
			return err
		}
		if f.FileInfo().IsDir() {
			if _, err := zw.CreateHeader(hdr); err != nil {
				return err
			}
			continue
		}
		switch {
		case f.Mode()&fs.ModeSymlink != 0:
			// A link's data is its target's path, not content: kept as is.
			if err := copyZipMember(zw, f, hdr.Name); err != nil {
				return err
			}
			continue
		case f.Flags&0x1 != 0 || (f.Method != zip.Store && f.Method != zip.Deflate):
			// Encrypted (APPNOTE 4.4.4 bit 0) or a method Go cannot read:
			// left out, or copied as it is with --copy-unsupported.
			copied := o.w.cfg.CopyUnsupported
			o.memberIssue(path, &unsupportedError{format: "encrypted zip member, or an unsupported compression method"}, copied)
			if copied {
				if err := copyZipMember(zw, f, hdr.Name); err != nil {
					return err
				}
			}
			continue
		}
		if err := o.zipMember(zw, f, hdr, path, depth); err != nil {
			return err
		}
	}
	return zw.Close()
}

func (o *objRun) zipMember(zw *zip.Writer, f *zip.File, hdr *zip.FileHeader, path string, depth int) error {
	rc, err := f.Open()
	if err != nil {
		return &malformedError{format: "zip", msg: "cannot open member"}
	}
	defer rc.Close()
	o.unpacked += int64(f.UncompressedSize64)
	if o.unpacked > o.w.cfg.MaxDecodedSize {
		return &limitError{msg: fmt.Sprintf("archive members unpack to over %d bytes (--max-decoded-size)", o.w.cfg.MaxDecodedSize)}
	}
	lim := scanner.LimitDecompression(rc, scanner.FixedCount(int64(f.CompressedSize64)), o.w.cfg.MaxDecodedSize, o.w.cfg.MaxRatio)
	lz := &lazyWriter{create: func() (io.Writer, error) { return zw.CreateHeader(hdr) }}
	err = o.rewriteMember(lim, f.Name, depth+1, lz)
	var unsup *unsupportedError
	switch {
	case errors.As(err, &unsup):
		copied := o.w.cfg.CopyUnsupported
		o.memberIssue(path, unsup, copied)
		if !copied {
			return nil
		}
		return copyZipMember(zw, f, hdr.Name)
	case err != nil:
		return err
	}
	return lz.ensure()
}

// lazyWriter creates its destination on the first write (or at ensure),
// so that a member found unsupported leaves no entry behind.
type lazyWriter struct {
	create func() (io.Writer, error)
	w      io.Writer
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if err := l.ensure(); err != nil {
		return 0, err
	}
	return l.w.Write(p)
}

func (l *lazyWriter) ensure() error {
	if l.w != nil {
		return nil
	}
	w, err := l.create()
	l.w = w
	return err
}

// tar rewrites a tar stream. Each regular member is spooled (encrypted),
// rewritten into a second spool, and written with its new size; other
// entries (folders, links) are copied with their headers.
func (o *objRun) tar(br *bufio.Reader, depth int, w io.Writer) error {
	o.addFormat(scanner.FormatTar)
	if err := o.checkDepth(depth); err != nil {
		return err
	}
	tr := tar.NewReader(br)
	tw := tar.NewWriter(w)
	book := newNameBook()
	for {
		if err := o.ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if o.ctx.Err() != nil {
				return o.ctx.Err()
			}
			return &malformedError{format: "tar", msg: "bad header"}
		}
		path, err := o.member(hdr.Name)
		if err != nil {
			return err
		}
		name := hdr.Name
		if hdr.Name, err = o.memberName(book, name); err != nil {
			return err
		}
		if err := o.tarMeta(hdr); err != nil {
			return err
		}
		switch hdr.Typeflag {
		case tar.TypeLink:
			// A hard link names a member before it: the same name.
			if hdr.Linkname, err = o.memberName(book, hdr.Linkname); err != nil {
				return err
			}
		case tar.TypeSymlink:
			if hdr.Linkname, err = o.memberName(nil, hdr.Linkname); err != nil {
				return err
			}
		}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeGNUSparse:
			hdr.Typeflag = tar.TypeReg
			if err := o.tarMember(tr, tw, hdr, name, path, depth); err != nil {
				return err
			}
		default:
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			if _, err := io.Copy(tw, tr); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

// tarMeta rewrites the free text of a tar header that the scan reads
// (scanner.TarTexts: the owner's user and group names, the PAX comment and
// extended attributes, also in Xattrs), each as a text value (names.go,
// metaText).
func (o *objRun) tarMeta(hdr *tar.Header) error {
	return scanner.TarTexts(hdr, func(_, _, text string) (string, error) { return o.metaText(text) })
}

// tarMember rewrites a regular member read as name (its name in the
// source; hdr holds the one it is written under).
func (o *objRun) tarMember(tr *tar.Reader, tw *tar.Writer, hdr *tar.Header, name, path string, depth int) error {
	o.unpacked += hdr.Size
	if o.unpacked > o.w.cfg.MaxDecodedSize {
		return &limitError{msg: fmt.Sprintf("archive members unpack to over %d bytes (--max-decoded-size)", o.w.cfg.MaxDecodedSize)}
	}
	in, err := o.spool(tr)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := scanner.NewTempSpool(o.w.cfg.TempDir)
	if err != nil {
		return err
	}
	defer out.Close()
	err = o.rewriteMember(in.Reader(), name, depth+1, out)
	var unsup *unsupportedError
	src := out
	switch {
	case errors.As(err, &unsup):
		o.memberIssue(path, unsup, o.w.cfg.CopyUnsupported)
		if !o.w.cfg.CopyUnsupported {
			return nil
		}
		src = in
	case err != nil:
		return err
	}
	if err := src.Seal(); err != nil {
		return err
	}
	h := *hdr
	h.Size = src.Size()
	delete(h.PAXRecords, "size")
	if err := tw.WriteHeader(&h); err != nil {
		return err
	}
	_, err = io.Copy(tw, src.Reader())
	return err
}

// spool copies r into a sealed encrypted spool.
func (o *objRun) spool(r io.Reader) (*scanner.TempSpool, error) {
	sp, err := scanner.NewTempSpool(o.w.cfg.TempDir)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(sp, r); err != nil {
		sp.Close()
		if o.ctx.Err() != nil {
			return nil, o.ctx.Err()
		}
		return nil, err
	}
	if err := sp.Seal(); err != nil {
		sp.Close()
		return nil, err
	}
	return sp, nil
}
