package classifiers

import (
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fingerprint returns lowercase hex HMAC-SHA256(key, canon). The MAC is the
// scanner's own, reset per value, so this allocates only the result string.
func (s *Scanner) fingerprint(canon []byte) string {
	s.mac.Reset()
	s.mac.Write(canon)
	sum := s.mac.Sum(s.sum[:0])
	hex.Encode(s.hexBuf[:], sum)
	return string(s.hexBuf[:])
}

// mask renders the de-identified display form of a canonical value as the
// rule's mask says (DESIGN.md section 4).
func mask(ri *ruleInfo, canon []byte) string {
	m := ri.rule.Mask
	switch m.Style {
	case "tag":
		return ri.maskTagged
	case "email":
		at := strings.LastIndexByte(string(canon), '@')
		if at <= 0 {
			return keepMask(canon, 1, 0, "*", 3)
		}
		first, _ := utf8.DecodeRune(canon)
		return string(first) + "***" + string(canon[at:])
	case "ipv4":
		parts := strings.SplitN(string(canon), ".", 4)
		if len(parts) == 4 {
			return parts[0] + "." + parts[1] + ".*.*"
		}
	case "gps":
		if lat, lng, ok := splitPair(canon); ok {
			return strconv.FormatFloat(lat, 'f', 2, 64) + "," + strconv.FormatFloat(lng, 'f', 2, 64)
		}
	case "full":
		return keepMask(canon, 0, 0, m.Char, m.Fixed)
	}
	return keepMask(canon, m.KeepFirst, m.KeepLast, m.Char, m.Fixed)
}

// keepMask keeps the first and last characters and masks the rest. At least
// one character is always hidden, so a short value is never shown whole.
// It runs for every match, so it copies the kept bytes in two slices into
// one allocation.
func keepMask(canon []byte, first, last int, char string, fixed int) string {
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
	var b strings.Builder
	b.Grow(head + hidden*len(char) + len(canon) - tail)
	b.Write(canon[:head])
	for range hidden {
		b.WriteString(char)
	}
	b.Write(canon[tail:])
	return b.String()
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
	s := string(canon)
	i := strings.IndexByte(s, ',')
	if i < 0 {
		return 0, 0, false
	}
	lat, err1 := strconv.ParseFloat(s[:i], 64)
	lng, err2 := strconv.ParseFloat(s[i+1:], 64)
	return lat, lng, err1 == nil && err2 == nil
}
