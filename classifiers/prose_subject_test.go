package classifiers

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

// TestProseSubjectPhrases: an ethnicity said of a person right after a
// subject and a copula (他是回族人) is found without a keyword; the same
// words about a place, a hobby, a people, or in a condition or question,
// are not.
func TestProseSubjectPhrases(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		want []string // the bytes of each specific_identity match
	}{
		// Said of a person.
		{"他是回族人", []string{"回族"}},
		{"她是藏族", []string{"藏族"}},
		{"我是汉族的。", []string{"汉族"}},
		{"本人系满族，现居北京", []string{"满族"}},
		{"该员工为维吾尔族", []string{"维吾尔族"}},
		{"她是一名藏族姑娘，今年二十岁", []string{"藏族"}},
		{"他是个白族小伙", []string{"白族"}},
		{"因为他是回族，所以不吃猪肉", []string{"回族"}},
		{"我是汉族，他是回族", []string{"汉族", "回族"}},
		{"他是水族", []string{"水族"}},
		{"他是藏族人", []string{"藏族"}}, // 藏 ends with the same two bytes as 族
		{"地址：北京市朝阳区建国路88号，他是回族人", []string{"回族"}},
		{"He said: 他是回族人. OK", []string{"回族"}},
		// Not an ethnicity of the subject: the value goes on into another
		// word, names a people, or the sentence asks or supposes.
		{"他是回族聚居区的代表", nil},
		{"他是水族馆的员工", nil},
		{"他是白族的研究专家", nil},
		{"他是回族人民的好儿子", nil},
		{"他是回族吗", nil},
		{"他是回族？", nil},
		{"如果他是回族，饭菜要注意", nil},
		{"不知道他是汉族还是回族", nil},
		{"他不是回族", nil},
		{"他是上班族", nil},
		{"其他是回族", nil},
		{"吉他是汉族乐器", nil},
		{"他说回族的节日很多", nil},
		{"他收藏了很多回族的器物", nil},
		{"她为回族同胞捐款", nil}, // 为 "for", not "is"
		{"他为汉族人民服务", nil},
		// General statements stay general.
		{"申请人须为中共党员", nil},
		{"我国有56个民族，汉族人口占91%", nil},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, m := range scanString(t, e, tt.text).ms {
				if m.DataType == "specific_identity" {
					got = append(got, tt.text[m.Start:m.End])
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
	// In records: the phrase and the value must be in one value.
	c := scanTable(t, e, []string{"note", "remark"}, [][]string{{"他是", "回族人"}, {"他是回族人", "x"}})
	assert.Equal(t, 1, c.count("specific_identity"))
}

// TestProseSubjectUserRule: a user pack can read its own values after
// subject phrases, anchored on their own last character.
func TestProseSubjectUserRule(t *testing.T) {
	t.Parallel()
	p, err := rules.Load(strings.NewReader(`
version: "team-3"
rules:
  - id: believer
    category: religious_belief
    level: S3
    detector: field_value
    keywords: [信徒]
    params:
      values: [佛教徒, 基督徒]
      subject_phrases: [他是, 她是]
      subject_value_ends: [徒]
`), "team.yaml")
	require.NoError(t, err)
	e := builtinEngine(t, p)
	assert.Equal(t, 1, scanString(t, e, "她是基督徒。").count("believer"))
	assert.Equal(t, 0, scanString(t, e, "她是基督徒的朋友").count("believer"))
	assert.Equal(t, 0, scanString(t, e, "佛教徒很多").count("believer"))
}

// TestProseSubjectChunks: the phrase is read before the value, so a chunk
// boundary between them changes nothing.
func TestProseSubjectChunks(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	var b strings.Builder
	for i := range 60 {
		fmt.Fprintf(&b, "第%d条%s，他是回族人。她是水族馆的员工。\n", i, strings.Repeat("填", i%11))
	}
	text := b.String()
	whole := scanString(t, e, text)
	require.Equal(t, 60, whole.count("specific_identity"))
	for _, owned := range []int{1, 7, 64, 4096} {
		t.Run(fmt.Sprintf("owned=%d", owned), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, whole.ms, scanChunked(t, e.NewScanner(), text, owned))
		})
	}
}
