package redact

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/piiscan/piiscan/classifiers/deid"
)

// JSON Lines: one document per line, each a record; blank lines pass
// through; a line that does not parse keeps the values read before the
// error, and the rest of it is a text value of the line's record
// (rewritten as text, the object is then partial).

// jsonLines rewrites one document per line; a line that does not parse is
// rewritten as text.
func (p *jsonRW) jsonLines(br *bufio.Reader) error {
	var line []byte
	for {
		if err := p.o.ctx.Err(); err != nil {
			return err
		}
		line = line[:0]
		var err error
		for {
			var seg []byte
			seg, err = br.ReadSlice('\n')
			line = append(line, seg...)
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if len(line) > 0 {
			if perr := p.line(line); perr != nil {
				return perr
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	return p.flush(false)
}

// line rewrites one line of JSON Lines (with its line ending).
func (p *jsonRW) line(line []byte) error {
	body := bytes.TrimRight(line, "\r\n")
	if len(bytes.TrimSpace(body)) == 0 {
		p.out = append(p.out, line...)
		return nil
	}
	mark := [4]int{len(p.out), len(p.slots), len(p.buf), len(p.spans)}
	flushed, base := p.flushed, 0
	p.beginRecord()
	p.src = bytes.NewReader(body)
	err := p.lineValues()
	var mal *malformedError
	switch {
	case err == nil:
	case errors.As(err, &mal):
		// Not JSON: as the scanner reads such a line (scanner/json_value.go
		// skipBadLine), the values read before the error keep their paths
		// and the rest of the line, from the end of the last of them, is
		// one text value of the same record.
		if p.flushed != flushed {
			// A long line was flushed part way (valve): what is pending
			// starts inside it.
			base = p.flushed - flushed - mark[0]
			mark = [4]int{}
		}
		safeEnd, spans, bufEnd := mark[0], mark[3], mark[2]
		if n := len(p.slots); n > mark[1] {
			last := p.slots[n-1]
			safeEnd, spans, bufEnd = last.o1, last.span+1, p.spans[last.span].End+1
		}
		tail := body[base+safeEnd-mark[0]:]
		p.out, p.spans, p.buf = p.out[:safeEnd], p.spans[:spans], p.buf[:bufEnd]
		p.stack = p.stack[:0]
		o0 := len(p.out)
		p.out = append(p.out, tail...)
		p.addSpan(tail, nil, deid.KindText)
		p.slots = append(p.slots, jslot{o0: o0, o1: len(p.out), span: len(p.spans) - 1, kind: slotText})
		if p.o.fallback == nil {
			p.o.fallback = &malformedError{format: "jsonl", off: p.off, msg: "a line is not valid JSON; such lines were rewritten as text"}
		}
	default:
		return err
	}
	p.off += int64(len(line))
	p.out = append(p.out, line[len(body):]...)
	return p.endRecord()
}

func (p *jsonRW) lineValues() error {
	for {
		more, err := p.ws()
		if err != nil || !more {
			return err
		}
		p.stack = p.stack[:0]
		p.tab.Document(true)
		if err := p.value(p.root); err != nil {
			return err
		}
	}
}

func (p *jsonRW) malformed(msg string) error {
	return &malformedError{format: "json", off: p.off, msg: msg}
}
