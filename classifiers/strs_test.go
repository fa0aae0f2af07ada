package classifiers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/publicsuffix"

	"github.com/piiscan/piiscan/rules"
)

// maskRef is mask as it was written before masks were appended to the
// scanner's buffer: the oracle of TestMaskAgrees.
func maskRef(ri *ruleInfo, canon []byte) string {
	m := ri.rule.Mask
	switch m.Style {
	case "tag":
		return ri.maskTagged
	case "email":
		at := strings.LastIndexByte(string(canon), '@')
		if at <= 0 {
			return keepMaskRef(canon, 1, 0, "*", 3)
		}
		first, _ := utf8.DecodeRune(canon)
		return string(first) + "***" + string(canon[at:])
	case "ipv4":
		parts := strings.SplitN(string(canon), ".", 4)
		if len(parts) == 4 {
			return parts[0] + "." + parts[1] + ".*.*"
		}
	case "gps":
		s := string(canon)
		if i := strings.IndexByte(s, ','); i >= 0 {
			lat, err1 := strconv.ParseFloat(s[:i], 64)
			lng, err2 := strconv.ParseFloat(s[i+1:], 64)
			if err1 == nil && err2 == nil {
				return strconv.FormatFloat(lat, 'f', 2, 64) + "," + strconv.FormatFloat(lng, 'f', 2, 64)
			}
		}
	case "full":
		return keepMaskRef(canon, 0, 0, m.Char, m.Fixed)
	}
	return keepMaskRef(canon, m.KeepFirst, m.KeepLast, m.Char, m.Fixed)
}

// TestMaskAgrees: every rule's mask, through the scanner's slab, gives what
// the string-building version gave, on values of every shape its style
// parses and fails to parse (no '@', too few dots, bad numbers). Values are
// valid UTF-8: keepMaskRef, the rune-by-rune oracle, reads a bad byte as
// three.
func TestMaskAgrees(t *testing.T) {
	e := builtinEngine(t)
	s := e.NewScanner()
	r := rand.New(rand.NewPCG(5, 5))
	alphabet := []string{"1", "3", "8", "X", "a", "@", ".", ",", "-", "张", "三", "12.5", "-33.87"}
	infos := e.rules
	for _, m := range []rules.Mask{{Style: "full"}, {Style: "full", Char: "#", Fixed: 4}, {KeepFirst: 9, KeepLast: 9, Char: "•"}} {
		ri := *e.rules[0]
		ri.rule.Mask = m
		infos = append(infos, &ri) // user rules may ask for these
	}
	styles := map[string]bool{}
	var kept []string
	var want []string
	for n := range 20000 {
		var v []byte
		for range r.IntN(16) {
			v = append(v, alphabet[r.IntN(len(alphabet))]...)
		}
		ri := infos[r.IntN(len(infos))]
		styles[ri.rule.Mask.Style] = true
		got := s.mask(ri, v)
		require.Equal(t, maskRef(ri, v), got, "case %d: rule %s, %q", n, ri.rule.ID, v)
		kept, want = append(kept, got), append(want, got)
	}
	for _, style := range []string{"tag", "email", "ipv4", "gps", "full", ""} {
		require.True(t, styles[style], "no rule with mask style %q was tried", style)
	}
	// Strings cut earlier are not overwritten by later masks.
	for i := range kept {
		require.Equal(t, want[i], strings.Clone(kept[i]))
	}
}

// joinEvidenceRef is the string version of appendEvidence, the oracle of
// TestEvidenceAgrees.
func joinEvidenceRef(ev, add string) string {
	if ev == "" {
		return add
	}
	for add != "" {
		var item string
		item, add, _ = strings.Cut(add, ",")
		if item == "" || hasEvidenceRef(ev, item) {
			continue
		}
		ev += "," + item
	}
	return ev
}

func hasEvidenceRef(ev, item string) bool {
	for ev != "" {
		var x string
		x, ev, _ = strings.Cut(ev, ",")
		if x == item {
			return true
		}
	}
	return false
}

// TestEvidenceAgrees: building evidence in a buffer and interning it gives
// what joining strings gave, for lists with repeats, empty items and
// leading or trailing commas.
func TestEvidenceAgrees(t *testing.T) {
	s := builtinEngine(t).NewScanner()
	r := rand.New(rand.NewPCG(6, 6))
	items := []string{"", "checksum", "field:手机号", "keyword:phone", "dictionary", "checksum,format", ",checksum", "format,", "keyword"}
	for n := range 20000 {
		adds := make([]string, 1+r.IntN(5))
		for i := range adds {
			adds[i] = items[r.IntN(len(items))]
		}
		want := adds[0]
		s.evb = appendEvidence(s.evb[:0], adds[0])
		for _, a := range adds[1:] {
			want = joinEvidenceRef(want, a)
			s.evb = appendEvidence(s.evb, a)
		}
		require.Equal(t, want, s.intern(s.evb), "case %d: %q", n, adds)
	}
}

// TestSlabStrings: strings cut from the slab keep their bytes however many
// follow, of any size (larger than a slab too); interned evidence is the
// same string each time, and the table stays bounded.
func TestSlabStrings(t *testing.T) {
	s := builtinEngine(t).NewScanner()
	r := rand.New(rand.NewPCG(7, 7))
	var got, want []string
	for range 5000 {
		b := make([]byte, r.IntN(64))
		if r.IntN(100) == 0 {
			b = make([]byte, slabSize+r.IntN(slabSize))
		}
		for i := range b {
			b[i] = byte('a' + r.IntN(26))
		}
		got = append(got, s.keep(b))
		want = append(want, string(b))
		clear(b) // the caller's buffer is reused: the string must not change
	}
	require.Equal(t, want, got)
	require.Empty(t, s.keep(nil))

	a := s.intern([]byte("field:x,keyword:y"))
	b := s.intern([]byte("field:x,keyword:y"))
	require.Equal(t, a, b)
	require.Equal(t, unsafeData(a), unsafeData(b), "interned evidence is one string")
	for i := range 3 * maxInterned {
		require.Equal(t, "field:"+strconv.Itoa(i), s.intern([]byte("field:"+strconv.Itoa(i))))
	}
	require.LessOrEqual(t, len(s.interned), maxInterned)
}

func unsafeData(s string) *byte { return unsafe.StringData(s) }

// TestFingerprintsStay: the fingerprints of a scan, cut from one slab,
// are each the HMAC of their own value after the scanner has gone on.
func TestFingerprintsStay(t *testing.T) {
	e := builtinEngine(t)
	s := e.NewScanner()
	var fps []string
	var vals [][]byte
	for i := range 2000 {
		v := []byte("1380013" + strconv.Itoa(1000+i))
		fps = append(fps, s.fingerprint(v))
		vals = append(vals, v)
	}
	for i, v := range vals {
		mac := hmac.New(sha256.New, []byte("test-key"))
		mac.Write(v)
		require.Equal(t, hex.EncodeToString(mac.Sum(nil)), fps[i])
	}
}

// TestICANNTLDCache: the scanner's kept answers are the public suffix
// list's, on first and later asks, and the table stays bounded.
func TestICANNTLDCache(t *testing.T) {
	s := builtinEngine(t).NewScanner()
	tlds := []string{"com", "cn", "xn--p1ai", "xn--fiqs8s", "local", "invalid", "example", "zz", "co", "internal"}
	for i := range 2 * maxTLDs {
		tlds = append(tlds, "q"+strconv.Itoa(i))
	}
	icann := 0
	for round := range 2 {
		for _, tld := range tlds {
			_, want := publicsuffix.PublicSuffix(tld)
			require.Equal(t, want, s.icannTLD([]byte(tld)), "round %d: %s", round, tld)
			if want && round == 0 {
				icann++
			}
		}
	}
	require.GreaterOrEqual(t, icann, 4, "com, cn and the two punycode TLDs are ICANN's")
	require.LessOrEqual(t, len(s.tlds), maxTLDs)
}
