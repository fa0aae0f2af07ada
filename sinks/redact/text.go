package redact

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/piiscan/piiscan/scanner"
)

// text rewrites a text object: the character encoding is detected and
// decoded as the scanner does, the text format (csv, tsv, json, jsonl or
// plain text) rewritten on UTF-8, and the result encoded back into the
// original encoding, byte order mark included.
func (o *objRun) text(br *bufio.Reader, head []byte, name string, depth int, w io.Writer) error {
	enc := scanner.DetectEncoding(head)
	if depth == 0 {
		o.res.Encoding = enc
	}
	dec := scanner.DecodeReader(enc, br)
	if e := scanner.EncodingOf(enc); e != nil && keepsBytes(e) {
		dec = newKeepDecoder(br, e) // bytes that do not decode are kept (charset.go)
	}
	tf := scanner.TextFormat(name, scanner.DecodeHead(enc, head))
	o.addFormat(tf)
	ew, closeEnc, err := encodeWriter(enc, head, w)
	if err != nil {
		return err
	}
	switch tf {
	case scanner.FormatCSV:
		err = o.csv(dec, ',', ew)
	case scanner.FormatTSV:
		err = o.csv(dec, '\t', ew)
	case scanner.FormatHive:
		err = o.csv(dec, '\x01', ew)
	case scanner.FormatJSON:
		err = o.json(dec, false, ew, runeFits(enc))
	case scanner.FormatJSONL:
		err = o.json(dec, true, ew, runeFits(enc))
	default:
		err = o.textStream(dec, ew)
	}
	if err != nil {
		return err
	}
	return closeEnc()
}

// encodeWriter returns a writer that encodes UTF-8 into enc, after writing
// the byte order mark the original had; close flushes the encoder.
// Characters a legacy encoding cannot represent (a replacement in another
// script) are written as its replacement character; the JSON rewriter
// escapes them first (runeFits). Bytes a GB18030 decoder kept escaped
// are written back as they were (charset.go).
func encodeWriter(enc string, head []byte, w io.Writer) (io.Writer, func() error, error) {
	nop := func() error { return nil }
	switch enc {
	case scanner.EncUTF8:
		return w, nop, nil
	case scanner.EncUTF8BOM:
		_, err := w.Write([]byte("\xef\xbb\xbf"))
		return w, nop, err
	case scanner.EncUTF16LE, scanner.EncUTF16BE:
		order, bom := unicode.LittleEndian, []byte("\xff\xfe")
		if enc == scanner.EncUTF16BE {
			order, bom = unicode.BigEndian, []byte("\xfe\xff")
		}
		if bytes.HasPrefix(head, bom) {
			if _, err := w.Write(bom); err != nil {
				return nil, nil, err
			}
		}
		tw := transform.NewWriter(w, unicode.UTF16(order, unicode.IgnoreBOM).NewEncoder())
		return tw, tw.Close, nil
	}
	e := scanner.EncodingOf(enc)
	if e == nil {
		return w, nop, nil
	}
	if keepsBytes(e) {
		kw := newKeepEncoder(w, e)
		return kw, kw.Close, nil
	}
	tw := transform.NewWriter(w, encoding.ReplaceUnsupported(e.NewEncoder()))
	return tw, tw.Close, nil
}

// runeFits returns whether encoding enc can hold a character, or nil
// when it holds all of Unicode (UTF-8, UTF-16, GB18030). The JSON
// rewriter writes the characters that do not fit as \uXXXX escapes, so
// the copy stays valid JSON with nothing lost (RFC 8259 section 7).
func runeFits(enc string) func(rune) bool {
	switch enc {
	case scanner.EncUTF8, scanner.EncUTF8BOM, scanner.EncUTF16LE, scanner.EncUTF16BE, scanner.EncGB18030:
		return nil
	case scanner.EncLatin1:
		return func(r rune) bool { return r <= 0xff }
	}
	e := scanner.EncodingOf(enc)
	if e == nil {
		return nil
	}
	// Another legacy encoding: ask its encoder.
	en := e.NewEncoder()
	return func(r rune) bool {
		if r < utf8.RuneSelf {
			return true
		}
		_, err := en.String(string(r))
		return err == nil
	}
}

// textStream rewrites plain text chunk by chunk (scanner.Chunker): each
// match is owned by exactly one chunk and the bytes between matches are
// copied, so memory is bounded by the chunk window whatever the length of
// a line.
func (o *objRun) textStream(r io.Reader, w io.Writer) error {
	ch := scanner.NewChunker(r, scanner.ChunkConfig{})
	var written int64 // stream offset up to which output has been produced
	for {
		if err := o.ctx.Err(); err != nil {
			return err
		}
		c, err := ch.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		edits, err := o.w.ed.text(o.ctx, c.Data, c.OwnStart, c.OwnEnd, nil)
		if err != nil {
			return err
		}
		for _, e := range edits {
			start, end := c.Base+int64(e.start), c.Base+int64(e.end)
			if end <= written {
				continue // inside a match already replaced
			}
			if start > written {
				if _, err := w.Write(c.Data[written-c.Base : e.start]); err != nil {
					return err
				}
			}
			if _, err := w.Write(e.repl); err != nil {
				return err
			}
			written = end
		}
		if ownEnd := c.Base + int64(c.OwnEnd); written < ownEnd {
			if _, err := w.Write(c.Data[written-c.Base : c.OwnEnd]); err != nil {
				return err
			}
			written = ownEnd
		}
	}
	return ch.Err()
}
