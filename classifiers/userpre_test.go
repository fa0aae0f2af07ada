package classifiers

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

func TestUserPreFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		lits    []string // nil: no literals
		fold    bool
		width   int // bytes, -1 unbounded
		run     int // runes in a row of one class, when no literals
	}{
		{`EMP-\d{6}`, []string{"EMP-"}, false, 40, 0},
		{`合同编号[:：]?[A-Z]{2}\d{8}`, []string{"合同编号"}, false, 60, 0},
		{`colou?r`, []string{"color", "colour"}, false, 24, 0},
		{`(?:工牌|胸卡)号?[:：]`, []string{"工牌:", "胸卡:", "工牌：", "胸卡：", "工牌号:", "胸卡号:", "工牌号：", "胸卡号："}, false, 16, 0},
		{`\bSSN[:=]\s*\d{3}`, []string{"SSN:", "SSN="}, false, -1, 0},
		{`[\w.+-]+@corp\.example\.com`, []string{"@corp.example.com"}, false, -1, 0},
		{`(?i)order\d+`, []string{"order"}, true, -1, 0},
		// regexp2 lowers İ to i and the Kelvin sign to k under IgnoreCase.
		{`(?i)vin\d`, []string{"vin", "v\u0130n"}, true, 16, 0},
		{`(?i)[j-l]x`, []string{"jx", "lx", "kx", "\u212ax"}, true, 8, 0},
		{`(?i:ab)CD`, []string{"abcd"}, true, 16, 0},
		{`(?i)工号\d`, []string{"工号"}, false, 12, 0},                                            // caseless: searched as is
		{`(?i)é\d{2}abc`, []string{"abc"}, true, 24, 0},                                       // é has case: not a literal under (?i)
		{`[0-9]{2}`, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, false, 8, 0}, // not the 100 pairs: too many
		{`(a|b)c|d\d`, []string{"d", "ac", "bc"}, false, 8, 0},
		{`a\d+b`, []string{"a"}, false, -1, 0}, // either literal will do; the first is kept
		{`(ab)+`, []string{"ab"}, false, -1, 0},
		{`(ab){2}`, []string{"abab"}, false, 16, 0},
		{`x\x{41}\u4e2d`, []string{"xA中"}, false, 12, 0},
		// No literal is required, or the analysis does not know.
		{`a|`, nil, false, 0, 0},
		{`\d{6}`, nil, false, 24, 6},
		{`\b[A-Z]{2}\d{8}\b`, nil, false, 40, 8},
		{`\d\d\d\d`, nil, false, 16, 4},
		{`\d{2}\d*\d{2,}`, nil, false, -1, 4},
		{`[0-9]{2}[0-9]{3}`, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, false, 20, 0}, // literals first
		{`\d{2}x?\d{2}`, nil, false, 0, 0}, // runs of two
		{`[\w ]{6}`, nil, false, 0, 0},     // runs of spaces are everywhere
		{`\d{3}`, nil, false, 0, 0},        // too short
		{`(ab)?\d`, nil, false, 0, 0},
		{`.*x`, []string{"x"}, false, -1, 0}, // a line around each x
		{`(?s).*x`, nil, false, 0, 0},        // unbounded over any byte: no run bounds it
		{`(?<=a)bc`, nil, false, 0, 0},       // lookbehind
		{`(?=ab)abc`, nil, false, 0, 0},      // lookahead
		{`(a)\1`, nil, false, 0, 0},          // backreference
		{`\Gabc`, nil, false, 0, 0},
		{`abc\Z`, nil, false, 0, 0},
		{`(?x)a b c`, nil, false, 0, 0},
		{`(?n)(abc)`, nil, false, 0, 0},
		{`(?>abc)`, nil, false, 0, 0},
		{`[a-z-[aeiou]]xyz`, nil, false, 0, 0},
		{`[[:alpha:]]xyz`, nil, false, 0, 0},
		{`[]a]xyz`, nil, false, 0, 0},
		{`[\d-z]xyz`, nil, false, 0, 0},
		{`\p{L}`, nil, false, 0, 0},
		{`[^\p{L}]xyz`, nil, false, 0, 0},
		{"\\\u00e9xyz", nil, false, 0, 0},
		{`\uD83Dxyz`, nil, false, 0, 0},
		{"\ufffdxyz", []string{"xyz"}, false, 16, 0}, // U+FFFD is also an invalid byte
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			p := newUserPre(tt.pattern)
			if tt.lits == nil && tt.run == 0 {
				assert.Nil(t, p)
				return
			}
			require.NotNil(t, p)
			if tt.run > 0 {
				require.NotNil(t, p.run)
				assert.Equal(t, tt.run, p.run.n)
			} else {
				assert.Nil(t, p.run)
			}
			var got []string
			for _, l := range p.lits {
				got = append(got, string(l))
			}
			assert.ElementsMatch(t, tt.lits, got)
			assert.Equal(t, tt.fold, p.fold)
			assert.Equal(t, tt.width, p.width)
		})
	}
}

// TestFoldPreimages: the non-ASCII runes that unicode.ToLower (regexp2's
// IgnoreCase comparison) maps to ASCII are the ones foldPreimages lists,
// and a case-insensitive regexp2 class of every non-ASCII rune (folded
// with regexp2's own table of ranges) matches no other ASCII letter.
func TestFoldPreimages(t *testing.T) {
	// Not parallel: it keeps a core busy for seconds under -race, which
	// would push the timed tests of user rules (usertimeout_test.go) into
	// their timeouts.
	found := map[rune]string{}
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l < utf8.RuneSelf {
			found[l] += string(r)
		}
	}
	assert.Equal(t, foldPreimages, found)
	re := regexp2.MustCompile(`(?i)^[\x{80}-\x{10FFFF}]$`, regexp2.None)
	for c := rune(0); c < utf8.RuneSelf; c++ {
		ok, err := re.MatchString(string(c))
		require.NoError(t, err)
		if ok {
			_, listed := foldPreimages[unicode.ToLower(c)]
			assert.True(t, listed, "%q", c)
		}
	}
}

// TestCaseless: no other rune lowers to a caseless one, and regexp2's
// case-insensitive class of the caseless runes of the BMP matches those
// runes only (its range folding uses a table of its own).
func TestCaseless(t *testing.T) {
	// Not parallel: it keeps a core busy for seconds under -race, which
	// would push the timed tests of user rules (usertimeout_test.go) into
	// their timeouts.
	var class strings.Builder
	class.WriteString("(?i)^[")
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l != r && l >= utf8.RuneSelf {
			assert.False(t, caseless(l), "%U lowers to %U", r, l)
		}
		if r <= 0xffff && r >= utf8.RuneSelf && caseless(r) && (r == 0x80 || !caseless(r-1)) {
			end := r
			for end < 0xffff && caseless(end+1) {
				end++
			}
			fmt.Fprintf(&class, `\x{%x}-\x{%x}`, r, end)
		}
	}
	class.WriteString("]$")
	re := regexp2.MustCompile(class.String(), regexp2.None)
	for r := rune(0); r <= 0xffff; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		ok, err := re.MatchString(string(r))
		require.NoError(t, err)
		if ok != (r >= utf8.RuneSelf && caseless(r)) {
			t.Errorf("%U: regexp2 matches %v", r, ok)
		}
	}
}

// TestGoSyntaxWidens: every rune regexp2 matches with an escape class (in
// each place it can stand) is matched by goSyntax's rewrite in Go.
func TestGoSyntaxWidens(t *testing.T) {
	// Not parallel: it keeps a core busy for seconds under -race, which
	// would push the timed tests of user rules (usertimeout_test.go) into
	// their timeouts.
	var patterns []string
	for _, e := range []string{`\d`, `\D`, `\w`, `\W`, `\s`, `\S`, `\p{L}`, `\P{Nd}`, `\p{Han}`} {
		patterns = append(patterns, e, "["+e+"]", "[x"+e+"]", "["+e+"-]")
		if !strings.HasPrefix(e, `\p`) && !strings.HasPrefix(e, `\P`) {
			patterns = append(patterns, "[^"+e+"]", "[^x"+e+"]")
		}
	}
	// Not under (?i): Go and regexp2 fold differently (İ, ſ), which the
	// analysis makes up for (runeFacts, classFacts, matchBytes) and
	// TestUserPreSound checks.
	patterns = append(patterns, `.`, `[\b]`, `\e`, `\x41`, `\x{4e2d}`, `\u4e2d`, `(?s).`, `\-`, `[\]]`)
	var runes []rune
	for r := rune(0); r <= 0x3000; r++ {
		if r < 0x800 || r%7 == 0 {
			runes = append(runes, r)
		}
	}
	for r := rune(0x3000); r <= unicode.MaxRune; r += 997 {
		if r < 0xd800 || r > 0xdfff {
			runes = append(runes, r)
		}
	}
	runes = append(runes, 0x3000, 0xff10, 0xff21, 0xff41, 0x212a, 0x2028, 0x2029, 0xfeff, 0x1d7ce, 0x0660, 0x0966, 0x1680, 0x180e, 0x200b, 0x200c, 0x203f, 0x2e2f, 0x0345, 0x1f600)
	for _, p := range patterns {
		g, _, ok := goSyntax(p)
		require.True(t, ok, p)
		re2 := regexp2.MustCompile(`^(?:`+p+`)$`, regexp2.None)
		gre := regexp.MustCompile(`^(?:` + g + `)$`)
		for _, r := range runes {
			ok, err := re2.MatchString(string(r))
			require.NoError(t, err)
			if ok && !gre.MatchString(string(r)) {
				t.Errorf("%s (go %s): regexp2 matches %U, go does not", p, g, r)
			}
		}
	}
}

// TestUserPreCases: hand-picked patterns on text with what their
// prefilters must not miss (Unicode digits for \d, İ and the Kelvin sign
// under (?i), Chinese around the values), scanned in chunks of many sizes,
// find what the whole-chunk scan finds, and something.
func TestUserPreCases(t *testing.T) {
	t.Parallel()
	filler := strings.Repeat("这是一段没有任何数据的中文文本。plain words here; ", 4)
	tests := []struct{ pattern, text string }{
		{`\b\d{6}\b`, "编号 ١٢٣٤٥٦ 与 １２３４５６ 和 123456。"},
		{`\b[A-Z]{2}\d{8}\b`, "护照 AB１２３４５６７８， CD12345678； EF٠١٢٣٤٥٦٧"},
		{`(?i)emp-\d{4}`, "EMP-1234 emp-١٢٣٤ Emp-0000"},
		{`(?i)kit-\d{3}`, "\u212aIT-123 kit-456 KIT-789"},
		{`(?i)id:\d{3}`, "\u0130D:123 id:456 ID:789"},
		{`(?i)[a-f\d]{8}`, "deadBEEF 0123abcd ٠١٢٣٤٥٦٧"},
		{`[\w.+-]+@corp\.example\.com`, "邮箱：张三.li@corp.example.com, a+b@corp.example.com"},
		{`(?i)\bvin[:：]?\s*[A-HJ-NPR-Z0-9]{17}\b`, "VIN：1HGCM82633A004352 vın:1HGCM82633A004352 v\u0130n:1HGCM82633A004352"},
		{`合同编号[:：]?[A-Z]{2}\d{8}`, "合同编号：AB12345678 合同编号CD١٢٣٤٥٦٧٨"},
		{`\d{4}-\d{2}`, "٢٠٢٤-٠١ and 2024-01"},
		// Go merges x|(?i:i) into one class marked case-sensitive.
		{`(?:x|(?i:i))-\d{3}`, "\u0130-123 i-456 x-789"},
		{`(?:xx|(?i:k))[0-9]{4}`, "\u212a1234 k5678"},
		// Go reads (?i)[İ] as a case-sensitive İ; regexp2 as i.
		{`(?i)[\u0130]x\d{2}`, "ix12 IX34 \u0130x56"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			t.Parallel()
			require.NotNil(t, newUserPre(tt.pattern))
			pack := &rules.Pack{Source: "cases.yaml", Rules: []rules.Rule{{ID: "case", Category: "identity", Level: "S2", Pattern: tt.pattern}}}
			rs, err := rules.Merge(pack)
			require.NoError(t, err)
			e, err := Compile(rs, Options{HMACKey: []byte("test-key"), AsOf: testAsOf})
			require.NoError(t, err)
			// Each value far from the others, so that no window of one
			// covers another.
			text := []byte(filler + strings.Join(strings.Fields(tt.text), " "+filler) + filler)
			want := scanChunks(t, e, text, len(text), userPreOff)
			require.NotEmpty(t, want)
			for _, owned := range []int{1, 7, 64, 300, 4096, len(text)} {
				for _, mode := range []userPreMode{userPreOn, userPreAlways} {
					assert.Equal(t, want, scanChunks(t, e, text, owned, mode), "owned %d, mode %d", owned, mode)
				}
			}
		})
	}
}
