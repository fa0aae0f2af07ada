package redact

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
)

// Comments of JSON with comments (JSONC), as the scanner reads them
// (scanner/json_comment.go): in a JSON document, not JSON Lines, // and
// /* */ comments wherever white space may be, and a trailing comma before
// '}' or ']'. A comment's text (without its // or /* */) is a text value
// at the path of the object or array it is in ($ outside the root), with
// the field of that container's keys; it is replaced like text, and the
// comment's delimiters, the commas and everything else stay byte for byte.
// A comment in a run of numbers ends the run (and an array that holds one
// is never a whole array of numbers, so a replaced vector keeps it); in an
// array of records, a comment before an element is in that element's
// record. An unterminated /* is malformed: the rest is rewritten as text.

// comment copies the comment at the next byte (a '/') to the pending
// output and adds its text as a value.
func (p *jsonRW) comment() error {
	_, _ = p.next() // '/'
	c, err := p.peek()
	if err != nil || (c != '/' && c != '*') {
		return p.malformed("unexpected character '/'")
	}
	_, _ = p.next()
	block := c == '*'
	node := p.root
	if n := len(p.stack); n > 0 {
		fr := &p.stack[n-1]
		node = fr.node
		if fr.run {
			p.closeRun(fr, false)
		}
		if fr.array {
			fr.commented = true
			if fr.records && !fr.afterElem && !fr.commentRec {
				p.beginRecord() // the next element's record
				fr.commentRec = true
			}
		}
	}
	o0 := len(p.out)
	o1 := -1
	for o1 < 0 {
		c, err := p.src.ReadByte()
		switch {
		case errors.Is(err, io.EOF) && block:
			return p.malformed("unterminated comment")
		case errors.Is(err, io.EOF):
			o1 = len(p.out)
			continue
		case err != nil:
			return err
		case c == '\n' && !block:
			_ = p.src.UnreadByte() // white space, copied by ws
			o1 = len(p.out)
			continue
		}
		p.off++
		p.out = append(p.out, c)
		if block && c == '/' && len(p.out)-o0 >= 2 && p.out[len(p.out)-2] == '*' {
			o1 = len(p.out) - 2
		}
		if len(p.out)-o0 > maxValue {
			return &limitError{msg: fmt.Sprintf("json: a comment of more than %d bytes", maxValue)}
		}
	}
	if o1 == o0 {
		return nil
	}
	kind := slotLineComment
	if block {
		kind = slotBlockComment
	}
	p.addSpan(p.out[o0:o1], p.keyFieldOf(node), deid.KindText)
	p.slots = append(p.slots, jslot{o0: o0, o1: o1, span: len(p.spans) - 1, kind: kind})
	return p.valve()
}

// commentText appends the new text of a comment whose text was replaced,
// keeping it one comment: a "*/" in a block comment's, a line break in a
// line comment's, would end it early (a replacement such as "138********"
// before a '/' of the text), so they are broken up.
func commentText(dst, nv []byte, kind slotKind) []byte {
	if kind == slotBlockComment {
		for {
			j := bytes.Index(nv, []byte("*/"))
			if j < 0 {
				break
			}
			dst = append(dst, nv[:j+1]...)
			dst = append(dst, ' ')
			nv = nv[j+1:]
		}
		return append(dst, nv...)
	}
	for _, c := range nv {
		if c == '\n' {
			c = ' '
		}
		dst = append(dst, c)
	}
	return dst
}

// containerAhead reports whether the first byte after the white space and
// comments ahead is '{' or '[', without reading them, as the scanner
// decides whether the elements of an array in the top-level object are
// records (scanner.AfterJSONComments, as far ahead).
func (p *jsonRW) containerAhead() (bool, error) {
	br, ok := p.src.(*bufio.Reader)
	if !ok {
		return false, nil // JSON Lines: no records arrays
	}
	b, err := br.Peek(scanner.JSONLookahead)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return false, err
	}
	c, ok, _ := scanner.AfterJSONComments(b, true)
	return ok && (c == '{' || c == '['), nil
}
