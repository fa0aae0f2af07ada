package redact

import (
	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
)

// Containers of the JSON rewriter: objects give paths, arrays give
// records (a top-level array, or one directly in the top-level object)
// and runs of numbers (one value at the array's path; the whole array,
// brackets included, when every element is a number).

func (p *jsonRW) object(node *pathNode) error {
	if len(p.stack) >= maxJSONDepth {
		return p.malformed("nesting deeper than 512 levels")
	}
	if _, err := p.next(); err != nil {
		return err
	}
	p.objs++
	p.stack = append(p.stack, jsonFrame{node: node, obj: p.objs})
	for first := true; ; first = false {
		c, err := p.wsMust()
		if err != nil {
			return err
		}
		if c == '}' && (first || !p.lines) { // JSONC: a trailing comma
			break
		}
		if c != '"' {
			return p.malformed("expected a key")
		}
		o0 := len(p.out)
		if err := p.readKey(); err != nil {
			return err
		}
		if scanner.JSONKeyScan(p.tmp) || len(p.tmp) > maxKeyInline {
			p.keyValue(node, o0)
		}
		if c, err = p.wsMust(); err != nil {
			return err
		}
		if c != ':' {
			return p.malformed("expected ':'")
		}
		_, _ = p.next()
		if _, err := p.wsMust(); err != nil {
			return err
		}
		if err := p.value(p.child(node, p.key)); err != nil {
			return err
		}
		if c, err = p.wsMust(); err != nil {
			return err
		}
		if c == '}' {
			break
		}
		if c != ',' {
			return p.malformed("expected ',' or '}'")
		}
		_, _ = p.next()
	}
	_, _ = p.next()
	p.stack = p.stack[:len(p.stack)-1]
	return nil
}

// keyValue adds the key just read (p.tmp; its token is p.out[o0:]) as a
// string value of the object at node, as the scanner does
// (scanner/json_value.go keyValue): the field of the object's keys, the
// record the object is in. Its slot is a string's, so a replaced key stays
// a JSON string with its other escapes kept.
func (p *jsonRW) keyValue(node *pathNode, o0 int) {
	if !p.inRec {
		p.beginRecord()
	}
	b0 := len(p.buf)
	p.buf = append(p.buf, p.tmp...)
	p.spans = append(p.spans, classifiers.Span{Start: b0, End: len(p.buf), Field: p.keyFieldOf(node), Record: p.rec, Kind: deid.KindJSONString})
	p.buf = append(p.buf, '\n')
	p.slots = append(p.slots, jslot{o0: o0, o1: len(p.out), span: len(p.spans) - 1, kind: slotString, obj: p.stack[len(p.stack)-1].obj})
}

func (p *jsonRW) array(node *pathNode) error {
	if len(p.stack) >= maxJSONDepth {
		return p.malformed("nesting deeper than 512 levels")
	}
	f := jsonFrame{array: true, node: node, arrO0: len(p.out)}
	f.records = !p.lines && !p.recordsOpen() && (len(p.stack) == 0 || (len(p.stack) == 1 && !p.stack[0].array))
	f.row = p.lines && len(p.stack) == 0 || len(p.stack) > 0 && p.stack[len(p.stack)-1].records
	p.tab.OpenArray(len(p.stack), node.key, !p.lines && len(p.stack) == 1 && !p.stack[0].array, f.row) // f's index once pushed
	if _, err := p.next(); err != nil {
		return err
	}
	if f.records && len(p.stack) == 1 {
		// In a top-level object, only an array of objects (or arrays) holds
		// records; numbers or strings are values of the document's record,
		// as in the scanner (scanner/json_value.go push), looking past
		// comments without reading them: they are read in the array.
		c, err := p.wsOnly()
		if err != nil {
			return err
		}
		if c == '/' {
			f.records, err = p.containerAhead()
			if err != nil {
				return err
			}
		} else {
			f.records = c == '{' || c == '['
		}
		if c == '[' && len(p.spans) > 0 {
			// As in the scanner, rows start a call of the engine
			// (scanner/json_value.go push).
			p.inRec = false
			if err := p.flush(false); err != nil {
				return err
			}
		}
	}
	p.stack = append(p.stack, f)
	top := func() *jsonFrame { return &p.stack[len(p.stack)-1] }
	for {
		c, err := p.wsMust()
		if err != nil {
			return err
		}
		if c == ']' { // also tolerates a trailing comma
			break
		}
		fr := top()
		if c != '"' {
			p.tab.Other(len(p.stack) - 1) // a number, a container or a literal
		}
		isNum := c == '-' || (c >= '0' && c <= '9')
		// Numbers of an array form runs (a vector is one value) even in
		// an array of records, as in the scanner; other elements of a
		// records array are records.
		recordElem := fr.records && !isNum
		if recordElem && !fr.commentRec {
			p.beginRecord()
		}
		fr.commentRec = false
		switch {
		case isNum:
			if err := p.runNumber(fr); err != nil {
				return err
			}
		default:
			if fr.run {
				p.closeRun(fr, false)
			}
			if err := p.value(p.elemNode(fr, fr.elems)); err != nil {
				return err
			}
		}
		fr = top()
		fr.elems++
		fr.afterElem = true
		if c, err = p.wsMust(); err != nil {
			return err
		}
		if c == ']' {
			break
		}
		if c != ',' {
			return p.malformed("expected ',' or ']'")
		}
		_, _ = p.next()
		top().afterElem = false
		if recordElem {
			if err := p.endRecord(); err != nil {
				return err
			}
		}
	}
	_, _ = p.next() // ']'
	fr := top()
	if fr.run {
		p.closeRun(fr, true)
	}
	records := fr.records
	p.stack = p.stack[:len(p.stack)-1]
	if fr.commented {
		p.tab.Other(len(p.stack)) // a comment in the array (the scanner's readComment)
	}
	if p.tab.Close(len(p.stack), p.known) {
		fr.node.cols = nil // a header: the cells of the rows to come are labelled
	}
	if records && p.inRec {
		// Values after the records form a group of their own.
		return p.endRecord()
	}
	return nil
}

// runNumber reads a number that is an element of a (non-record) array:
// consecutive numbers form one value, as in the scanner.
func (p *jsonRW) runNumber(fr *jsonFrame) error {
	if !fr.run {
		if !p.inRec {
			p.beginRecord()
		}
		fr.run, fr.runFirst, fr.runO0, fr.runB0, fr.runN, fr.runAt = true, fr.elems == 0, len(p.out), len(p.buf), 0, fr.elems
	} else {
		p.buf = append(p.buf, ',')
	}
	o0 := len(p.out)
	if err := p.number(); err != nil {
		return err
	}
	p.buf = append(p.buf, p.out[o0:]...)
	fr.runO1 = len(p.out)
	fr.runN++
	return nil
}

// closeRun ends a run of numbers; end says the array's closing bracket
// has been read.
func (p *jsonRW) closeRun(fr *jsonFrame, end bool) {
	fr.run = false
	whole := end && fr.runFirst && !fr.commented // the whole array
	kind, sk := deid.KindText, slotRun
	o0, o1 := fr.runO0, fr.runO1
	switch {
	case whole:
		kind, sk, o0, o1 = deid.KindJSONArray, slotArray, fr.arrO0, len(p.out)
	case fr.runN == 1:
		kind, sk = deid.KindJSONNumber, slotNumber
	}
	node := fr.node // a vector or pair is one value at the array's path
	if fr.row && !(end && fr.runFirst) {
		node = p.elemNode(fr, fr.runAt) // in a row, the column of its first number
	}
	p.spans = append(p.spans, classifiers.Span{Start: fr.runB0, End: len(p.buf), Field: p.fieldOf(node), Record: p.rec, Kind: kind})
	p.buf = append(p.buf, '\n')
	p.slots = append(p.slots, jslot{o0: o0, o1: o1, span: len(p.spans) - 1, kind: sk, n: fr.runN})
}
