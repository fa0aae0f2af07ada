package scanner

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// rawXML reads the tokens of an XML part as encoding/xml's
// Decoder.RawToken does, token for token and error for error, for less:
// the Decoder reads a byte at a time through an interface and copies
// every byte into a buffer, which made tokenizing the small parts of an
// Office package (settings, relationships, document properties, the body
// of a one-page letter) most of the time of scanning it. rawXML reads the
// tokens of the common shape from the bytes as they come (ASCII names,
// quoted attributes, the five predefined entities and character
// references, comments, processing instructions and a UTF-8 declaration)
// and hands everything else to an xml.Decoder: at the first token it does
// not read (a CDATA section, a DOCTYPE, a non-ASCII name, a token that
// does not parse, the end of the input inside a token, a token longer
// than maxRawToken), a Decoder reads the rest of the part from that
// token's first byte, and its errors name the line the part's Decoder
// would have. What is not handed over is checked as the Decoder checks
// it (the names, the characters of text and attribute values, "]]>" in
// text, "--" in comments, the declaration's version and encoding), so
// that the tokens, and where a part stops being read, are the Decoder's
// (FuzzRawXML compares the two). The input is read through a
// bufio.Reader one buffer at a time, as the Decoder reads it, so that a
// reader's error (a limit) comes after the same bytes.
//
// A token is valid until the next call, as the Decoder's character data
// is; a StartElement's Attr slice too.
type rawXML struct {
	br      *bufio.Reader
	charset func(string, io.Reader) (io.Reader, error)
	buf     []byte // bytes taken from br; buf[pos:] not yet read
	pos     int
	lines   int   // line ends in the bytes before buf[:pos] was dropped
	rerr    error // br's error once it has no more bytes
	close   bool  // the last start element was self-closing
	toClose xml.Name
	dec     *xml.Decoder // the rest of the part, once handed over
	names   *nameCache
	attrs   []xml.Attr
	text    []byte
}

// maxRawToken bounds a token rawXML reads itself: a longer one (a huge
// text node) is handed to a Decoder, which reads it in one pass instead
// of once per buffer.
const maxRawToken = 64 << 10

// maxRawTries bounds the buffers a token is read again after: a token
// the source gives in small pieces is handed over, so that a token is
// not read once per piece.
const maxRawTries = 16

// newRawXML returns a reader of the tokens of r; charset is the
// Decoder's CharsetReader.
func newRawXML(r io.Reader, charset func(string, io.Reader) (io.Reader, error)) *rawXML {
	x := &rawXML{charset: charset}
	switch rr := r.(type) {
	case *bufio.Reader:
		x.br = rr
	case io.ByteReader:
		x.handOver(r) // read as it is, as the Decoder would
	default:
		x.br = bufio.NewReader(r)
	}
	return x
}

// handOver makes a Decoder read the rest of the part from r.
func (x *rawXML) handOver(r io.Reader) {
	x.dec = xml.NewDecoder(r)
	x.dec.CharsetReader = x.charset
}

// errAfter is a reader that has nothing more to give: the error its
// source returned.
type errAfter struct{ err error }

func (e errAfter) Read([]byte) (int, error) { return 0, e.err }

// fallBack hands the bytes from buf[pos] on to a Decoder.
func (x *rawXML) fallBack() {
	x.lines += bytes.Count(x.buf[:x.pos], []byte{'\n'})
	rest := io.Reader(bytes.NewReader(x.buf[x.pos:]))
	if x.rerr != nil {
		rest = io.MultiReader(rest, errAfter{x.rerr})
	} else {
		rest = io.MultiReader(rest, x.br)
	}
	x.buf, x.pos = x.buf[:0], 0
	x.handOver(rest)
}

// fill takes the next buffer of br; false once br has no more.
func (x *rawXML) fill() bool {
	if x.rerr != nil {
		return false
	}
	if x.pos > 0 {
		x.lines += bytes.Count(x.buf[:x.pos], []byte{'\n'})
		x.buf = x.buf[:copy(x.buf, x.buf[x.pos:])]
		x.pos = 0
	}
	if _, err := x.br.Peek(1); err != nil {
		x.rerr = err
		return false
	}
	n := x.br.Buffered()
	b, _ := x.br.Peek(n)
	x.buf = append(x.buf, b...)
	_, _ = x.br.Discard(n)
	return true
}

// RawToken returns the next token, as xml.Decoder.RawToken.
func (x *rawXML) RawToken() (xml.Token, error) {
	if x.dec != nil {
		tok, err := x.dec.RawToken()
		var se *xml.SyntaxError
		if errors.As(err, &se) && x.lines > 0 {
			se.Line += x.lines
			x.lines = 0
		}
		return tok, err
	}
	if x.close {
		x.close = false
		return xml.EndElement{Name: x.toClose}, nil
	}
	tries := 0
	for {
		b := x.buf[x.pos:]
		if len(b) == 0 {
			if !x.fill() {
				if x.rerr == io.EOF {
					return nil, io.EOF
				}
				x.fallBack()
				return x.RawToken()
			}
			continue
		}
		eof := x.rerr == io.EOF
		tok, n := x.token(b, eof)
		if n > 0 {
			x.pos += n
			return tok, nil
		}
		if n == 0 && len(b) <= maxRawToken && tries < maxRawTries && (x.fill() || x.rerr == io.EOF && !eof) {
			tries++
			continue // the token goes on in the next buffer, or ends at the end
		}
		x.fallBack()
		return x.RawToken()
	}
}

// token reads the token at the start of b: n is its length, 0 when b
// ends inside it, -1 when it is not read here. eof says b is all there is.
// It returns 0 only when the Decoder, given b, would read on for the rest
// of the token (it would not have stopped at an error within b), so that
// the next buffer is taken when the Decoder would take it.
func (x *rawXML) token(b []byte, eof bool) (xml.Token, int) {
	if b[0] != '<' {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			if !eof {
				// The Decoder stops in text at "]]>" and at an entity it
				// does not know; it checks the characters at the end.
				if bytes.Contains(b, []byte("]]>")) || !entitiesPrefix(b) {
					return nil, -1
				}
				return nil, 0
			}
			i = len(b)
		}
		if bytes.Contains(b[:i], []byte("]]>")) {
			return nil, -1
		}
		data, ok := x.value(b[:i])
		if !ok {
			return nil, -1
		}
		return xml.CharData(data), i
	}
	if len(b) < 2 {
		return nil, 0
	}
	switch b[1] {
	case '/':
		name, i := x.name(b, 2)
		if i <= 0 {
			return nil, i
		}
		i = skipSpace(b, i)
		switch {
		case i == len(b):
			return nil, 0
		case b[i] != '>':
			return nil, -1
		}
		return xml.EndElement{Name: name}, i + 1
	case '?':
		return x.procInst(b)
	case '!':
		return x.comment(b)
	}
	name, i := x.name(b, 1)
	if i <= 0 {
		return nil, i
	}
	attrs := x.attrs[:0]
	for {
		i = skipSpace(b, i)
		if i == len(b) {
			return nil, 0
		}
		switch b[i] {
		case '/':
			if i+1 == len(b) {
				return nil, 0
			}
			if b[i+1] != '>' {
				return nil, -1
			}
			x.attrs = attrs
			x.close, x.toClose = true, name
			return xml.StartElement{Name: name, Attr: attrs}, i + 2
		case '>':
			x.attrs = attrs
			return xml.StartElement{Name: name, Attr: attrs}, i + 1
		}
		var a xml.Attr
		if a.Name, i = x.name(b, i); i <= 0 {
			return nil, i
		}
		if i = skipSpace(b, i); i == len(b) {
			return nil, 0
		}
		if b[i] != '=' {
			return nil, -1
		}
		if i = skipSpace(b, i+1); i == len(b) {
			return nil, 0
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return nil, -1
		}
		end := bytes.IndexByte(b[i+1:], q)
		if end < 0 {
			if v := b[i+1:]; bytes.IndexByte(v, '<') >= 0 || !entitiesPrefix(v) {
				return nil, -1 // where the Decoder stops
			}
			return nil, 0
		}
		v := b[i+1 : i+1+end]
		if bytes.IndexByte(v, '<') >= 0 {
			return nil, -1
		}
		data, ok := x.value(v)
		if !ok {
			return nil, -1
		}
		if len(data) <= maxInternValue {
			a.Value = x.intern(data) // run properties repeat "auto", "21", "Calibri"
		} else {
			a.Value = string(data)
		}
		attrs = append(attrs, a)
		i += end + 2
	}
}

// procInst reads <?target data?>; the declaration of a version other
// than 1.0 or an encoding other than UTF-8 is the Decoder's.
func (x *rawXML) procInst(b []byte) (xml.Token, int) {
	i := 2
	for i < len(b) && nameByte(b[i]) {
		i++
	}
	switch {
	case i == len(b):
		return nil, 0
	case b[i] >= utf8.RuneSelf || i == 2 || !nameStart(b[2]):
		return nil, -1
	}
	target := x.intern(b[2:i])
	i = skipSpace(b, i)
	end := bytes.Index(b[i:], []byte("?>"))
	if end < 0 {
		return nil, 0
	}
	data := b[i : i+end]
	if target == "xml" {
		content := string(data)
		if ver := procInst("version", content); ver != "" && ver != "1.0" {
			return nil, -1
		}
		if enc := procInst("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
			return nil, -1
		}
	}
	return xml.ProcInst{Target: target, Inst: data}, i + end + 2
}

// comment reads <!--text-->; other <! constructs are the Decoder's.
func (x *rawXML) comment(b []byte) (xml.Token, int) {
	const open = "<!--"
	if len(b) < len(open) {
		if !bytes.HasPrefix([]byte(open), b) {
			return nil, -1
		}
		return nil, 0
	}
	if !bytes.HasPrefix(b, []byte(open)) {
		return nil, -1
	}
	text := b[len(open):]
	end := bytes.Index(text, []byte("--"))
	switch {
	case end < 0 || end+2 == len(text):
		return nil, 0
	case text[end+2] != '>':
		return nil, -1
	}
	return xml.Comment(text[:end]), len(open) + end + 3
}

// name reads the name at b[i:] as the Decoder's nsname: n is the index
// after it, 0 when b ends in it, -1 when it is not an ASCII name.
func (x *rawXML) name(b []byte, i int) (xml.Name, int) {
	start := i
	for i < len(b) && nameByte(b[i]) {
		i++
	}
	switch {
	case i == len(b):
		return xml.Name{}, 0
	case b[i] >= utf8.RuneSelf || i == start || !nameStart(b[start]):
		return xml.Name{}, -1
	}
	s := b[start:i]
	c := bytes.IndexByte(s, ':')
	switch {
	case c < 0:
		return xml.Name{Local: x.intern(s)}, i
	case bytes.IndexByte(s[c+1:], ':') >= 0:
		return xml.Name{}, -1
	case c == 0 || c == len(s)-1:
		return xml.Name{Local: x.intern(s)}, i
	}
	return xml.Name{Space: x.intern(s[:c]), Local: x.intern(s[c+1:])}, i
}

// intern returns s as a string, the same one while s stays in x's
// cache of names.
func (x *rawXML) intern(s []byte) string {
	if x.names == nil {
		x.names = nameCaches.Get().(*nameCache)
	}
	h := uint32(2166136261)
	for _, c := range s {
		h = (h ^ uint32(c)) * 16777619
	}
	e := &x.names[h%uint32(len(x.names))]
	if *e != string(s) {
		*e = string(s)
	}
	return *e
}

// release gives x's cache of names back for the next part.
func (x *rawXML) release() {
	if x.names != nil {
		nameCaches.Put(x.names)
		x.names = nil
	}
}

// maxInternValue bounds the attribute values kept in the cache of names.
const maxInternValue = 32

// nameCache holds the names of the parts read lately, by a hash of their
// bytes: a part names a few dozen elements and attributes thousands of
// times, and the parts of one producer name the same ones.
type nameCache [1024]string

var nameCaches = sync.Pool{New: func() any { return new(nameCache) }}

// value decodes the text of character data or of an attribute value as
// the Decoder does: entities replaced, a CR LF or a lone CR as LF, and
// the result checked for UTF-8 and XML's characters. ok is false for
// what the Decoder rejects or rawXML leaves to it (an entity other than
// the five of XML).
func (x *rawXML) value(raw []byte) ([]byte, bool) {
	data := raw
	if bytes.IndexByte(raw, '&') >= 0 || bytes.IndexByte(raw, '\r') >= 0 {
		out := x.text[:0]
		var prev byte // the raw byte before, 0 after an entity
		for i := 0; i < len(raw); i++ {
			c := raw[i]
			switch {
			case c == '&':
				semi := bytes.IndexByte(raw[i+1:], ';')
				if semi < 0 {
					return nil, false
				}
				r, ok := entityText(raw[i+1 : i+1+semi])
				if !ok {
					return nil, false
				}
				out = utf8.AppendRune(out, r)
				i += semi + 1
				prev = 0
				continue
			case c == '\r':
				out = append(out, '\n')
			case c == '\n' && prev == '\r':
			default:
				out = append(out, c)
			}
			prev = c
		}
		x.text = out
		data = out
	}
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return nil, false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || !xmlChar(r) {
			return nil, false
		}
		i += size
	}
	return data, true
}

// entityText is the character an entity (between & and ;) stands for,
// as the Decoder reads it; ok is false for the others.
func entityText(e []byte) (rune, bool) {
	switch string(e) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(e) < 2 || e[0] != '#' {
		return 0, false
	}
	digits, base := e[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, false
	}
	for _, c := range digits {
		if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > unicode.MaxRune {
		return 0, false
	}
	// string(rune(n)) as the Decoder writes it: a surrogate is U+FFFD
	r := rune(n)
	if !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return r, true
}

// entitiesPrefix reports whether the entities of raw, the start of a text
// or an attribute value, are read by the Decoder: the five of XML and
// character references, the last one possibly cut at the end of raw.
func entitiesPrefix(raw []byte) bool {
	for i := bytes.IndexByte(raw, '&'); i >= 0; {
		j := i + 1
		if j < len(raw) && raw[j] == '#' {
			j++
			hex := j < len(raw) && raw[j] == 'x'
			if hex {
				j++
			}
			for j < len(raw) && ('0' <= raw[j] && raw[j] <= '9' || hex && ('a' <= raw[j] && raw[j] <= 'f' || 'A' <= raw[j] && raw[j] <= 'F')) {
				j++
			}
		} else {
			for j < len(raw) && (nameByte(raw[j]) || raw[j] >= utf8.RuneSelf) {
				j++
			}
		}
		if j == len(raw) {
			return true // cut: the Decoder reads on
		}
		if raw[j] != ';' {
			return false
		}
		if _, ok := entityText(raw[i+1 : j]); !ok {
			return false
		}
		k := bytes.IndexByte(raw[j+1:], '&')
		if k < 0 {
			break
		}
		i = j + 1 + k
	}
	return true
}

// xmlChar reports a character XML allows (the Char production).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// nameByte reports the bytes the Decoder reads as part of a name, but
// those over 0x7F (which rawXML leaves to it).
func nameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// nameStart reports the ASCII bytes a name may start with.
func nameStart(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && IsXMLSpace(b[i]) {
		i++
	}
	return i
}

// procInst is encoding/xml's: the value of param in a declaration.
func procInst(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
