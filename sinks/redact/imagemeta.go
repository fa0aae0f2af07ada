package redact

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"path"
	"strings"
)

// Pictures in an Office package are kept: they are pixels, which neither
// scan nor redact reads (no OCR). Their metadata is another matter: a
// photo taken with a phone and pasted into a document keeps its Exif
// block, with the GPS position where it was taken (whereabouts, PIPL Art.
// 28), the camera's owner and serial number, and often an XMP packet with
// the same and a person's name. That is text no detector reads in a field
// of its own, so it is removed, as the document properties' authors are:
//
//   - JPEG (ITU-T T.81, JFIF, Exif 2.3): APP1 (Exif, XMP), APP3 to APP13
//     (IPTC and Photoshop data, vendor blocks), APP15 and comments are
//     dropped; APP0 (JFIF), the ICC profile (APP2 "ICC_PROFILE") and APP14
//     (Adobe colour transform) stay, as they are needed to show the
//     picture; the Exif orientation is kept in a minimal Exif block of
//     its own, so a photo is not shown turned. Bytes after the end of the
//     image (the secondary images of a multi-picture file, each with its
//     own Exif) are dropped, and so is the APP2 index of them.
//   - PNG (ISO/IEC 15948): the eXIf, tEXt, zTXt and iTXt chunks (XMP is
//     an iTXt chunk) are dropped, and bytes after IEND.
//
// Written by hand: the segment and chunk walk is what every lossless
// stripper does, and no maintained Go library does it for the whole set
// (go-exif-remove, unchanged since 2023, overwrites the Exif block only
// and keeps XMP and IPTC; the others decode and re-encode the pixels).
//
// A picture that does not parse as a JPEG or a PNG cannot be shown to
// hold no metadata: it is handled as an opaque part (office_opaque.go),
// its bytes dropped and listed. Standalone pictures are not rewritten
// (unsupported_format: skipped, or with --copy-unsupported copied as they
// are, as every format the writer cannot rewrite).

// errBadImage is a picture that does not parse.
var errBadImage = errors.New("picture does not parse")

// imageKind returns "jpeg" or "png" for a part whose name says it is one
// (the signature decides how it is read).
func imageKind(f *zip.File) string {
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".jpg", ".jpeg", ".jpe", ".jfif":
		return "jpeg"
	case ".png":
		return "png"
	}
	return ""
}

// imagePart copies a picture without its metadata. The picture is read
// twice: first to check that it parses, so that nothing is written of one
// that does not (its bytes are then dropped), then to write it.
func (o *objRun) imagePart(f *zip.File, kind, img string, w io.Writer) error {
	if o.w.cfg.Decrypt {
		return o.copyPart(f, kind, w)
	}
	pass := func(w *bufio.Writer) (bool, error) {
		rc, err := o.openPart(f, kind)
		if err != nil {
			return false, o.partError(kind, f.Name, err)
		}
		defer rc.Close()
		removed, err := stripImage(bufio.NewReaderSize(rc, 32<<10), w)
		if err != nil && !errors.Is(err, errBadImage) {
			return false, o.partError(kind, f.Name, err)
		}
		return removed, err
	}
	o.unpacked -= int64(f.UncompressedSize64) // the check pass is not counted twice
	_, err := pass(bufio.NewWriter(io.Discard))
	if errors.Is(err, errBadImage) {
		return o.dropPart(f, kind, img, "picture that does not parse, so its metadata cannot be removed", w)
	}
	if err != nil {
		return err
	}
	return bufferedPart(w, func(bw *bufio.Writer) error {
		removed, err := pass(bw)
		if err != nil {
			return err
		}
		if removed {
			o.res.ImagesStripped++
		}
		return nil
	})
}

// stripImage strips a JPEG or a PNG, told by its signature rather than
// by its part's name.
func stripImage(r *bufio.Reader, w *bufio.Writer) (bool, error) {
	head, err := r.Peek(len(pngSignature))
	switch {
	case bytes.Equal(head, pngSignature):
		return stripPNG(r, w)
	case len(head) >= 2 && head[0] == 0xFF && head[1] == jpegSOI:
		return stripJPEG(r, w)
	case err != nil:
		return false, imageErr(err)
	}
	return false, errBadImage
}

// JPEG markers (ITU-T T.81 table B.1).
const (
	jpegSOI  = 0xD8
	jpegEOI  = 0xD9
	jpegSOS  = 0xDA
	jpegAPP0 = 0xE0
	jpegAPP1 = 0xE1
	jpegAPP2 = 0xE2
	jpegAP14 = 0xEE
	jpegCOM  = 0xFE
)

// jpegDrop reports whether a segment is metadata to drop.
func jpegDrop(marker byte, payload []byte) bool {
	switch {
	case marker == jpegAPP0 || marker == jpegAP14:
		return false
	case marker == jpegAPP2:
		return !bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00"))
	case marker >= jpegAPP1 && marker <= 0xEF, marker == jpegCOM:
		return true
	}
	return false
}

// stripJPEG copies a JPEG from r to w without its metadata segments and
// reports whether it removed any. It returns errBadImage for bytes that
// are not a JPEG stream.
func stripJPEG(r *bufio.Reader, w *bufio.Writer) (bool, error) {
	var soi [2]byte
	if _, err := io.ReadFull(r, soi[:]); err != nil {
		return false, imageErr(err)
	}
	if soi != [2]byte{0xFF, jpegSOI} {
		return false, errBadImage
	}
	w.Write(soi[:])
	removed := false
	var payload []byte
	var next byte // a marker the entropy-coded data ended at
	for {
		m := next
		if m == 0 {
			var err error
			if m, err = jpegMarker(r); err != nil {
				return false, err
			}
		}
		next = 0
		switch {
		case m == jpegEOI:
			w.Write([]byte{0xFF, m})
			// Anything after the image (secondary images, trailers) is dropped.
			if _, err := r.ReadByte(); err == nil {
				removed = true
			}
			return removed, nil
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			w.Write([]byte{0xFF, m}) // markers without a length
			continue
		}
		var lb [2]byte
		if _, err := io.ReadFull(r, lb[:]); err != nil {
			return false, imageErr(err)
		}
		n := int(binary.BigEndian.Uint16(lb[:])) - 2
		if n < 0 {
			return false, errBadImage
		}
		if cap(payload) < n {
			payload = make([]byte, n)
		}
		payload = payload[:n]
		if _, err := io.ReadFull(r, payload); err != nil {
			return false, imageErr(err)
		}
		if jpegDrop(m, payload) {
			removed = true
			if m == jpegAPP1 {
				if o := exifOrientation(payload); o > 1 {
					w.Write(orientationAPP1(o))
				}
			}
			continue
		}
		w.Write([]byte{0xFF, m})
		w.Write(lb[:])
		w.Write(payload)
		if m == jpegSOS {
			var err error
			if next, err = jpegScan(r, w); err != nil {
				return false, err
			}
		}
	}
}

// jpegMarker reads the next marker code, after any fill bytes (0xFF).
func jpegMarker(r *bufio.Reader) (byte, error) {
	b, err := r.ReadByte()
	if err != nil {
		return 0, imageErr(err)
	}
	if b != 0xFF {
		return 0, errBadImage
	}
	return jpegCode(r)
}

// jpegCode reads a marker's code once its first 0xFF is read, skipping
// fill bytes.
func jpegCode(r *bufio.Reader) (byte, error) {
	for {
		b, err := r.ReadByte()
		if err != nil {
			return 0, imageErr(err)
		}
		switch b {
		case 0xFF: // fill
		case 0:
			return 0, errBadImage
		default:
			return b, nil
		}
	}
}

// jpegScan copies entropy-coded data up to the next marker that is not a
// stuffed 0xFF00 or a restart marker, and returns that marker's code.
func jpegScan(r *bufio.Reader, w *bufio.Writer) (byte, error) {
	for {
		b, err := r.ReadByte()
		if err != nil {
			return 0, imageErr(err)
		}
		if b != 0xFF {
			w.WriteByte(b)
			continue
		}
		c, err := r.ReadByte()
		for err == nil && c == 0xFF { // fill bytes before a marker
			c, err = r.ReadByte()
		}
		if err != nil {
			return 0, imageErr(err)
		}
		if c == 0 || (c >= 0xD0 && c <= 0xD7) { // a stuffed 0xFF, a restart marker
			w.WriteByte(0xFF)
			w.WriteByte(c)
			continue
		}
		return c, nil
	}
}

// imageErr is a read error of a picture: its end where more was due is a
// picture that does not parse; any other error (a limit) is itself.
func imageErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errBadImage
	}
	return err
}

// exifOrientation returns the Orientation tag (0x0112) of IFD0 of an
// APP1 Exif payload, 0 when there is none (Exif 2.3 section 4.6).
func exifOrientation(p []byte) int {
	if !bytes.HasPrefix(p, []byte("Exif\x00\x00")) {
		return 0
	}
	t := p[6:]
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > int64(len(t)) {
		return 0
	}
	n := int64(bo.Uint16(t[off:]))
	for i := int64(0); i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 0
		}
	}
	return 0
}

// orientationAPP1 is an APP1 Exif segment holding only an orientation: a
// big-endian TIFF header and IFD0 with one SHORT entry, no next IFD.
func orientationAPP1(o int) []byte {
	return []byte{0xFF, jpegAPP1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0, 42, 0, 0, 0, 8, // TIFF header, IFD0 at 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, // Orientation, SHORT, 1
		0, 0, 0, 0} // no next IFD
}

// pngSignature opens every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// pngDrop are the chunks that hold metadata text.
var pngDrop = map[string]bool{"eXIf": true, "tEXt": true, "zTXt": true, "iTXt": true}

// stripPNG copies a PNG from r to w without its metadata chunks and
// reports whether it removed any. It returns errBadImage for bytes that
// are not a PNG stream (CRCs are copied, not checked).
func stripPNG(r *bufio.Reader, w *bufio.Writer) (bool, error) {
	sig := make([]byte, len(pngSignature))
	if _, err := io.ReadFull(r, sig); err != nil {
		return false, imageErr(err)
	}
	if !bytes.Equal(sig, pngSignature) {
		return false, errBadImage
	}
	w.Write(sig)
	removed := false
	var hdr [8]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return false, imageErr(err)
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		if n > 1<<31-1 {
			return false, errBadImage
		}
		typ := string(hdr[4:])
		dst := io.Writer(w)
		if pngDrop[typ] {
			dst, removed = io.Discard, true
		} else {
			w.Write(hdr[:])
		}
		if _, err := io.CopyN(dst, r, n+4); err != nil { // data and CRC
			return false, imageErr(err)
		}
		if typ == "IEND" {
			if _, err := r.ReadByte(); err == nil {
				removed = true
			}
			return removed, nil
		}
	}
}
