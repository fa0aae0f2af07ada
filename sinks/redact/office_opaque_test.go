package redact

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// Parts of Office packages that no rewriter reads (OLE objects, macros,
// ActiveX data) and pictures with metadata: a copy holds none of their
// values and is still a package the scanner reads.

// utf16le is s as Windows programs store text.
func utf16le(s string) []byte { return corpus.UTF16LE(s) }

// holdsValue reports whether b holds v as UTF-8 or as UTF-16LE.
func holdsValue(b []byte, v string) bool {
	return bytes.Contains(b, []byte(v)) || bytes.Contains(b, utf16le(v))
}

// oleBlob stands for an OLE object (corpus.OLEObject).
func oleBlob(v string) []byte { return corpus.OLEObject(v) }

// pngImage is a 2x2 PNG; with text, a tEXt chunk holding it follows IHDR.
func pngImage(t testing.TB, text string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	b := buf.Bytes()
	if text == "" {
		return b
	}
	data := append([]byte("Comment\x00"), text...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(append(chunk, "tEXt"...), data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	at := 8 + 8 + 13 + 4 // signature, IHDR
	return append(append(bytes.Clone(b[:at]), chunk...), b[at:]...)
}

// gpsRational is the latitude 39° 54' 12.345" as Exif rationals: the
// bytes of a position a copy must not hold.
var gpsRational = []byte{0, 0, 0, 39, 0, 0, 0, 1, 0, 0, 0, 54, 0, 0, 0, 1, 0, 0, 0x30, 0x39, 0, 0, 0x03, 0xE8}

// exifAPP1 is an Exif block (big-endian TIFF): IFD0 with an orientation
// and a GPS IFD holding gpsRational.
func exifAPP1(orientation byte) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8,
		0, 2, // IFD0: two entries
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, // Orientation
		0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38, // GPSInfo IFD at 38
		0, 0, 0, 0,
		0, 1, // GPS IFD: one entry
		0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56, // GPSLatitude, 3 RATIONAL at 56
		0, 0, 0, 0}
	tiff = append(tiff, gpsRational...)
	return segment(0xE1, append([]byte("Exif\x00\x00"), tiff...))
}

// segment is a JPEG marker segment.
func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	return append(s, payload...)
}

// jpegImage is a 16x8 photo as a phone writes it: Exif with the position,
// an XMP packet, a comment, and a second picture after the first (a
// multi-picture file) with its own Exif.
func jpegImage(t testing.TB, orientation byte) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 16, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, nil))
	b := buf.Bytes()
	meta := exifAPP1(orientation)
	meta = append(meta, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>39,54.2N</exif:GPSLatitude>"+
		"<dc:creator>王小明 "+rawMobile+"</dc:creator></x:xmpmeta>"))...)
	meta = append(meta, segment(0xFE, []byte("owner "+rawMobile))...)
	out := append(append(bytes.Clone(b[:2]), meta...), b[2:]...)
	return append(out, append([]byte{0xFF, 0xD8}, exifAPP1(1)...)...)
}

// oleDocx is a Word document with an OLE object (its preview a photo) and
// ActiveX data.
func oleDocx(t testing.TB) []byte {
	doc := xmlDecl + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `" xmlns:v="urn:schemas-microsoft-com:vml" ` +
		`xmlns:o="urn:schemas-microsoft-com:office:office"><w:body><w:p><w:r><w:t>手机 ` + rawMobile + `</w:t></w:r></w:p>` +
		`<w:p><w:r><w:object><v:shape id="_x0000_i1025"><v:imagedata r:id="rId4"/></v:shape>` +
		`<o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" r:id="rId5"/></w:object></w:r></w:p></w:body></w:document>`
	return zipOf(t, map[string][]byte{
		"[Content_Types].xml": []byte(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/></Types>`),
		"word/document.xml": []byte(doc),
		"word/_rels/document.xml.rels": []byte(xmlDecl + `<Relationships xmlns="` + nsRels + `">` +
			`<Relationship Id="rId4" Type="` + nsR + `/image" Target="media/image1.jpeg"/>` +
			`<Relationship Id="rId5" Type="` + nsR + `/oleObject" Target="embeddings/oleObject1.bin"/></Relationships>`),
		"word/embeddings/oleObject1.bin": oleBlob(rawMobile),
		"word/media/image1.jpeg":         jpegImage(t, 6),
		"word/activeX/activeX1.bin":      utf16le("TextBox1 " + rawMobile), // not a Compound File
	})
}

// oleWorkbook has an OLE object that is not a Compound File, macros,
// printer settings, a PNG with a text chunk and one that does not parse.
func oleWorkbook(t testing.TB) []byte {
	return zipOf(t, map[string][]byte{
		"[Content_Types].xml":        []byte(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
		"xl/workbook.xml":            []byte(xmlDecl + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsR + `"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>`),
		"xl/_rels/workbook.xml.rels": []byte(xmlDecl + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
		"xl/worksheets/sheet1.xml": []byte(xmlDecl + `<worksheet xmlns="` + nsMain + `"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>手机</t></is></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>` + rawMobile + `</t></is></c></row></sheetData></worksheet>`),
		"xl/embeddings/oleObject1.bin":            append([]byte("mobile\n"+rawMobile+"\n"), utf16le(rawMobile)...),
		"xl/vbaProject.bin":                       oleBlob(rawMobile),
		"xl/printerSettings/printerSettings1.bin": utf16le("HP LaserJet 400"),
		"xl/media/image1.png":                     pngImage(t, "GPS 39.9042,116.4074 "+rawMobile),
		"xl/media/image2.png":                     []byte("\x89PNG\r\n\x1a\n" + rawMobile),
	})
}

func TestRedactOfficeOpaqueParts(t *testing.T) {
	t.Parallel()
	docx, xlsx := oleDocx(t), oleWorkbook(t)
	var logs bytes.Buffer
	cfg := Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	dst, tally := redactFiles(t, cfg, map[string][]byte{"a.docx": docx, "b.xlsm": xlsx})

	assert.Equal(t, map[string]int64{"partial": 2}, tally.ByStatus, "%+v", tally.NotRewritten)
	assert.Equal(t, map[string]int64{string(scanner.ReasonUnsupported): 2}, tally.ByReason)
	assert.Equal(t, int64(5), tally.PartsEmptied)
	assert.Equal(t, int64(2), tally.ImagesStripped, "the photo and the PNG with a text chunk")
	type member struct{ object, format string }
	var members []member
	for _, i := range tally.NotRewritten {
		if strings.Contains(i.Object, "!") {
			assert.Equal(t, StatusSkipped, i.Status, i.Object)
			assert.Equal(t, string(scanner.ReasonUnsupported), i.Reason)
			assert.Contains(t, i.Error, "its bytes were dropped")
			members = append(members, member{i.Object, i.Format})
		} else {
			assert.Regexp(t, `^\d archive member\(s\) not rewritten: \d kept empty$`, i.Error)
		}
	}
	assert.ElementsMatch(t, []member{{"mem://a.docx!word/embeddings/oleObject1.bin", "ole"}, {"mem://a.docx!word/activeX/activeX1.bin", "binary"},
		{"mem://b.xlsm!xl/embeddings/oleObject1.bin", "binary"}, {"mem://b.xlsm!xl/vbaProject.bin", "ole"},
		{"mem://b.xlsm!xl/media/image2.png", "png"}}, members)

	outDoc, outXLSX := readFile(t, dst, "a.docx"), readFile(t, dst, "b.xlsm")
	for name, b := range map[string][]byte{"a.docx": outDoc, "b.xlsm": outXLSX} {
		assert.False(t, holdsValue(b, rawMobile), "%s holds the value (deflated data aside)", name)
		zr, err := zipReader(b)
		require.NoError(t, err)
		for _, f := range zr.File {
			rc, err := f.Open()
			require.NoError(t, err)
			data, err := io.ReadAll(rc)
			require.NoError(t, err)
			rc.Close()
			assert.False(t, holdsValue(data, rawMobile), "%s %s holds the value", name, f.Name)
			assert.False(t, bytes.Contains(data, gpsRational), "%s %s holds the position", name, f.Name)
		}
	}
	assert.Equal(t, zipMembers(t, docx), zipMembers(t, outDoc), "every part kept: relationships still resolve")
	assert.Equal(t, zipMembers(t, xlsx), zipMembers(t, outXLSX))
	assert.Equal(t, emptyCFB(), zipMember(t, outDoc, "word/embeddings/oleObject1.bin"), "a Compound File stays one, empty")
	assert.Equal(t, emptyCFB(), zipMember(t, outXLSX, "xl/vbaProject.bin"))
	assert.Empty(t, zipMember(t, outDoc, "word/activeX/activeX1.bin"))
	assert.Empty(t, zipMember(t, outXLSX, "xl/embeddings/oleObject1.bin"))
	assert.Empty(t, zipMember(t, outXLSX, "xl/media/image2.png"), "a picture that does not parse is dropped")
	for _, p := range []string{"[Content_Types].xml", "word/_rels/document.xml.rels"} {
		assert.Equal(t, zipMember(t, docx, p), zipMember(t, outDoc, p), p)
	}
	assert.Equal(t, zipMember(t, xlsx, "xl/printerSettings/printerSettings1.bin"), zipMember(t, outXLSX, "xl/printerSettings/printerSettings1.bin"))
	assert.Contains(t, string(zipMember(t, outDoc, "word/document.xml")), `<o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" r:id="rId5"/>`)

	// The pictures are the same pictures.
	photo := zipMember(t, outDoc, "word/media/image1.jpeg")
	orig, err := jpeg.Decode(bytes.NewReader(jpegImage(t, 6)))
	require.NoError(t, err)
	got, err := jpeg.Decode(bytes.NewReader(photo))
	require.NoError(t, err)
	assert.Equal(t, orig, got, "the same pixels")
	assert.True(t, bytes.HasSuffix(photo, []byte{0xFF, 0xD9}), "nothing after the first picture")
	assert.NotContains(t, string(photo), "xmpmeta")
	assert.Equal(t, orientationAPP1(6), photo[2:2+36], "the orientation is kept, alone")
	pic, err := png.Decode(bytes.NewReader(zipMember(t, outXLSX, "xl/media/image1.png")))
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 2, 2), pic.Bounds())
	assert.Equal(t, pngImage(t, ""), zipMember(t, outXLSX, "xl/media/image1.png"), "the text chunk removed, nothing else")

	// The copies are packages the scanner reads whole: the emptied parts
	// hold nothing, so they do not make them partial.
	src, err := newDirSource(dst)
	require.NoError(t, err)
	sink := &scannertest.Sink{}
	_, err = scanner.Run(context.Background(), scanner.Config{ScanID: "rescan", Workers: 2}, src, engine(t), sink)
	require.NoError(t, err)
	require.Len(t, sink.Results, 2)
	for _, r := range sink.Results {
		assert.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", r.Info.Key, r.Err)
		for _, f := range r.Findings {
			assert.NotEqual(t, fingerprint(rawMobile), f.Fingerprint, "an original value in %s", r.Info.Key)
		}
	}

	// Neither the log nor the summary holds the value; the summary says
	// what was dropped.
	var text bytes.Buffer
	sum := Summary{Counters: tally}
	RenderText(&text, sum)
	js, err := MarshalSummary(sum)
	require.NoError(t, err)
	for name, out := range map[string][]byte{"log": logs.Bytes(), "text summary": text.Bytes(), "JSON summary": js} {
		assert.False(t, holdsValue(out, rawMobile), name)
	}
	assert.Contains(t, text.String(), "Office parts emptied (OLE objects, macros, ActiveX data, metafile pictures that do not parse: not readable, so none of their bytes were kept): 5")
	assert.Contains(t, text.String(), "Pictures in Office documents written without their metadata (Exif GPS position, XMP): 2")
	assert.Contains(t, text.String(), "a.docx!word/embeddings/oleObject1.bin")
	var back struct {
		Counters struct {
			Emptied  int64 `json:"office_parts_emptied"`
			Stripped int64 `json:"image_metadata_removed"`
		} `json:"counters"`
	}
	require.NoError(t, json.Unmarshal(js, &back))
	assert.Equal(t, int64(5), back.Counters.Emptied)
	assert.Equal(t, int64(2), back.Counters.Stripped)
	assert.Contains(t, logs.String(), "object partly rewritten")
}

// TestRedactOfficeOpaqueCopied: with CopyUnsupported the parts are copied
// as they are, and listed as copied: the user asked for it, it is not
// silent.
func TestRedactOfficeOpaqueCopied(t *testing.T) {
	t.Parallel()
	docx := oleDocx(t)
	dst, tally := redactFiles(t, Config{CopyUnsupported: true}, map[string][]byte{"a.docx": docx})
	assert.Equal(t, map[string]int64{"partial": 1}, tally.ByStatus)
	assert.Zero(t, tally.PartsEmptied)
	out := readFile(t, dst, "a.docx")
	assert.Equal(t, oleBlob(rawMobile), zipMember(t, out, "word/embeddings/oleObject1.bin"))
	var copied []string
	for _, i := range tally.NotRewritten {
		if i.Status == StatusCopied {
			copied = append(copied, filepath.Base(i.Object))
			assert.Contains(t, i.Error, "copied as it is (--copy-unsupported)")
		} else {
			assert.Contains(t, i.Error, "2 archive member(s) not rewritten: 2 copied as they are")
		}
	}
	assert.ElementsMatch(t, []string{"oleObject1.bin", "activeX1.bin"}, copied)
	assert.False(t, holdsValue(zipMember(t, out, "word/document.xml"), rawMobile), "the text is still rewritten")
}

// TestEmptyCFB reads the empty Compound File as [MS-CFB] lays it out.
func TestEmptyCFB(t *testing.T) {
	t.Parallel()
	b := emptyCFB()
	le := binary.LittleEndian
	require.Len(t, b, 1536)
	assert.Equal(t, scanner.CFBSignature, string(b[:8]))
	assert.Equal(t, uint16(3), le.Uint16(b[26:]), "major version")
	assert.Equal(t, uint16(0xFFFE), le.Uint16(b[28:]), "byte order")
	assert.Equal(t, uint32(0), le.Uint32(b[76:]), "DIFAT: the FAT in sector 0")
	assert.Equal(t, uint32(0xFFFFFFFD), le.Uint32(b[512:]), "sector 0 is a FAT sector")
	assert.Equal(t, uint32(0xFFFFFFFE), le.Uint32(b[516:]), "the directory chain ends at sector 1")
	dir := b[512*(le.Uint32(b[48:])+1):]
	nameLen := le.Uint16(dir[64:])
	u := make([]uint16, nameLen/2-1)
	for i := range u {
		u[i] = le.Uint16(dir[2*i:])
	}
	assert.Equal(t, "Root Entry", string(utf16.Decode(u)))
	assert.Equal(t, byte(5), dir[66], "root storage")
	assert.Equal(t, uint32(0xFFFFFFFF), le.Uint32(dir[76:]), "no child: nothing stored")
	assert.Zero(t, le.Uint64(dir[120:]), "no mini stream")
}
