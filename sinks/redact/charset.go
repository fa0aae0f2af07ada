package redact

import (
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Bytes a legacy decoder cannot take back. A GB18030 (GBK) object may
// hold bytes that do not decode (a stray 0xFF, a cut character) or that
// decode to a character whose encoding is different (0x80, the GBK euro
// sign, is written back as A2 E3). Decoded to U+FFFD and encoded again,
// such bytes would change in the copy with no warning, so the copy writer
// keeps them: the decoder passes each such byte b through as the three
// bytes of U+DC00+b in the generalised UTF-8 of a lone surrogate (the
// "surrogateescape" of Python's PEP 383), which no valid input decodes
// to and which the engine reads as three invalid bytes; the encoder
// writes b back. Every other byte sequence is known to make the round
// trip, since each run is decoded and encoded again before it is used.

// byteEscape returns the byte kept by an escape at the start of s.
func byteEscape(s []byte) (byte, bool) {
	if len(s) >= 3 && s[0] == 0xed && (s[1] == 0xb2 || s[1] == 0xb3) && s[2]&0xc0 == 0x80 {
		return 0x80 | (s[1]&1)<<6 | s[2]&0x3f, true
	}
	return 0, false
}

// appendByteEscape appends the escape of b (0x80 to 0xFF).
func appendByteEscape(dst []byte, b byte) []byte {
	return append(dst, 0xed, 0xb2|(b>>6&1), 0x80|b&0x3f)
}

// gb18030Unit returns the length of the character starting b (GB 18030
// sections 4 and 5: one byte up to 0x80, two bytes with a trail of 0x40
// to 0xFE, four bytes with digits second and fourth), 1 for a byte that
// starts none, and 0 when more bytes are needed to tell.
func gb18030Unit(b []byte, atEOF bool) int {
	if c := b[0]; c < 0x81 || c == 0xff {
		return 1
	}
	if len(b) < 2 {
		return boolInt(atEOF)
	}
	switch c := b[1]; {
	case c >= 0x30 && c <= 0x39:
		if len(b) < 4 {
			return boolInt(atEOF)
		}
		if b[2] >= 0x81 && b[2] <= 0xfe && b[3] >= 0x30 && b[3] <= 0x39 {
			return 4
		}
	case c >= 0x40 && c <= 0xfe && c != 0x7f:
		return 2
	}
	return 1
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// keepDecoder decodes a GB18030 stream to UTF-8 with the bytes that would
// not make the round trip escaped (byteEscape).
type keepDecoder struct {
	r        io.Reader
	dec, enc transform.Transformer
	in       []byte // read, not yet decoded
	out      []byte // decoded, not yet returned
	off      int    // returned from out
	err      error  // of r, once in is empty
	d, e     []byte // scratch
}

func newKeepDecoder(r io.Reader, e encoding.Encoding) *keepDecoder {
	return &keepDecoder{r: r, dec: e.NewDecoder(), enc: e.NewEncoder(), in: make([]byte, 0, 32<<10)}
}

func (k *keepDecoder) Read(p []byte) (int, error) {
	for k.off == len(k.out) {
		if k.err != nil {
			return 0, k.err
		}
		k.out, k.off = k.out[:0], 0
		n, err := k.r.Read(k.in[len(k.in):cap(k.in)])
		k.in = k.in[:len(k.in)+n]
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return 0, err
			}
			k.err = io.EOF
		}
		k.decode(k.err != nil)
	}
	n := copy(p, k.out[k.off:])
	k.off += n
	return n, nil
}

// decode decodes the whole characters of in into out.
func (k *keepDecoder) decode(atEOF bool) {
	n := 0
	for n < len(k.in) {
		u := gb18030Unit(k.in[n:], atEOF)
		if u == 0 {
			break
		}
		n += u
	}
	src := k.in[:n]
	var err error
	k.d, err = runTransform(k.dec, k.d[:0], src)
	if err == nil {
		k.e, err = runTransform(k.enc, k.e[:0], k.d)
	}
	if err == nil && string(k.e) == string(src) {
		k.out = append(k.out, k.d...) // the usual case: all of it makes the round trip
	} else {
		for i := 0; i < len(src); {
			u := gb18030Unit(src[i:], true)
			k.out = k.keep(k.out, src[i:i+u])
			i += u
		}
	}
	k.in = k.in[:copy(k.in, k.in[n:])]
}

// keep appends one character, or its bytes escaped when it does not make
// the round trip.
func (k *keepDecoder) keep(dst, c []byte) []byte {
	var err error
	k.d, err = runTransform(k.dec, k.d[:0], c)
	if err == nil {
		k.e, err = runTransform(k.enc, k.e[:0], k.d)
	}
	if err == nil && string(k.e) == string(c) {
		return append(dst, k.d...)
	}
	for _, b := range c {
		if b < utf8.RuneSelf {
			dst = append(dst, b)
		} else {
			dst = appendByteEscape(dst, b)
		}
	}
	return dst
}

// runTransform appends t's transformation of the whole of src to dst.
func runTransform(t transform.Transformer, dst, src []byte) ([]byte, error) {
	t.Reset()
	for {
		if room := cap(dst) - len(dst); room < 2*len(src)+16 {
			dst = append(dst[:cap(dst)], make([]byte, 2*len(src)+16)...)[:len(dst)]
		}
		nd, ns, err := t.Transform(dst[len(dst):cap(dst)], src, true)
		dst, src = dst[:len(dst)+nd], src[ns:]
		if !errors.Is(err, transform.ErrShortDst) {
			return dst, err
		}
	}
}

// keepEncoder encodes UTF-8 into GB18030, writing escaped bytes
// (byteEscape) back as they were; characters it cannot encode become its
// replacement character.
type keepEncoder struct {
	w    io.Writer
	enc  transform.Transformer
	pend []byte // an incomplete character at the end of the last write
	buf  []byte
}

func newKeepEncoder(w io.Writer, e encoding.Encoding) *keepEncoder {
	return &keepEncoder{w: w, enc: encoding.ReplaceUnsupported(e.NewEncoder())}
}

func (k *keepEncoder) Write(p []byte) (int, error) {
	data := p
	if len(k.pend) > 0 {
		k.pend = append(k.pend, p...)
		data = k.pend
	}
	cut := len(data) - incompleteTail(data)
	if err := k.encode(data[:cut]); err != nil {
		return 0, err
	}
	k.pend = append(k.pend[:0], data[cut:]...)
	return len(p), nil
}

// Close writes what is pending.
func (k *keepEncoder) Close() error {
	err := k.encode(k.pend)
	k.pend = k.pend[:0]
	return err
}

func (k *keepEncoder) encode(s []byte) error {
	if len(s) == 0 {
		return nil
	}
	k.buf = k.buf[:0]
	start := 0
	for i := 0; i < len(s); {
		b, ok := byteEscape(s[i:])
		if !ok {
			i++
			continue
		}
		var err error
		if k.buf, err = runTransform(k.enc, k.buf, s[start:i]); err != nil {
			return err
		}
		k.buf = append(k.buf, b)
		i += 3
		start = i
	}
	var err error
	if k.buf, err = runTransform(k.enc, k.buf, s[start:]); err != nil {
		return err
	}
	_, err = k.w.Write(k.buf)
	return err
}

// incompleteTail returns the length of an incomplete UTF-8 sequence (or
// escape) at the end of s.
func incompleteTail(s []byte) int {
	for n := 1; n <= 3 && n <= len(s); n++ {
		c := s[len(s)-n]
		if c < utf8.RuneSelf {
			return 0
		}
		if !utf8.RuneStart(c) {
			continue
		}
		tail := s[len(s)-n:]
		if c == 0xed && n < 3 && (n == 1 || tail[1] == 0xb2 || tail[1] == 0xb3) {
			return n // an escape cut short
		}
		if !utf8.FullRune(tail) {
			return n
		}
		return 0
	}
	return 0
}

// keepsBytes reports an encoding whose copies go through keepDecoder and
// keepEncoder.
func keepsBytes(e encoding.Encoding) bool { return e == simplifiedchinese.GB18030 }
