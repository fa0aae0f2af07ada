package corpus

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// jv is a JSON value with ordered keys. Strings and numbers may carry a
// labelled value; labelled values never need escaping, so their written
// form appears verbatim in the file.
type jv struct {
	kind  byte  // 's' string, 'n' number or literal, 'o' object, 'a' array
	parts []val // the string's or number's text
	keys  []string
	kids  []jv
}

// js is a JSON string made of text and labelled values.
func js(parts ...val) jv { return jv{kind: 's', parts: parts} }

// jt is a plain JSON string.
func jt(s string) jv { return js(txt(s)) }

// jn is a number or literal (true, null) written as is.
func jn(v val) jv { return jv{kind: 'n', parts: []val{v}} }

// jnum is a plain number.
func jnum(n int) jv { return jn(txt(strconv.Itoa(n))) }

// obj builds an object from alternating keys (string) and values (jv).
func obj(kvs ...any) jv {
	o := jv{kind: 'o'}
	for i := 0; i+1 < len(kvs); i += 2 {
		o.keys = append(o.keys, kvs[i].(string))
		o.kids = append(o.kids, kvs[i+1].(jv))
	}
	return o
}

// arr builds an array.
func arr(items ...jv) jv { return jv{kind: 'a', kids: items} }

// markJSON sets the minor flag on every labelled value inside x.
func markJSON(x jv, minor bool) jv {
	if !minor {
		return x
	}
	parts := make([]val, len(x.parts))
	for i, p := range x.parts {
		parts[i] = mark(p, true)
	}
	x.parts = parts
	kids := make([]jv, len(x.kids))
	for i, k := range x.kids {
		kids[i] = markJSON(k, true)
	}
	x.kids = kids
	return x
}

// json writes x; indent "" gives compact output (JSONL), otherwise pretty.
func (d *doc) json(x jv, indent string) {
	d.jsonAt(x, indent, 0)
}

func (d *doc) jsonAt(x jv, indent string, level int) {
	nl := func(l int) {
		if indent != "" {
			d.s("\n").s(strings.Repeat(indent, l))
		}
	}
	switch x.kind {
	case 's':
		d.s(`"`)
		for _, p := range x.parts {
			if p.typ != "" {
				d.v(p)
			} else {
				d.b = appendJSONText(d.b, p.written)
			}
		}
		d.s(`"`)
	case 'n':
		for _, p := range x.parts {
			d.v(p)
		}
	case 'o', 'a':
		open, close := "{", "}"
		if x.kind == 'a' {
			open, close = "[", "]"
		}
		d.s(open)
		for i, k := range x.kids {
			if i > 0 {
				d.s(",")
			}
			nl(level + 1)
			if x.kind == 'o' {
				d.s(`"`)
				d.b = appendJSONText(d.b, x.keys[i])
				d.s(`":`)
				if indent != "" {
					d.s(" ")
				}
			}
			d.jsonAt(k, indent, level+1)
		}
		if len(x.kids) > 0 {
			nl(level)
		}
		d.s(close)
	}
}

// appendJSONText escapes a string for JSON without HTML escaping; non-ASCII
// text stays as UTF-8.
func appendJSONText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[r>>4], "0123456789abcdef"[r&15])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}
