package classifiers

import (
	"bytes"
	"encoding/hex"
	"strconv"
	"unicode/utf8"
)

// fingerprint returns lowercase hex HMAC-SHA256(key, canon). The MAC is the
// scanner's own, reset per value, so this allocates only the result string.
func (s *Scanner) fingerprint(canon []byte) string {
	s.mac.Reset()
	s.mac.Write(canon)
	sum := s.mac.Sum(s.sum[:0])
	hex.Encode(s.hexBuf[:], sum)
	return s.keep(s.hexBuf[:])
}

// mask renders the de-identified display form of a canonical value as the
// rule's mask says (DESIGN.md section 4), as a string of the scanner's slab.
func (s *Scanner) mask(ri *ruleInfo, canon []byte) string {
	if ri.rule.Mask.Style == "tag" {
		return ri.maskTagged
	}
	s.mbuf = appendMask(s.mbuf[:0], ri, canon)
	return s.keep(s.mbuf)
}

// appendMask appends the masked form of canon to dst.
func appendMask(dst []byte, ri *ruleInfo, canon []byte) []byte {
	m := ri.rule.Mask
	switch m.Style {
	case "tag":
		return append(dst, ri.maskTagged...)
	case "email":
		at := bytes.LastIndexByte(canon, '@')
		if at <= 0 {
			return appendKeepMask(dst, canon, 1, 0, "*", 3)
		}
		first, _ := utf8.DecodeRune(canon)
		dst = utf8.AppendRune(dst, first)
		dst = append(dst, "***"...)
		return append(dst, canon[at:]...)
	case "ipv4":
		// The first two of four dot-separated parts.
		if i := bytes.IndexByte(canon, '.'); i >= 0 {
			if j := bytes.IndexByte(canon[i+1:], '.'); j >= 0 {
				j += i + 1
				if bytes.IndexByte(canon[j+1:], '.') >= 0 {
					dst = append(dst, canon[:j]...)
					return append(dst, ".*.*"...)
				}
			}
		}
	case "gps":
		if lat, lng, ok := splitPair(canon); ok {
			dst = strconv.AppendFloat(dst, lat, 'f', 2, 64)
			dst = append(dst, ',')
			return strconv.AppendFloat(dst, lng, 'f', 2, 64)
		}
	case "full":
		return appendKeepMask(dst, canon, 0, 0, m.Char, m.Fixed)
	}
	return appendKeepMask(dst, canon, m.KeepFirst, m.KeepLast, m.Char, m.Fixed)
}

// appendKeepMask keeps the first and last characters and masks the rest.
// At least one character is always hidden, so a short value is never shown
// whole.
func appendKeepMask(dst, canon []byte, first, last int, char string, fixed int) []byte {
	if char == "" {
		char = "*"
	}
	n := utf8.RuneCount(canon)
	for first+last >= n && (first > 0 || last > 0) {
		if last >= first && last > 0 {
			last--
		} else {
			first--
		}
	}
	hidden := n - first - last
	if fixed > 0 {
		hidden = fixed
	}
	head, tail := runeOffset(canon, first), runeOffset(canon, n-last)
	dst = append(dst, canon[:head]...)
	for range hidden {
		dst = append(dst, char...)
	}
	return append(dst, canon[tail:]...)
}

// runeOffset returns the byte offset of the k-th character of s (len(s)
// when s has fewer), counting as utf8.RuneCount does.
func runeOffset(s []byte, k int) int {
	off := 0
	for ; k > 0 && off < len(s); k-- {
		if s[off] < utf8.RuneSelf {
			off++
			continue
		}
		_, w := utf8.DecodeRune(s[off:])
		off += w
	}
	return off
}

func splitPair(canon []byte) (float64, float64, bool) {
	i := bytes.IndexByte(canon, ',')
	if i < 0 {
		return 0, 0, false
	}
	lat, err1 := strconv.ParseFloat(string(canon[:i]), 64)
	lng, err2 := strconv.ParseFloat(string(canon[i+1:]), 64)
	return lat, lng, err1 == nil && err2 == nil
}
