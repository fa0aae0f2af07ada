package scanner

import "bytes"

// Comments (JSONC: VS Code's settings.json, tsconfig.json,
// devcontainer.json, .jsonc files). A JSON document, not JSON Lines, may
// hold // line comments and /* */ block comments wherever white space may
// be, and a trailing comma before '}' (one before ']' was already read).
// They are read only where the strict grammar has no reading of a byte:
// a '/' outside a string is never JSON, so a strict document is parsed as
// before and pays nothing for them on its paths (peek, members).
//
// The text of a comment (without its // or /* */) is a value of the
// object or array it is in, at that container's path ($ outside the root
// value), with the field of that container's keys (Field.Keys): the path
// names where it is, and the field's name alone judges nothing in it, as
// for a key. A comment in a run of numbers ends the run. In an array of
// records, a comment before an element is in that element's record, one
// after it (before its comma) in its record; a comment right after the
// '[' does not hide that the elements are records (pastComments).

// jsonComment is the longest comment body read in one piece; a longer one
// is streamed to the batch as a long string is.
const jsonComment = maxInline

// comment reads the comments and white space at p.i (at a '/') and
// returns the byte after them, as peek does; false at the end of input.
// A '/' that does not open a comment, and a block comment the input ends
// in, are malformed.
func (p *jsonParser) comment() (byte, bool, error) {
	for {
		if err := p.readComment(); err != nil {
			return 0, false, err
		}
		c, ok := p.peek()
		if !ok || c != '/' {
			return c, ok, nil
		}
	}
}

// readComment reads one comment at p.i.
func (p *jsonParser) readComment() error {
	p.need(2)
	if p.w.n-p.i < 2 || (p.w.buf[p.i+1] != '/' && p.w.buf[p.i+1] != '*') {
		return p.malformed("unexpected character '/'")
	}
	block := p.w.buf[p.i+1] == '*'
	var node *pathNode
	if len(p.stack) == 0 {
		node = p.root
	} else {
		top := &p.stack[len(p.stack)-1]
		node = top.node
		p.tab.Other(len(p.stack) - 1)
		if top.numRun {
			top.numRun = false
			if err := p.b.endValue(); err != nil {
				return err
			}
		}
	}
	slot := p.keySlotOf(node)
	start := p.i // the comment's '/', for an unterminated one
	p.i += 2
	loc := spanLoc{off: p.w.off + int64(p.i), rec: p.recRef()}
	open := false // part of the body is in the batch (a long comment)
	for {
		buf := p.w.buf[:p.w.n]
		end, next := len(buf), len(buf)
		if block {
			if j := bytes.Index(buf[p.i:], commentEnd); j >= 0 {
				end, next = p.i+j, p.i+j+2
			}
		} else {
			end = indexByteFrom(buf, p.i, '\n')
			next = end // the line break is white space, read by peek
		}
		if end == len(buf) && !p.w.eof {
			if open || len(buf)-start > jsonComment {
				// A long comment: what the window holds goes to the batch
				// but a last '*', which may start the closing "*/".
				keep := len(buf)
				if block && buf[keep-1] == '*' {
					keep--
				}
				if !open {
					p.b.beginSlot(slot, loc)
					open = true
				}
				p.breaks(buf, p.i, keep)
				if err := p.b.write(buf[p.i:keep]); err != nil {
					return err
				}
				p.i = keep
				p.more(p.i)
			} else {
				d := p.i - start
				p.more(start)
				start = p.i - d
			}
			continue
		}
		if end == len(buf) && block {
			if !open {
				// Unterminated, and nothing of it read: the rest, from its
				// '/', is read as text (rescue).
				p.i = start
				return p.malformed("unterminated comment")
			}
			p.breaks(buf, p.i, end)
			if err := p.b.write(buf[p.i:end]); err != nil {
				return err
			}
			p.i = end
			return p.malformed("unterminated comment")
		}
		p.breaks(buf, p.i, end)
		var err error
		switch {
		case open:
			if err = p.b.write(buf[p.i:end]); err == nil {
				err = p.b.endValue()
			}
		case end > p.i:
			err = p.b.add(slot, loc, buf[p.i:end])
		}
		p.i = next
		return err
	}
}

var commentEnd = []byte("*/")

// pastComments returns the byte after the comments and white space at p.i
// without reading them (their values and line breaks are read after);
// false at the end of input or when that byte is not within
// JSONLookahead bytes (see AfterJSONComments).
func (p *jsonParser) pastComments() (byte, bool) {
	for {
		buf := p.w.buf[p.i:min(p.w.n, p.i+JSONLookahead)]
		c, ok, more := AfterJSONComments(buf, p.w.eof || len(buf) == JSONLookahead)
		if !more {
			return c, ok
		}
		p.more(p.i)
	}
}

// JSONLookahead bounds how far past the '[' of an array in a top-level
// object its first element is looked for behind comments, to tell whether
// its elements are records; sinks/redact looks as far.
const JSONLookahead = 32 << 10

// AfterJSONComments returns the first byte of b after white space and //
// and /* */ comments. complete says b is all there is to look at: without
// it, more asks for more bytes where b ends before that byte; with it, ok
// is false there. A '/' that opens no comment is returned.
func AfterJSONComments(b []byte, complete bool) (c byte, ok, more bool) {
	j := 0
	for {
		for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\n') {
			j++
		}
		if j < len(b) && b[j] != '/' {
			return b[j], true, false
		}
		end := -1 // where the comment at j ends, when b holds it
		if j+1 < len(b) {
			switch b[j+1] {
			case '/':
				if k := bytes.IndexByte(b[j+2:], '\n'); k >= 0 {
					end = j + 2 + k
				}
			case '*':
				if k := bytes.Index(b[j+2:], commentEnd); k >= 0 {
					end = j + 2 + k + 2
				}
			default:
				return '/', true, false
			}
		}
		if end < 0 {
			if j+1 == len(b) && complete {
				return '/', true, false // a '/' at the end: not a comment
			}
			return 0, false, !complete
		}
		j = end
	}
}
