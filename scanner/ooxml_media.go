package scanner

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Pictures are pixels, which no scan reads (ooxml_opaque.go), but two
// kinds of picture an Office package holds keep their text as characters:
// metafiles (.emf, .wmf: the preview of an embedded spreadsheet or chart,
// a graphic pasted from a Windows program, the thumbnail of the first
// page), whose text records are read by MetafileText, and SVG pictures
// (modern icons, pasted graphics), which are XML. Their text is scanned
// after the document's, part by part in package order, each value on its
// own, as the redact writer sweeps it: a metafile's text runs, an SVG's character data and attribute values (but namespace
// declarations). A finding's container_path is the part's name
// (word/media/image1.emf; after the object's own container path when the
// package is an archive member), and `line` and `byte_offset` count the
// part's values as if they were written one per line, as for a side part
// (ooxml_side_scan.go), whose reader classifies them.
//
// A metafile that does not parse, or is larger than MaxMetafileSize, is
// not read: the package is partial (unsupported_format) as for an OLE
// object, and the redact writer empties it. An empty part (what redact
// leaves of one) holds nothing.

// OfficeMediaText reports whether the member name of an Office package
// is a picture whose text is scanned: "emf", "wmf" or "svg", or "".
func OfficeMediaText(name string) string {
	if strings.HasSuffix(name, "/") {
		return ""
	}
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".emf", ".wmf", ".svg":
		return ext[1:]
	}
	return ""
}

// officeMedia scans the text of the metafiles and SVG pictures of an
// Office package of format kind, after its document's scan returned err.
func (o *objectScan) officeMedia(zr *zip.Reader, kind string, err error) error {
	if err != nil && (o.ctx.Err() != nil || isLimit(err)) {
		return err
	}
	prevFormat := o.format
	defer func() { o.format = prevFormat }()
	o.format = kind
	unread := 0
	for _, f := range zr.File {
		media := OfficeMediaText(f.Name)
		if media == "" {
			continue
		}
		var perr error
		if media == "svg" {
			perr = o.scanSVG(f)
		} else {
			perr = o.scanMetafile(f)
		}
		switch {
		case perr == nil:
		case o.ctx.Err() != nil || isLimit(perr):
			return perr
		case errors.Is(perr, ErrBadMetafile) || errors.Is(perr, errMetafileSize):
			unread++
		case err == nil:
			err = badFormat(kind, media+" picture", perr)
		}
	}
	if unread == 0 {
		return err
	}
	msg := fmt.Sprintf("%d metafile picture(s) of the %s not scanned (they do not parse, or are over %d bytes)", unread, kind, MaxMetafileSize)
	if err != nil {
		o.note(o.where() + ": " + msg)
		return err
	}
	return &errNotRead{msg: msg}
}

// errMetafileSize is a metafile over MaxMetafileSize.
var errMetafileSize = errors.New("metafile too large")

// scanMetafile scans the text runs of a metafile part.
func (o *objectScan) scanMetafile(f *zip.File) error {
	if f.UncompressedSize64 > MaxMetafileSize {
		return errMetafileSize
	}
	rc, err := o.partReader(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, MaxMetafileSize+1))
	if err != nil {
		return err
	}
	switch {
	case len(data) == 0:
		return nil // what redact leaves of one that does not parse
	case len(data) > MaxMetafileSize:
		return errMetafileSize
	}
	st := o.newSideText(f.Name, OOXMLSideAll, nil)
	var text []byte
	return MetafileText(data, func(r MetafileRun) error {
		text, _ = AppendRunText(text[:0], nil, data, r)
		if len(bytes.TrimSpace(text)) == 0 {
			return nil
		}
		if err := o.ctx.Err(); err != nil {
			return err
		}
		return st.value(0, text, "")
	})
}

// scanSVG scans the character data and attribute values of an SVG part
// as those of a side part (OOXMLSide).
func (o *objectScan) scanSVG(f *zip.File) error {
	return o.walkXML(f, o.newSideText(f.Name, OOXMLSideAll, nil).token)
}
