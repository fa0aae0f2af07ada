package corpus

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFullWidth(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"value", "手机：13812348000。", "手机：１３８１２３４８０００。"},
		{"groups and a label next to them", "ID E1234 5678 ok, call +86 138", "ＩＤ　Ｅ１２３４　５６７８　ｏｋ, ｃａｌｌ　＋８６　１３８"},
		{"words away from digits", "see the notes", "see the notes"},
		{"parentheses and dots", "(010)6234 at 1.5", "（０１０）６２３４　ａｔ　１．５"},
		{"an e-mail address", "mail: li_na@example.com.", "mail: ｌｉ＿ｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ．"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, at := FullWidth(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Len(t, at, len(tt.in)+1)
			assert.Equal(t, len(got), at[len(tt.in)])
			for i := 1; i < len(at); i++ {
				assert.Greater(t, at[i], at[i-1])
			}
		})
	}
}
