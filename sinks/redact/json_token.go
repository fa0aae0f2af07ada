package redact

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
)

// Tokens of the JSON rewriter: every byte read is copied to the pending
// output, and string contents are unescaped for the engine.

// number copies a number token.
func (p *jsonRW) number() error {
	for {
		c, err := p.src.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if !(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
			_ = p.src.UnreadByte()
			return nil
		}
		p.off++
		p.out = append(p.out, c)
	}
}

func (p *jsonRW) literal() error {
	start := len(p.out)
	for len(p.out)-start < 5 {
		c, err := p.src.ReadByte()
		if err != nil {
			break
		}
		if c < 'a' || c > 'z' {
			_ = p.src.UnreadByte()
			break
		}
		p.off++
		p.out = append(p.out, c)
	}
	switch string(p.out[start:]) {
	case "true", "false", "null":
		return nil
	}
	return p.malformed("bad literal")
}

func (p *jsonRW) stringValue(node *pathNode) error {
	o0, b0 := len(p.out), len(p.buf)
	if !p.inRec {
		p.beginRecord()
	}
	var err error
	if p.buf, err = p.readString(p.buf); err != nil {
		var mal *malformedError
		if errors.As(err, &mal) && len(p.buf) > b0 {
			// A string cut by the end of the input or a bad escape: the
			// scanner reads what was decoded of it as the value at its path
			// (scanner/json_value.go closeOpen), so it is a slot of its own,
			// up to the last whole character or escape; the rest is
			// rewritten as text (rescue, line).
			p.spans = append(p.spans, classifiers.Span{Start: b0, End: len(p.buf), Field: p.fieldOf(node), Record: p.rec, Kind: deid.KindJSONString})
			p.buf = append(p.buf, '\n')
			p.slots = append(p.slots, jslot{o0: o0, o1: p.strEnd, span: len(p.spans) - 1, kind: slotString, open: true})
		}
		return err
	}
	if p.tab.Active() {
		p.capture(node, p.buf[b0:])
	}
	p.spans = append(p.spans, classifiers.Span{Start: b0, End: len(p.buf), Field: p.fieldOf(node), Record: p.rec, Kind: deid.KindJSONString})
	p.buf = append(p.buf, '\n')
	p.slots = append(p.slots, jslot{o0: o0, o1: len(p.out), span: len(p.spans) - 1, kind: slotString})
	return p.valve()
}

// readKey reads an object key (unescaped, cut at maxJSONKey bytes).
func (p *jsonRW) readKey() error {
	var err error
	p.tmp, err = p.readString(p.tmp[:0])
	p.key = append(p.key[:0], p.tmp[:min(len(p.tmp), maxJSONKey)]...)
	return err
}

// readString copies a string token (at its opening quote) and appends its
// unescaped content to dst (RFC 8259 section 7; UTF-16 surrogate pairs
// joined, a lone surrogate read as U+FFFD).
func (p *jsonRW) readString(dst []byte) ([]byte, error) {
	if _, err := p.next(); err != nil {
		return dst, err
	}
	n0 := len(dst)
	for {
		p.strEnd = len(p.out) // the raw end of what dst holds
		if len(dst)-n0 > maxValue {
			return dst, &limitError{msg: fmt.Sprintf("json: a string of more than %d bytes", maxValue)}
		}
		c, err := p.next()
		if err != nil {
			return dst, p.malformed("unterminated string")
		}
		switch c {
		case '"':
			return dst, nil
		case '\\':
			e, err := p.next()
			if err != nil {
				return dst, p.malformed("unterminated escape")
			}
			switch e {
			case '"', '\\', '/':
				dst = append(dst, e)
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r, err := p.hex4()
				if err != nil {
					return dst, err
				}
				if utf16.IsSurrogate(r) {
					r = p.lowSurrogate(r)
				}
				dst = utf8.AppendRune(dst, r)
			default:
				return dst, p.malformed("bad escape")
			}
		default:
			dst = append(dst, c)
		}
	}
}

// lowSurrogate joins a high surrogate with a following \uXXXX low one.
func (p *jsonRW) lowSurrogate(hi rune) rune {
	if c, err := p.peek(); err != nil || c != '\\' {
		return utf8.RuneError
	}
	_, _ = p.next()
	if c, err := p.peek(); err != nil || c != 'u' {
		return utf8.RuneError // the escape is read as part of the string next
	}
	_, _ = p.next()
	lo, err := p.hex4()
	if err != nil {
		return utf8.RuneError
	}
	if r := utf16.DecodeRune(hi, lo); r != utf8.RuneError {
		return r
	}
	return utf8.RuneError
}

func (p *jsonRW) hex4() (rune, error) {
	var r rune
	for range 4 {
		c, err := p.next()
		if err != nil {
			return 0, p.malformed("bad \\u escape")
		}
		d, ok := hexVal(c)
		if !ok {
			return 0, p.malformed("bad \\u escape")
		}
		r = r<<4 | rune(d)
	}
	return r, nil
}
