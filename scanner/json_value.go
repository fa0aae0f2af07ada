package scanner

import (
	"bytes"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// value reads the value starting at p.i (after white space) at path node.
func (p *jsonParser) value(node *pathNode, _ int) error {
	c := p.blk[p.i]
	var top *jsonFrame
	if len(p.stack) > 0 {
		top = &p.stack[len(p.stack)-1]
	}
	isNum := c == '-' || (c >= '0' && c <= '9')
	if top != nil && top.numRun && !isNum {
		top.numRun = false
		if err := p.b.endValue(); err != nil {
			return err
		}
	}
	switch {
	case c == '{' || c == '[':
		if len(p.stack) >= maxJSONDepth {
			return p.malformed("nesting deeper than 512 levels")
		}
		p.advance(1)
		f := jsonFrame{node: node, array: c == '['}
		if f.array {
			f.expect = expValueOrEnd
			f.records = !p.lines && p.recRef() < 0 && !p.recordsOpen() &&
				(len(p.stack) == 0 || (len(p.stack) == 1 && !p.stack[0].array))
		} else {
			f.expect = expKeyOrEnd
		}
		p.stack = append(p.stack, f)
		return nil
	case c == '"':
		return p.stringValue(node)
	case isNum:
		return p.number(node, top)
	case c == 't' || c == 'f' || c == 'n':
		return p.literal()
	}
	return p.malformed("unexpected character")
}

func (p *jsonParser) recordsOpen() bool {
	for i := range p.stack {
		if p.stack[i].records {
			return true
		}
	}
	return false
}

// step advances the innermost open container by one token.
func (p *jsonParser) step() error {
	f := &p.stack[len(p.stack)-1]
	c := p.blk[p.i]
	if !f.array {
		switch f.expect {
		case expKeyOrEnd, expKey:
			if c == '}' && f.expect == expKeyOrEnd {
				return p.pop()
			}
			if c != '"' {
				return p.malformed("expected a key")
			}
			if err := p.readKey(); err != nil {
				return err
			}
			f = &p.stack[len(p.stack)-1]
			f.memberKey = f.node.child(p, p.key)
			f.expect = expColon
		case expColon:
			if c != ':' {
				return p.malformed("expected ':'")
			}
			p.advance(1)
			if !p.skipSpace() {
				return p.malformed("unexpected end of input")
			}
			f.expect = expCommaOrEnd
			return p.value(f.memberKey, 0)
		case expCommaOrEnd:
			switch c {
			case ',':
				p.advance(1)
				f.expect = expKey
			case '}':
				return p.pop()
			default:
				return p.malformed("expected ',' or '}'")
			}
		}
		return nil
	}
	switch f.expect {
	case expValueOrEnd, expValue:
		if c == ']' { // also tolerates a trailing comma
			return p.pop()
		}
		f.expect = expCommaOrEnd
		if f.records {
			p.b.beginRecord()
		}
		return p.value(f.node.element(p), 0)
	case expCommaOrEnd:
		switch c {
		case ',':
			p.advance(1)
			if f.records {
				if err := p.b.endRecord(); err != nil {
					return err
				}
			}
			f.index++
			f.expect = expValue
		case ']':
			return p.pop()
		default:
			return p.malformed("expected ',' or ']'")
		}
	}
	return nil
}

// pop closes the innermost container.
func (p *jsonParser) pop() error {
	p.advance(1)
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if f.numRun {
		if err := p.b.endValue(); err != nil {
			return err
		}
	}
	if f.records {
		if err := p.b.endRecord(); err != nil {
			return err
		}
		p.b.beginRecord() // values after the records form their own group
	}
	return nil
}

// readKey reads an object key (unescaped, cut at maxJSONKey bytes).
func (p *jsonParser) readKey() error {
	p.key = p.key[:0]
	return p.readString(func(seg []byte) error {
		if room := maxJSONKey - len(p.key); room > 0 {
			p.key = append(p.key, seg[:min(room, len(seg))]...)
		}
		return nil
	})
}

// stringValue reads a string value into the batch.
func (p *jsonParser) stringValue(node *pathNode) error {
	loc := p.pos()
	loc.off++
	loc.col++
	loc.rec = p.recRef()
	p.b.beginValue(p.fieldOf(node), loc)
	if err := p.readString(p.b.write); err != nil {
		return err
	}
	return p.b.endValue()
}

// readString reads a string starting at its opening quote and passes its
// unescaped content to out in pieces.
func (p *jsonParser) readString(out func([]byte) error) error {
	p.advance(1)
	for {
		if !p.ensure(1) {
			return p.malformed("unterminated string")
		}
		seg := p.blk[p.i:p.n]
		q := bytes.IndexByte(seg, '"')
		end := len(seg)
		if q >= 0 {
			end = q
		}
		bs := bytes.IndexByte(seg[:end], '\\')
		if bs >= 0 {
			end = bs
		}
		if end > 0 {
			if err := out(seg[:end]); err != nil {
				return err
			}
			p.advance(end)
		}
		switch {
		case bs >= 0:
			if err := p.escape(out); err != nil {
				return err
			}
		case q >= 0:
			p.advance(1)
			return nil
		}
	}
}

// escape decodes one backslash escape (JSON RFC 8259 section 7), joining
// UTF-16 surrogate pairs.
func (p *jsonParser) escape(out func([]byte) error) error {
	p.ensure(12)
	if p.n-p.i < 2 {
		return p.malformed("unterminated escape")
	}
	c := p.blk[p.i+1]
	var dec []byte
	n := 2
	switch c {
	case '"', '\\', '/':
		dec = []byte{c}
	case 'b':
		dec = []byte{'\b'}
	case 'f':
		dec = []byte{'\f'}
	case 'n':
		dec = []byte{'\n'}
	case 'r':
		dec = []byte{'\r'}
	case 't':
		dec = []byte{'\t'}
	case 'u':
		r, ok := hex4(p.blk[p.i+2 : min(p.n, p.i+6)])
		if !ok {
			return p.malformed("bad \\u escape")
		}
		n = 6
		if utf16.IsSurrogate(r) {
			if p.n-p.i >= 12 && p.blk[p.i+6] == '\\' && p.blk[p.i+7] == 'u' {
				if r2, ok := hex4(p.blk[p.i+8 : p.i+12]); ok {
					r = utf16.DecodeRune(r, r2)
					n = 12
				}
			}
			if n == 6 {
				r = utf8.RuneError
			}
		}
		dec = utf8.AppendRune(p.scratch[:0], r)
	default:
		return p.malformed("bad escape")
	}
	p.advance(n)
	return out(dec)
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	return r, true
}

// number reads a number. In an array, consecutive numbers form one value.
func (p *jsonParser) number(node *pathNode, top *jsonFrame) error {
	loc := p.pos()
	loc.rec = p.recRef()
	inArray := top != nil && top.array
	if inArray && top.numRun {
		if err := p.b.writeByte(','); err != nil {
			return err
		}
	} else {
		f := node
		if inArray {
			f = top.node // a vector or pair is one value at the array's path
			top.numRun = true
		}
		p.b.beginValue(p.fieldOf(f), loc)
	}
	for {
		if !p.ensure(1) {
			break
		}
		j := p.i
		for j < p.n && isNumByte(p.blk[j]) {
			j++
		}
		if err := p.b.write(p.blk[p.i:j]); err != nil {
			return err
		}
		done := j < p.n
		p.advance(j - p.i)
		if done {
			break
		}
	}
	if inArray {
		return nil
	}
	return p.b.endValue()
}

func isNumByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// literal skips true, false or null.
func (p *jsonParser) literal() error {
	p.ensure(5)
	j := p.i
	for j < p.n && p.blk[j] >= 'a' && p.blk[j] <= 'z' && j-p.i < 5 {
		j++
	}
	switch string(p.blk[p.i:j]) {
	case "true", "false", "null":
		p.advance(j - p.i)
		return nil
	}
	return p.malformed("bad literal")
}

// closeOpen closes a value left open by a syntax error.
func (p *jsonParser) closeOpen() error {
	if p.b.vstart >= 0 || p.b.stream != nil {
		return p.b.endValue()
	}
	return nil
}

// rescue handles a syntax error in a JSON document: what was parsed is
// scanned, and the rest of the stream is scanned as plain text, so nothing
// is lost; the object is reported partial.
func (p *jsonParser) rescue(mal *errMalformed) error {
	if err := p.closeOpen(); err != nil {
		return err
	}
	if err := p.b.finish(); err != nil {
		return err
	}
	rest := io.MultiReader(bytes.NewReader(p.blk[p.i:p.n]), p.r)
	if err := p.o.scanText(rest, nil, p.off+int64(p.i)); err != nil {
		return err
	}
	return mal
}

// skipBadLine handles a line of JSON Lines that did not parse: the rest of
// the line is scanned as text and parsing resumes on the next line.
func (p *jsonParser) skipBadLine(mal *errMalformed) {
	if p.bad == 0 {
		p.badOff = mal.off
	}
	p.bad++
	_ = p.closeOpen()
	p.stack = p.stack[:0]
	loc := p.pos()
	loc.rec = p.cols.line - 1
	p.b.beginValue(nil, loc)
	for p.ensure(1) {
		seg := p.blk[p.i:p.n]
		k := bytes.IndexByte(seg, '\n')
		if k < 0 {
			_ = p.b.write(seg)
			p.advance(len(seg))
			continue
		}
		_ = p.b.write(seg[:k])
		p.advance(k)
		break
	}
	_ = p.b.endValue()
	_ = p.b.endRecord()
}
