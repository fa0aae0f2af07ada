package scanner

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// chunkReader gives data n bytes a read and then fails with err (io.EOF
// for none), returning the last bytes with it as a member reader at a
// limit does; pulled counts the bytes it gave.
type chunkReader struct {
	data   []byte
	n      int
	err    error
	pulled int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, c.err
	}
	k := min(len(p), c.n, len(c.data))
	copy(p, c.data[:k])
	c.data = c.data[k:]
	c.pulled += k
	if len(c.data) == 0 && c.err != io.EOF {
		return k, c.err
	}
	return k, nil
}

// rawTokens lists what next returns until an error, with the bytes the
// source had given after each token.
func rawTokens(next func() (xml.Token, error), src *chunkReader) []string {
	var out []string
	for range 100000 {
		tok, err := next()
		if err != nil {
			return append(out, fmt.Sprintf("error %q after %d", err.Error(), src.pulled))
		}
		out = append(out, fmt.Sprintf("%T %q after %d", tok, fmt.Sprint(xml.CopyToken(tok)), src.pulled))
	}
	return append(out, "too many tokens")
}

var errRawLimit = errors.New("limit")

// checkRawXML compares rawXML with xml.Decoder.RawToken on data read n
// bytes at a time, ending with io.EOF or an error.
func checkRawXML(t *testing.T, data string, n int, fail bool) {
	t.Helper()
	end := io.EOF
	if fail {
		end = errRawLimit
	}
	for _, charset := range []func(string, io.Reader) (io.Reader, error){nil, XMLCharsetReader} {
		src := &chunkReader{data: []byte(data), n: n, err: end}
		dec := xml.NewDecoder(bufio.NewReader(src))
		dec.CharsetReader = charset
		want := rawTokens(dec.RawToken, src)
		src = &chunkReader{data: []byte(data), n: n, err: end}
		x := newRawXML(bufio.NewReader(src), charset)
		got := rawTokens(x.RawToken, src)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			for i := range max(len(got), len(want)) {
				g, w := "", ""
				if i < len(got) {
					g = got[i]
				}
				if i < len(want) {
					w = want[i]
				}
				if g != w {
					t.Fatalf("%q read %d bytes at a time (error %v), token %d:\n got %s\nwant %s", data, n, end, i, g, w)
				}
			}
		}
	}
}

var rawXMLSeeds = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<w:document xmlns:w="urn:w"><w:body><w:p w:rsidR="00A1B2C3"><w:r><w:t xml:space="preserve">a &amp; b &lt;c&gt; &#x1F600; &#20013;</w:t></w:r></w:p></w:body></w:document>`,
	`<a b='1' c = "2"d="3"/><e/>text<!-- comment --><?pi some data?>tail`,
	"<a>line\r\nbreak\rcr&#13;\r&amp;\n</a>",
	`<a>]]></a>`, `<a>]]&gt;</a>`, `<a>]</a>]>`, `<a x="]]>"/>`,
	`<a x="<"/>`, `<a x="&foo;"/>`, `<a>&foo;</a>`, `<a>&lt</a>`, `<a>&#;</a>`, `<a>&#x;</a>`, `<a>&#X41;</a>`,
	`<a>&#0;</a>`, `<a>&#xD800;</a>`, `<a>&#x110000;</a>`, `<a>&#99999999999999999999;</a>`, "<a>\x01</a>", "<a>\xff</a>",
	"<a x=\"\xc3\"/>", "<a>\xef\xbf\xbe</a>", "<a>é中\U0001F600</a>",
	`<a:b:c/>`, `<:a/>`, `<a:/>`, `<1a/>`, `< a/>`, `<a b/>`, `<a b=c/>`, `<a / >`, `<a></a >`, `</a x>`, `</>`,
	`<é/>`, `<aé/>`, `<a bé="1"/>`, `<a b:c:d="1"/>`,
	`<!-- a -- b -->`, `<!---->`, `<!--->`, `<!-x>`, `<![CDATA[x]]>`, `<!DOCTYPE a>`, `<!`,
	`<?xml version="1.1"?><a/>`, `<?xml version="1.0" encoding="utf-16"?><a/>`, `<?xml version="1.0" encoding="latin1"?><a/>`,
	`<?xml encoding='Utf-8'?><a/>`, `<??>`, `<?1?>`, `<?é?>`, `<?a`, `<a`, `<a b="1`, `<a b="&am`, `<a>text&am`, `<!-- x`,
	"\n\n<a>\n<b c=\"1\n2\"/>\n<d>&bad;</d></a>", "\xef\xbb\xbf<a/>", "",
}

// TestRawXMLMatchesDecoder checks rawXML against xml.Decoder.RawToken:
// the same tokens, errors (with their lines) and bytes taken from the
// source after each, on inputs it reads and inputs it hands over.
func TestRawXMLMatchesDecoder(t *testing.T) {
	long := `<a v="` + strings.Repeat("x&amp;", maxRawToken/5) + `">` + strings.Repeat("y\n", maxRawToken) + `</a>`
	for _, s := range append(rawXMLSeeds, long) {
		for _, n := range []int{1, 2, 3, 7, 64, 4096, 1 << 20} {
			checkRawXML(t, s, n, false)
			checkRawXML(t, s, n, true)
		}
	}
}

func FuzzRawXML(f *testing.F) {
	for _, s := range rawXMLSeeds {
		f.Add(s, uint16(7), false)
	}
	f.Fuzz(func(t *testing.T, data string, n uint16, fail bool) {
		checkRawXML(t, data, int(n%5000)+1, fail)
	})
}
