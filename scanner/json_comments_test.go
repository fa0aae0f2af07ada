package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// jsoncMobile is a synthetic mobile number (a real 138 segment) the
// comment tests hide in comments; jsoncMail a synthetic e-mail address.
const (
	jsoncMobile = "13812348000"
	jsoncMail   = "zhang.san@example.com"
)

// TestJSONComments: a JSON document with // and /* */ comments and
// trailing commas (JSONC: tsconfig.json, VS Code settings) is read whole,
// complete, with each comment's text a value at the path of the object or
// array it is in ($ outside the root) and the values around it at their
// paths; a '/' in a string is no comment. Before, the document stopped at
// the first comment (partial, malformed) and the rest was read as text,
// without paths.
func TestJSONComments(t *testing.T) {
	t.Parallel()
	m := jsoncMobile
	tests := []struct {
		name, doc string
		want      []loc // Type and Field
	}{
		{"line comment before the root", "// owner " + m + "\n{\"a\":1}",
			[]loc{{Type: "cn_mobile", Field: "$"}}},
		{"block comment before the root", "/* owner " + m + " */ {\"a\":1}",
			[]loc{{Type: "cn_mobile", Field: "$"}}},
		{"between key and colon", `{"a" /* ` + m + ` */ : "x"}`,
			[]loc{{Type: "cn_mobile", Field: "$"}}},
		{"between colon and value", `{"a": /* ` + m + ` */ "x", "b": "` + m + `"}`,
			[]loc{{Type: "cn_mobile", Field: "$"}, {Type: "cn_mobile", Field: "$.b"}}},
		{"before the first key", "{ // " + m + "\n \"b\": \"x\"}",
			[]loc{{Type: "cn_mobile", Field: "$"}}},
		{"inside arrays", "{\"l\": [ /* " + m + " */ \"x\", {\"p\": \"" + m + "\"} // " + m + "\n ]}",
			[]loc{{Type: "cn_mobile", Field: "$.l"}, {Type: "cn_mobile", Field: "$.l[*].p"}, {Type: "cn_mobile", Field: "$.l"}}},
		{"empty array with a comment", `{"l": [ /* ` + m + ` */ ], "b": 1}`,
			[]loc{{Type: "cn_mobile", Field: "$.l"}}},
		{"after the last value", `{"a": "x" /* ` + m + ` */}`,
			[]loc{{Type: "cn_mobile", Field: "$"}}},
		{"after the last value of a nested object", `{"o": {"a": "x" // ` + m + "\n}}",
			[]loc{{Type: "cn_mobile", Field: "$.o"}}},
		{"line comment at the end of input", "{\"a\":1}\n// " + m,
			[]loc{{Type: "cn_mobile", Field: "$"}}},
		{"block comment at the end of input", "{\"a\":1} /* " + m + " */",
			[]loc{{Type: "cn_mobile", Field: "$"}}},
		{"comments alone", "// " + m + "\n/* " + jsoncMail + " */",
			[]loc{{Type: "cn_mobile", Field: "$"}, {Type: "email", Field: "$"}}},
		{"/* in a string is not a comment", `{"a": "/* ` + m + ` */", "u": "http://x.example/` + m + `"}`,
			[]loc{{Type: "cn_mobile", Field: "$.a"}, {Type: "cn_mobile", Field: "$.u"}}},
		{"*/ in a line comment", "{\"a\": 1, // note */ " + m + "\n \"b\": \"" + m + "\"}",
			[]loc{{Type: "cn_mobile", Field: "$"}, {Type: "cn_mobile", Field: "$.b"}}},
		{"nested-looking block comment", `{/* /* ` + m + ` */ "a": "` + m + `"}`,
			[]loc{{Type: "cn_mobile", Field: "$"}, {Type: "cn_mobile", Field: "$.a"}}},
		{"lines of a block comment", "/*\n  " + m + "\n*/\n{\"a\": \"" + m + "\"}",
			[]loc{{Type: "cn_mobile", Field: "$"}, {Type: "cn_mobile", Field: "$.a"}}},
		{"empty comments", "/**/{//\n\"a\"/**/:/**/\"" + m + "\"//\n}",
			[]loc{{Type: "cn_mobile", Field: "$.a"}}},
		{"a comment ends a run of numbers", `{"v": [1, 2 /* ` + m + ` */, 3]}`,
			[]loc{{Type: "cn_mobile", Field: "$.v"}}},
		{"trailing commas", `{"a": "` + m + `", "o": {"b": 1,}, "l": [1, 2,],}`,
			[]loc{{Type: "cn_mobile", Field: "$.a"}}},
		{"records", "[ // " + m + "\n {\"a\": 1}, /* " + jsoncMail + " */ {\"b\": \"" + m + "\"},\n]",
			[]loc{{Type: "cn_mobile", Field: "$"}, {Type: "email", Field: "$"}, {Type: "cn_mobile", Field: "$[*].b"}}},
	}
	files := map[string][]byte{}
	for i, tc := range tests {
		files[fmt.Sprintf("c%02d.json", i)] = []byte(tc.doc)
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := sink.ByName(fmt.Sprintf("c%02d.json", i))
			require.NotNil(t, r)
			assert.Equal(t, "json", r.Format)
			assert.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)
			var got []loc
			for _, l := range locs(r) {
				got = append(got, loc{Type: l.Type, Field: l.Field})
				checkAt(t, tc.doc, l)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestJSONCommentErrors: what is still not JSON with comments is
// malformed, with a reason that holds no value, and the rest is read as
// text as before: an unterminated block comment, a '/' that opens none,
// a block comment closed twice. JSON Lines stays strict: a comment or a
// trailing comma in an object makes its line bad.
func TestJSONCommentErrors(t *testing.T) {
	t.Parallel()
	m := jsoncMobile
	tests := []struct {
		name, file, doc, reason string
		types                   int // findings, all cn_mobile
	}{
		{"unterminated block comment", "a.json", "{\"a\": \"" + m + "\"}\n/* " + m, "unterminated comment", 2},
		{"unterminated inside an object", "b.json", `{"a": 1, /* ` + m + ` "b": 2}`, "unterminated comment", 1},
		{"a lone slash", "c.json", `{"a": 1 / "` + m + `"}`, "unexpected character '/'", 1},
		{"closed twice", "d.json", `{/* /* */ */ "a": "` + m + `"}`, "expected a key", 1},
		{"json lines comment", "e.jsonl", "{\"a\": 1} // " + m + "\n{\"b\": \"" + m + "\"}\n", "1 line(s) are not valid JSON", 2},
		{"json lines trailing comma", "f.jsonl", "{\"a\": \"" + m + "\",}\n{\"b\": 2}\n", "1 line(s) are not valid JSON", 1},
	}
	files := map[string][]byte{}
	for _, tc := range tests {
		files[tc.file] = []byte(tc.doc)
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := sink.ByName(tc.file)
			require.NotNil(t, r)
			assert.Equal(t, scanner.StatusPartial, r.Status)
			assert.Equal(t, scanner.ReasonMalformed, r.Reason)
			require.Error(t, r.Err)
			assert.Contains(t, r.Err.Error(), tc.reason)
			assert.NotContains(t, r.Err.Error(), m[3:7])
			assert.Len(t, locs(r), tc.types)
			for _, l := range locs(r) {
				assert.Equal(t, "cn_mobile", l.Type)
			}
		})
	}
}

// TestJSONLongComment: a comment longer than a value read in one piece
// (and than the parser's window) is streamed; its values are found at
// their offsets and lines, and the document goes on after it.
func TestJSONLongComment(t *testing.T) {
	t.Parallel()
	filler := strings.Repeat("lorem ipsum dolor sit amet\n", 12000) // 324 KB
	ids := residentIDs(3)
	doc := "/*" + filler + ids[0] + "\n" + filler + "**/\n" +
		"{\"a\": \"" + jsoncMobile + "\", // " + strings.Repeat("x", 200000) + " " + ids[1] + "\n" +
		"\"b\": \"" + ids[2] + "\"}"
	sink := run(t, &scannertest.MemSource{Files: map[string][]byte{"long.json": []byte(doc)}}, scanner.Config{Workers: 1})
	r := sink.ByName("long.json")
	require.NotNil(t, r)
	assert.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)
	var got []loc
	for _, l := range locs(r) {
		got = append(got, loc{Type: l.Type, Field: l.Field, Line: l.Line})
		checkAt(t, doc, l, jsoncMobile, ids[0], ids[1], ids[2])
	}
	assert.Equal(t, []loc{
		{Type: "cn_resident_id", Field: "$", Line: 12001},
		{Type: "cn_mobile", Field: "$.a", Line: 24003},
		{Type: "cn_resident_id", Field: "$", Line: 24003},
		{Type: "cn_resident_id", Field: "$.b", Line: 24004},
	}, got)
}

// TestJSONCommentSniff: a .json or .jsonc file that starts with a comment
// (VS Code's settings.json does) is JSON, as is a .jsonc file; it was
// plain text.
func TestJSONCommentSniff(t *testing.T) {
	t.Parallel()
	doc := "// Place your settings in this file\n/* owner */\n{\"phone\": \"" + jsoncMobile + "\"}\n"
	files := map[string][]byte{
		"settings.json":      []byte(doc),
		"devcontainer.jsonc": []byte(doc),
		"plain.jsonc":        []byte("{\"phone\": \"" + jsoncMobile + "\"}"),
		"notes.txt":          []byte(doc),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for name, want := range map[string]string{"settings.json": "json", "devcontainer.jsonc": "json", "plain.jsonc": "json", "notes.txt": "text"} {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		assert.Equal(t, want, r.Format, name)
		assert.Equal(t, scanner.StatusComplete, r.Status, name)
		if want == "json" {
			require.Len(t, locs(r), 1, name)
			assert.Equal(t, "$.phone", locs(r)[0].Field, name)
		}
	}
}

// checkAt checks that a finding's offset holds a value of the test (the
// mobile number or the e-mail address) and that its line and column are
// those of that offset in doc (ASCII around it).
func checkAt(t *testing.T, doc string, l loc, values ...string) {
	t.Helper()
	if values == nil {
		values = []string{jsoncMobile, jsoncMail}
	}
	assert.Contains(t, values, doc[l.Off:l.Off+int64(l.Len)], "offset %d", l.Off)
	before := doc[:l.Off]
	line := int64(strings.Count(before, "\n")) + 1
	col := l.Off - int64(strings.LastIndexByte(before, '\n'))
	assert.Equal(t, [2]int64{line, col}, [2]int64{l.Line, l.Col}, "offset %d", l.Off)
}

// TestJSONCommentRecords: a comment before the first element of an array
// of objects in the top-level object does not hide that its elements are
// the records (record rules: a birth date makes only its own record's
// subject a minor); a comment before an element is read at the array's
// path in that element's record.
func TestJSONCommentRecords(t *testing.T) {
	t.Parallel()
	doc := "{\"users\": [ // people\n /* " + jsoncMail + " */\n" +
		"{\"phone\": \"" + jsoncMobile + "\", \"dob\": \"2015-03-01\"}, {\"email\": \"" + jsoncMail + "\", \"dob\": \"1990-01-01\"}]}"
	sink := run(t, &scannertest.MemSource{Files: map[string][]byte{"users.json": []byte(doc)}}, scanner.Config{Workers: 1})
	r := sink.ByName("users.json")
	require.NotNil(t, r)
	assert.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)
	var got []loc
	for _, l := range locs(r) {
		got = append(got, loc{Type: l.Type, Field: l.Field, Record: l.Record, Minor: l.Minor})
		checkAt(t, doc, l)
	}
	assert.Equal(t, []loc{
		{Type: "email", Field: "$.users", Record: 0, Minor: true},
		{Type: "cn_mobile", Field: "$.users[*].phone", Record: 0, Minor: true},
		{Type: "email", Field: "$.users[*].email", Record: 1},
	}, got)
}
