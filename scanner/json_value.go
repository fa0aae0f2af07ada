package scanner

import (
	"bytes"
	"encoding/binary"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// value reads the value starting at p.i (after white space) at path node.
func (p *jsonParser) value(node *pathNode) error {
	c := p.w.buf[p.i]
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
	case c == '"':
		return p.stringValue(node)
	case c == '{' || c == '[':
		return p.push(node, c == '[')
	case isNum:
		return p.number(node, top)
	case c == 't' || c == 'f' || c == 'n':
		return p.literal()
	case c == '/' && !p.lines:
		return p.commentedValue(node, top)
	}
	return p.malformed("unexpected character")
}

// commentedValue reads the comments before a value (json_comment.go), then
// the value; comments after a root value and before the end of input, or
// after an array's last element or trailing comma (the array's ']' is
// left to arrayStep), stand for none.
func (p *jsonParser) commentedValue(node *pathNode, top *jsonFrame) error {
	c, ok, err := p.comment()
	switch {
	case err != nil:
		return err
	case !ok && top == nil:
		return nil
	case !ok:
		return p.malformed("unexpected end of input")
	case c == ']' && top != nil && top.array:
		return nil
	}
	return p.value(node)
}

// commentAt reads the comments at c where the strict grammar wants
// something else (want says what) and returns the byte after them: c must
// be the '/' that starts one, in a JSON document; anything else, and any
// comment in JSON Lines, is malformed.
func (p *jsonParser) commentAt(c byte, want string) (byte, error) {
	if c != '/' || p.lines {
		return c, p.malformed(want)
	}
	return p.afterComment()
}

// afterComment reads the comments at a '/' where the strict grammar wants
// something else, and returns the byte after them.
func (p *jsonParser) afterComment() (byte, error) {
	c, ok, err := p.comment()
	if err == nil && !ok {
		err = p.malformed("unexpected end of input")
	}
	return c, err
}

// push opens an object or array at node.
func (p *jsonParser) push(node *pathNode, array bool) error {
	if len(p.stack) >= maxJSONDepth {
		return p.malformed("nesting deeper than 512 levels")
	}
	p.i++
	f := jsonFrame{node: node, array: array, expect: expKeyOrEnd}
	if array {
		f.expect = expValueOrEnd
		// The records: the elements of a top-level array, or of the first
		// array of objects (or arrays) in a top-level object. An array of
		// numbers or strings there ({"user_id": .., "embedding": [..]}) is a
		// value of the document's one record, not a list of records.
		f.records = !p.lines && p.recs < 0 && (len(p.stack) == 0 || (len(p.stack) == 1 && !p.stack[0].array && p.containerNext()))
		if f.records {
			p.recs = len(p.stack)
			if len(p.stack) > 0 && p.rowsNext() {
				// Rows after other members of the document: they start a
				// call of the engine, whose first value tells it a table's
				// columns (classifiers' profileColumns).
				if err := p.b.cut(); err != nil {
					return err
				}
			}
		}
		f.row = p.lines && len(p.stack) == 0 || len(p.stack) > 0 && p.stack[len(p.stack)-1].records
		p.tab.OpenArray(len(p.stack), node.key, !p.lines && len(p.stack) == 1 && !p.stack[0].array, f.row)
	}
	p.stack = append(p.stack, f)
	return nil
}

// rowsNext reports an array at p.i, after white space: the records are
// rows.
func (p *jsonParser) rowsNext() bool {
	c, ok := p.peek()
	return ok && c == '['
}

// containerNext reports an object or an array at p.i, after white space
// (and comments, which are left to be read in the array).
func (p *jsonParser) containerNext() bool {
	c, ok := p.peek()
	if ok && c == '/' && !p.lines {
		c, ok = p.pastComments()
	}
	return ok && (c == '{' || c == '[')
}

// step advances the innermost open container, starting at byte c.
func (p *jsonParser) step(c byte) error {
	depth := len(p.stack)
	f := &p.stack[depth-1]
	if f.array {
		return p.arrayStep(f, c, depth)
	}
	return p.objectStep(f, c, depth)
}

// objectStep reads members of object f (at stack depth depth) until it
// closes or a member's value opens a container.
func (p *jsonParser) objectStep(f *jsonFrame, c byte, depth int) error {
	for {
		switch f.expect {
		case expKeyOrEnd, expKey:
			if c == '}' && f.expect == expKeyOrEnd {
				return p.pop()
			}
			if c != '"' {
				if p.lines {
					return p.malformed("expected a key")
				}
				if c == '}' { // a trailing comma
					return p.pop()
				}
				var err error
				if c, err = p.commentAt(c, "expected a key"); err != nil {
					return err
				}
				continue
			}
			if err := p.members(f); err != nil {
				return err
			}
			if f.expect == expKeyOrEnd || f.expect == expKey {
				n, err := p.member(f) // a key members left: escaped, or past the window
				if err != nil {
					return err
				}
				f.memberKey = n
				f.expect = expColon
			}
		case expColon:
			if c != ':' {
				var err error
				if c, err = p.commentAt(c, "expected ':'"); err != nil {
					return err
				}
				continue
			}
			p.i++
			f.expect = expMemberValue
		case expMemberValue:
			f.expect = expCommaOrEnd
			if err := p.value(f.memberKey); err != nil {
				return err
			}
			if len(p.stack) != depth {
				return nil // f is no longer on top (and may have moved)
			}
		case expCommaOrEnd:
			switch c {
			case ',':
				p.i++
				f.expect = expKey
			case '}':
				return p.pop()
			case '/':
				var err error
				if c, err = p.commentAt(c, "expected ',' or '}'"); err != nil {
					return err
				}
				continue
			default:
				return p.malformed("expected ',' or '}'")
			}
		}
		var ok bool
		if c, ok = p.peek(); !ok {
			return p.malformed("unexpected end of input")
		}
	}
}

// members reads members of object f from p.i, a key's opening quote,
// while they are plain: a key and a string or number value, no escapes or
// line breaks in them, at most spaces around the colon, all in the window
// (compact JSON and JSON Lines are this throughout). It keeps the parser's
// position in a local and leaves f's state right where it stops, at
// anything else, for objectStep.
func (p *jsonParser) members(f *jsonFrame) error {
	buf := p.w.buf[:p.w.n]
	i := p.i
	// Strings are plain while they end before the next backslash or line
	// break; the loop never passes either (outside strings they stop it).
	stop := min(p.nl.find(buf, i, '\n'), p.bs.find(buf, i, '\\'))
	for {
		s := i + 1
		node := f.predict(buf, s)
		var q int
		if node != nil {
			q = s + len(node.key) // before stop: the key has no backslash or line break
		} else {
			if q = quoteFrom(buf, s); q >= stop {
				return nil
			}
			node = p.lookup(f, buf[s:min(q, s+maxJSONKey)])
		}
		if node.scan {
			if err := p.keyValue(f, node, buf[s:q], s); err != nil {
				return err
			}
		}
		f.memberKey, f.expect = node, expColon
		i = q + 1
		for i < len(buf) && buf[i] == ' ' {
			i++
		}
		p.i = i
		if i == len(buf) || buf[i] != ':' {
			return nil
		}
		i++
		for i < len(buf) && buf[i] == ' ' {
			i++
		}
		p.i, f.expect = i, expMemberValue
		if i == len(buf) {
			return nil
		}
		switch c := buf[i]; {
		case c == '"':
			s = i + 1
			if q = quoteFrom(buf, s); q >= stop {
				return nil
			}
			p.i, f.expect = q+1, expCommaOrEnd
			if p.tab.Active() {
				p.capture(node, buf[s:q], true)
			}
			if err := p.b.add(p.slotOf(node), spanLoc{off: p.w.off + int64(s), rec: p.recRef()}, buf[s:q]); err != nil {
				return err
			}
			i = q + 1
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(buf) && numByte[buf[j]] {
				j++
			}
			if j == len(buf) {
				return nil
			}
			p.i, f.expect = j, expCommaOrEnd
			if err := p.b.add(p.slotOf(node), spanLoc{off: p.w.off + int64(i), rec: p.recRef()}, buf[i:j]); err != nil {
				return err
			}
			i = j
		default:
			return nil
		}
		if i+1 >= len(buf) || buf[i] != ',' || buf[i+1] != '"' {
			return nil
		}
		i++
		p.i, f.expect = i, expKey
	}
}

// arrayStep reads elements of array f (at stack depth depth) until it
// closes or an element opens a container.
func (p *jsonParser) arrayStep(f *jsonFrame, c byte, depth int) error {
	for {
		switch f.expect {
		case expValueOrEnd, expValue:
			if c == ']' { // also tolerates a trailing comma
				return p.pop()
			}
			f.expect = expCommaOrEnd
			if f.records {
				p.b.beginRecord()
			}
			if c != '"' {
				p.tab.Other(depth - 1) // a number, a container, a literal or a comment
			}
			if err := p.value(p.elemNode(f)); err != nil {
				return err
			}
			if len(p.stack) != depth {
				return nil
			}
		case expCommaOrEnd:
			switch c {
			case ',':
				p.i++
				if f.records {
					if err := p.b.endRecord(); err != nil {
						return err
					}
				}
				f.index++
				f.expect = expValue
			case ']':
				return p.pop()
			case '/':
				var err error
				if c, err = p.commentAt(c, "expected ',' or ']'"); err != nil {
					return err
				}
				continue
			default:
				return p.malformed("expected ',' or ']'")
			}
		}
		var ok bool
		if c, ok = p.peek(); !ok {
			return p.malformed("unexpected end of input")
		}
	}
}

// pop closes the innermost container.
func (p *jsonParser) pop() error {
	p.i++
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if f.array && p.tab.Close(len(p.stack), p.known) {
		f.node.cols = nil // a header: the cells of the rows to come are labelled
	}
	if f.numRun {
		if f.row && f.runAt == 0 {
			p.b.relabel(p.slotOf(f.node)) // the whole row: a pair or a vector
		}
		if err := p.b.endValue(); err != nil {
			return err
		}
	}
	if f.records {
		p.recs = -1
		if err := p.b.endRecord(); err != nil {
			return err
		}
		p.b.beginRecord() // values after the records form their own group
	}
	return nil
}

// member reads the key at p.i and returns the member's path node.
func (p *jsonParser) member(f *jsonFrame) (*pathNode, error) {
	for {
		buf := p.w.buf[:p.w.n]
		s := p.i + 1
		if q := quoteFrom(buf, s); q < len(buf) {
			if p.bs.find(buf, s, '\\') < q {
				break // escaped: the slow way
			}
			p.breaks(buf, s, q)
			p.i = q + 1
			n := p.lookup(f, buf[s:min(q, s+maxJSONKey)])
			if n.scan {
				if err := p.keyValue(f, n, buf[s:q], s); err != nil {
					return nil, err
				}
			}
			return n, nil
		}
		if p.w.eof || len(buf)-p.i > maxInline || !p.more(p.i) {
			break
		}
	}
	// The slow way reads the key into p.key and, as a value may be, into
	// the batch; the value is dropped there unless it qualifies (a key
	// long enough to be streamed stays).
	p.key, p.keyHit = p.key[:0], false
	p.b.beginSlot(p.keySlotOf(f.node), spanLoc{off: p.w.off + int64(p.i) + 1, rec: p.recRef()})
	if err := p.readString(true); err != nil {
		return nil, err
	}
	if p.keyHit || p.b.stream != nil {
		if err := p.b.endValue(); err != nil {
			return nil, err
		}
	} else {
		p.b.dropValue()
	}
	return p.lookup(f, p.key), nil
}

// keyValue adds the key of a member of f, key at buf[s:] in the window,
// as a value at f's path when it may be a personal value; n is the
// member's node, whose scan flag is set. A key longer than maxInline is
// scanned whatever it holds, as the slow way streams it before it knows
// (sinks/redact reads keys by the same rule).
func (p *jsonParser) keyValue(f *jsonFrame, n *pathNode, key []byte, s int) error {
	if !n.exact && len(key) <= maxInline && !keyScan(key) {
		return nil
	}
	return p.b.add(p.keySlotOf(f.node), spanLoc{off: p.w.off + int64(s), rec: p.recRef()}, key)
}

// keyScan reports whether a key may be a personal value: it holds a digit
// or an '@' (phone and ID numbers, e-mail addresses), or an 0xEF, the
// first byte of full-width digits (１３８…: the engine reads them too, and
// a key may be cut into segments inside a character, never before its
// first byte). Other keys are field names, which the engine already reads
// as context.
func keyScan[T string | []byte](key T) bool {
	for i := 0; i < len(key); i++ {
		if c := key[i]; c-'0' <= 9 || c == '@' || c == 0xEF {
			return true
		}
	}
	return false
}

// successors returns where the members likely to come next in f are
// noted: after the last member read, or, for the first, on f's node.
func (f *jsonFrame) successors() *[2]*pathNode {
	if f.memberKey != nil {
		return &f.memberKey.after
	}
	return &f.node.first
}

// predict returns the member of f whose key the raw bytes at buf[s:] hold,
// closing quote included, if it is one of the two noted to come next; nil
// otherwise. Such a key is plain, so it ends there and holds neither a
// backslash nor a line break, and its node is the one lookup would return.
func (f *jsonFrame) predict(buf []byte, s int) *pathNode {
	next := f.successors()
	if s+16 > len(buf) {
		return predictShort(next, buf, s)
	}
	// Keys of up to 16 bytes with their quote are compared as two words.
	w := buf[s : s+16]
	x, y := binary.LittleEndian.Uint64(w), binary.LittleEndian.Uint64(w[8:])
	for _, c := range next {
		switch {
		case c == nil:
		case c.qm[0] != 0:
			if (x^c.qw[0])&c.qm[0]|(y^c.qw[1])&c.qm[1] == 0 {
				return c
			}
		case len(c.qkey) > 0 && len(buf)-s >= len(c.qkey) && string(buf[s:s+len(c.qkey)]) == c.qkey:
			return c
		}
	}
	return nil
}

// predictShort is predict where fewer than 16 bytes are left in buf.
func predictShort(next *[2]*pathNode, buf []byte, s int) *pathNode {
	for _, c := range next {
		if c != nil && len(c.qkey) > 0 && len(buf)-s >= len(c.qkey) && string(buf[s:s+len(c.qkey)]) == c.qkey {
			return c
		}
	}
	return nil
}

// lookup returns the child of f's node for key: first the members noted
// to come next, then (objects of a few shapes) the other members, then
// the map; a member found there becomes the one noted first.
func (p *jsonParser) lookup(f *jsonFrame, key []byte) *pathNode {
	next := f.successors()
	for _, c := range next {
		if c != nil && c.key == string(key) {
			return c
		}
	}
	n := f.node
	c := n.find(key)
	if c == nil {
		c = n.child(p, key)
	}
	next[0], next[1] = c, next[0]
	return c
}

// find looks key up among a handful of members by comparing, which is
// cheaper than hashing it; nil when not found that way.
func (n *pathNode) find(key []byte) *pathNode {
	if len(n.kids) > 16 {
		return nil
	}
	for _, c := range n.kids {
		if len(c.key) == len(key) && c.key == string(key) {
			return c
		}
	}
	return nil
}

// stringValue reads a string value into the batch; one without escapes
// that the window holds is added in one step.
func (p *jsonParser) stringValue(node *pathNode) error {
	for {
		buf := p.w.buf[:p.w.n]
		s := p.i + 1
		if q := quoteFrom(buf, s); q < len(buf) {
			if p.bs.find(buf, s, '\\') < q {
				break
			}
			p.breaks(buf, s, q)
			p.i = q + 1
			if p.tab.Active() {
				p.capture(node, buf[s:q], true)
			}
			return p.b.add(p.slotOf(node), spanLoc{off: p.w.off + int64(s), rec: p.recRef()}, buf[s:q])
		}
		if p.w.eof || len(buf)-p.i > maxInline || !p.more(p.i) {
			break
		}
	}
	p.b.beginSlot(p.slotOf(node), spanLoc{off: p.w.off + int64(p.i) + 1, rec: p.recRef()})
	if err := p.readString(false); err != nil {
		return err
	}
	if p.tab.Active() {
		if p.b.stream == nil && p.b.vstart >= 0 {
			p.capture(node, p.b.buf[p.b.vstart:], true)
		} else {
			p.capture(node, nil, false)
		}
	}
	return p.b.endValue()
}

// readString reads a string starting at its opening quote and passes its
// unescaped content, piece by piece, to the key or the open value.
func (p *jsonParser) readString(key bool) error {
	p.i++
	for {
		if !p.need(1) {
			return p.malformed("unterminated string")
		}
		buf := p.w.buf[:p.w.n]
		q := indexByteFrom(buf, p.i, '"')
		bs := p.bs.find(buf, p.i, '\\')
		end := min(q, bs)
		if end > p.i {
			p.breaks(buf, p.i, end)
			if err := p.out(key, buf[p.i:end]); err != nil {
				return err
			}
			p.i = end
		}
		switch {
		case bs < q:
			if err := p.escape(key); err != nil {
				return err
			}
		case q < len(buf):
			p.i++
			return nil
		}
	}
}

// out passes a piece of a string to the open value and, for a key, to
// the key (keyPart).
func (p *jsonParser) out(key bool, seg []byte) error {
	if key {
		p.keyPart(seg)
	}
	return p.b.write(seg)
}

// keyPart adds a piece of a key to the key (cut at maxJSONKey bytes),
// noting whether it may be a personal value.
func (p *jsonParser) keyPart(seg []byte) {
	if room := maxJSONKey - len(p.key); room > 0 {
		p.key = append(p.key, seg[:min(room, len(seg))]...)
	}
	p.keyHit = p.keyHit || keyScan(seg)
}

// escape decodes one backslash escape (JSON RFC 8259 section 7), joining
// UTF-16 surrogate pairs.
func (p *jsonParser) escape(key bool) error {
	p.need(12)
	if p.w.n-p.i < 2 {
		return p.malformed("unterminated escape")
	}
	buf := p.w.buf[:p.w.n]
	c := buf[p.i+1]
	n := 2
	dec := p.scratch[:0]
	switch c {
	case '"', '\\', '/':
		dec = append(dec, c)
	case 'b':
		dec = append(dec, '\b')
	case 'f':
		dec = append(dec, '\f')
	case 'n':
		dec = append(dec, '\n')
	case 'r':
		dec = append(dec, '\r')
	case 't':
		dec = append(dec, '\t')
	case 'u':
		r, ok := hex4(buf[p.i+2 : min(len(buf), p.i+6)])
		if !ok {
			return p.malformed("bad \\u escape")
		}
		n = 6
		if utf16.IsSurrogate(r) {
			if len(buf)-p.i >= 12 && buf[p.i+6] == '\\' && buf[p.i+7] == 'u' {
				if r2, ok := hex4(buf[p.i+8 : p.i+12]); ok {
					r = utf16.DecodeRune(r, r2)
					n = 12
				}
			}
			if n == 6 {
				r = utf8.RuneError
			}
		}
		dec = utf8.AppendRune(dec, r)
	default:
		return p.malformed("bad escape")
	}
	p.scratch = dec
	p.i += n
	if key {
		p.keyPart(dec)
	}
	return p.b.writeEscape(dec, n)
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

// numByte marks the bytes of a JSON number (leniently: any run of them).
var numByte = [256]bool{'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true,
	'7': true, '8': true, '9': true, '-': true, '+': true, '.': true, 'e': true, 'E': true}

// number reads a number. In an array, consecutive numbers form one value.
func (p *jsonParser) number(node *pathNode, top *jsonFrame) error {
	inArray := top != nil && top.array
	for !inArray {
		buf := p.w.buf[:p.w.n]
		j := p.i
		for j < len(buf) && numByte[buf[j]] {
			j++
		}
		if j < len(buf) || p.w.eof {
			s := p.i
			p.i = j
			return p.b.add(p.slotOf(node), spanLoc{off: p.w.off + int64(s), rec: p.recRef()}, buf[s:j])
		}
		if j-p.i > maxInline {
			break
		}
		p.more(p.i)
	}
	loc := spanLoc{off: p.w.off + int64(p.i), rec: p.recRef()}
	if inArray && top.numRun {
		if err := p.b.writeByte(','); err != nil {
			return err
		}
	} else {
		f := node // in a row, the column of the run's first number
		if inArray {
			if !top.row {
				f = top.node // a vector or pair is one value at the array's path
			}
			top.numRun, top.runAt = true, top.index
		}
		p.b.beginSlot(p.slotOf(f), loc)
	}
	for p.need(1) {
		buf := p.w.buf[:p.w.n]
		j := p.i
		for j < len(buf) && numByte[buf[j]] {
			j++
		}
		if err := p.b.write(buf[p.i:j]); err != nil {
			return err
		}
		p.i = j
		if j < len(buf) {
			break
		}
	}
	if inArray {
		return nil
	}
	return p.b.endValue()
}

// literal skips true, false or null.
func (p *jsonParser) literal() error {
	p.need(5)
	buf := p.w.buf[:p.w.n]
	j := p.i
	for j < len(buf) && buf[j] >= 'a' && buf[j] <= 'z' && j-p.i < 5 {
		j++
	}
	switch string(buf[p.i:j]) {
	case "true", "false", "null":
		p.i = j
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
	rest := io.MultiReader(bytes.NewReader(p.w.buf[p.i:p.w.n]), p.w.r)
	if err := p.o.scanText(rest, nil, p.w.off+int64(p.i)); err != nil {
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
	p.recs = -1
	p.b.beginValue(nil, spanLoc{off: p.w.off + int64(p.i), rec: p.w.lines.current() - 1})
	for p.need(1) {
		buf := p.w.buf[:p.w.n]
		k := indexByteFrom(buf, p.i, '\n')
		_ = p.b.write(buf[p.i:k])
		p.i = k
		if k < len(buf) {
			break
		}
	}
	_ = p.b.endValue()
	_ = p.b.endRecord()
}
