package scanner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// A metafile (EMF, [MS-EMF]; WMF, [MS-WMF]) is a list of drawing records,
// and the text it draws is kept as characters: the preview picture of an
// embedded spreadsheet, a chart or a graphic pasted from a Windows program
// shows the values it holds, and a copy that kept them would not be
// de-identified. The records that draw text are read here:
//
//   - EMF: EMR_EXTTEXTOUTW (UTF-16LE), EMR_EXTTEXTOUTA (8-bit),
//     EMR_POLYTEXTOUTW and EMR_POLYTEXTOUTA (several strings of either),
//     EMR_SMALLTEXTOUT (either), and EmfPlusDrawString (UTF-16LE) in the
//     EMF+ records an EMR_COMMENT carries (a dual EMF+ file, as Office
//     writes, draws its text twice: the EMF+ records for GDI+, the EMF ones
//     for GDI);
//   - WMF: META_TEXTOUT and META_EXTTEXTOUT (8-bit, in the code page of
//     the font).
//
// Text drawn as glyph indexes (ETO_GLYPH_INDEX) is not characters: it
// cannot be read without the font, and is left alone.
//
// Written by hand: the only Go EMF package (github.com/pzinovkin/emf and
// its fork unidoc/emf) renders EMF to PNG, reads no WMF and no EMF+, gives
// no offsets to rewrite a string in place, and was not written for
// hostile input. Only the record walk and the text records are needed.
//
// Every size and offset is checked against the record and the file before
// it is used; each record is at least 8 bytes (WMF: 6) and the walk only
// moves forward, so it ends within len(b)/6 steps whatever the input. A
// record that does not fit, a string outside its record or a file without
// its end record is an error wrapping ErrBadMetafile.

// ErrBadMetafile is a metafile that does not parse.
var ErrBadMetafile = errors.New("metafile does not parse")

// MaxMetafileSize bounds the metafile parts read whole, by scan and by
// the redact writer. Office previews are a few KiB to a few MiB.
const MaxMetafileSize = 32 << 20

// MetafileRun is one text run of a metafile: its N characters are
// b[Off:Off+N*Unit] of the metafile's bytes, UTF-16LE code units when
// Unit is 2, 8-bit characters when Unit is 1.
type MetafileRun struct {
	Off, N, Unit int
}

// Record types ([MS-EMF] 2.1.1, [MS-EMFPLUS] 2.1.1.1, [MS-WMF] 2.1.1.1)
// and options ([MS-EMF] 2.1.11 ExtTextOutOptions).
const (
	emrHeader        = 1
	emrEOF           = 14
	emrComment       = 70
	emrExtTextOutA   = 83
	emrExtTextOutW   = 84
	emrPolyTextOutA  = 96
	emrPolyTextOutW  = 97
	emrSmallTextOut  = 108
	emfSignature     = 0x464D4520 // " EMF"
	emfPlusComment   = 0x2B464D45 // "EMF+"
	emfPlusDrawStr   = 0x401C
	etoOpaque        = 0x0002
	etoClipped       = 0x0004
	etoGlyphIndex    = 0x0010
	etoNoRect        = 0x0100
	etoSmallChars    = 0x0200
	wmfPlaceableKey  = 0x9AC6CDD7
	metaEOF          = 0x0000
	metaTextOut      = 0x0521
	metaExtTextOut   = 0x0A32
	emrTextOutFixed  = 76 // EMR_EXTTEXTOUT up to the end of EmrText
	emfHeaderMinSize = 88
)

// MetafileKind returns "emf" or "wmf" for bytes that start like one, ""
// otherwise.
func MetafileKind(b []byte) string {
	le := binary.LittleEndian
	switch {
	case len(b) >= 44 && le.Uint32(b) == emrHeader && le.Uint32(b[40:]) == emfSignature:
		return "emf"
	case len(b) >= 4 && le.Uint32(b) == wmfPlaceableKey:
		return "wmf"
	case len(b) >= 18 && (le.Uint16(b) == 1 || le.Uint16(b) == 2) && le.Uint16(b[2:]) == 9:
		return "wmf"
	}
	return ""
}

// MetafileText calls fn with the text runs of an EMF or WMF metafile, in
// record order. It returns fn's error, or an error wrapping ErrBadMetafile.
// fn may change the characters of the run it is given (not the records'
// other bytes).
func MetafileText(b []byte, fn func(MetafileRun) error) error {
	switch MetafileKind(b) {
	case "emf":
		return emfText(b, fn)
	case "wmf":
		return wmfText(b, fn)
	}
	return badMetafile("not an EMF or WMF metafile")
}

func badMetafile(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadMetafile}, args...)...)
}

// run checks that n characters of unit bytes at off end within [off,
// end) and calls fn; a run of no characters is skipped.
func run(off, n, unit, end int, fn func(MetafileRun) error) error {
	if n == 0 {
		return nil
	}
	if off < 0 || n < 0 || int64(off)+int64(n)*int64(unit) > int64(end) {
		return badMetafile("text of %d characters outside its record", n)
	}
	return fn(MetafileRun{Off: off, N: n, Unit: unit})
}

// emfText walks the records of an EMF ([MS-EMF] 2.3: Type, Size, then
// Size-8 bytes; Size a multiple of 4), from the header to EMR_EOF.
func emfText(b []byte, fn func(MetafileRun) error) error {
	le := binary.LittleEndian
	for off := 0; ; {
		if len(b)-off < 8 {
			return badMetafile("no end record")
		}
		typ, size := le.Uint32(b[off:]), le.Uint32(b[off+4:])
		if size < 8 || size%4 != 0 || int64(size) > int64(len(b)-off) {
			return badMetafile("record of %d bytes at %d does not fit", size, off)
		}
		r := b[off : off+int(size)]
		switch {
		case off == 0 && (typ != emrHeader || size < emfHeaderMinSize):
			return badMetafile("no header record")
		case typ == emrEOF:
			return nil
		case typ == emrExtTextOutW || typ == emrExtTextOutA:
			if len(r) < emrTextOutFixed {
				return badMetafile("text record of %d bytes", size)
			}
			n, at, opts := le.Uint32(r[44:]), le.Uint32(r[48:]), le.Uint32(r[52:])
			if opts&etoGlyphIndex != 0 || n == 0 {
				break
			}
			if at < emrTextOutFixed || at > size || n > size {
				return badMetafile("text offset %d outside its record", at)
			}
			unit := 2
			if typ == emrExtTextOutA {
				unit = 1
			}
			if err := run(off+int(at), int(n), unit, off+int(size), fn); err != nil {
				return err
			}
		case typ == emrPolyTextOutW || typ == emrPolyTextOutA:
			if err := emfPolyText(r, off, typ == emrPolyTextOutA, fn); err != nil {
				return err
			}
		case typ == emrSmallTextOut:
			if len(r) < 36 {
				return badMetafile("text record of %d bytes", size)
			}
			n, opts := le.Uint32(r[16:]), le.Uint32(r[20:])
			if opts&etoGlyphIndex != 0 || n == 0 {
				break
			}
			at, unit := 36, 2
			if opts&etoNoRect == 0 {
				at += 16 // the clipping rectangle
			}
			if opts&etoSmallChars != 0 {
				unit = 1
			}
			if n > size {
				return badMetafile("text of %d characters outside its record", n)
			}
			if err := run(off+at, int(n), unit, off+int(size), fn); err != nil {
				return err
			}
		case typ == emrComment:
			if len(r) < 16 || le.Uint32(r[12:]) != emfPlusComment {
				break
			}
			n := le.Uint32(r[8:]) // DataSize, from offset 12
			if n < 4 || n > size-12 {
				return badMetafile("comment of %d bytes outside its record", n)
			}
			if err := emfPlusText(b, off+16, off+12+int(n), fn); err != nil {
				return err
			}
		}
		off += int(size)
	}
}

// emfPolyText reads the strings of an EMR_POLYTEXTOUTW or
// EMR_POLYTEXTOUTA record r at off ([MS-EMF] 2.3.5.32, 2.3.5.33: after
// the bounds, graphics mode and scales, cStrings EmrText objects of 40
// bytes, each with its offString from the record's start).
func emfPolyText(r []byte, off int, ansi bool, fn func(MetafileRun) error) error {
	le := binary.LittleEndian
	if len(r) < 40 {
		return badMetafile("text record of %d bytes", len(r))
	}
	count := le.Uint32(r[36:])
	if int64(count) > int64(len(r)-40)/40 {
		return badMetafile("%d strings outside their record", count)
	}
	unit := 2
	if ansi {
		unit = 1
	}
	fixed := 40 + 40*int(count)
	for i := range int(count) {
		t := r[40+40*i:]
		n, at, opts := le.Uint32(t[8:]), le.Uint32(t[12:]), le.Uint32(t[16:])
		if opts&etoGlyphIndex != 0 || n == 0 {
			continue
		}
		if int64(at) < int64(fixed) || int64(at) > int64(len(r)) || int64(n) > int64(len(r)) {
			return badMetafile("text offset %d outside its record", at)
		}
		if err := run(off+int(at), int(n), unit, off+len(r), fn); err != nil {
			return err
		}
	}
	return nil
}

// emfPlusText walks the EMF+ records in b[start:end] ([MS-EMFPLUS] 2.3:
// Type and Flags, 16 bits each, Size and DataSize, 32 bits; Size a
// multiple of 4) for EmfPlusDrawString (2.3.4.14: BrushId, FormatID,
// Length, a RectF, then Length UTF-16LE characters).
func emfPlusText(b []byte, start, end int, fn func(MetafileRun) error) error {
	le := binary.LittleEndian
	for off := start; off < end; {
		if end-off < 12 {
			return badMetafile("EMF+ record truncated")
		}
		typ, size := le.Uint16(b[off:]), le.Uint32(b[off+4:])
		if size < 12 || size%4 != 0 || int64(size) > int64(end-off) {
			return badMetafile("EMF+ record of %d bytes does not fit", size)
		}
		if typ == emfPlusDrawStr {
			if size < 40 {
				return badMetafile("EMF+ string record of %d bytes", size)
			}
			n := le.Uint32(b[off+20:])
			if n > size {
				return badMetafile("text of %d characters outside its record", n)
			}
			if err := run(off+40, int(n), 2, off+int(size), fn); err != nil {
				return err
			}
		}
		off += int(size)
	}
	return nil
}

// wmfText walks the records of a WMF ([MS-WMF] 2.3: RecordSize in 16-bit
// words, RecordFunction, then parameters), after the optional placeable
// header (22 bytes) and the META_HEADER (18 bytes), up to META_EOF.
func wmfText(b []byte, fn func(MetafileRun) error) error {
	le := binary.LittleEndian
	off := 0
	if len(b) >= 4 && le.Uint32(b) == wmfPlaceableKey {
		off = 22
	}
	if len(b)-off < 18 || le.Uint16(b[off+2:]) != 9 {
		return badMetafile("no header record")
	}
	off += 18
	for {
		if len(b)-off < 6 {
			return badMetafile("no end record")
		}
		words, fun := le.Uint32(b[off:]), le.Uint16(b[off+4:])
		if words < 3 || int64(words)*2 > int64(len(b)-off) {
			return badMetafile("record of %d words at %d does not fit", words, off)
		}
		size := int(words) * 2
		r := b[off : off+size]
		switch fun {
		case metaEOF:
			return nil
		case metaTextOut:
			if size < 8 {
				return badMetafile("text record of %d bytes", size)
			}
			n := int(le.Uint16(r[6:]))
			if err := run(off+8, n, 1, off+size, fn); err != nil {
				return err
			}
		case metaExtTextOut:
			if size < 14 {
				return badMetafile("text record of %d bytes", size)
			}
			n, opts := int(le.Uint16(r[10:])), le.Uint16(r[12:])
			if opts&etoGlyphIndex != 0 {
				break
			}
			at := 14
			if opts&(etoOpaque|etoClipped) != 0 {
				at += 8 // the rectangle
			}
			if err := run(off+at, n, 1, off+size, fn); err != nil {
				return err
			}
		}
		off += size
	}
}

// AppendRunText appends the characters of r as UTF-8 to dst, and to
// units, for each byte appended, the index of the character (the code
// unit) it comes from. UTF-16 is decoded with its surrogate pairs (an
// unpaired surrogate becomes U+FFFD); 8-bit characters are read as
// ISO 8859-1, one rune per byte: the code page is the font's, which the
// run does not say, and the identifiers the rules look for are ASCII,
// which every code page shares.
func AppendRunText(dst []byte, units []int, b []byte, r MetafileRun) ([]byte, []int) {
	s := b[r.Off : r.Off+r.N*r.Unit]
	add := func(c rune, unit int) {
		n := len(dst)
		dst = utf8.AppendRune(dst, c)
		for range len(dst) - n {
			units = append(units, unit)
		}
	}
	if r.Unit == 1 {
		for i, c := range s {
			add(rune(c), i)
		}
		return dst, units
	}
	le := binary.LittleEndian
	for i := 0; i < r.N; i++ {
		c := rune(le.Uint16(s[2*i:]))
		if utf16.IsSurrogate(c) && i+1 < r.N {
			if d := utf16.DecodeRune(c, rune(le.Uint16(s[2*i+2:]))); d != utf8.RuneError {
				add(d, i)
				i++
				continue
			}
		}
		if utf16.IsSurrogate(c) {
			c = utf8.RuneError
		}
		add(c, i)
	}
	return dst, units
}
