package scanner

import (
	"bytes"
	"errors"
	"io"
	"strconv"

	"github.com/piiscan/piiscan/classifiers"
)

// jsonParser streams JSON documents and JSON Lines into the record batch:
// every string and number is a value whose field is its JSON path, with
// array indexes written [*] ($.patients[*].id_no), and record rules see the
// right grouping: each line of JSON Lines, each element of a top-level
// array (or of the first array of a top-level object) is one record.
// Runs of numbers in an array (a coordinate pair, an embedding vector)
// are one value, written with commas.
//
// It is written by hand rather than on encoding/json because the standard
// decoder allocates per token, gives no offsets for values and has no
// nesting limit; this parser keeps memory bounded by the nesting depth and
// the longest key, and streams long strings.
type jsonParser struct {
	o     *objectScan
	b     *batch
	r     io.Reader
	lines bool // JSON Lines: a document per line, record = line index
	blk   []byte
	i, n  int
	off   int64
	eof   bool
	err   error

	cols columns // line and character column bookkeeping

	root    *pathNode
	nodes   int
	stack   []jsonFrame
	key     []byte
	docRec  int64 // JSON Lines: index of the current line's document
	bad     int   // JSON Lines: lines that did not parse
	badOff  int64
	inDoc   bool
	scratch []byte
}

// pathNode is one JSON path; its field is prepared once and shared by
// every value at that path.
type pathNode struct {
	name  string
	field *classifiers.Field
	keys  map[string]*pathNode
	elem  *pathNode
}

type jsonFrame struct {
	node      *pathNode
	array     bool
	index     int64
	records   bool  // the elements of this array are records
	numRun    bool  // a run of numbers is open as one value
	expect    uint8 // what comes next
	memberKey *pathNode
}

const (
	expValue = iota
	expKeyOrEnd
	expKey
	expColon
	expCommaOrEnd
	expValueOrEnd
)

const (
	maxJSONDepth = 512
	maxJSONKey   = 128
	maxJSONNodes = 20000
)

func (o *objectScan) scanJSON(r io.Reader, lines bool) error {
	p := &jsonParser{o: o, b: newBatch(o), r: r, lines: lines, blk: make([]byte, 64<<10), cols: newColumns()}
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

func (n *pathNode) child(p *jsonParser, key []byte) *pathNode {
	if c, ok := n.keys[string(key)]; ok {
		return c
	}
	if p.nodes >= maxJSONNodes {
		return n.overflow(p)
	}
	if n.keys == nil {
		n.keys = map[string]*pathNode{}
	}
	c := &pathNode{name: n.name + "." + string(key)}
	n.keys[string(key)] = c
	p.nodes++
	return c
}

func (n *pathNode) overflow(p *jsonParser) *pathNode {
	if c, ok := n.keys["\x00*"]; ok {
		return c
	}
	if n.keys == nil {
		n.keys = map[string]*pathNode{}
	}
	c := &pathNode{name: n.name + ".*"}
	n.keys["\x00*"] = c
	return c
}

func (n *pathNode) element(p *jsonParser) *pathNode {
	if n.elem == nil {
		n.elem = &pathNode{name: n.name + "[*]"}
		p.nodes++
	}
	return n.elem
}

func (p *jsonParser) fieldOf(n *pathNode) *classifiers.Field {
	if n.field == nil {
		n.field = p.o.w.eng.Field(n.name)
	}
	return n.field
}

// ensure makes at least k bytes available from p.i unless input ends.
func (p *jsonParser) ensure(k int) bool {
	if p.n-p.i >= k {
		return true
	}
	if p.eof {
		return p.n > p.i
	}
	p.cols.settle(p.blk[:p.n], p.off, p.off+int64(p.i))
	rest := copy(p.blk, p.blk[p.i:p.n])
	p.off += int64(p.i)
	p.i, p.n = 0, rest
	for p.n < k && !p.eof {
		m, err := p.r.Read(p.blk[p.n:])
		p.n += m
		if err != nil {
			p.eof = true
			if !errors.Is(err, io.EOF) {
				p.err = err
			}
		}
	}
	p.cols.block(p.blk[:p.n])
	return p.n > p.i
}

func (p *jsonParser) pos() spanLoc {
	at := p.off + int64(p.i)
	line, col := p.cols.at(p.blk[:p.n], p.off, at)
	return spanLoc{off: at, line: line, col: col, rec: -1}
}

// advance passes over n bytes, counting the newlines among them.
func (p *jsonParser) advance(n int) {
	p.cols.newlines(p.blk[p.i:p.i+n], p.off+int64(p.i))
	p.i += n
}

func (p *jsonParser) skipSpace() bool {
	for {
		if !p.ensure(1) {
			return false
		}
		j := p.i
		for j < p.n {
			c := p.blk[j]
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				break
			}
			j++
		}
		if j > p.i {
			if p.lines && p.inDoc && len(p.stack) == 0 {
				// JSON Lines: stop at the newline that ends a document.
				if k := bytes.IndexByte(p.blk[p.i:j], '\n'); k >= 0 {
					p.advance(k)
					return true
				}
			}
			p.advance(j - p.i)
		}
		if j < p.n {
			return true
		}
	}
}

func (p *jsonParser) run() error {
	for {
		if err := p.o.ctx.Err(); err != nil {
			return err
		}
		if !p.skipSpace() {
			break
		}
		if err := p.document(); err != nil {
			var mal *errMalformed
			if !errors.As(err, &mal) {
				return err
			}
			if !p.lines {
				return p.rescue(mal)
			}
			p.skipBadLine(mal)
		}
	}
	if err := p.b.finish(); err != nil {
		return err
	}
	return nil
}

// document parses one JSON value at the top level.
func (p *jsonParser) document() error {
	p.stack = p.stack[:0]
	p.inDoc = true
	defer func() { p.inDoc = false }()
	if p.lines {
		p.docRec = p.cols.line - 1 // JSON Lines: record = 0-based line index
		p.b.beginRecord()
	}
	if err := p.value(p.root, -1); err != nil {
		return err
	}
	for len(p.stack) > 0 {
		if !p.skipSpace() {
			return p.malformed("unexpected end of input")
		}
		if err := p.step(); err != nil {
			return err
		}
	}
	if p.lines {
		return p.b.endRecord()
	}
	return nil
}

func (p *jsonParser) malformed(msg string) error {
	return &errMalformed{format: "json", off: p.off + int64(p.i), msg: msg}
}

// recRef returns the output record index of a value at the current nesting.
func (p *jsonParser) recRef() int64 {
	if p.lines {
		return p.docRec
	}
	for i := range p.stack {
		if p.stack[i].records {
			return p.stack[i].index
		}
	}
	return -1
}
