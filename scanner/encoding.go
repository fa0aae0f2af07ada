package scanner

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names written to the objects table.
const (
	EncUTF8    = "utf-8"
	EncUTF8BOM = "utf-8-bom"
	EncUTF16LE = "utf-16le"
	EncUTF16BE = "utf-16be"
	EncGB18030 = "gb18030"
	EncLatin1  = "iso-8859-1"
)

// detectEncoding names the text encoding of a head sample: a BOM decides;
// then valid UTF-8; then GB18030 (a superset of GBK and GB2312) when the
// sample decodes without errors and reads as mostly CJK text; else Latin-1,
// which decodes any byte, so ASCII identifiers in mis-encoded files are
// still found.
func detectEncoding(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		return EncUTF8BOM
	case bytes.HasPrefix(head, []byte("\xff\xfe")):
		return EncUTF16LE
	case bytes.HasPrefix(head, []byte("\xfe\xff")):
		return EncUTF16BE
	}
	if order, ok := utf16Order(head); ok {
		return order
	}
	if utf8.Valid(trimPartialRune(head)) {
		return EncUTF8
	}
	if looksGB18030(head) {
		return EncGB18030
	}
	return EncLatin1
}

// trimPartialRune drops an incomplete UTF-8 sequence cut at the end of a sample.
func trimPartialRune(b []byte) []byte {
	for k := 1; k <= utf8.UTFMax-1 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < utf8.RuneSelf {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return b[:len(b)-k]
			}
			return b
		}
	}
	return b
}

// utf16Order detects BOM-less UTF-16 by its zero bytes: ASCII text in UTF-16
// has a zero in every other byte.
func utf16Order(head []byte) (string, bool) {
	n := min(len(head), 512) &^ 1
	if n < 8 || bytes.IndexByte(head[:n], 0) < 0 {
		return "", false // most text has no NUL, and UTF-16 needs many
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd*10 >= half*7 && even*10 < half:
		return EncUTF16LE, true
	case even*10 >= half*7 && odd*10 < half:
		return EncUTF16BE, true
	}
	return "", false
}

// looksGB18030 decodes the sample as GB18030 and accepts it when nothing is
// invalid and most non-ASCII characters are CJK ideographs or punctuation.
func looksGB18030(head []byte) bool {
	out, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), head)
	if err != nil && len(out) == 0 {
		return false
	}
	cjk, other := 0, 0
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRune(out[i:])
		i += n
		switch {
		case r < utf8.RuneSelf:
		case r == utf8.RuneError:
			// The sample may end inside a character: tolerate the lead
			// bytes of a cut sequence at the very end (with the digit
			// bytes of a four-byte one), not a byte that fails before a
			// newline or a letter, as Latin-1 'José\n' ending a small
			// file does.
			if !cutAtEnd(out[i:]) {
				return false
			}
		case r >= 0x4e00 && r <= 0x9fff, r >= 0x3000 && r <= 0x303f, r >= 0xff00 && r <= 0xffef:
			cjk++
		default:
			other++
		}
	}
	return cjk > 0 && cjk >= 4*other
}

// cutAtEnd reports whether what follows an invalid byte in the decoded
// sample is only what a GB18030 sequence cut by the end of the sample
// leaves: replacement characters and the digits of a four-byte sequence.
func cutAtEnd(rest []byte) bool {
	if len(rest) > 8 {
		return false
	}
	for _, c := range bytes.ReplaceAll(rest, []byte("\uFFFD"), nil) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// encodingOf returns the x/text encoding for a name, nil for UTF-8.
func encodingOf(enc string) encoding.Encoding {
	switch enc {
	case EncUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case EncUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case EncGB18030:
		return simplifiedchinese.GB18030
	case EncLatin1:
		return charmap.ISO8859_1
	}
	return nil
}

// decoderFor wraps r so that it yields UTF-8. BOMs are removed, so offsets
// are offsets in the decoded stream.
func decoderFor(enc string, r io.Reader) io.Reader {
	if enc == EncUTF8BOM {
		return &skipReader{r: r, n: 3}
	}
	if e := encodingOf(enc); e != nil {
		return transform.NewReader(r, e.NewDecoder())
	}
	return r
}

// decodeHead decodes a head sample for format detection.
func decodeHead(enc string, head []byte) []byte {
	if enc == EncUTF8BOM {
		return head[3:]
	}
	if e := encodingOf(enc); e != nil {
		out, _, _ := transform.Bytes(e.NewDecoder(), head)
		return out
	}
	return head
}

// skipReader drops the first n bytes (a BOM).
type skipReader struct {
	r io.Reader
	n int
}

func (s *skipReader) Read(p []byte) (int, error) {
	for s.n > 0 {
		var tmp [4]byte
		m, err := s.r.Read(tmp[:s.n])
		s.n -= m
		if err != nil {
			return 0, err
		}
	}
	return s.r.Read(p)
}
