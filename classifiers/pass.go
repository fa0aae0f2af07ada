package classifiers

import "encoding/binary"

// The fused pass. Every byte of a buffer costs one load from a 64 KiB table
// indexed by the pair (previous byte, byte). Its flags say whether the byte
// starts a parser (a digit, '@', ':'), whether the pair starts a prose
// keyword, ends an address anchor (号, 室) or may start a fingerprint
// template ("FMR\0", base64 "Rk1SA"). The loop branches only on a non-zero
// entry, so text without candidates runs at the speed of the table loads,
// and all built-in detectors share one walk over the bytes.

// Pair-table flags. The table is indexed cur<<8 | prev, so that the pair
// ending at byte k of a little-endian word is its 16 bits from byte k-1.
const (
	pfTrigger  = 1 << iota // the byte starts a parser
	pfKeyword              // the pair is a prose keyword's anchor (starting at i-1)
	pfAddress              // the pair ends 号 or 室 (at i-2)
	pfTemplate             // the pair is "R\0" of FMR\0 (at i-3) or "Rk" of Rk1SA (at i-1)
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
	if k := e.proseSet; k != nil {
		k.anchors(func(prev, cur byte) { set(prev, cur, pfKeyword) })
	}
	if e.det[dCnAddress] != nil {
		set(0x8F, 0xB7, pfAddress) // 号 = E5 8F B7
		set(0xAE, 0xA4, pfAddress) // 室 = E5 AE A4
	}
	if e.det[dFingerprintTemplate] != nil {
		set('R', 0x00, pfTemplate)
		set('R', 'k', pfTemplate)
	}
	e.pairs = t
}

// scan runs the built-in detectors over the buffer. Triggers are looked for
// from own0 to a little past own1, since a match owned by this chunk can
// have its trigger (an '@', the digits after a letter prefix) after own1.
func (s *Scanner) scan() {
	if len(s.e.byDet) == 0 {
		return
	}
	t := s.e.pairs
	end := min(s.own1+leadIn, len(s.buf))
	b := s.buf[:end]
	i := s.own0
	var prev byte
	if i > 0 {
		prev = b[i-1]
	}
	s.kwHits, s.anchors, s.tmpl = s.kwHits[:0], s.anchors[:0], s.tmpl[:0]
	for i < len(b) {
		// Fast path: eight bytes with no flag at all, in one branch.
		if i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i : i+8])
			f := t[uint16(w)<<8|uint16(prev)] | t[uint16(w)] | t[uint16(w>>8)] | t[uint16(w>>16)] |
				t[uint16(w>>24)] | t[uint16(w>>32)] | t[uint16(w>>40)] | t[uint16(w>>48)]
			if f == 0 {
				prev = byte(w >> 56)
				i += 8
				continue
			}
		}
		// Slow path: the bytes of a block with a flag, one at a time.
		for stop := min(i+8, len(b)); i < stop; {
			c := b[i]
			f := t[pairIndex(prev, c)]
			prev = c
			if f == 0 {
				i++
				continue
			}
			if f&pfKeyword != 0 {
				s.kwHits = append(s.kwHits, i-1)
			}
			if f&pfAddress != 0 && i >= 2 && b[i-2] == 0xE5 {
				s.anchors = append(s.anchors, i-2)
			}
			if f&pfTemplate != 0 {
				s.tmpl = append(s.tmpl, i-1)
			}
			if f&pfTrigger == 0 {
				i++
				continue
			}
			j := i + 1
			switch c {
			case '@':
				s.email(i)
			case ':':
				j = s.colon(i)
			default:
				j = s.number(i)
			}
			// A parser that consumed a token moves on past it; it reads the
			// whole buffer, so it may stop beyond this loop's bound.
			if j > i+1 {
				i = j
				prev = s.buf[i-1]
				break
			}
			i++
		}
	}
	if len(s.tmpl) > 0 {
		s.templates()
	}
	if s.e.proseSet != nil {
		s.prose()
	}
	if len(s.anchors) > 0 {
		s.proseAddresses(s.e.det[dCnAddress])
	}
}
