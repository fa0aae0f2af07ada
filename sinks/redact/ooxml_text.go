package redact

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/scanner"
)

// Word documents and PowerPoint decks are rewritten in two passes over
// their text parts, because the engine must see the text exactly as the
// scanner does (scanner/ooxml.go): one text stream of all parts in
// reading order (the body, then headers, footers, footnotes, endnotes
// and comments; or the slides, then the notes), a line per paragraph
// (w:p, a:p), the text of w:t, a:t and w:delText, a tab for w:tab and a
// space for w:br and w:cr. Keywords near a value ("身份证号" on the line
// before) count as they do in a scan.
//
//  1. The stream is rebuilt and read chunk by chunk, as text objects are
//     (text.go); the engine's matches give edits at stream offsets.
//  2. Each part is copied token by token (xmlcopy.go), counting the
//     same offsets. A text node that an edit touches is written again:
//     the replacement goes into the first text node the value touches,
//     and the value's characters in later nodes (a value split across
//     runs of a paragraph, or across paragraphs) are removed from them.
//     Runs, their formatting and every other element stay; a w:t that
//     now starts or ends with a space gets xml:space="preserve", and the
//     w:author and w:initials of tracked changes and comments are
//     emptied.
//
// Memory: one chunk window in pass 1, the edits (the replacements of one
// document, bounded by maxTextEdits), and one token in pass 2.

// maxTextEdits bounds the edits of one document kept between the passes.
const maxTextEdits = 1 << 20

// textEdit replaces [start, end) of the text stream.
type textEdit struct {
	start, end int64
	repl       []byte
	done       bool // the replacement has been written
}

func (o *objRun) ooxmlText(zr *zip.Reader, kind string, w io.Writer) error {
	parts := scanner.OOXMLTextParts(zr, kind)
	if len(parts) == 0 {
		return &malformedError{format: kind, msg: "the main document part is missing"}
	}
	ex := &ooxmlStream{o: o, kind: kind, parts: parts, starts: make([]int64, len(parts))}
	defer ex.closePart()
	edits, err := o.streamEdits(ex, nil)
	if err != nil {
		if ex.err != nil && !errors.Is(ex.err, io.EOF) {
			return ex.err
		}
		return err
	}
	rw := map[*zip.File]officePart{}
	for i, f := range parts {
		start := ex.starts[i]
		rw[f] = func(w io.Writer) error { return o.textPart(f, kind, start, edits, w) }
	}
	o.docProps(zr, kind, rw)
	return o.rebuildZip(zr, rw, w)
}

// streamEdits reads a text stream chunk by chunk and returns the edits of
// the engine's matches, in offset order and not overlapping (text.go
// textStream writes the same replacements); field, if not nil, is the
// field the text belongs to.
func (o *objRun) streamEdits(r io.Reader, field *classifiers.Field) ([]textEdit, error) {
	ch := scanner.NewChunker(r, scanner.ChunkConfig{})
	var out []textEdit
	var written int64
	for {
		if err := o.ctx.Err(); err != nil {
			return nil, err
		}
		c, err := ch.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		edits, err := o.w.ed.text(o.ctx, c.Data, c.OwnStart, c.OwnEnd, field)
		if err != nil {
			return nil, err
		}
		for _, e := range edits {
			start, end := c.Base+int64(e.start), c.Base+int64(e.end)
			if end <= written {
				continue // inside a match already replaced
			}
			if len(out) >= maxTextEdits {
				return nil, &limitError{msg: fmt.Sprintf("more than %d values to replace in one document", maxTextEdits)}
			}
			out = append(out, textEdit{start: max(start, written), end: end, repl: append([]byte(nil), e.repl...)})
			written = end
		}
	}
	return out, ch.Err()
}

// ooxmlStream is the text stream of the parts, as scanner/ooxml.go
// ooxmlText reads it; starts records each part's offset in it.
type ooxmlStream struct {
	o      *objRun
	kind   string
	parts  []*zip.File
	starts []int64
	next   int
	n      int64
	rc     io.ReadCloser
	dec    *xml.Decoder
	inText int
	out    []byte
	buf    []byte
	err    error
}

func (t *ooxmlStream) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		t.step()
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	t.n += int64(n)
	return n, nil
}

// step reads one token (opening the next part when needed) and leaves its
// text in out. A part that does not parse stops the document: its copy
// could not be written.
func (t *ooxmlStream) step() {
	if t.dec == nil {
		if t.next >= len(t.parts) {
			t.err = io.EOF
			return
		}
		f := t.parts[t.next]
		t.starts[t.next] = t.n
		t.next++
		rc, err := t.o.openPart(f, t.kind)
		if err != nil {
			t.err = t.o.partError(t.kind, f.Name, err)
			return
		}
		t.rc, t.dec, t.inText = rc, xml.NewDecoder(scanner.BoundXMLTokens(rc)), 0
	}
	tok, err := t.dec.RawToken()
	if err != nil {
		name := t.parts[t.next-1].Name
		t.closePart()
		if err != io.EOF {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				err = &malformedError{format: "xml", msg: "syntax error"}
			}
			t.err = t.o.partError(t.kind, name, err)
		}
		return
	}
	t.buf = scanner.OOXMLAppendText(t.buf[:0], tok, &t.inText)
	t.out = t.buf
}

func (t *ooxmlStream) closePart() {
	if t.rc != nil {
		_ = t.rc.Close()
	}
	t.rc, t.dec = nil, nil
}
