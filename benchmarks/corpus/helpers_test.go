package corpus

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// decoded returns a corpus file's text: gunzipped for .gz, GBK-decoded for
// the GBK file.
func decoded(t *testing.T, root, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	require.NoError(t, err)
	if s, ok := decodedFormat(t, rel, data); ok {
		return s
	}
	if strings.HasSuffix(rel, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		data, err = io.ReadAll(zr)
		require.NoError(t, err)
	}
	if strings.Contains(rel, "gbk") {
		require.False(t, utf8.Valid(data), "%s should not be UTF-8", rel)
		data, err = simplifiedchinese.GBK.NewDecoder().Bytes(data)
		require.NoError(t, err)
	}
	return string(data)
}

// okBefore and okAfter are the ASCII characters that may touch a labelled
// value; any CJK or full-width punctuation is fine too.
const (
	okBefore = " \t\r\n,;:\"'([{<=&/|>"
	okAfter  = " \t\r\n,;:\"')]}>&/|!?"
)

func cjkPunct(r rune) bool {
	return r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xff65
}

// bounded reports whether text[i:j] is separated from its neighbours by a
// delimiter, a space or CJK punctuation (or the start or end).
func bounded(text string, i, j int) bool {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:i])
		if !(r < utf8.RuneSelf && strings.ContainsRune(okBefore, r)) && !cjkPunct(r) {
			return false
		}
	}
	if j < len(text) {
		r, _ := utf8.DecodeRuneInString(text[j:])
		if !(r < utf8.RuneSelf && strings.ContainsRune(okAfter, r)) && !cjkPunct(r) {
			return false
		}
	}
	return true
}

// boundedCount counts the bounded occurrences of w in text.
func boundedCount(text, w string) (n int, at []int) {
	for off := 0; ; {
		i := strings.Index(text[off:], w)
		if i < 0 {
			return n, at
		}
		i += off
		if bounded(text, i, i+len(w)) {
			n++
			at = append(at, i)
		}
		off = i + 1
	}
}

var decimalRe = regexp.MustCompile(`-?[0-9]+\.[0-9]+`)

// canonFromWritten derives the canonical value from the written one with
// rules independent of the generator's.
func canonFromWritten(l Label) string {
	if c, ok := canonFromWrittenMore(l); ok {
		return c
	}
	w := l.Written
	switch l.DataType {
	case TypeResidentID, TypeIBAN:
		return strings.ToUpper(strings.ReplaceAll(w, " ", ""))
	case TypeHKID:
		return strings.NewReplacer("(", "", ")", "").Replace(w)
	case TypeMobile:
		d := strings.NewReplacer(" ", "", "-", "").Replace(w)
		d = strings.TrimPrefix(strings.TrimPrefix(d, "+86"), "0086")
		return d
	case TypeEmail:
		return strings.ToLower(w)
	case TypeBankCard:
		return strings.NewReplacer(" ", "", "-", "").Replace(w)
	case TypeGPS:
		var parts []string
		for _, s := range decimalRe.FindAllString(w, -1) {
			f, _ := strconv.ParseFloat(s, 64)
			parts = append(parts, strconv.FormatFloat(f, 'f', 6, 64))
		}
		if len(parts) == 1 { // latitude field of a two-column pair
			return parts[0] + "," + strings.SplitN(l.Canonical, ",", 2)[1]
		}
		return strings.Join(parts, ",")
	}
	return w
}

// negativeWords are order/waybill labels that a scanner may use to veto a
// phone or card next to them.
var negativeWords = []string{"订单", "單號", "单号", "运单", "快递", "流水", "交易号", "编号", "order", "waybill",
	"tracking", "invoice", "serial", "txn", "sku", "imei"}

var passportWords = []string{"护照", "護照", "passport"}

// near reports whether one of words occurs within n bytes before i or
// after j (ASCII case-insensitive).
func near(text string, i, j, n int, words []string) bool {
	lo, hi := max(0, i-n), min(len(text), j+n)
	before, after := strings.ToLower(text[lo:i]), strings.ToLower(text[j:hi])
	for _, w := range words {
		if strings.Contains(before, w) || strings.Contains(after, w) {
			return true
		}
	}
	return false
}

// Shapes for the completeness check: every bounded match that is valid
// must be labelled in that file.
var (
	emailRe     = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	ipRe        = regexp.MustCompile(`[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}`)
	ibanRe      = regexp.MustCompile(`[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{1,4}){3,8})`)
	hkRe        = regexp.MustCompile(`[A-Z]{1,2}[0-9]{6}(?:[0-9A]|\([0-9A]\))`)
	twRe        = regexp.MustCompile(`[A-Z][12][0-9]{8}`)
	passportRe  = regexp.MustCompile(`[EG][0-9]{8}`)
	groupsRe    = regexp.MustCompile(`[0-9]+(?:[ -][0-9]+)+`)
	alnumOrDot  = func(b byte) bool { return isAlnum(b) || b == '.' }
	isAlnumByte = func(b byte) bool { return isAlnum(b) }
)

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// hasPair reports whether some byte matching a is directly followed by one
// matching b: a cheap gate before the regular expressions.
func hasPair(s string, a, b func(byte) bool) bool {
	for i := 0; i+1 < len(s); i++ {
		if a(s[i]) && b(s[i+1]) {
			return true
		}
	}
	return false
}

// digitRuns returns the spans of runs of at least 11 digits, an x or X
// after a run of 17 included.
func digitRuns(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x') {
			j++
		}
		if j-i >= 11 {
			out = append(out, [2]int{i, j})
		}
		i = j
	}
	return out
}

// strictBounded reports whether text[i:j] has no letter, digit (or, with
// dot, '.') directly before or after it.
func strictBounded(text string, i, j int, bad func(byte) bool) bool {
	return (i == 0 || !bad(text[i-1])) && (j == len(text) || !bad(text[j]))
}

// unlabelled returns descriptions of valid values found in text more often
// than they are labelled in the file (labels: type -> canonical -> count).
func unlabelled(text string, labels map[string]map[string]int, prose bool) []string {
	var out []string
	seen := map[string]int{}
	report := func(typ, canon string, ok bool) {
		if !ok {
			return
		}
		seen[typ+" "+canon]++
		if seen[typ+" "+canon] > labels[typ][canon] {
			out = append(out, typ+" "+canon)
		}
	}
	// Line by line: Go's regexp is much faster on short inputs, and no
	// shape spans a line break.
	for _, line := range strings.Split(text, "\n") {
		out = append(out, shapesInLine(line, labels, report)...)
		shapesMore(line, report)
	}
	if prose {
		proseTerms(text, report)
	}
	for _, m := range passportRe.FindAllStringIndex(text, -1) {
		s := text[m[0]:m[1]]
		if strictBounded(text, m[0], m[1], isAlnumByte) && labels[TypePassport][s] == 0 &&
			near(text, m[0], m[1], 100, passportWords) {
			out = append(out, "passport-shaped value near a passport keyword "+s)
		}
	}
	return out
}

// shapesInLine reports the valid values of one line through report and
// returns problems with runs of digit groups.
func shapesInLine(text string, labels map[string]map[string]int, report func(typ, canon string, ok bool)) []string {
	var out []string
	for _, m := range digitRuns(text) {
		if !strictBounded(text, m[0], m[1], alnumOrDot) {
			continue
		}
		d := strings.ToUpper(text[m[0]:m[1]])
		report(TypeMobile, d, validMobile(d))
		report(TypeBankCard, d, validCard(d))
		report(TypeResidentID, d, validResidentID(d, DefaultAsOf))
	}
	// Runs of digit groups: any two or more consecutive groups that are
	// bounded must not form a labelled type's value unless it is labelled
	// (cards are checked without IIN, as a lenient scanner would).
	var groups [][]int
	for i := 0; i+2 < len(text); i++ {
		if isDigit(text[i]) && (text[i+1] == ' ' || text[i+1] == '-') && isDigit(text[i+2]) {
			groups = groupsRe.FindAllStringIndex(text, -1)
			break
		}
	}
	for _, m := range groups {
		gs := strings.FieldsFunc(text[m[0]:m[1]], func(r rune) bool { return r == ' ' || r == '-' })
		for i := range gs {
			if i == 0 && m[0] > 0 && alnumOrDot(text[m[0]-1]) {
				continue
			}
			run := gs[i]
			for j := i + 1; j < len(gs); j++ {
				run += gs[j]
				if j == len(gs)-1 && m[1] < len(text) && alnumOrDot(text[m[1]]) {
					continue
				}
				labelled := labels[TypeMobile][run] + labels[TypeBankCard][run] + labels[TypeResidentID][run] +
					labels[TypeIMEI][run] + labels[TypeLandline][run] + labels[TypeUSCC][run]
				if labelled == 0 && !safeRun(run, DefaultAsOf) {
					out = append(out, "digit groups "+strings.Join(gs[i:j+1], " "))
				}
			}
		}
	}
	if strings.Contains(text, "@") {
		for _, m := range emailRe.FindAllStringIndex(text, -1) {
			e := strings.ToLower(text[m[0]:m[1]])
			report(TypeEmail, e, validEmail(e))
		}
	}
	if hasPair(text, isDigit, func(b byte) bool { return b == '.' }) {
		for _, m := range ipRe.FindAllStringIndex(text, -1) {
			if strictBounded(text, m[0], m[1], alnumOrDot) {
				report(TypeIPv4, text[m[0]:m[1]], validIPv4(text[m[0]:m[1]]))
			}
		}
	}
	// IBAN, HKID and Taiwan ID shapes all have an upper-case letter
	// directly followed by a digit.
	if !hasPair(text, func(b byte) bool { return b >= 'A' && b <= 'Z' }, isDigit) {
		return out
	}
	for _, m := range ibanRe.FindAllStringIndex(text, -1) {
		if strictBounded(text, m[0], m[1], isAlnumByte) {
			s := strings.ReplaceAll(text[m[0]:m[1]], " ", "")
			report(TypeIBAN, s, validIBAN(s))
		}
	}
	for _, m := range hkRe.FindAllStringIndex(text, -1) {
		if strictBounded(text, m[0], m[1], isAlnumByte) {
			s := strings.NewReplacer("(", "", ")", "").Replace(text[m[0]:m[1]])
			report(TypeHKID, s, validHKID(s))
		}
	}
	for _, m := range twRe.FindAllStringIndex(text, -1) {
		if strictBounded(text, m[0], m[1], isAlnumByte) {
			report(TypeTWID, text[m[0]:m[1]], validTWID(text[m[0]:m[1]]))
		}
	}
	return out
}
