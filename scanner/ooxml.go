package scanner

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"sort"
	"strconv"
)

// scanOOXMLText scans the text of a Word document or a PowerPoint deck as
// plain text, one line per paragraph (w:p, a:p), in document order: the
// body, then headers, footers, footnotes, endnotes and comments (docx), or
// the slides in order, then the speaker notes (pptx). So `line` is the
// 1-based paragraph index across those parts, `column` the character in
// the paragraph, and `byte_offset` the offset in that extracted text.
// Line breaks inside a paragraph (w:br, a:br) become spaces so that the
// numbering holds. What the text leaves of these parts (attributes, field
// instructions) is read as side values as the tokens go by, then the other
// parts and embedded packages (ooxml_side.go); depth is the package's
// container depth.
func (o *objectScan) scanOOXMLText(zr *zip.Reader, kind string, depth int) error {
	o.format = kind
	parts := OOXMLTextParts(zr, kind)
	if len(parts) == 0 {
		return &formatError{format: kind, msg: "the main document part is missing; nothing scanned"}
	}
	tr := &ooxmlText{o: o, kind: kind, parts: parts}
	defer tr.close()
	err := o.scanText(tr, nil, 0)
	if err == nil {
		err = tr.bad
	}
	var unsup *errUnsupported
	if err != nil && (o.ctx.Err() != nil || isLimit(err) || errors.As(err, &unsup)) {
		return err
	}
	read := make(map[*zip.File]bool, len(parts))
	for _, f := range parts {
		read[f] = true
	}
	return firstErr(err, o.scanOOXMLSide(zr, read, depth))
}

var (
	docxExtra  = regexp.MustCompile(`^word/(header|footer)\d*\.xml$|^word/(footnotes|endnotes|comments)\.xml$`)
	pptxSlide  = regexp.MustCompile(`^ppt/slides/slide(\d+)\.xml$`)
	pptxNotes  = regexp.MustCompile(`^ppt/notesSlides/notesSlide(\d+)\.xml$`)
	partNumber = regexp.MustCompile(`\d+`)
)

// OOXMLTextParts lists the text parts of a Word document or PowerPoint
// deck (kind FormatDOCX or FormatPPTX) in reading order, nil when the main
// part is missing. The redact writer rewrites the parts the scanner reads.
func OOXMLTextParts(zr *zip.Reader, kind string) []*zip.File {
	var main, extra []*zip.File
	for _, f := range zr.File {
		switch {
		case kind == FormatDOCX && f.Name == "word/document.xml":
			main = append(main, f)
		case kind == FormatDOCX && docxExtra.MatchString(f.Name):
			extra = append(extra, f)
		case kind == FormatPPTX && pptxSlide.MatchString(f.Name):
			main = append(main, f)
		case kind == FormatPPTX && pptxNotes.MatchString(f.Name):
			extra = append(extra, f)
		}
	}
	if len(main) == 0 {
		return nil
	}
	byNumber := func(fs []*zip.File) {
		sort.SliceStable(fs, func(i, j int) bool {
			a, _ := strconv.Atoi(partNumber.FindString(fs[i].Name))
			b, _ := strconv.Atoi(partNumber.FindString(fs[j].Name))
			if a != b {
				return a < b
			}
			return fs[i].Name < fs[j].Name
		})
	}
	byNumber(main)
	byNumber(extra)
	return append(main, extra...)
}

// ooxmlText streams the paragraphs of the parts as text lines, pulling XML
// tokens only as the reader is read: memory stays bounded by the longest
// text run, whatever the document's size.
type ooxmlText struct {
	o      *objectScan
	kind   string
	parts  []*zip.File
	next   int
	rc     io.ReadCloser
	dec    *rawXML
	inText int
	side   *sideText // the part's side values
	out    []byte
	buf    []byte
	bad    error // a damaged part: the others are still read
	err    error
}

func (t *ooxmlText) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		t.step()
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	return n, nil
}

// step reads one XML token (opening the next part when needed) and leaves
// its text, if any, in out.
func (t *ooxmlText) step() {
	if t.dec == nil {
		if t.next >= len(t.parts) {
			t.err = io.EOF
			return
		}
		f := t.parts[t.next]
		t.next++
		rc, err := t.o.partReader(f)
		if err != nil {
			t.fail(err)
			return
		}
		t.rc, t.dec, t.inText = rc, newRawXML(BoundXMLTokens(rc), nil), 0
		t.side = t.o.newSideText(f.Name, OOXMLSideText, nil)
	}
	tok, err := t.dec.RawToken()
	if err != nil {
		t.closePart()
		if err != io.EOF {
			t.fail(err)
		}
		return
	}
	if err := t.side.token(tok); err != nil {
		t.closePart()
		t.err = err // the engine's: cancellation
		return
	}
	t.buf = t.buf[:0]
	t.buf = OOXMLAppendText(t.buf, tok, &t.inText)
	t.out = t.buf
}

// OOXMLAppendText appends the text a token of a Word or PowerPoint part
// stands for: the text of w:t, a:t and w:delText (line breaks in it as
// spaces), a tab for w:tab, a space for w:br and w:cr, a line end after a
// paragraph (w:p, a:p). inText is the depth in text elements, kept
// between calls. The redact writer counts its offsets with it.
func OOXMLAppendText(dst []byte, tok xml.Token, inText *int) []byte {
	switch tk := tok.(type) {
	case xml.StartElement:
		switch tk.Name.Local {
		case "t", "delText":
			*inText++
		case "tab":
			dst = append(dst, '\t')
		case "br", "cr":
			dst = append(dst, ' ')
		}
	case xml.EndElement:
		switch tk.Name.Local {
		case "t", "delText":
			*inText = max(0, *inText-1)
		case "p":
			dst = append(dst, '\n')
		}
	case xml.CharData:
		if *inText > 0 {
			for _, c := range tk {
				if c == '\n' || c == '\r' {
					c = ' '
				}
				dst = append(dst, c)
			}
		}
	}
	return dst
}

// fail records a damaged part; limits and cancellation stop the document.
func (t *ooxmlText) fail(err error) {
	var unsup *errUnsupported
	switch {
	case t.o.ctx.Err() != nil:
		t.err = t.o.ctx.Err()
	case isLimit(err), errors.As(err, &unsup):
		t.err = err
	case t.bad == nil:
		t.bad = badFormat(t.kind, "part "+strconv.Itoa(t.next), err)
	}
}

func (t *ooxmlText) closePart() {
	if t.rc != nil {
		_ = t.rc.Close()
	}
	if t.dec != nil {
		t.dec.release()
	}
	t.rc, t.dec = nil, nil
}

func (t *ooxmlText) close() { t.closePart() }
