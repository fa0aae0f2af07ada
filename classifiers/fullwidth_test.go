package classifiers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/rules"
)

// finding is what a match says apart from where it is: it must not
// depend on how the value was written.
type finding struct {
	DataType, Category, Level string
	Confidence                float32
	Minor                     bool
	Masked, Fingerprint       string
	Evidence                  string
	Start, End, Span          int
	Record                    int64
}

func findingOf(m Match) finding {
	return finding{DataType: m.DataType, Category: m.Category, Level: m.Level, Confidence: m.Confidence, Minor: m.Minor,
		Masked: m.Masked, Fingerprint: m.Fingerprint, Evidence: m.Evidence, Start: m.Start, End: m.End, Span: m.Span, Record: m.Record}
}

// sameAt checks that the matches of the full-width text are those of the
// ASCII text with their offsets mapped by at.
func sameAt(t *testing.T, ascii, wide []Match, at []int) {
	t.Helper()
	var want, got []finding
	for _, m := range ascii {
		f := findingOf(m)
		f.Start, f.End = at[f.Start], at[f.End]
		want = append(want, f)
	}
	for _, m := range wide {
		got = append(got, findingOf(m))
	}
	assert.Equal(t, want, got)
}

// exampleMatches scans a rule example as runExample does, with its text
// or values written by spell, and returns the matches, record ends and the
// offset map of the buffer scanned.
func exampleMatches(t *testing.T, sc *Scanner, ex string, spell func(string) (string, []int)) (*collector, []int) {
	t.Helper()
	sc.Reset()
	ex = expandExample(ex)
	c := &collector{}
	var header []string
	var rows [][]string
	switch {
	case strings.HasPrefix(ex, "(column "):
		name, value, _ := strings.Cut(strings.TrimPrefix(ex, "(column "), ") ")
		header, rows = []string{name}, [][]string{{value}}
	case strings.HasPrefix(ex, "(csv) "):
		lines := strings.Split(strings.TrimPrefix(ex, "(csv) "), "|")
		header = strings.Split(lines[0], ",")
		for _, r := range lines[1:] {
			rows = append(rows, strings.Split(r, ","))
		}
	default:
		text, at := spell(ex)
		require.NoError(t, sc.ScanText(context.Background(), []byte(text), 0, len(text), nil, c))
		require.NoError(t, sc.Finish(c))
		return c, at
	}
	// Records: the values joined by '\n', as runExampleTable lays them
	// out, then spelled as a whole (the column names are not).
	buf, spans := exampleRecords(sc, header, rows)
	text, at := spell(string(buf))
	for i := range spans {
		spans[i].Start, spans[i].End = at[spans[i].Start], at[spans[i].End]
	}
	require.NoError(t, sc.ScanRecords(context.Background(), []byte(text), spans, false, c))
	require.NoError(t, sc.Finish(c))
	return c, at
}

func identity(s string) (string, []int) {
	at := make([]int, len(s)+1)
	for i := range at {
		at[i] = i
	}
	return s, at
}

// TestFullWidthExamples is the oracle over every built-in rule's examples:
// written in full-width forms, each gives the findings of its ASCII form
// (types, masks, fingerprints of the ASCII canonical value, confidence,
// evidence, minors and record ends), at the offsets of the full-width
// characters; a no_match example stays unmatched.
func TestFullWidthExamples(t *testing.T) {
	t.Parallel()
	b, err := rules.Builtin()
	require.NoError(t, err)
	sc := builtinEngine(t).NewScanner()
	widened := 0
	for _, r := range b.Rules {
		for i, ex := range r.Examples.Match {
			t.Run(fmt.Sprintf("%s/match/%d", r.ID, i), func(t *testing.T) {
				ascii, _ := exampleMatches(t, sc, ex, identity)
				wide, at := exampleMatches(t, sc, ex, corpus.FullWidth)
				require.Contains(t, ascii.types(), r.ID)
				sameAt(t, ascii.ms, wide.ms, at)
				assert.Equal(t, ascii.ends, wide.ends)
				assert.Equal(t, ascii.mins, wide.mins)
				if at[len(at)-1] != len(at)-1 {
					widened++
				}
			})
		}
		for i, ex := range r.Examples.NoMatch {
			t.Run(fmt.Sprintf("%s/no_match/%d", r.ID, i), func(t *testing.T) {
				wide, _ := exampleMatches(t, sc, ex, corpus.FullWidth)
				assert.NotContains(t, wide.types(), r.ID)
			})
		}
	}
	assert.Greater(t, widened, 50, "most examples hold digits")
}

// TestFullWidthForms checks the forms an IME writes, and numbers mixing
// both forms, against the same value in ASCII: one match, covering the
// full-width text, with the ASCII value's type, mask, fingerprint,
// confidence and evidence.
func TestFullWidthForms(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		name, text, value, ascii string // ascii: the same text in ASCII
	}{
		{"mobile", "手机：１３８１２３４８０００", "１３８１２３４８０００", "手机：13812348000"},
		{"mobile in ideographic-space groups", "手机：１３８　１２３４　８０００。", "１３８　１２３４　８０００", "手机：138 1234 8000。"},
		{"mobile with full-width dashes", "电话 １３８－１２３４－８０００", "１３８－１２３４－８０００", "电话 138-1234-8000"},
		{"mobile with +86", "联系电话＋８６　１３８１２３４８０００", "＋８６　１３８１２３４８０００", "联系电话+86 13812348000"},
		{"mobile mixing forms", "手机：138１２３４8000", "138１２３４8000", "手机：13812348000"},
		{"resident id with X", "身份证号：１１０１０５１９４９１２３１００２Ｘ", "１１０１０５１９４９１２３１００２Ｘ", "身份证号：11010519491231002X"},
		{"resident id with x", "身份证号：１１０１０５１９４９１２３１００２ｘ", "１１０１０５１９４９１２３１００２ｘ", "身份证号：11010519491231002x"},
		{"resident id in groups", "证件号 ４４０１０４　１９５１０１０５　８５９０", "４４０１０４　１９５１０１０５　８５９０", "证件号 440104 19510105 8590"},
		{"passport", "护照号码：Ｅ１２３４５６７８", "Ｅ１２３４５６７８", "护照号码：E12345678"},
		{"passport with an ASCII letter", "护照号码：E１２３４５６７８", "E１２３４５６７８", "护照号码：E12345678"},
		{"hkid in full-width parentheses", "香港身份證 Ｚ６８３３６５（Ａ）", "Ｚ６８３３６５（Ａ）", "香港身份證 Z683365（A）"},
		{"taiwan id", "身分證字號 Ａ１２３４５６７８９", "Ａ１２３４５６７８９", "身分證字號 A123456789"},
		{"bank card", "卡号：６２２２０２１２３４５６７８９４", "６２２２０２１２３４５６７８９４", "卡号：6222021234567894"},
		{"bank card in groups", "信用卡 ４１１１　１１１１　１１１１　１１１１", "４１１１　１１１１　１１１１　１１１１", "信用卡 4111 1111 1111 1111"},
		{"iban", "账户 ＤＥ８９　３７０４　００４４　０５３２　０１３０　００", "ＤＥ８９　３７０４　００４４　０５３２　０１３０　００", "账户 DE89 3704 0044 0532 0130 00"},
		{"uscc", "统一社会信用代码：９１３５０１００Ｍ０００１００Ｙ４３", "９１３５０１００Ｍ０００１００Ｙ４３", "统一社会信用代码：91350100M000100Y43"},
		{"licence plate", "车牌 京Ａ１２３４５", "京Ａ１２３４５", "车牌 京A12345"},
		{"landline", "座机：０１０－６２３４５６７８", "０１０－６２３４５６７８", "座机：010-62345678"},
		{"landline in full-width parentheses", "电话（０７５５）８７６５４３２１", "（０７５５）８７６５４３２１", "电话（0755）87654321"},
		{"international phone", "WhatsApp ＋８５２　９１２３　４５６７", "＋８５２　９１２３　４５６７", "WhatsApp +852 9123 4567"},
		{"imei", "串号：４９０１５４２０３２３７５１８", "４９０１５４２０３２３７５１８", "串号：490154203237518"},
		{"imei with a full-width keyword beside it", "ＩＭＥＩ　４９０１５４２０３２３７５１８", "４９０１５４２０３２３７５１８", "IMEI 490154203237518"},
		{"hk macau permit", "港澳通行证 Ｃ１２３４５６７８", "Ｃ１２３４５６７８", "港澳通行证 C12345678"},
		{"tw permit", "台胞证 Ｌ８７６５４３２１", "Ｌ８７６５４３２１", "台胞证 L87654321"},
		{"ipv4", "登录IP：５８．２２．１１３．７", "５８．２２．１１３．７", "登录IP：58.22.113.7"},
		{"gps with a full-width comma", "位置 ３９．９０４２００，１１６．４０７４００", "３９．９０４２００，１１６．４０７４００", "位置 39.904200，116.407400"},
		{"address", "家庭住址：北京市朝阳区建国路８８号", "北京市朝阳区建国路８８号", "家庭住址：北京市朝阳区建国路88号"},
		{"e-mail", "邮箱 ｚｈａｎｇ１＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｚｈａｎｇ１＠ｅｘａｍｐｌｅ．ｃｏｍ", "邮箱 zhang1@example.com"},
		{"e-mail with an underscore", "邮箱：ｌｉ＿ｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ。", "ｌｉ＿ｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ", "邮箱：li_na@example.com。"},
		{"e-mail with only ＠ full-width", "联系我：zhang.san＠example.com（请把＠换成@）", "zhang.san＠example.com", "联系我：zhang.san@example.com（请把@换成@）"},
		{"e-mail with ＠ and ． full-width", "邮箱 zhang＠mail．example．com", "zhang＠mail．example．com", "邮箱 zhang@mail.example.com"},
		{"e-mail with a full-width dot in the local part", "邮箱 zhang．san＠example.com", "zhang．san＠example.com", "邮箱 zhang.san@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ascii := scanString(t, e, tt.ascii)
			require.Len(t, ascii.ms, 1, "the ASCII form")
			wide := scanString(t, e, tt.text)
			require.Len(t, wide.ms, 1)
			m := wide.ms[0]
			assert.Equal(t, tt.value, tt.text[m.Start:m.End])
			want := findingOf(ascii.ms[0])
			want.Start, want.End = m.Start, m.End
			assert.Equal(t, want, findingOf(m))
		})
	}
}

// TestFullWidthNotFound checks that full-width forms do not make a value
// of what is none: a wrong check character or segment is as wrong in
// full-width forms, and the limits of what is folded hold.
func TestFullWidthNotFound(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		name, text, dataType string
	}{
		{"resident id with a wrong check character", "身份证号：１１０１０５１９４９１２３１００２１", "cn_resident_id"},
		{"resident id with an impossible birth date", "身份证号：１１０１０５１９４９１３３１００２Ｘ", "cn_resident_id"},
		{"card failing luhn", "卡号：６２２２０２１２３４５６７８９５", "bank_card"},
		{"mobile outside the segments", "手机：１２８１２３４８０００", "cn_mobile"},
		{"mobile after an order label", "订单号 １３８１２３４８０００", "cn_mobile"},
		{"mobile glued to more digits", "手机：１３８１２３４８０００１２", "cn_mobile"},
		{"uscc with a wrong check character", "统一社会信用代码：９１３５０１００Ｍ０００１００Ｙ４４", "cn_uscc"},
		{"hkid with a wrong check digit", "HKID Ａ１２３４５６（４）", "hk_id"},
		{"iban with a wrong check", "IBAN ＤＥ８９３７０４００４４０５３２０１３００１", "iban"},
		{"passport without its keyword", "编号 Ｅ１２３４５６７８", "cn_passport"},
		{"imei without its keyword", "４９０１５４２０３２３７５１８", "imei"},
		{"ipv4 part over 255", "ip ２５６．１．１．１", "ipv4"},
		// Known limit: full-width letters are read only in a stretch that
		// holds a full-width digit, so a full-width prefix before ASCII
		// digits is not read (an IME writes all of a number one way).
		{"full-width letter before ASCII digits", "护照号码：Ｅ12345678", "cn_passport"},
		// Known limit: a full-width local part before an ASCII '@' is
		// not read (no full-width digit or ＠ makes the text fold).
		{"full-width local part before an ASCII @", "邮箱 ｚｈａｎｇ@example.com", "email"},
		{"a mention", "转发＠张三：见附件 ＠ｌｉｓｉ 你好", "email"},
		{"no real top-level domain", "邮箱 ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｘｙｚ１２３", "email"},
		{"a ＠ away from the address's dot", "zhang＠example 。com", "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.NotContains(t, scanString(t, e, tt.text).types(), tt.dataType)
		})
	}
}

// TestFullWidthLookalikes checks that the Han characters whose UTF-8 ends
// as a full-width digit's does (优 E4 BC 98, 众 E4 BC 97, 编 E7 BC 96, 演
// E6 BC 94) change nothing: the values beside them are found as without
// them.
func TestFullWidthLookalikes(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	sc := e.NewScanner()
	text := "优秀员工，群众演员，编号：无。手机：13812348000 优 身份证号：11010519491231002X 编"
	c := &collector{}
	require.NoError(t, sc.ScanText(context.Background(), []byte(text), 0, len(text), nil, c))
	assert.Equal(t, []string{"cn_mobile", "cn_resident_id"}, c.types())
}

// TestFullWidthRecords checks record rules on full-width values: a birth
// date makes the record's subject a minor, the field's name is evidence, a
// resident ID's birth date grades it S4, and latitude/longitude fields make
// a coordinate.
func TestFullWidthRecords(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	minorID := withIDCheck("11010520150301123")
	tests := []struct {
		name   string
		header []string
		rows   [][]string
	}{
		{"birth dates", []string{"姓名", "出生日期", "手机"}, [][]string{
			{"王小明", "2015-03-01", "13812348000"}, {"李四", "1990/05/17", "13912345678"}, {"张三", "2015年3月1日", "13812348000"},
		}},
		{"fields", []string{"mobile", "id_no", "card_no", "plate_no"}, [][]string{
			{"+86 138 1234 8000", "11010519491231002X", "6222 0212 3456 7894", "京A12345"},
		}},
		{"minor's resident id", []string{"证件号码"}, [][]string{{minorID}}},
		{"coordinate fields", []string{"user_id", "lat", "lng"}, [][]string{
			{"u1001", "39.904200", "116.407400"}, {"u1001", "39.914200", "116.417400"}, {"u1001", "39.924200", "116.427400"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var csv []string
			for _, r := range tt.rows {
				csv = append(csv, strings.Join(r, ","))
			}
			ex := "(csv) " + strings.Join(tt.header, ",") + "|" + strings.Join(csv, "|")
			sc := e.NewScanner()
			ascii, _ := exampleMatches(t, sc, ex, identity)
			wide, at := exampleMatches(t, sc, ex, corpus.FullWidth)
			require.NotEmpty(t, ascii.ms)
			sameAt(t, ascii.ms, wide.ms, at)
			assert.Equal(t, ascii.ends, wide.ends)
			assert.Equal(t, ascii.mins, wide.mins)
			switch tt.name {
			case "birth dates":
				assert.Equal(t, []bool{true, false, true}, wide.mins)
			case "minor's resident id":
				assert.True(t, wide.ms[0].Minor)
				assert.Equal(t, "S4", wide.ms[0].Level)
			case "coordinate fields":
				assert.Contains(t, wide.types(), "location_trace")
			}
		})
	}
}

// withIDCheck appends the GB 11643 MOD 11-2 check character to the first
// 17 characters of a resident ID.
func withIDCheck(d17 string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(d17[i]-'0') * weights[i]
	}
	return d17 + string("10X98765432"[sum%11])
}

// TestFullWidthChunks scans a text with full-width values at every offset
// in windows as the chunker cuts them (owned regions of 1 to 4096 bytes,
// 256 bytes of look-behind, 4 KiB of look-ahead): each value is found
// exactly once, as in the whole text, and as in the text's ASCII form.
func TestFullWidthChunks(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	vals := []string{
		"手机：13812348000", "身份证号：11010519491231002X", "护照 E12345678", "电话+86 138 1234 8000",
		"卡号 6222 0212 3456 7894", "证件号 440104 19510105 8590", "HKID A123456(3)", "车牌 京A12345",
		"位置 39.904200,116.407400", "IBAN GB82 WEST 1234 5698 7654 32", "座机：010-62345678",
	}
	var b strings.Builder
	for i := range 120 {
		fmt.Fprintf(&b, "第%d行%s，%s。\n", i, strings.Repeat("填", i%13), vals[i%len(vals)])
	}
	ascii := b.String()
	text, at := corpus.FullWidth(ascii)
	want := scanString(t, e, ascii)
	whole := scanString(t, e, text)
	require.Len(t, want.ms, 120)
	sameAt(t, want.ms, whole.ms, at)
	for _, owned := range []int{1, 7, 64, 4096} {
		t.Run(fmt.Sprintf("owned=%d", owned), func(t *testing.T) {
			t.Parallel()
			got := scanChunked(t, e.NewScanner(), text, owned)
			assert.Equal(t, whole.ms, got)
		})
	}
}

// scanChunked scans text as the scanner's chunker cuts it: owned regions
// of owned bytes nudged to character starts, with look-behind and
// look-ahead. Match offsets are in text.
func scanChunked(t *testing.T, sc *Scanner, text string, owned int) []Match {
	t.Helper()
	const back, ahead = 256, 4096
	buf := []byte(text)
	var out []Match
	c := &collector{}
	for own0 := 0; own0 < len(buf); {
		own1 := min(len(buf), own0+owned)
		for own1 < len(buf) && !utf8.RuneStart(buf[own1]) {
			own1++
		}
		lo, hi := max(0, own0-back), min(len(buf), own1+ahead)
		c.ms = c.ms[:0]
		require.NoError(t, sc.ScanText(context.Background(), buf[lo:hi], own0-lo, own1-lo, nil, c))
		for _, m := range c.ms {
			m.Start += lo
			m.End += lo
			out = append(out, m)
		}
		own0 = own1
	}
	return out
}
