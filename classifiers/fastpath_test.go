package classifiers

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// The fast paths skip text no detector wants (dates with zones, UUIDs) and
// cut checks short (plates, coordinate labels). They must not change what is
// found: values next to them are still found, and look-alikes are not
// skipped.

func TestZoneEnds(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int // end of the zone; 0 means none
	}{
		{"Z", 1}, {"Z,", 1},
		{"+08:00", 6}, {"-05:00\"", 6}, {"+0800", 5}, {"+0800 ", 5}, {"-0530,", 5},
		{"+08:001", 6}, // the date parser then rejects the whole date: glued
		{"+080012", 0}, {"+8613812345678", 0}, {"+08", 0}, {"+08:0", 0}, {"+38:00", 0},
		{" +08:00", 0}, {"", 0}, {"-13812345678", 0},
	} {
		require.Equal(t, c.want, zone([]byte(c.in), 0), "%q", c.in)
	}
}

func TestDateTimeWithZone(t *testing.T) {
	for _, c := range []struct{ in, rest string }{
		{"2026-11-16T08:00:00+08:00", ""},
		{"2026-11-16T08:00:00.731Z", ""},
		{"2026-11-16 08:00:00+0800 ", " "},
		{"2026-11-16T08:00:00-05:00\",", "\","},
	} {
		end := dateTime([]byte(c.in), 0)
		require.Equal(t, c.rest, c.in[end:], "%q", c.in)
	}
	// A zone glued to more digits is not a zone, and a glued date is not
	// skipped at all.
	require.Zero(t, dateTime([]byte("2026-11-16T08:00:00+08:001"), 0))
}

func TestValuesNextToSkippedText(t *testing.T) {
	e := builtinEngine(t)
	for _, c := range []struct{ text, want string }{
		// A mobile number right after a zoned timestamp is still found.
		{`{"ts":"2026-11-16T08:00:00+08:00","phone":"13812345678"}`, "cn_mobile"},
		{"2026-11-16T08:00:00Z 13812345678", "cn_mobile"},
		{"2026-11-16T08:00:00.731Z 13812345678 login", "cn_mobile"},
		// A phone after the time is not a zone.
		{"2026-11-16 08:00:00 +86 138 1234 5678", "cn_mobile"},
		// A UUID is skipped whole; the e-mail and IP after it are found.
		{"trace_id=31ccb239-8c13-4a06-a99c-4f0cbe7eee33 user a.b@example.com", "email"},
		{`"trace_id":"b0a74298-2e8f-4cf7-af18-349e23fb9b1e","ip":"202.96.134.133"`, "ipv4"},
		// A short number between spaces is skipped (spaceIsolated), but
		// not one that starts or continues a group sequence.
		{"order 7 shipped, tel 138 1234 8000 ok", "cn_mobile"},
		{"call +86 138 1234 8000 now", "cn_mobile"},
		{"电话 (010) 6552 9988 ok", "cn_landline"},
		{"车牌 京A 12345 停车", "cn_license_plate"},
		{"user 12 at card 6222 0212 3456 7890 12 x", "bank_card"},
	} {
		require.Contains(t, scanString(t, e, c.text).types(), c.want, "%q", c.text)
	}
	// The skipped text itself yields nothing.
	for _, text := range []string{
		`{"ts":"2026-11-16T08:00:00+08:00"}`,
		"31ccb239-8c13-4a06-a99c-4f0cbe7eee33",
		"id 31CCB239-8C13-4A06-A99C-4F0CBE7EEE33 ok",
	} {
		require.Empty(t, scanString(t, e, text).ms, "%q", text)
	}
}

func TestUUIDAround(t *testing.T) {
	const u = "31ccb239-8c13-4a06-a99c-4f0cbe7eee33"
	for _, c := range []struct {
		text   string
		ts, te int // a group of the UUID
		end    int
		ok     bool
	}{
		{u, 0, 8, 36, true},
		{u, 9, 13, 36, true},
		{u, 14, 18, 36, true},
		{u, 19, 23, 36, true},
		{u, 24, 36, 36, true},
		{"x " + u + " y", 2, 10, 38, true},
		// Glued to more: not a UUID standing on its own.
		{"a" + u, 1, 9, 0, false},
		{u + "-1", 0, 8, 0, false},
		{"1-" + u, 2, 10, 0, false},
		// All digits: left to the digit-group parser.
		{"12345678-1234-1234-1234-123456789012", 0, 8, 0, false},
		// Not hex, or a group of the wrong length.
		{"31ccb239-8c13-4a06-a99c-4f0cbe7eee3g", 0, 8, 0, false},
		{"31ccb239-8c13-4a06-a99c-4f0cbe7eee3", 0, 8, 0, false},
	} {
		end, ok := uuidAround([]byte(c.text), c.ts, c.te)
		require.Equal(t, c.ok, ok, "%q", c.text)
		require.Equal(t, c.end, end, "%q", c.text)
	}
}

// hasLabelByte is a filter in front of mayBeLabelled's exact loop: it may
// say yes when the loop says no, never the reverse.
func TestHasLabelByteNeverMisses(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("lLanoNO0123456789.,: \xe7\xba\xac\xbb\x8f\xe7\xb6\x93\x00\x01\x80\xff")
	w := make([]byte, 16)
	for range 200000 {
		for i := range w {
			w[i] = alphabet[r.IntN(len(alphabet))]
		}
		if labelIn(w) {
			require.True(t, hasLabelByte(w), "%q", w)
		}
	}
	require.False(t, hasLabelByte([]byte("price 12.50 qty ")))
	require.True(t, hasLabelByte([]byte("xxxxxxxxxxxxxlat")))
	require.True(t, hasLabelByte([]byte("xxxxxxxxxxxx纬度")))
}

func TestPlateLengths(t *testing.T) {
	e := builtinEngine(t)
	for _, text := range []string{"京A12345", "粤B·D12345", "沪C 88888", "京AD12345"} {
		require.Equal(t, []string{"cn_license_plate"}, scanString(t, e, "车牌 "+text+" 已登记").types(), text)
	}
	for _, text := range []string{"京A1234", "京A1234567", "沪C 8888888"} {
		require.NotContains(t, scanString(t, e, "车牌 "+text+" 已登记").types(), "cn_license_plate", text)
	}
}

// findKeywordRef is the plain keyword search that kwIndex replaced: one
// bytes.Index per keyword over a lower-cased copy of the text.
func findKeywordRef(text []byte, kws []keyword) int {
	low := append([]byte(nil), text...)
	lowerASCII(low, low)
	for i, k := range kws {
		for from := 0; from < len(low); {
			j := bytes.Index(low[from:], k.b)
			if j < 0 {
				break
			}
			j += from
			end := j + len(k.b)
			// A camelCase hump starts a word: "reqNonce", "userPhone".
			leftOK := j == 0 || !isLetter(low[j-1]) || isUpper(text[j]) && !isUpper(text[j-1])
			rightOK := len(k.b) > 3 || end >= len(low) || !isLetter(low[end])
			if !k.ascii || leftOK && rightOK {
				return i
			}
			from = j + 1
		}
	}
	return -1
}

// TestKwIndexAgrees: the indexed search finds the same keyword as the plain
// one (the first of the list present, with the same word-boundary rules) on
// random text made of keyword pieces, letters, digits and Han bytes.
func TestKwIndexAgrees(t *testing.T) {
	var kws []keyword
	for _, s := range []string{"手机", "Mobile", "tel", "ip", "phone", "手机号", "id", "身份证", "ID No", "电话", "idcard", "p"} {
		kws = append(kws, newKeyword(s))
	}
	pieces := []string{"手机", "号", "MOBILE", "mobil", "Tel", "tele", "zip", "IP", "ship", "Phone", "id", "Id", "身份", "证", "电", "话", " ", ":", "a", "1", "-", "P"}
	r := rand.New(rand.NewPCG(7, 11))
	for n := range 200000 {
		var text []byte
		for range r.IntN(12) {
			text = append(text, pieces[r.IntN(len(pieces))]...)
		}
		list := kws[r.IntN(3) : 3+r.IntN(len(kws)-2)]
		x := newKwIndex(list)
		require.Equal(t, findKeywordRef(text, list), x.find(text, list), "case %d: %d keywords from %q in %q", n, len(list), list[0].text, text)
	}
	// A hit is only reported where the whole keyword fits in the text.
	x := newKwIndex(kws[:1])
	require.Equal(t, -1, x.find([]byte("a手"), kws[:1]))
	require.Equal(t, 0, x.find([]byte("a手机"), kws[:1]))
}

// isUUIDRef is the byte-by-byte UUID check that isUUID replaced.
func isUUIDRef(u []byte) bool {
	if len(u) != uuidLen {
		return false
	}
	letter := false
	for i, c := range u {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
			continue
		}
		if !isHexByte(c) {
			return false
		}
		if c > '9' {
			letter = true
		}
	}
	return letter
}

// TestIsUUIDAgrees: the table-driven check accepts exactly what the plain
// one does, on UUIDs with one byte changed and on random hex-and-dash text.
func TestIsUUIDAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	alphabet := []byte("0123456789abcdefABCDEFgG-xZ \x00\xff")
	base := []byte("31ccb239-8c13-4a06-a99c-4f0cbe7eee33")
	require.True(t, isUUID(base))
	require.False(t, isUUID([]byte("31223239-8213-4306-9929-402123712233")), "all digits")
	for n := range 200000 {
		u := append([]byte(nil), base...)
		switch n % 3 {
		case 0: // one byte changed
			u[r.IntN(len(u))] = alphabet[r.IntN(len(alphabet))]
		case 1: // random bytes, dashes in place
			for i := range u {
				u[i] = alphabet[r.IntN(17)]
			}
			u[8], u[13], u[18], u[23] = '-', '-', '-', '-'
		default: // random bytes anywhere
			for i := range u {
				u[i] = alphabet[r.IntN(len(alphabet))]
			}
		}
		require.Equal(t, isUUIDRef(u), isUUID(u), "%q", u)
	}
}

// TestSpanAtAgrees: the galloping lookup finds the same span as a walk
// from the first, for queries in order, with jumps short and long, and out
// of order.
func TestSpanAtAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 8))
	for range 300 {
		var spans []Span
		off := 0
		for range 1 + r.IntN(400) {
			off += r.IntN(4)
			n := r.IntN(12)
			spans = append(spans, Span{Start: off, End: off + n})
			off += n + 1
		}
		want := func(p int) int {
			for i, sp := range spans {
				if sp.End >= p {
					if sp.Start > p {
						return -1
					}
					return i
				}
			}
			return -1
		}
		s := &Scanner{spans: spans}
		p := 0
		for range 200 {
			switch r.IntN(4) {
			case 0:
				p = r.IntN(off + 2) // anywhere, also backwards
			default:
				p += r.IntN(1 + r.IntN(300)) // forward, mostly a little
			}
			require.Equal(t, want(p), s.spanAt(p), "offset %d", p)
		}
	}
}

// scanRef is the fused pass one byte at a time (the loop scan unrolled by
// eight), for TestPassAgrees.
func (s *Scanner) scanRef() {
	t := s.e.pairs
	b := s.buf[:min(s.own1+leadIn, len(s.buf))]
	s.startPass()
	for i := s.own0; i < len(b); {
		var prev byte
		if i > 0 {
			prev = b[i-1]
		}
		if f := t[pairIndex(prev, b[i])]; f != 0 {
			if j := s.flagged(i, f); j > i+1 {
				i = j
				continue
			}
		}
		i++
	}
	s.afterPass()
}

// passResult is what a pass leaves: its matches and collected positions.
type passResult struct {
	out                   []Match
	kwHits, anchors, tmpl []int
}

// TestPassAgrees: the eight-byte pass finds the same matches and collects
// the same keyword, address and template positions as a byte-at-a-time
// pass, on random text of values, keywords and look-alikes, with owned
// regions starting anywhere (the buffer's first byte included).
func TestPassAgrees(t *testing.T) {
	pieces := []string{
		"13812348000", "11010519491231002X", "4111111111111111", "2026-11-16T08:00:00+08:00",
		"a.b@example.com", "@", ":", "fe80::1", "192.168.1.20", "39.9042,116.4074", "12", "7",
		"手机", "身份证", "宗教", "佛教", "糖尿病", "乙型肝炎", "号", "室", "路", "religion", "diagnosis",
		"FMR\x00", "Rk1SA", " ", "\n", ",", "-", "x", "Z", "\xe5", "\xff", "31ccb239-8c13-4a06-a99c-4f0cbe7eee33",
	}
	e := fuzzEngine()
	s := e.NewScanner()
	run := func(buf []byte, own0, own1 int, pass func()) passResult {
		s.begin(t.Context(), buf, own0, own1, nil, nil)
		s.recLo, s.recHi = 0, len(buf)
		pass()
		return passResult{slices.Clone(s.out), slices.Clone(s.kwHits), slices.Clone(s.anchors), slices.Clone(s.tmpl)}
	}
	r := rand.New(rand.NewPCG(3, 17))
	matches := 0
	for n := range 20000 {
		var buf []byte
		for range r.IntN(40) {
			buf = append(buf, pieces[r.IntN(len(pieces))]...)
		}
		own0 := r.IntN(len(buf) + 1)
		if n%4 == 0 {
			own0 = 0
		}
		own1 := own0 + r.IntN(len(buf)-own0+1)
		want := run(buf, own0, own1, s.scanRef)
		got := run(buf, own0, own1, s.scan)
		require.Equal(t, want, got, "case %d: %q owned [%d,%d)", n, buf, own0, own1)
		matches += len(got.out)
	}
	require.Greater(t, matches, 1000, "the cases hold values")
}

// keepMaskRef is the rune-by-rune keepMask that the two-slice one replaced.
func keepMaskRef(canon []byte, first, last int, char string, fixed int) string {
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
	var b strings.Builder
	i := 0
	for pos, r := range string(canon) {
		if i == first {
			b.WriteString(strings.Repeat(char, hidden))
		}
		if i < first || i >= n-last {
			b.WriteString(string(canon[pos : pos+utf8.RuneLen(r)]))
		}
		i++
	}
	if first >= n {
		b.WriteString(strings.Repeat(char, hidden))
	}
	return b.String()
}

// TestKeepMaskAgrees: appendKeepMask gives what the rune-by-rune version gave, for
// ASCII and Han values of every length and every keep/fixed setting.
func TestKeepMaskAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	alphabet := []string{"1", "3", "8", "X", "a", "@", ".", "张", "三", "路", "é"}
	for n := range 50000 {
		var v []byte
		for range r.IntN(22) {
			v = append(v, alphabet[r.IntN(len(alphabet))]...)
		}
		first, last, fixed := r.IntN(8), r.IntN(8), r.IntN(5)-1
		char := []string{"", "*", "#", "•"}[r.IntN(4)]
		dst := []byte("prefix")
		require.Equal(t, "prefix"+keepMaskRef(v, first, last, char, fixed), string(appendKeepMask(dst, v, first, last, char, fixed)),
			"case %d: %q first %d last %d char %q fixed %d", n, v, first, last, char, fixed)
	}
}

// TestDigitsEnd: the eight-byte digit-run end agrees with a byte loop for
// runs of every length up to 20 followed by every byte value, at every
// alignment and at the end of the buffer.
func TestDigitsEnd(t *testing.T) {
	for n := range 21 {
		for c := range 256 {
			for pad := range 3 {
				buf := append(bytes.Repeat([]byte{'x'}, pad), bytes.Repeat([]byte{'7'}, n)...)
				buf = append(buf, byte(c), '5', '5', '5', '5', '5', '5', '5', '5')
				want := pad + n
				if isDigit(byte(c)) {
					want = len(buf)
				}
				require.Equal(t, want, digitsEnd(buf, pad), "%d digits then %#x", n, c)
				require.Equal(t, pad+n, digitsEnd(buf[:pad+n], pad), "%d digits at the end", n)
			}
		}
	}
}

// TestLikelyNeverMisses: wherever a prose keyword starts, in any case and
// with anything around it, the pass's quick check of its anchor pair
// (with the offset the pair table carries) says likely, so the keyword is
// never dropped before it is verified.
func TestLikelyNeverMisses(t *testing.T) {
	e := fuzzEngine()
	k := e.proseSet
	require.NotNil(t, k)
	r := rand.New(rand.NewPCG(5, 8))
	filler := []byte("ab 1\n.\xe5\x8f\xb7xyz")
	checked := 0
	for _, bucket := range k.buckets {
		for _, ref := range bucket {
			for range 20 {
				var buf []byte
				for range r.IntN(6) {
					buf = append(buf, filler[r.IntN(len(filler))])
				}
				kw := slices.Clone(ref.kw.b)
				for i, c := range kw {
					if c >= 'a' && c <= 'z' && r.IntN(2) == 0 {
						kw[i] = c - 'a' + 'A'
					}
				}
				start := len(buf)
				buf = append(buf, kw...)
				for range r.IntN(6) {
					buf = append(buf, filler[r.IntN(len(filler))])
				}
				p := start + ref.off // the anchor pair is buf[p], buf[p+1]
				f := e.pairs[pairIndex(buf[p], buf[p+1])]
				require.NotZero(t, f&pfKeyword, "anchor of %q", ref.kw.b)
				require.True(t, k.likely(buf, p, f>>pfAnchorShift), "%q in %q", ref.kw.b, buf)
				checked++
			}
		}
	}
	require.Greater(t, checked, 100)
	// And the filter does filter: "gn", the anchor of diagnosis, in "a
	// signal".
	buf := []byte("a signal")
	p := bytes.Index(buf, []byte("gn"))
	f := e.pairs[pairIndex(buf[p], buf[p+1])]
	require.NotZero(t, f&pfKeyword)
	require.NotZero(t, f>>pfAnchorShift, "the pair table carries the offset")
	require.False(t, k.likely(buf, p, f>>pfAnchorShift))
}

// TestRecordIndex checks the record lookup of text-found coordinates: a
// binary search over ascending record numbers, and a scan for any other
// order, so that no point is dropped.
func TestRecordIndex(t *testing.T) {
	recs := func(ids ...int64) []recFacts {
		var r []recFacts
		for _, id := range ids {
			r = append(r, recFacts{rec: id})
		}
		return r
	}
	asc := recs(3, 5, 8, 13, 21)
	for k, f := range asc {
		require.Equal(t, k, recordIndex(asc, f.rec))
	}
	require.Equal(t, -1, recordIndex(asc, 4))
	require.Equal(t, -1, recordIndex(asc, 22))
	require.Equal(t, -1, recordIndex(nil, 1))
	mixed := recs(9, 2, 7)
	require.Equal(t, 0, recordIndex(mixed, 9))
	require.Equal(t, 1, recordIndex(mixed, 2))
	require.Equal(t, 2, recordIndex(mixed, 7))
}

// matchFieldRef is matchField as it was, building each run of joined
// words: the oracle for the version that consumes the token instead.
func matchFieldRef(words []string, lowName string, t fieldToken) bool {
	if t.norm == "" {
		return false
	}
	if !t.ascii {
		return strings.Contains(lowName, t.norm)
	}
	for i := range words {
		joined := ""
		for j := i; j < len(words) && len(joined) < len(t.norm); j++ {
			joined += words[j]
			if joined == t.norm {
				return true
			}
		}
		if len(t.norm) >= 4 && strings.HasPrefix(words[i], t.norm) {
			return true
		}
	}
	return false
}

func TestMatchFieldAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	parts := []string{"id", "card", "no", "phone", "mobile", "user", "name", "e", "mail", "email", "birth", "date", "lat", "x", "idcard", "cardno"}
	pick := func(n int) []string {
		w := make([]string, n)
		for i := range w {
			w[i] = parts[rng.IntN(len(parts))]
		}
		return w
	}
	hits := 0
	for range 200_000 {
		words := pick(rng.IntN(6))
		tok := fieldToken{norm: strings.Join(pick(1+rng.IntN(3)), ""), ascii: true}
		if rng.IntN(4) == 0 {
			tok.norm = tok.norm[:rng.IntN(len(tok.norm)+1)]
		}
		low := strings.Join(words, "_")
		want := matchFieldRef(words, low, tok)
		require.Equal(t, want, matchField(words, low, tok), "words %q token %q", words, tok.norm)
		if want {
			hits++
		}
	}
	require.Greater(t, hits, 5_000, "the cases exercise matches, not only misses")
}
