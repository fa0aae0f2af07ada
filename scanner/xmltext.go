package scanner

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// XMLPartText returns the text of an XML part as UTF-8, and the encoding
// it was in when that was UTF-16 (nil for UTF-8): encoding/xml reads
// UTF-8 only, and the custom XML parts some tools put in Office packages
// (customXml/item1.xml) are written in UTF-16, with a byte order mark or
// declared as such. They made the package partial/malformed in a scan
// and a failed object in redact. The order is read from a byte order
// mark, else from "<" in the first two bytes; redact writes its copy of
// the part back in the same form (the declaration stays true).
func XMLPartText(r io.Reader) (io.Reader, encoding.Encoding) {
	br := bufio.NewReader(&tokenBound{r: r})
	head, _ := br.Peek(2)
	var enc encoding.Encoding
	switch {
	case len(head) < 2:
	case head[0] == 0xFF && head[1] == 0xFE:
		enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case head[0] == 0xFE && head[1] == 0xFF:
		enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case head[0] == '<' && head[1] == 0:
		enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case head[0] == 0 && head[1] == '<':
		enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	if enc == nil {
		return br, nil
	}
	return transform.NewReader(br, enc.NewDecoder()), enc
}

// XMLCharsetReader is the xml.Decoder CharsetReader of a part read
// through XMLPartText: a declared UTF-16 is already UTF-8 by then. Other
// declared encodings are not read.
func XMLCharsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-16", "utf16", "utf-16le", "utf-16be", "unicode":
		return in, nil
	}
	return nil, errUnknownCharset
}

var errUnknownCharset = errors.New("XML declares an encoding other than UTF-8 or UTF-16")

// MaxXMLToken bounds the bytes of one XML token of a part read through
// XMLPartText, counted in the part's bytes as the longest run without a
// '<' (a text node, or a start tag with its attributes, ends at the next
// one; in UTF-16 a token holds half as many characters). encoding/xml
// holds a token whole, and the redact writer its raw bytes besides: a
// 1 MB docx whose custom XML part was one text node of 1 GiB of spaces
// took 2.1 GB to scan and 6.2 GB to redact. A longer token is an error
// IsLimit reports (archive_limit), as a longer CSV field is in redact.
const MaxXMLToken = 16 << 20

// BoundXMLTokens returns r failing as XMLPartText's text does once a run
// of more than MaxXMLToken bytes holds no '<': for the parts read with
// an xml.Decoder of their own.
func BoundXMLTokens(r io.Reader) io.Reader { return &tokenBound{r: r} }

// tokenBound reads a part's text and fails once a run of more than
// MaxXMLToken bytes holds no '<'.
type tokenBound struct {
	r   io.Reader
	run int // bytes since the last '<'
	err error
}

func (t *tokenBound) Read(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	n, err := t.r.Read(p)
	b := p[:n]
	if i := bytes.IndexByte(b, '<'); i < 0 {
		t.run += n
	} else if t.run += i; t.run <= MaxXMLToken {
		// A run between two '<' of b is shorter than b, which is only
		// looked through when it could be longer than a token.
		for b = b[i+1:]; len(b) > MaxXMLToken && t.run <= MaxXMLToken; b = b[i+1:] {
			if i = bytes.IndexByte(b, '<'); i < 0 {
				break
			}
			t.run = i
		}
		if t.run <= MaxXMLToken {
			t.run = len(b) - 1 - bytes.LastIndexByte(b, '<')
		}
	}
	if t.run > MaxXMLToken {
		t.err = &errLimit{msg: fmt.Sprintf("an XML token of more than %d bytes", MaxXMLToken)}
		return 0, t.err
	}
	return n, err
}
