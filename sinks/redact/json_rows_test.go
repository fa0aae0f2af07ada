package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRedactJSONRowsAsScanned: the cells of JSON rows (arrays of arrays:
// pandas' "values" and "split", JSON Lines of arrays) are positional
// columns for the copy as for the scan, so a column of names or of ethnic
// groups beside mobiles is replaced value for value as the scan reports
// it, while a row of numbers (a coordinate pair) stays one value.
func TestRedactJSONRowsAsScanned(t *testing.T) {
	t.Parallel()
	const rows = `[[10001,"张伟","` + rawMobile + `","汉族"],[10002,"李娜","","回族"],[10003,"王芳","13712345670","汉族"],[10004,"刘洋","13612345671","满族",{"note":"x"}]]`
	const masked = `[[10001,"张*","138****8000",""],[10002,"李娜","","回族"],[10003,"王*","137****5670",""],[10004,"刘*","136****5671","",{"note":"x"}]]`
	tests := []struct{ file, in, want string }{
		{"values.json", rows, masked},
		{"split.json", `{"columns":["id","c1","c2","c3"],"index":[0,1,2,3],"data":` + rows + `}`,
			`{"columns":["id","c1","c2","c3"],"index":[0,1,2,3],"data":` + masked + `}`},
		{"rows.jsonl", "[\"张伟\",\"" + rawMobile + "\",\"汉族\"]\n[\"李娜\",null,\"回族\"]\n[\"王芳\",\"13712345670\",\"汉族\"]\n",
			"[\"张*\",\"138****8000\",\"\"]\n[\"李娜\",null,\"回族\"]\n[\"王*\",\"137****5670\",\"\"]\n"},
	}
	files := map[string][]byte{}
	for _, tt := range tests {
		files[tt.file] = []byte(tt.in)
	}
	found := scanCounts(t, files)
	assert.Equal(t, map[string]int64{"cn_mobile": 8, "person_name": 8, "specific_identity": 8}, found)

	dst, tally := redactFiles(t, Config{}, files)
	assert.Equal(t, found, tally.ByDataType, "each value the scan finds is replaced, and only those")
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(readFile(t, dst, tt.file)), tt.file)
	}
}

// TestRedactJSONColumnListsAsScanned: the column names a JSON table lists
// before its rows label the rows' cells for the copy as for the scan
// (scanner.JSONTable), so Latin names and passport numbers, which
// only their column names give away, are replaced as the scan reports
// them; a list after the rows labels nothing, in both. A header row (a
// spreadsheet API's "values", a first line of JSON Lines) labels them too,
// unless a comment is in it.
func TestRedactJSONColumnListsAsScanned(t *testing.T) {
	t.Parallel()
	const rows = `[["Alice Walker","E12345678","` + rawMobile + `"],["Bob Stone","G23456789","13912345678"]]`
	const masked = `[["A**** ******","E******78","138****8000"],["B** *****","G******89","139****5678"]]`
	tests := []struct{ file, in, want string }{
		{"split.json", `{"columns":["name","passport_no","phone"],"index":[0,1],"data":` + rows + `}`,
			`{"columns":["name","passport_no","phone"],"index":[0,1],"data":` + masked + `}`},
		{"meta.json", `{"meta":[{"name":"na\u006de"},{"name":"passport_no"},{"name":"phone"}],"data":` + rows + `}`,
			`{"meta":[{"name":"na\u006de"},{"name":"passport_no"},{"name":"phone"}],"data":` + masked + `}`},
		{"after.json", `{"data":` + rows + `,"columns":["name","passport_no","phone"]}`,
			`{"data":[["Alice Walker","E12345678","138****8000"],["Bob Stone","G23456789","139****5678"]],"columns":["name","passport_no","phone"]}`},
		{"sheet.json", `{"values":[["Name","Passport No","phone"],` + rows[1:] + `}`,
			`{"values":[["Name","Passport No","phone"],` + masked[1:] + `}`},
		{"commented.json", `{"values":[["Name","Passport No","phone" // x` + "\n" + `],` + rows[1:] + `}`,
			`{"values":[["Name","Passport No","phone" // x` + "\n" + `],["Alice Walker","E12345678","138****8000"],["Bob Stone","G23456789","139****5678"]]}`},
		{"names.jsonl", "[\"name\",\"passport_no\"]\n[\"Alice Walker\",\"E12345678\"]\n", "[\"name\",\"passport_no\"]\n[\"A**** ******\",\"E******78\"]\n"},
	}
	files := map[string][]byte{}
	for _, tt := range tests {
		files[tt.file] = []byte(tt.in)
	}
	found := scanCounts(t, files)
	assert.Equal(t, map[string]int64{"cn_mobile": 10, "cn_passport": 7, "person_name": 7}, found)

	dst, tally := redactFiles(t, Config{}, files)
	assert.Equal(t, found, tally.ByDataType, "each value the scan finds is replaced, and only those")
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(readFile(t, dst, tt.file)), tt.file)
	}
}
