package redact

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
)

// JSON documents and JSON Lines are rewritten by a streaming tokenizer
// that copies every byte it reads to a pending output and notes where each
// value sits in it (a slot). Values go to the engine as the scanner's JSON
// decoder presents them (scanner/json.go): field = the JSON path with
// array indexes written [*], records = the elements of a top-level array
// (or of an array of objects or arrays directly in the top-level object) or the lines of JSON
// Lines, a run of numbers in an array = one comma-separated value at the
// array's path. When a batch of records is classified, the pending output
// is written with the slots that have edits replaced: in strings only the
// replaced parts (escapes elsewhere kept as they were, json_string.go),
// numbers as numbers or null, a numeric array that is the whole array
// (a face embedding) by [] or a list of numbers. A key with a digit or an
// '@' is a string value too, at the path of its object, as the scanner
// reads it (an object keyed by phone number), and is replaced the same
// way; other keys, nesting, white space and record counts stay as they
// were.
//
// Memory: the pending output and values of one batch (about batchBytes
// of values, flushed at record ends), plus the longest string. A
// document that is one huge object is flushed every maxPending bytes
// with the record continued (the engine keeps its record facts).

const (
	maxJSONDepth = 512
	maxJSONKey   = 128
	maxJSONNodes = 20000
	// maxPending bounds a batch of one huge record (the scanner's part
	// of a record is as big, scanner/batch.go): at 16 MiB a document of
	// one object keyed by a million phone numbers held ~1 GB of matches.
	maxPending = 1 << 20
	// maxKeyInline is the scanner's maxInline: a longer key is a value
	// whatever it holds (keyValue).
	maxKeyInline = 64 << 10
)

// slotKind is what a slot of the pending output holds.
type slotKind uint8

const (
	slotString       slotKind = iota // a string value, quotes included
	slotNumber                       // one number
	slotRun                          // numbers of an array that are not all of it
	slotArray                        // a whole array of numbers, brackets included
	slotText                         // a line of JSON Lines that did not parse
	slotLineComment                  // the text of a // comment (json_comment.go)
	slotBlockComment                 // the text of a /* */ comment
)

type jslot struct {
	o0, o1 int // bounds in the pending output
	span   int
	kind   slotKind
	n      int  // numbers in a run
	obj    int  // for a key: the serial of its object (keyed), else 0
	open   bool // a string cut by an error: no closing quote
}

// pathNode is one JSON path; its field is prepared once.
type pathNode struct {
	name     string
	key      string // the member name under its parent object, "\x00*" for the wildcard
	label    string // a row cell's column label (scanner.JSONTable), "" for none
	field    *classifiers.Field
	keyField *classifiers.Field // of the keys of the object at this path
	keys     map[string]*pathNode
	elem     *pathNode
	cols     []*pathNode // the cells [0], [1], ... of a row (jsonFrame.row)
}

// jsonFrame is an open container.
type jsonFrame struct {
	array   bool
	records bool
	row     bool // a record: its elements are cells, as in the scanner (scanner.JSONRowCell)
	// a run of numbers in an array
	run      bool
	runFirst bool // the run started at the array's first element
	runO0    int  // output offset of the run's first number
	runO1    int  // output offset after its last number
	runB0    int  // value offset in buf
	runN     int
	runAt    int // index of its first number
	arrO0    int // output offset of '['
	elems    int
	obj      int // an object's serial (jsonRW.objs)
	node     *pathNode
	// comments in an array (json_comment.go): commented, one was read;
	// afterElem, an element was read and its comma not yet; commentRec,
	// a comment began the record of the element to come
	commented, afterElem, commentRec bool
}

// byteSource is what the tokenizer reads: a bufio.Reader for a document,
// a bytes.Reader for a line of JSON Lines.
type byteSource interface {
	ReadByte() (byte, error)
	UnreadByte() error
}

type jsonRW struct {
	o     *objRun
	w     io.Writer
	src   byteSource
	lines bool
	off   int64 // bytes read, for error offsets
	// fits says whether the output encoding holds a character (nil: all
	// of Unicode); replaced strings escape those it does not.
	fits func(rune) bool

	out   []byte
	slots []jslot
	buf   []byte
	spans []classifiers.Span
	rec   int64
	inRec bool
	stack []jsonFrame
	key   []byte
	tab   scanner.JSONTable // what names the cells of the rows, as in the scanner
	root  *pathNode
	nodes int
	tmp   []byte
	// scratch of spliceString
	bounds  []int
	unesc   []byte
	openRaw []byte // an open string with its quote (slotValue)
	// objs numbers the objects; keyed holds, per object still open at the
	// last flush, the keys written for its replaced keys, so that two keys
	// masked alike ("138****5678") do not become one (keyed.go).
	objs  int
	keyed map[int]*keySet
	// flushed counts the bytes of pending output written so far.
	flushed int
	// strEnd is the output offset after the last whole character or
	// escape of the string readString reads.
	strEnd int
}

// json rewrites a JSON document or JSON Lines (lines) read from r, in
// UTF-8, to w; fits is runeFits of the encoding w writes to.
func (o *objRun) json(r io.Reader, lines bool, w io.Writer, fits func(rune) bool) error {
	p := &jsonRW{o: o, w: w, lines: lines, fits: fits, root: &pathNode{name: "$"}, tab: scanner.NewJSONTable()}
	br := bufio.NewReaderSize(r, 64<<10)
	if lines {
		return p.jsonLines(br)
	}
	p.src = br
	for {
		if err := o.ctx.Err(); err != nil {
			return err
		}
		p.stack = p.stack[:0]
		p.tab.Document(false)
		more, err := p.ws()
		if err == nil && !more {
			break
		}
		if err == nil {
			err = p.value(p.root)
		}
		if err != nil {
			var mal *malformedError
			if !errors.As(err, &mal) {
				return err
			}
			return p.rescue(mal, br)
		}
	}
	return p.flush(false)
}

// rescue handles a document that stopped parsing: what was parsed is
// written, and the rest (from the end of the last complete value) is
// rewritten as plain text, so nothing is kept unexamined. The object is
// then partial.
func (p *jsonRW) rescue(mal *malformedError, rest io.Reader) error {
	safeEnd := 0
	if n := len(p.slots); n > 0 {
		safeEnd = p.slots[n-1].o1
	}
	tail := bytes.Clone(p.out[safeEnd:])
	p.out = p.out[:safeEnd]
	if n := len(p.spans); n > 0 {
		p.buf = p.buf[:p.spans[n-1].End+1]
	} else {
		p.buf = p.buf[:0]
	}
	if err := p.flush(false); err != nil {
		return err
	}
	if p.o.fallback == nil {
		p.o.fallback = &malformedError{format: "json", off: mal.off, msg: mal.msg + "; the rest was rewritten as text"}
	}
	return p.o.textStream(io.MultiReader(bytes.NewReader(tail), rest), p.w)
}

// next reads a byte and copies it to the pending output.
func (p *jsonRW) next() (byte, error) {
	c, err := p.src.ReadByte()
	if err != nil {
		return 0, err
	}
	p.off++
	p.out = append(p.out, c)
	return c, nil
}

// peek returns the next byte without consuming it.
func (p *jsonRW) peek() (byte, error) {
	c, err := p.src.ReadByte()
	if err != nil {
		return 0, err
	}
	_ = p.src.UnreadByte()
	return c, nil
}

// ws copies white space, and comments in a JSON document; it reports
// whether anything follows.
func (p *jsonRW) ws() (bool, error) {
	for {
		c, err := p.src.ReadByte()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			_ = p.src.UnreadByte()
			if c == '/' && !p.lines {
				if err := p.comment(); err != nil {
					return false, err
				}
				continue
			}
			return true, nil
		}
		p.off++
		p.out = append(p.out, c)
	}
}

// wsOnly copies white space (not comments) and returns the next byte.
func (p *jsonRW) wsOnly() (byte, error) {
	for {
		c, err := p.src.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, p.malformed("unexpected end of input")
			}
			return 0, err
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			_ = p.src.UnreadByte()
			return c, nil
		}
		p.off++
		p.out = append(p.out, c)
	}
}

// wsMust copies white space and fails at the end of input.
func (p *jsonRW) wsMust() (byte, error) {
	more, err := p.ws()
	if err != nil {
		return 0, err
	}
	if !more {
		return 0, p.malformed("unexpected end of input")
	}
	return p.peek()
}

func (p *jsonRW) beginRecord() {
	p.rec++
	p.inRec = true
}

// endRecord closes a record; the batch is classified when it is big.
func (p *jsonRW) endRecord() error {
	p.inRec = false
	if len(p.buf) >= batchBytes || len(p.out) >= maxPending {
		return p.flush(false)
	}
	return nil
}

// addSpan adds a value to the batch.
func (p *jsonRW) addSpan(v []byte, f *classifiers.Field, kind deid.Kind) {
	if !p.inRec {
		p.beginRecord()
	}
	start := len(p.buf)
	p.buf = append(p.buf, v...)
	p.spans = append(p.spans, classifiers.Span{Start: start, End: len(p.buf), Field: f, Record: p.rec, Kind: kind})
	p.buf = append(p.buf, '\n')
}

func (p *jsonRW) fieldOf(n *pathNode) *classifiers.Field {
	if n.field == nil {
		if n.label != "" {
			n.field = p.o.w.labelledField(n.name, n.label)
		} else {
			n.field = p.o.w.field(n.name)
		}
	}
	return n.field
}

// capture passes the string v just read at node to the table's column
// list or first row, as the scanner does (scanner.JSONTable.String).
func (p *jsonRW) capture(node *pathNode, v []byte) {
	top := len(p.stack) - 1
	if top < 0 {
		return
	}
	list := int64(-1)
	if at := p.tab.ListAt(); at >= 0 {
		list = int64(p.stack[at].elems)
	}
	p.tab.String(top, p.stack[top].array, node.key, list, v, true)
}

// known reports a label the rules know (scanner.JSONTable.Close).
func (p *jsonRW) known(label string) bool { return p.o.w.field(label).Known() }

// keyFieldOf returns the field of the keys of the object at n.
func (p *jsonRW) keyFieldOf(n *pathNode) *classifiers.Field {
	if n.keyField == nil {
		n.keyField = p.fieldOf(n).Keys()
	}
	return n.keyField
}

// child returns the node of member key: the member * for a key that is
// data, and for every new key past maxJSONNodes, as the scanner names
// paths (scanner.JSONDataKey), so that a value has the same field in both.
func (p *jsonRW) child(n *pathNode, key []byte) *pathNode {
	wild := scanner.JSONDataKey(key)
	if !wild {
		if c, ok := n.keys[string(key)]; ok {
			return c
		}
		wild = p.nodes >= maxJSONNodes
	}
	k := "\x00*"
	if !wild {
		k = string(key)
	} else if c, ok := n.keys[k]; ok {
		return c
	}
	if n.keys == nil {
		n.keys = map[string]*pathNode{}
	}
	name := n.name + "." + k
	if wild {
		name = n.name + ".*"
	}
	c := &pathNode{name: name, key: k}
	n.keys[k] = c
	p.nodes++
	return c
}

func (p *jsonRW) element(n *pathNode) *pathNode {
	if n.elem == nil {
		n.elem = &pathNode{name: n.name + "[*]"}
		p.nodes++
	}
	return n.elem
}

// elemNode returns the node of element i of array fr: a row's cell [i]
// (scanner.JSONRowCell), [*] otherwise.
func (p *jsonRW) elemNode(fr *jsonFrame, i int) *pathNode {
	n := fr.node
	if !fr.row || i >= scanner.MaxJSONRowColumns {
		return p.element(n)
	}
	for len(n.cols) <= i {
		n.cols = append(n.cols, nil)
	}
	if n.cols[i] == nil {
		n.cols[i] = &pathNode{name: scanner.JSONRowCell(n.name, int64(i)), label: p.tab.Label(int64(i))}
		p.nodes++
	}
	return n.cols[i]
}

// recordsOpen reports an open array whose elements are records.
func (p *jsonRW) recordsOpen() bool {
	for i := range p.stack {
		if p.stack[i].records {
			return true
		}
	}
	return false
}

// value reads the value at the current position (after white space).
func (p *jsonRW) value(node *pathNode) error {
	c, err := p.peek()
	if err != nil {
		return p.malformed("unexpected end of input")
	}
	switch {
	case c == '{':
		return p.object(node)
	case c == '[':
		return p.array(node)
	case c == '"':
		return p.stringValue(node)
	case c == '-' || (c >= '0' && c <= '9'):
		o0 := len(p.out)
		if err := p.number(); err != nil {
			return err
		}
		p.addSpan(p.out[o0:], p.fieldOf(node), deid.KindJSONNumber)
		p.slots = append(p.slots, jslot{o0: o0, o1: len(p.out), span: len(p.spans) - 1, kind: slotNumber})
		return p.valve()
	case c == 't' || c == 'f' || c == 'n':
		return p.literal()
	}
	return p.malformed("unexpected character")
}

// valve flushes a document that is not made of records before its pending
// output grows without bound; the record continues in the next batch.
func (p *jsonRW) valve() error {
	if len(p.buf) < maxPending && len(p.out) < maxPending {
		return nil
	}
	for i := range p.stack {
		if p.stack[i].run {
			return nil
		}
	}
	return p.flush(p.inRec)
}
