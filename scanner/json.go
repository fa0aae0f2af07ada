package scanner

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/piiscan/piiscan/classifiers"
)

// jsonParser streams JSON documents and JSON Lines into the record batch:
// every string and number is a value whose field is its JSON path, with
// array indexes written [*] ($.patients[*].id_no; a row's cells at their
// positions, $[*][1]: see JSONRowCell) and member names that
// are data written * ($.users.*.name, see dataKey), and record rules see
// the right grouping: each line of JSON Lines, each element of a top-level
// array (or of the first array of objects or arrays in a top-level
// object) is one record.
// Runs of numbers in an array (a coordinate pair, an embedding vector)
// are one value, written with commas.
//
// Tokens are read from the window with searches, not byte by byte: a
// string's closing quote with bytes.IndexByte, while the next backslash
// and line break are searched once and cached (nextByte), so a string
// without escapes is added to the batch in one step. A key is first
// compared, as raw bytes with its closing quote, with the members that
// followed the previous member the last times (objects of one or two
// shapes list their keys in one order: JSON Lines records), which finds
// both its end and its node without a search; then among the members,
// then in the map.
//
// A key that could itself be a personal value (an object keyed by phone
// number, e-mail or ID number: maps, indexes, caches) is a value too, at
// the path of the object that holds it, so its own name is no context for
// it. Only keys with a digit or an '@' qualify; a known key's answer is
// kept on its path node (pathNode.scan), so field names cost nothing more.
//
// It is written by hand rather than on encoding/json because the standard
// decoder allocates per token, gives no offsets for values and has no
// nesting limit; this parser keeps memory bounded by the nesting depth and
// the longest key, and streams long strings.
type jsonParser struct {
	o     *objectScan
	b     *batch
	w     window
	lines bool // JSON Lines: a document per line, record = line index
	i     int  // next byte in w.buf
	err   error

	nl, bs nextByte // the next '\n' and '\\'
	keyHit bool     // the key readString is reading may be a personal value

	root    *pathNode
	nodes   int
	stack   []jsonFrame
	recs    int       // index in stack of the array whose elements are records, -1 for none
	tab     JSONTable // what names the cells of the rows
	key     []byte
	docRec  int64 // JSON Lines: index of the current line's document
	docs    int
	bad     int // JSON Lines: lines that did not parse
	badOff  int64
	scratch []byte
}

// pathNode is one JSON path; its field is prepared once and shared by
// every value at that path.
type pathNode struct {
	name    string
	key     string // the member name under its parent object
	slot    fieldSlot
	keySlot fieldSlot // of the keys of the object at this path (Field.Keys)
	keys    map[string]*pathNode
	kids    []*pathNode // in order of first appearance
	elem    *pathNode
	cols    []*pathNode // the elements [0], [1], ... of a row (jsonFrame.row)
	label   string      // a row cell's column label (JSONTable), "" for none
	wild    *pathNode   // the member * (wildcard)
	// scan says the key may be a personal value (keyScan); exact, that key
	// is the whole member name (not cut at maxJSONKey, not the wildcard's).
	scan, exact bool
	// after holds the last two different members that followed this one in
	// its object, most recent first; first, on an object's node, its last
	// two different first members (see jsonParser.predict).
	after, first [2]*pathNode
	// qkey is key and its closing quote when key is exact and plain (no
	// quote, backslash or line break), so that raw bytes equal to qkey are
	// this member's key, ended; "" otherwise. qw and qm hold its bytes and
	// their mask as two little-endian words when it is at most 16 bytes.
	qkey   string
	qw, qm [2]uint64
}

type jsonFrame struct {
	node      *pathNode
	memberKey *pathNode // the member being read, or the last one read
	index     int64
	array     bool
	records   bool  // the elements of this array are records
	row       bool  // this array is a record: its elements are columns (JSONRowCell)
	runAt     int64 // index of the first number of the open run
	numRun    bool  // a run of numbers is open as one value
	expect    uint8 // what comes next
}

const (
	expValue = iota
	expKeyOrEnd
	expKey
	expColon
	expMemberValue // after a member's colon
	expCommaOrEnd
	expValueOrEnd
)

const (
	maxJSONDepth = 512
	maxJSONKey   = 128
	maxJSONNodes = 20000
)

func (o *objectScan) scanJSON(r io.Reader, lines bool) error {
	b := newBatch(o)
	b.counted = true
	p := &jsonParser{o: o, b: b, lines: lines, recs: -1, tab: NewJSONTable()}
	p.w.init(o.ctx, r, b, o.w.takeWinBuf())
	defer o.w.putWinBuf(p.w.buf)
	p.resetCache()
	p.root = &pathNode{name: "$"}
	err := p.run()
	if err != nil {
		return err
	}
	if p.bad > 0 {
		return &errMalformed{format: "jsonl", off: p.badOff, msg: strconv.Itoa(p.bad) + " line(s) are not valid JSON"}
	}
	return p.err
}

// child returns the node of member key, made on first sight. A key that
// is data (dataKey), and every new key once maxJSONNodes are made, is the
// member *: one node for all of them.
func (n *pathNode) child(p *jsonParser, key []byte) *pathNode {
	if dataKey(key) {
		return n.wildcard()
	}
	if c, ok := n.keys[string(key)]; ok {
		return c
	}
	if p.nodes >= maxJSONNodes {
		return n.wildcard()
	}
	c := n.add(string(key), n.name+"."+string(key))
	p.nodes++
	return c
}

// wildcard is the node of the members * of n ($.users.*), written as an
// array's elements are ($.users[*]).
func (n *pathNode) wildcard() *pathNode {
	if n.wild == nil {
		n.wild = n.add("\x00*", n.name+".*")
	}
	return n.wild
}

// dataKey reports whether a member name is data rather than a field name
// (full-width digits count as digits): one with an '@' after its first byte (an e-mail address; "@id" and
// "@timestamp" are names), one with a run of five or more digits (phone,
// ID and card numbers, user_10001), or digits without letters (1, 2024,
// 2024-01-01, 10.1.2.3). Such members are the member * of their object's
// path, as array elements are [*]: their values share one field, whose
// name holds no value, and what is kept per path (nodes, fields, column
// statistics) does not grow with the keys of an object keyed by them. The
// key itself is still scanned as a value (keyScan).
func dataKey(key []byte) bool {
	run, digits, letters := 0, 0, false
	for i := 0; i < len(key); i++ {
		c := key[i]
		if d := classifiers.WideDigit(key, i); d != 0 {
			c = d // a full-width digit (１３８…), read as the engine reads it
			i += 2
		}
		switch {
		case c-'0' <= 9:
			if run++; run >= 5 {
				return true
			}
			digits++
			continue
		case c == '@' && i > 0:
			return true
		case c >= 0x80 || (c|0x20)-'a' < 26:
			letters = true
		}
		run = 0
	}
	return digits > 0 && !letters
}

// JSONKeyScan reports whether a JSON member name may be a personal value
// and is scanned as one (keyScan); the de-identified copy writer replaces
// the same keys.
func JSONKeyScan(key []byte) bool { return keyScan(key) }

// JSONDataKey reports whether a JSON member name is data rather than a
// field name, so that its path segment is written * (dataKey); the
// de-identified copy writer names paths the same way.
func JSONDataKey(key []byte) bool { return dataKey(key) }

func (n *pathNode) add(key, name string) *pathNode {
	if n.keys == nil {
		n.keys = map[string]*pathNode{}
	}
	c := &pathNode{name: name, key: key}
	c.exact = len(key) < maxJSONKey && key != "\x00*"
	c.scan = !c.exact || keyScan(key)
	if c.exact && !strings.ContainsAny(key, "\"\\\n") {
		c.qkey = key + `"`
		var w [16]byte
		if len(c.qkey) <= len(w) {
			copy(w[:], c.qkey)
			for k := range c.qm {
				c.qw[k] = binary.LittleEndian.Uint64(w[8*k:])
				if m := len(c.qkey) - 8*k; m >= 8 {
					c.qm[k] = math.MaxUint64
				} else if m > 0 {
					c.qm[k] = 1<<(8*m) - 1
				}
			}
		}
	}
	n.keys[key] = c
	n.kids = append(n.kids, c)
	return c
}

func (n *pathNode) element(p *jsonParser) *pathNode {
	if n.elem == nil {
		n.elem = &pathNode{name: n.name + "[*]"}
		p.nodes++
	}
	return n.elem
}

// elemNode returns the node of the element of array f at its index: the
// column [i] of a row, [*] otherwise.
func (p *jsonParser) elemNode(f *jsonFrame) *pathNode {
	n := f.node
	if !f.row || f.index >= MaxJSONRowColumns {
		return n.element(p)
	}
	for int64(len(n.cols)) <= f.index {
		n.cols = append(n.cols, nil)
	}
	c := n.cols[f.index]
	if c == nil {
		c = &pathNode{name: JSONRowCell(n.name, f.index), label: p.tab.Label(f.index)}
		n.cols[f.index] = c
		p.nodes++
	}
	return c
}

// Rows. A table written as JSON without its column names (pandas'
// to_json with orient "values" or "split", ClickHouse's JSONCompactEachRow,
// a spreadsheet API's values) is an array of arrays: each inner array is a
// record, and its elements are the columns of a table without a header.
// Their paths name the position, $[*][0], $[*][1] (in JSON Lines $[0],
// $[1]), so the engine reads them as positional columns and profiles
// their values (classifiers/columns.go), as it does a headerless CSV's.
// The elements of an array are rows when it is an element of the records
// array, or a line of JSON Lines; only the first MaxJSONRowColumns
// elements are columns, the rest [*]. A run of numbers in a row is still
// one value, at the column of its first number, or at the row's own path
// when it is the whole row (a coordinate pair, a vector: $.route[*]).

// MaxJSONRowColumns bounds the columns of a JSON row named by position.
const MaxJSONRowColumns = 256

// JSONRowCell returns the path of element i of a row at path: path[i], or
// path[*] past MaxJSONRowColumns. The de-identified copy writer names the
// cells of rows the same way.
func JSONRowCell(path string, i int64) string {
	if i >= MaxJSONRowColumns {
		return path + "[*]"
	}
	return path + "[" + strconv.FormatInt(i, 10) + "]"
}

// capture passes a string value v at node to the table's column list or
// first row (JSONTable.String); ok is false when v could not be kept
// (streamed: too long to be a label).
func (p *jsonParser) capture(node *pathNode, v []byte, ok bool) {
	top := len(p.stack) - 1
	if top < 0 {
		return
	}
	list := int64(-1)
	if at := p.tab.ListAt(); at >= 0 {
		list = p.stack[at].index
	}
	p.tab.String(top, p.stack[top].array, node.key, list, v, ok)
}

// known reports a label the rules know (JSONTable.Close).
func (p *jsonParser) known(label string) bool { return p.o.w.field(label).Known() }

// slotOf returns the field slot of a node, preparing its field once.
func (p *jsonParser) slotOf(n *pathNode) *fieldSlot {
	if n.slot.f == nil {
		if n.label != "" {
			n.slot.f = p.o.w.labelledField(n.name, n.label)
		} else {
			n.slot.f = p.o.w.field(n.name) // cached by the worker across objects
		}
	}
	return &n.slot
}

// keySlotOf returns the field slot of the keys of the object at n.
func (p *jsonParser) keySlotOf(n *pathNode) *fieldSlot {
	if n.keySlot.f == nil {
		n.keySlot.f = p.slotOf(n).f.Keys()
	}
	return &n.keySlot
}

// more reads on (see window.more), keeping the bytes from keep.
func (p *jsonParser) more(keep int) bool {
	d, ok := p.w.more(keep)
	p.i -= d
	p.resetCache()
	return ok
}

func (p *jsonParser) resetCache() {
	p.nl.reset()
	p.bs.reset()
}

// need makes k bytes available from p.i unless input ends first, and
// reports whether any byte is.
func (p *jsonParser) need(k int) bool {
	for p.w.n-p.i < k && p.more(p.i) {
	}
	return p.w.n > p.i
}

// breaks records the line breaks in buf[a:b] (raw ones inside strings).
func (p *jsonParser) breaks(buf []byte, a, b int) {
	if p.nl.find(buf, a, '\n') < b {
		p.addBreaks(buf, a, b)
	}
}

func (p *jsonParser) addBreaks(buf []byte, a, b int) {
	for {
		j := p.nl.find(buf, a, '\n')
		if j >= b {
			return
		}
		p.w.lines.add(p.w.off + int64(j) + 1)
		a = j + 1
	}
}

// peek returns the next byte that is not white space.
func (p *jsonParser) peek() (byte, bool) {
	if p.i < p.w.n {
		if c := p.w.buf[p.i]; c > ' ' {
			return c, true
		}
	}
	return p.skipSpace()
}

// skipSpace passes white space, recording line breaks, and returns the
// byte after it; false at the end of input.
func (p *jsonParser) skipSpace() (byte, bool) {
	for {
		for ; p.i < p.w.n; p.i++ {
			switch c := p.w.buf[p.i]; c {
			case ' ', '\t', '\r':
			case '\n':
				p.w.lines.add(p.w.off + int64(p.i) + 1)
			default:
				return c, true
			}
		}
		if !p.more(p.i) {
			return 0, false
		}
	}
}

func (p *jsonParser) run() error {
	for {
		if p.docs++; p.docs&63 == 0 {
			if err := p.o.ctx.Err(); err != nil && !p.o.drain(p.w.err) {
				return err
			}
		}
		if _, ok := p.peek(); !ok {
			break
		}
		if err := p.document(); err != nil {
			var mal *errMalformed
			if !errors.As(err, &mal) {
				return err
			}
			if err := p.o.ctx.Err(); err != nil {
				return err
			}
			if !p.lines {
				return p.rescue(mal)
			}
			p.skipBadLine(mal)
		}
	}
	if err := p.o.ctx.Err(); err != nil && !p.o.drain(p.w.err) {
		return err
	}
	if p.err == nil {
		p.err = p.w.err
	}
	return p.b.finish()
}

// document parses one JSON value at the top level.
func (p *jsonParser) document() error {
	p.stack = p.stack[:0]
	p.recs = -1
	p.tab.Document(p.lines)
	if p.lines {
		p.docRec = p.w.lines.current() - 1 // JSON Lines: record = 0-based line index
		p.b.beginRecord()
	}
	if err := p.value(p.root); err != nil {
		return err
	}
	for len(p.stack) > 0 {
		c, ok := p.peek()
		if !ok {
			return p.malformed("unexpected end of input")
		}
		if err := p.step(c); err != nil {
			return err
		}
	}
	if p.lines {
		return p.b.endRecord()
	}
	return nil
}

func (p *jsonParser) malformed(msg string) error {
	return &errMalformed{format: "json", off: p.w.off + int64(p.i), msg: msg}
}

// recRef returns the output record index of a value at the current nesting.
func (p *jsonParser) recRef() int64 {
	if p.lines {
		return p.docRec
	}
	if p.recs >= 0 {
		return p.stack[p.recs].index
	}
	return -1
}
