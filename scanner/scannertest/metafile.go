package scannertest

import (
	"encoding/binary"
	"unicode/utf16"
)

// EMF builds an EMF ([MS-EMF]) of a header, one EMR_EXTTEXTOUTW record
// per text (with its per-character spacing array), and EMR_EOF: the text
// records of a preview picture.
func EMF(texts ...string) []byte {
	le := binary.LittleEndian
	var recs [][]byte
	for _, t := range texts {
		u := utf16.Encode([]rune(t))
		strBytes := (2*len(u) + 3) &^ 3
		size := 76 + strBytes + 4*len(u)
		r := make([]byte, size)
		le.PutUint32(r, 84) // EMR_EXTTEXTOUTW
		le.PutUint32(r[4:], uint32(size))
		le.PutUint32(r[24:], 1)              // iGraphicsMode GM_COMPATIBLE
		le.PutUint32(r[44:], uint32(len(u))) // Chars
		le.PutUint32(r[48:], 76)             // offString
		le.PutUint32(r[72:], uint32(76+strBytes))
		for i, c := range u {
			le.PutUint16(r[76+2*i:], c)
			le.PutUint32(r[76+strBytes+4*i:], 8) // dx
		}
		recs = append(recs, r)
	}
	return EMFRecords(recs...)
}

// EMFRecords builds an EMF of a header, the records as they are, and
// EMR_EOF.
func EMFRecords(recs ...[]byte) []byte {
	le := binary.LittleEndian
	eof := make([]byte, 20)
	le.PutUint32(eof, 14)
	le.PutUint32(eof[4:], 20)
	le.PutUint32(eof[12:], 16)
	le.PutUint32(eof[16:], 20)
	h := make([]byte, 88)
	total := len(h) + len(eof)
	for _, r := range recs {
		total += len(r)
	}
	le.PutUint32(h, 1)
	le.PutUint32(h[4:], 88)
	le.PutUint32(h[40:], 0x464D4520)
	le.PutUint32(h[44:], 0x10000)
	le.PutUint32(h[48:], uint32(total))
	le.PutUint32(h[52:], uint32(len(recs)+2))
	le.PutUint16(h[56:], 1)
	le.PutUint32(h[72:], 1920)
	le.PutUint32(h[76:], 1080)
	le.PutUint32(h[80:], 508)
	le.PutUint32(h[84:], 285)
	out := append([]byte(nil), h...)
	for _, r := range recs {
		out = append(out, r...)
	}
	return append(out, eof...)
}

// WMF builds a WMF ([MS-WMF]) of a META_HEADER, one META_EXTTEXTOUT
// record per text (8-bit characters, no rectangle, with its spacing
// array) and META_EOF.
func WMF(texts ...string) []byte {
	le := binary.LittleEndian
	var body []byte
	maxRec := 3
	for _, t := range texts {
		strBytes := (len(t) + 1) &^ 1
		size := 14 + strBytes + 2*len(t)
		r := make([]byte, size)
		le.PutUint32(r, uint32(size/2))
		le.PutUint16(r[4:], 0x0A32) // META_EXTTEXTOUT
		le.PutUint16(r[10:], uint16(len(t)))
		copy(r[14:], t)
		for i := range len(t) {
			le.PutUint16(r[14+strBytes+2*i:], 8)
		}
		maxRec = max(maxRec, size/2)
		body = append(body, r...)
	}
	h := make([]byte, 18)
	le.PutUint16(h, 1)
	le.PutUint16(h[2:], 9)
	le.PutUint16(h[4:], 0x0300)
	le.PutUint32(h[6:], uint32((18+len(body)+6)/2))
	le.PutUint32(h[12:], uint32(maxRec))
	out := append(h, body...)
	eof := make([]byte, 6)
	le.PutUint32(eof, 3)
	return append(out, eof...)
}
