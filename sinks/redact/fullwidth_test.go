package redact

import (
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"

	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestRedactFullWidth rewrites values written in full-width forms (an
// IME's full-width mode): each is replaced exactly where it stands, by the
// replacement of the same value in ASCII, so the copy equals the copy of
// the ASCII file; nothing full-width is left of them, whatever the read
// sizes.
func TestRedactFullWidth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, ascii, wide string
	}{
		{name: "text", file: "a.log",
			ascii: "手机：" + rawMobile + " ok\r\n登录IP：" + rawIP + "\n身份证 " + rawID + "，卡号 6222 0212 3456 7894。电话+86 138 1234 8000，座机010-62345678\n",
			wide:  "手机：１３８１２３４８０００ ok\r\n登录IP：５８．２２．１１３．７\n身份证 ４４０１０４１９５１０１０５８５９０，卡号 ６２２２　０２１２　３４５６　７８９４。电话＋８６　１３８　１２３４　８０００，座机０１０－６２３４５６７８\n"},
		{name: "mixed forms", file: "m.txt",
			ascii: "手机：" + rawMobile + "，护照号码：" + rawPassport + "\n",
			wide:  "手机：138１２３４8000，护照号码：E１２３４５６７８\n"},
		{name: "e-mail", file: "e.txt",
			ascii: "邮箱：li_na@example.com，备用 zhang@mail.example.com\n",
			wide:  "邮箱：ｌｉ＿ｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ，备用 zhang＠mail．example．com\n"},
		{name: "csv", file: "s.csv",
			ascii: "name,mobile,id_no,passport\r\n张三," + rawMobile + "," + rawID + "," + rawPassport + "\r\n",
			wide:  "name,mobile,id_no,passport\r\n张三,１３８１２３４８０００,４４０１０４１９５１０１０５８５９０,Ｅ１２３４５６７８\r\n"},
		{name: "json", file: "d.json",
			ascii: `{"user": {"mobile": "` + rawMobile + `", "note": "身份证 ` + rawID + `"}}`,
			wide:  `{"user": {"mobile": "１３８１２３４８０００", "note": "身份证 ４４０１０４１９５１０１０５８５９０"}}`},
		{name: "json keys", file: "k.json",
			ascii: `{"by_phone": {"` + rawMobile + `": {"name": "x"}, "（备注）": 1}}`,
			wide:  `{"by_phone": {"１３８１２３４８０００": {"name": "x"}, "（备注）": 1}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dst, _ := redactFiles(t, Config{}, map[string][]byte{tt.file: []byte(tt.ascii)})
			want := string(readFile(t, dst, tt.file))
			assert.NotEqual(t, tt.ascii, want, "the ASCII values are replaced")
			dst, tally := redactFiles(t, Config{}, map[string][]byte{tt.file: []byte(tt.wide)})
			got := string(readFile(t, dst, tt.file))
			assert.Equal(t, want, got)
			assert.False(t, strings.ContainsFunc(got, isFullWidthAlnum), "no full-width digit, letter or ＠ is left")
			assert.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)])
			one, _ := redactSource(t, Config{}, &scannertest.MemSource{Files: map[string][]byte{tt.file: []byte(tt.wide)}, Reader: iotest.OneByteReader})
			assert.Equal(t, want, string(readFile(t, one, tt.file)), "one byte reads")
		})
	}
}

func isFullWidthAlnum(r rune) bool {
	return r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ' || r == '＠'
}
