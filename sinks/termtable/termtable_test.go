package termtable

import (
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{
		"":          0,
		"name":      4,
		"姓名":        4,
		"身份证号":      8,
		"ｅｍａｉｌ":     10, // fullwidth Latin
		"e\u0301":   1,  // e + combining acute
		"a\u200bb":  2,  // zero-width space
		"Ω":         1,  // ambiguous width counts as one
		"手机号 phone": 12,
	} {
		assert.Equal(t, want, DisplayWidth(s), "%q", s)
	}
}

func TestWriterMatchesTabwriterOnASCII(t *testing.T) {
	in := "  DATA TYPE\tCOLUMN\tSHARE\tOBJECT\n  email\tmail\t100%\tfile:///a.csv\n  cn_mobile\tphone_number\t98%\tfile:///b.csv\n  TOTAL\t3\n"
	var got, want strings.Builder
	w := NewWriter(&got)
	_, _ = w.Write([]byte(in))
	require.NoError(t, w.Flush())
	tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
	_, _ = tw.Write([]byte(in))
	require.NoError(t, tw.Flush())
	assert.Equal(t, want.String(), got.String())
}

func TestWriterAlignsWideCells(t *testing.T) {
	var got strings.Builder
	w := NewWriter(&got)
	_, _ = w.Write([]byte("  TYPE\tCOLUMN\tSHARE\n  person_name\t姓名\t100%\n  email\temail_address\t100%\n  cn_mobile\t手机号\t99%\n"))
	require.NoError(t, w.Flush())
	lines := strings.Split(strings.TrimSuffix(got.String(), "\n"), "\n")
	require.Len(t, lines, 4)
	// The SHARE column starts at the same terminal cell on every line.
	col := -1
	for _, l := range lines {
		i := strings.LastIndex(l, "  ") + 2
		at := DisplayWidth(l[:i])
		if col < 0 {
			col = at
		}
		assert.Equal(t, col, at, "line %q", l)
	}
	assert.Empty(t, NewWriter(&got).Flush(), "flushing nothing writes nothing")
}
