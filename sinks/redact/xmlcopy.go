package redact

import (
	"bufio"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/piiscan/piiscan/scanner"
)

// Office parts are rewritten by copying their bytes token by token:
// encoding/xml's Decoder reads the tokens (RawToken: no namespace
// translation, so prefixes stay as written) from a byte reader that
// records what it hands out, and each token's own bytes are the recorded
// bytes up to the decoder's InputOffset. A token is written either as
// those bytes, unchanged, or replaced (a text node re-escaped, a cell
// rebuilt). Re-encoding with xml.Encoder instead would rewrite the
// namespace declarations and prefixes of every element.

// xmlTokens reads the tokens of one XML part with their raw bytes. It
// returns the context's error, checked every 4,096 tokens (the first one
// included), so that the loops over a part's tokens stop on cancellation.
type xmlTokens struct {
	ctx   context.Context
	n     int // tokens returned
	br    *bufio.Reader
	dec   *xml.Decoder
	raw   []byte // bytes read since the last token but one
	taken int    // raw[:taken] are the last token's bytes
	base  int64  // decoder offset of raw[taken]
	depth int    // open elements: RawToken does not check nesting
}

func newXMLTokens(ctx context.Context, r io.Reader) *xmlTokens {
	x := &xmlTokens{ctx: ctx, br: bufio.NewReaderSize(scanner.BoundXMLTokens(r), 32<<10)}
	x.dec = xml.NewDecoder(x)
	x.dec.CharsetReader = scanner.XMLCharsetReader
	return x
}

// ReadByte feeds the decoder (it uses an io.ByteReader as it is, without
// buffering of its own) and records the byte.
func (x *xmlTokens) ReadByte() (byte, error) {
	c, err := x.br.ReadByte()
	if err == nil {
		x.raw = append(x.raw, c)
	}
	return c, err
}

// Read is never used by the decoder (it prefers ReadByte); it is here to
// make xmlTokens an io.Reader.
func (x *xmlTokens) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	c, err := x.ReadByte()
	if err != nil {
		return 0, err
	}
	p[0] = c
	return 1, nil
}

// next returns the next token and its raw bytes, valid until the next
// call; io.EOF at the end. A self-closing element gives its end element
// with no bytes.
func (x *xmlTokens) next() (xml.Token, []byte, error) {
	if x.n&0xfff == 0 {
		if err := x.ctx.Err(); err != nil {
			return nil, nil, err
		}
	}
	x.n++
	// Drop the previous token's bytes; what is left is at most the
	// decoder's one byte of look ahead, so raw does not grow with the part.
	rest := copy(x.raw, x.raw[x.taken:])
	x.raw, x.taken = x.raw[:rest], 0
	tok, err := x.dec.RawToken()
	if err != nil {
		if errors.Is(err, io.EOF) {
			if x.depth != 0 {
				return nil, nil, &malformedError{format: "xml", off: x.dec.InputOffset(), msg: "unclosed elements at the end"}
			}
			return nil, nil, io.EOF
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			// The decoder's message may quote the input: not kept.
			return nil, nil, &malformedError{format: "xml", off: x.dec.InputOffset(), msg: "syntax error"}
		}
		return nil, nil, err
	}
	off := x.dec.InputOffset()
	n := int(off - x.base)
	if n < 0 || n > len(x.raw) {
		return nil, nil, &malformedError{format: "xml", off: off, msg: "token offsets out of step"}
	}
	x.taken, x.base = n, off
	switch tok.(type) {
	case xml.StartElement:
		x.depth++
	case xml.EndElement:
		if x.depth--; x.depth < 0 {
			return nil, nil, &malformedError{format: "xml", off: off, msg: "end tag without a start"}
		}
	}
	return tok, x.raw[:n], nil
}

// xmlName writes an element or attribute name as RawToken gives it
// (Space is the prefix).
func appendXMLName(dst []byte, n xml.Name) []byte {
	if n.Space != "" {
		dst = append(append(dst, n.Space...), ':')
	}
	return append(dst, n.Local...)
}

// appendStartTag writes a start tag from its parts; empty closes it.
func appendStartTag(dst []byte, se xml.StartElement, empty bool) []byte {
	dst = appendXMLName(append(dst, '<'), se.Name)
	for _, a := range se.Attr {
		dst = appendXMLName(append(dst, ' '), a.Name)
		dst = append(dst, `="`...)
		dst = appendXMLEscaped(dst, []byte(a.Value), true)
		dst = append(dst, '"')
	}
	if empty {
		return append(dst, "/>"...)
	}
	return append(dst, '>')
}

// appendEndTag writes </name>.
func appendEndTag(dst []byte, n xml.Name) []byte {
	return append(appendXMLName(append(dst, "</"...), n), '>')
}

// appendXMLEscaped escapes text for XML 1.0 character data (attr: for an
// attribute value in double quotes). Characters XML cannot hold (control
// characters, invalid UTF-8) become U+FFFD.
func appendXMLEscaped(dst, s []byte, attr bool) []byte {
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		switch {
		case r == '&':
			dst = append(dst, "&amp;"...)
		case r == '<':
			dst = append(dst, "&lt;"...)
		case r == '>':
			dst = append(dst, "&gt;"...)
		case r == '"' && attr:
			dst = append(dst, "&quot;"...)
		case r == '\r':
			dst = append(dst, "&#xD;"...)
		case (r == '\n' || r == '\t') && attr:
			dst = append(dst, "&#x"...)
			dst = append(dst, "0123456789ABCDEF"[r], ';')
		case r == utf8.RuneError && size == 1, r < 0x20 && r != '\n' && r != '\t',
			r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			dst = append(dst, "\uFFFD"...)
		default:
			dst = append(dst, s[:size]...)
		}
		s = s[size:]
	}
	return dst
}

// hasAttr reports an attribute by prefix and local name.
func hasAttr(se xml.StartElement, space, local string) bool {
	for _, a := range se.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return true
		}
	}
	return false
}

// selfClosing reports whether a start tag's bytes end with "/>".
func selfClosing(raw []byte) bool {
	n := len(raw)
	return n >= 2 && raw[n-2] == '/' && raw[n-1] == '>'
}
