package redact

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"path"
	"strings"
)

// The thumbnail of an Office package (docProps/thumbnail.jpeg, .png, .emf
// or .wmf: the first page rendered when the document was saved) is pixels
// of the document's text, which nothing here can rewrite. It is replaced
// by a blank picture of its format (one white pixel, or a metafile that
// draws nothing), so that its relationship and content type stay valid
// and the package opens, and counted as ThumbnailsBlanked. Nothing of the
// document is lost: an application draws a new one when it saves.

// thumbnailKind returns the format of the package's thumbnail part
// (docProps/thumbnail.*, ECMA-376 part 2, the thumbnail relationship's
// usual target): "jpeg", "png", "emf", "wmf", or "" for any other part.
func thumbnailKind(f *zip.File) string {
	dir, base := path.Split(f.Name)
	ext := path.Ext(base)
	if !strings.EqualFold(dir, "docProps/") || !strings.EqualFold(strings.TrimSuffix(base, ext), "thumbnail") {
		return ""
	}
	switch strings.ToLower(ext) {
	case ".jpeg", ".jpg":
		return "jpeg"
	case ".png":
		return "png"
	case ".emf":
		return "emf"
	case ".wmf":
		return "wmf"
	}
	return ""
}

// thumbnailPart writes a blank picture in place of the thumbnail.
func (o *objRun) thumbnailPart(f *zip.File, kind, thumb string, w io.Writer) error {
	if o.w.cfg.Decrypt {
		return o.copyPart(f, kind, w)
	}
	b, err := blankPicture(thumb)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return err
	}
	o.res.ThumbnailsBlanked++
	return nil
}

// blankPicture returns a picture of format thumb that shows nothing: one
// white pixel (JPEG, PNG), or a metafile of a header and its end record
// (EMF, WMF).
func blankPicture(thumb string) ([]byte, error) {
	var buf bytes.Buffer
	px := image.NewGray(image.Rect(0, 0, 1, 1))
	px.SetGray(0, 0, color.Gray{Y: 0xFF})
	le := binary.LittleEndian
	switch thumb {
	case "jpeg":
		if err := jpeg.Encode(&buf, px, nil); err != nil {
			return nil, err
		}
	case "png":
		if err := png.Encode(&buf, px); err != nil {
			return nil, err
		}
	case "emf":
		// [MS-EMF] 2.3.4.2 EMR_HEADER (88 bytes) and 2.3.4.1 EMR_EOF.
		b := make([]byte, 88+20)
		le.PutUint32(b, 1)
		le.PutUint32(b[4:], 88)
		le.PutUint32(b[24:], 0)          // frame: empty
		le.PutUint32(b[40:], 0x464D4520) // " EMF"
		le.PutUint32(b[44:], 0x10000)
		le.PutUint32(b[48:], uint32(len(b)))
		le.PutUint32(b[52:], 2) // records
		le.PutUint16(b[56:], 1) // handles: the zero one
		le.PutUint32(b[72:], 1) // reference device, pixels and mm
		le.PutUint32(b[76:], 1)
		le.PutUint32(b[80:], 1)
		le.PutUint32(b[84:], 1)
		eof := b[88:]
		le.PutUint32(eof, 14)
		le.PutUint32(eof[4:], 20)
		le.PutUint32(eof[12:], 16)
		le.PutUint32(eof[16:], 20)
		buf.Write(b)
	case "wmf":
		// [MS-WMF] 2.3.2.2 META_HEADER (9 words) and 2.3.2.1 META_EOF.
		b := make([]byte, 18+6)
		le.PutUint16(b, 1)
		le.PutUint16(b[2:], 9)
		le.PutUint16(b[4:], 0x0300)
		le.PutUint32(b[6:], uint32(len(b)/2))
		le.PutUint32(b[12:], 3)
		le.PutUint32(b[18:], 3) // META_EOF: 3 words, function 0
		buf.Write(b)
	default:
		return nil, errors.New("blank picture: unknown format " + thumb)
	}
	return buf.Bytes(), nil
}
