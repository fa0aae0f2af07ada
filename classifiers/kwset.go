package classifiers

import "bytes"

// kwSet finds many keywords in one pass. Every position whose first two
// bytes (ASCII lower-cased) start some keyword is checked against the
// keywords with that prefix. A 64 Ki-bit table of two-byte prefixes (8 KiB,
// it stays in L1) keeps the common case to two table loads per byte.
//
// Why not a library Aho-Corasick: the keywords are few and short, all
// matches are wanted with ASCII-only case folding (so byte offsets stay
// valid), and this filter beats a byte-at-a-time automaton on the text we
// scan, where almost no position starts a keyword.
type kwSet struct {
	first  [256]bool
	pairs  [1 << 16 / 64]uint64
	bucket map[uint16][]kwRef
	minLen int
}

// kwRef is one keyword of one rule.
type kwRef struct {
	rule int // index into the rules the set was built for
	kw   keyword
}

// lowerTable maps ASCII upper case to lower case and leaves other bytes.
var lowerTable = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	return t
}()

func newKwSet() *kwSet { return &kwSet{bucket: map[uint16][]kwRef{}} }

// add registers a keyword (already lower-cased) of rule.
func (k *kwSet) add(rule int, kw keyword) {
	if len(kw.b) < 2 {
		return
	}
	p := uint16(kw.b[0])<<8 | uint16(kw.b[1])
	k.first[kw.b[0]] = true
	k.pairs[p/64] |= 1 << (p % 64)
	k.bucket[p] = append(k.bucket[p], kwRef{rule: rule, kw: kw})
	if k.minLen == 0 || len(kw.b) < k.minLen {
		k.minLen = len(kw.b)
	}
}

// each calls fn for every keyword occurrence starting in [lo, hi) of buf.
// ASCII keywords must start a word.
func (k *kwSet) each(buf []byte, lo, hi int, fn func(pos int, r kwRef)) {
	if k.minLen == 0 {
		return
	}
	hi = min(hi, len(buf)-1)
	for i := lo; i < hi; i++ {
		c := lowerTable[buf[i]]
		if !k.first[c] {
			continue
		}
		p := uint16(c)<<8 | uint16(lowerTable[buf[i+1]])
		if k.pairs[p/64]&(1<<(p%64)) == 0 {
			continue
		}
		for _, r := range k.bucket[p] {
			n := len(r.kw.b)
			if i+n > len(buf) || !equalFold(buf[i:i+n], r.kw.b) {
				continue
			}
			if r.kw.ascii && i > 0 && isLetter(buf[i-1]) {
				continue
			}
			fn(i, r)
		}
	}
}

// equalFold compares with ASCII case folding; lower is already lower case.
func equalFold(b, lower []byte) bool {
	for i, c := range lower {
		if lowerTable[b[i]] != c {
			return false
		}
	}
	return true
}

// indexFold finds lower (lower-cased) in b with ASCII case folding.
func indexFold(b, lower []byte) int {
	if isASCII(lower) && hasLetter(lower) {
		for i := 0; i+len(lower) <= len(b); i++ {
			if lowerTable[b[i]] == lower[0] && equalFold(b[i:i+len(lower)], lower) {
				return i
			}
		}
		return -1
	}
	return bytes.Index(b, lower)
}

func hasLetter(b []byte) bool {
	for _, c := range b {
		if isLetter(c) {
			return true
		}
	}
	return false
}
