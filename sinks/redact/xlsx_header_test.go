package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
)

// sheetBook writes rows as one sheet of text cells.
func sheetBook(t *testing.T, rows [][]string) []byte {
	t.Helper()
	sh := corpus.Sheet{Name: "s"}
	for _, r := range rows {
		var cells []corpus.Cell
		for _, v := range r {
			cells = append(cells, corpus.Cell{Text: v})
		}
		sh.Rows = append(sh.Rows, cells)
	}
	b, err := corpus.XLSX([]corpus.Sheet{sh})
	require.NoError(t, err)
	return b
}

// TestRedactXLSXHeaderAsScanned: the copy takes a sheet's first row for a
// header exactly when the scan does, the second row telling one name from
// a label: a first row with one name over a column of names is data (a
// headerless name column, its names replaced beside mobiles), a role
// label over names is a header, and a second row too long to look at
// leaves the first a header.
func TestRedactXLSXHeaderAsScanned(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{
		"onename.xlsx":  sheetBook(t, [][]string{{"张伟", "北京市", ""}, {"李娜", "上海市", "13912345678"}, {"王芳", "广州市", "13712345670"}}),
		"customer.xlsx": sheetBook(t, [][]string{{"顾客", "备注"}, {"张伟", "call " + rawMobile}}),
		"cut.xlsx":      sheetBook(t, [][]string{{"张伟", "备注"}, {"李娜", strings.Repeat("x ", 2100) + rawMobile}}),
	}
	found := scanCounts(t, files)
	assert.Equal(t, map[string]int64{"cn_mobile": 4, "person_name": 3}, found)

	dst, tally := redactFiles(t, Config{}, files)
	assert.Equal(t, found, tally.ByDataType, "each value the scan finds is replaced, and only those")
	for file, want := range map[string]struct{ kept, gone []string }{
		"onename.xlsx":  {[]string{"张伟", "北京市", "李*", "王*"}, []string{"李娜", "王芳"}},
		"customer.xlsx": {[]string{"顾客", "张*"}, []string{"张伟", rawMobile}},
		"cut.xlsx":      {[]string{"张伟", "李娜"}, []string{rawMobile}},
	} {
		text := zipText(t, readFile(t, dst, file))
		for _, s := range want.kept {
			assert.Contains(t, text, s, file)
		}
		for _, s := range want.gone {
			assert.NotContains(t, text, s, file)
		}
	}
}
