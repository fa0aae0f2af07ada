package classifiers

import (
	"bytes"
	"strings"
)

// kwSet finds prose keywords for the fused pass (pass.go). Each keyword is
// indexed by one two-byte "anchor" inside it, chosen to be rare in text: an
// uncommon letter pair for English ("gn" in diagnosis, "nv" in conviction)
// and the last two bytes of the first character for Han keywords (two
// UTF-8 bytes of a Han character narrow it down to about six characters,
// while its first two bytes only narrow it down to 64). The pass flags the
// anchor pairs; a hashed four-byte filter and a check of the keywords of
// that anchor confirm a hit.
//
// Why not a library Aho-Corasick: the keywords are few and short, all
// occurrences are wanted with ASCII-only case folding (so byte offsets stay
// valid), and a byte-at-a-time automaton is slower than one table load per
// byte shared with the other detectors.
type kwSet struct {
	quads [1 << 16 / 64]uint64 // hashed, case-folded first four bytes
	index [1 << 16]uint16      // anchor pair (cur<<8|prev) -> 1 + bucket number
	// offs[bucket] is the anchor offset shared by all keywords of a bucket
	// (-1 when they differ), for the pass's quick check (likely).
	offs    []int8
	buckets [][]kwRef
	n       int
}

// kwRef is one keyword of one rule, with the offset of its anchor.
type kwRef struct {
	rule int // index into the rules the set was built for
	kw   keyword
	off  int // the anchor pair starts this many bytes into the keyword
}

// bigramRank lists English letter pairs from most to least frequent (after
// Norvig's counts over a large English corpus, extended with pairs common
// in logs and code such as "nv" of inventory and "ad" of add). An anchor is
// the keyword's pair that comes latest here, or that is absent.
const bigramRank = "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp fl iz ok nl my gl aw ju oa eq sy sl ps jo lf nv je nk kn gs dy hy ze ks xt bs ik dd cy rp sk xi oe oy ws lv dl rf eu dg wr xa yi nm eb rb tm xc eh tc gy ja hn yp za gg ym sw bj lm cs ii ix xe oh lk dv lp ax ox uf dm iu sf bt ka yt ek pm ya gt wl rh yl hs ah yc yn rw hm lw hl ae zi az lc py aj iq nj bb nh uo kl lr tn gm sn nr fs ry"

// bigramCost is a pair's rank in bigramRank (pairs not listed are rarest).
func bigramCost(p string) int {
	if i := strings.Index(bigramRank, p+" "); i >= 0 && i%3 == 0 {
		return i / 3
	}
	return 1 << 20
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

func newKwSet() *kwSet { return &kwSet{} }

// anchor picks the offset of a keyword's anchor pair: for Han keywords the
// last two bytes of the first character, for ASCII ones the letter pair
// that is rarest in English text.
func anchor(kw keyword) int {
	b := kw.b
	if !kw.ascii {
		if b[0] >= 0xE0 && len(b) >= 3 {
			return 1
		}
		return 0
	}
	best, cost := 0, -1
	for i := 0; i+1 < len(b); i++ {
		if !isLetter(b[i]) || !isLetter(b[i+1]) {
			continue
		}
		if c := bigramCost(string(b[i : i+2])); c > cost {
			best, cost = i, c
		}
	}
	return best
}

// add registers a keyword (already lower-cased) of rule.
func (k *kwSet) add(rule int, kw keyword) {
	if len(kw.b) < 2 {
		return
	}
	off := anchor(kw)
	for _, c0 := range caseVariants(kw.b[off]) {
		for _, c1 := range caseVariants(kw.b[off+1]) {
			p := pairIndex(c0, c1)
			if k.index[p] == 0 {
				k.buckets = append(k.buckets, nil)
				k.offs = append(k.offs, int8(min(off, 127)))
				k.index[p] = uint16(len(k.buckets))
			}
			bi := k.index[p] - 1
			b := &k.buckets[bi]
			*b = append(*b, kwRef{rule: rule, kw: kw, off: off})
			if int(k.offs[bi]) != off || len(kw.b) < 4 {
				k.offs[bi] = -1
			}
		}
	}
	if len(kw.b) >= 4 {
		// Shorter keywords are not in the filter: at checks them directly,
		// and their buckets are always likely.
		q := quadHash(kw.b)
		k.quads[q/64] |= 1 << (q % 64)
	}
	k.n++
}

// anchors calls fn for each anchor pair (prev, cur) of the set, with the
// offset of the pair in its bucket's keywords (-1 when they differ).
func (k *kwSet) anchors(fn func(prev, cur byte, off int8)) {
	for p, b := range k.index {
		if b != 0 {
			fn(byte(p), byte(p>>8), k.offs[b-1])
		}
	}
}

func caseVariants(c byte) []byte {
	if c >= 'a' && c <= 'z' {
		return []byte{c, c - 'a' + 'A'}
	}
	return []byte{c}
}

// quadHash hashes four bytes with bit 5 set in each, which folds ASCII
// case (and merges a few other byte pairs: this is a filter, so a merge
// only costs a verification, never a miss).
func quadHash(b []byte) uint16 {
	v := (uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24) | 0x20202020
	return uint16((v * 0x9E3779B1) >> 16)
}

// likely is the pass's quick check of an anchor pair at buf[i]: false
// when no keyword of its bucket can start there ("inventory" has the "nv"
// of "conviction", but not its first four bytes), so that common anchor
// pairs in logs cost a hash, not a bucket walk later. off is 1 + the
// pair's offset in its keywords, which the pair table carries in its high
// bits (pfAnchorShift), or 0 when no quick check applies; so the check
// reads the 8 KiB filter and not the 128 KiB index.
func (k *kwSet) likely(buf []byte, i int, off uint8) bool {
	s := i - int(off) + 1
	if off == 0 || s < 0 || s+4 > len(buf) {
		return true
	}
	q := quadHash(buf[s:])
	return k.quads[q>>6]&(1<<(q&63)) != 0
}

// at calls fn for every keyword whose anchor pair starts at buf[i].
// ASCII keywords must start a word.
func (k *kwSet) at(buf []byte, i int, fn func(pos int, r kwRef)) {
	if i < 0 || i+1 >= len(buf) {
		return
	}
	bi := k.index[pairIndex(buf[i], buf[i+1])]
	if bi == 0 {
		return
	}
	bucket := k.buckets[bi-1]
	for j := range bucket {
		r := &bucket[j]
		s := i - r.off
		n := len(r.kw.b)
		if s < 0 || s+n > len(buf) {
			continue
		}
		if n >= 4 {
			q := quadHash(buf[s:])
			if k.quads[q>>6]&(1<<(q&63)) == 0 {
				continue
			}
		}
		if !equalFold(buf[s:s+n], r.kw.b) {
			continue
		}
		if r.kw.ascii && s > 0 && isLetter(buf[s-1]) {
			continue
		}
		fn(s, *r)
	}
}

// each calls fn for every keyword starting in [lo, hi) of buf. The fused
// pass covers the owned region; this is for the look-behind and for tests.
func (k *kwSet) each(buf []byte, lo, hi int, fn func(pos int, r kwRef)) {
	lo = max(lo, 0)
	hi = min(hi, len(buf))
	for i := lo; i < min(hi+8, len(buf)-1); i++ {
		k.at(buf, i, func(pos int, r kwRef) {
			if pos >= lo && pos < hi {
				fn(pos, r)
			}
		})
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
