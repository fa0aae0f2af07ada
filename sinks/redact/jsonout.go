package redact

import "bytes"

// flush classifies the batch and writes the pending output with the
// edited slots replaced. more continues the last record in the next batch.
func (p *jsonRW) flush(more bool) error {
	if flushHook != nil {
		flushHook(len(p.buf), len(p.out))
	}
	var edits [][]edit
	if len(p.spans) > 0 {
		var err error
		if edits, err = p.o.w.ed.records(p.o.ctx, p.buf, p.spans, more); err != nil {
			return err
		}
	}
	prev := 0
	for _, s := range p.slots {
		es := edits[s.span]
		if len(es) == 0 {
			continue
		}
		if _, err := p.w.Write(p.out[prev:s.o0]); err != nil {
			return err
		}
		sp := p.spans[s.span]
		p.tmp = p.slotValue(p.tmp[:0], s, p.buf[sp.Start:sp.End], es)
		if s.obj > 0 {
			p.tmp = p.uniqueKey(s.obj, p.tmp)
		}
		if _, err := p.w.Write(p.tmp); err != nil {
			return err
		}
		prev = s.o1
	}
	if _, err := p.w.Write(p.out[prev:]); err != nil {
		return err
	}
	p.flushed += len(p.out)
	p.out, p.slots, p.buf, p.spans = p.out[:0], p.slots[:0], p.buf[:0], p.spans[:0]
	p.forgetClosedObjects()
	return nil
}

// slotValue appends the new text of a slot whose value v has edits. The
// result always has the slot's JSON type (or null): a string stays a
// string, a number a number, an array an array.
func (p *jsonRW) slotValue(dst []byte, s jslot, v []byte, es []edit) []byte {
	if s.kind == slotString && s.open {
		// Spliced as if closed, then left open as it was.
		p.openRaw = append(append(p.openRaw[:0], p.out[s.o0:s.o1]...), '"')
		dst = p.spliceString(dst, p.openRaw, v, es)
		return dst[:len(dst)-1]
	}
	if s.kind == slotString {
		return p.spliceString(dst, p.out[s.o0:s.o1], v, es)
	}
	nv := splice(nil, v, es)
	switch s.kind {
	case slotLineComment, slotBlockComment:
		return commentText(dst, nv, s.kind)
	case slotNumber:
		if validNumber(nv) || string(nv) == "null" {
			return append(dst, nv...)
		}
		return append(dst, "null"...)
	case slotRun:
		if numberList(nv) && bytes.Count(nv, []byte{','})+1 == s.n {
			return append(dst, nv...)
		}
		for i := range s.n {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, "null"...)
		}
		return dst
	case slotArray:
		t := bytes.TrimSpace(nv)
		switch {
		case len(t) == 0:
			return append(dst, "[]"...)
		case string(t) == "null" || (t[0] == '[' && t[len(t)-1] == ']' && numberList(t[1:len(t)-1])):
			return append(dst, t...)
		case numberList(t):
			dst = append(dst, '[')
			dst = append(dst, t...)
			return append(dst, ']')
		}
		return append(dst, "[]"...)
	}
	return append(dst, nv...) // slotText: a line that is not JSON
}

// validNumber reports a JSON number literal (RFC 8259 section 6).
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(b)
}

// numberList reports one or more JSON numbers (or nulls) separated by
// commas, with optional spaces.
func numberList(b []byte) bool {
	if len(bytes.TrimSpace(b)) == 0 {
		return false
	}
	for _, part := range bytes.Split(b, []byte{','}) {
		t := bytes.TrimSpace(part)
		if !validNumber(t) && string(t) != "null" {
			return false
		}
	}
	return true
}

// flushHook, set by tests, sees the size of every batch and pending
// output the JSON rewriter classifies.
var flushHook func(values, pending int)
