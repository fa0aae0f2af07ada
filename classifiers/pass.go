package classifiers

import (
	"encoding/binary"
	"math/bits"
)

// The fused pass. Every byte of a buffer costs one load from a 64 KiB table
// indexed by the pair (previous byte, byte). Its flags say whether the byte
// starts a parser (a digit, '@', ':'), whether the pair starts a prose
// keyword, ends a value's last character (号, 室 of an address, 族 of an
// ethnic group said of a person) or may start a fingerprint
// template ("FMR\0", base64 "Rk1SA"). The loop branches only on a non-zero
// entry, so text without candidates runs at the speed of the table loads,
// and all built-in detectors share one walk over the bytes.

// Pair-table flags. The table is indexed cur<<8 | prev, so that the pair
// ending at byte k of a little-endian word is its 16 bits from byte k-1.
const (
	pfTrigger  = 1 << iota // the byte starts a parser
	pfKeyword              // the pair is a prose keyword's anchor (starting at i-1)
	pfSuffix               // the pair ends 号 or 室 (at i-2), or a rule's subject_value_ends
	pfTemplate             // the pair is "R\0" of FMR\0 (at i-3) or "Rk" of Rk1SA (at i-1)

	// The high four bits of a keyword anchor's entry are 1 + its offset in
	// its keywords, for kwSet.likely (0: none, or more than 14).
	pfAnchorShift  = 4
	pfMaxAnchorOff = 14
)

func pairIndex(prev, cur byte) uint16 { return uint16(cur)<<8 | uint16(prev) }

// buildPairs fills the engine's pair table from its rules.
func (e *Engine) buildPairs() {
	t := new([1 << 16]uint8)
	set := func(prev, cur byte, f uint8) { t[pairIndex(prev, cur)] |= f }
	for p := 0; p < 256; p++ {
		for c := byte('0'); c <= '9'; c++ {
			set(byte(p), c, pfTrigger)
		}
		set(byte(p), '@', pfTrigger)
		if e.det[dIpv6] != nil || e.det[dMacAddress] != nil {
			set(byte(p), ':', pfTrigger)
		}
	}
	// A full-width digit, EF BC 90-99, ends with one of these pairs, and
	// ＠, EF BC A0, with the last (fullwidth.go).
	for c := byte(0x90); c <= 0x99; c++ {
		set(0xBC, c, pfTrigger)
	}
	set(0xBC, 0xA0, pfTrigger)
	if k := e.proseSet; k != nil {
		k.anchors(func(prev, cur byte, off int8) {
			f := uint8(pfKeyword)
			if off >= 0 && off <= pfMaxAnchorOff {
				f |= uint8(off+1) << pfAnchorShift
			}
			set(prev, cur, f)
		})
	}
	if e.det[dCnAddress] != nil {
		set(0x8F, 0xB7, pfSuffix) // 号 = E5 8F B7
		set(0xAE, 0xA4, pfSuffix) // 室 = E5 AE A4
	}
	for _, se := range e.subjectEnds {
		set(se.ch[len(se.ch)-2], se.ch[len(se.ch)-1], pfSuffix)
	}
	if e.det[dFingerprintTemplate] != nil {
		set('R', 0x00, pfTemplate)
		set('R', 'k', pfTemplate)
	}
	e.pairs = t
}

// flagged handles a byte whose pair-table entry is non-zero and returns
// where scanning resumes (i+1, or past a token a parser consumed).
func (s *Scanner) flagged(i int, f uint8) int {
	b := s.buf
	if f&pfKeyword != 0 && i >= 1 && s.e.proseSet.likely(b, i-1, f>>pfAnchorShift) {
		s.kwHits = append(s.kwHits, i-1)
	}
	if f&pfSuffix != 0 && i >= 2 {
		// 号 = E5 8F B7, 室 = E5 AE A4; the other flagged pairs end a
		// subject_value_ends character.
		if b[i-2] == 0xE5 && (b[i-1] == 0x8F && b[i] == 0xB7 || b[i-1] == 0xAE && b[i] == 0xA4) {
			if s.e.det[dCnAddress] != nil {
				s.anchors = append(s.anchors, i-2)
			}
		} else if len(s.e.subjectEnds) > 0 {
			s.subjectEnd(i)
		}
	}
	if f&pfTemplate != 0 {
		s.tmpl = append(s.tmpl, i-1)
	}
	if f&pfTrigger == 0 {
		return i + 1
	}
	switch b[i] {
	case '@':
		s.email(i)
		return i + 1
	case ':':
		return s.colon(i)
	}
	if b[i] >= 0x80 {
		return s.wide(i) // the pair BC 9x
	}
	return s.number(i)
}

// startPass empties what a pass collects for afterPass.
func (s *Scanner) startPass() {
	s.kwHits, s.anchors, s.tmpl, s.subjHits, s.idAt = s.kwHits[:0], s.anchors[:0], s.tmpl[:0], s.subjHits[:0], s.idAt[:0]
}

// scan runs the built-in detectors over the buffer. When the pass meets a
// full-width digit, it stops, and the whole scan starts again on a folded
// copy of the buffer (fullwidth.go): the scanner then reads that copy
// until unfold.
func (s *Scanner) scan() {
	if len(s.e.byDet) == 0 {
		return
	}
	st := s.stats
	if s.pass(); s.sawWide {
		s.stats = st
		s.out, s.points = s.out[:0], s.points[:0]
		s.fold()
		s.pass()
	}
	s.afterPass()
}

// pass is the fused pass over the buffer. Triggers are looked for from
// own0 to a little past own1, since a match owned by this chunk can have
// its trigger (an '@', the digits after a letter prefix) after own1.
func (s *Scanner) pass() {
	s.sawWide = false
	t := s.e.pairs
	end := min(s.own1+leadIn, len(s.buf))
	b := s.buf[:end]
	i := s.own0
	s.startPass()
	if i == 0 && len(b) > 0 {
		i = s.byteStep(b, 0) // the first byte has no byte before it
	}
	for i+8 <= len(b) {
		// Eight bytes per step: their flags packed into one word, so a
		// block without candidates costs one branch, and a block with some
		// jumps straight to them. The pair ending at byte i+k is the
		// little-endian 16 bits at i+k-1: one load per table index.
		w := b[i-1 : i+8]
		fw := uint64(t[binary.LittleEndian.Uint16(w[0:])]) | uint64(t[binary.LittleEndian.Uint16(w[1:])])<<8 |
			uint64(t[binary.LittleEndian.Uint16(w[2:])])<<16 | uint64(t[binary.LittleEndian.Uint16(w[3:])])<<24 |
			uint64(t[binary.LittleEndian.Uint16(w[4:])])<<32 | uint64(t[binary.LittleEndian.Uint16(w[5:])])<<40 |
			uint64(t[binary.LittleEndian.Uint16(w[6:])])<<48 | uint64(t[binary.LittleEndian.Uint16(w[7:])])<<56
		if fw == 0 {
			i += 8
			continue
		}
		next := i + 8
		for fw != 0 {
			k := bits.TrailingZeros64(fw) >> 3
			p := i + k
			f := uint8(fw >> (k * 8))
			fw &^= 0xFF << (k * 8)
			var j int
			if f == pfTrigger && isDigit(b[p]) {
				j = s.number(p) // the common case, without flagged's tests
			} else {
				j = s.flagged(p, f)
			}
			if j > p+1 {
				// A parser consumed a token: resume after it (it reads the
				// whole buffer, so it may stop beyond this loop's bound).
				next = max(next, j)
				fw &^= ^uint64(0) >> max(0, 64-8*min(8, j-i)) // flags inside the token
			}
		}
		i = next
	}
	for i < len(b) {
		i = s.byteStep(b, i) // the tail
	}
}

// byteStep handles the byte at i on its own and returns where the pass
// goes on: the buffer's first byte and its last seven.
func (s *Scanner) byteStep(b []byte, i int) int {
	var prev byte
	if i > 0 {
		prev = b[i-1]
	}
	if f := s.e.pairs[pairIndex(prev, b[i])]; f != 0 {
		if j := s.flagged(i, f); j > i+1 {
			return j
		}
	}
	return i + 1
}

// afterPass runs the detectors that work from the positions the pass
// collected: fingerprint templates, prose keywords, addresses and values
// said of a person.
func (s *Scanner) afterPass() {
	if len(s.tmpl) > 0 {
		s.templates()
	}
	if s.e.proseSet != nil {
		s.prose()
	}
	if len(s.anchors) > 0 {
		s.proseAddresses(s.e.det[dCnAddress])
	}
	if len(s.subjHits) > 0 {
		s.subjectTerms()
	}
	if len(s.idAt) > 0 {
		s.idHolders()
	}
}

// subjectEnd records the start of the character ending at buf[i] when
// it is one of the rules' subject_value_ends (族): the pair table flags
// their last two bytes, which other characters share (藏 those of 族).
func (s *Scanner) subjectEnd(i int) {
	b := s.buf
	for _, se := range s.e.subjectEnds {
		if n := len(se.ch); i+1 >= n && string(b[i+1-n:i+1]) == string(se.ch) {
			s.subjHits = append(s.subjHits, i+1-n)
			return
		}
	}
}
