package scanner_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestJSONScalarArrayInRecord checks the record grouping of a JSON
// document: an array of numbers or strings in a top-level object is a value
// of the document's record, so record rules (here: a birth date making its
// subject a minor) see the fields before and after it; the first array of
// objects is still the list of records.
func TestJSONScalarArrayInRecord(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, doc string
		want      []loc // Type, Record and Minor only
	}{
		{"strings before the birth date",
			`{"姓名":"王小明","tags":["a","b"],"birth_date":"2015-03-01","phone":"13812348000"}`,
			[]loc{{Type: "person_name", Record: -1, Minor: true}, {Type: "cn_mobile", Record: -1, Minor: true}}},
		{"numbers before the birth date",
			`{"phone":"13812348000","scores":[1,2,3],"dob":"2015-03-01"}`,
			[]loc{{Type: "cn_mobile", Record: -1, Minor: true}}},
		{"empty array",
			`{"phone":"13812348000","tags":[],"dob":"2015-03-01"}`,
			[]loc{{Type: "cn_mobile", Record: -1, Minor: true}}},
		{"records after a scalar array",
			`{"tags":["x"],"patients":[{"phone":"13812348000","dob":"2015-03-01"},{"email":"a.b@example.com","dob":"1990-01-01"}]}`,
			[]loc{{Type: "cn_mobile", Record: 0, Minor: true}, {Type: "email", Record: 1}}},
		{"top-level array of objects",
			`[{"phone":"13812348000","dob":"2015-03-01"},{"email":"a.b@example.com"}]`,
			[]loc{{Type: "cn_mobile", Record: 0, Minor: true}, {Type: "email", Record: 1}}},
	}
	files := map[string][]byte{}
	for i, tc := range cases {
		files[string(rune('a'+i))+".json"] = []byte(tc.doc)
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := sink.ByName(string(rune('a'+i)) + ".json")
			require.NotNil(t, r)
			var got []loc
			for _, l := range locs(r) {
				got = append(got, loc{Type: l.Type, Record: l.Record, Minor: l.Minor})
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestJSONEmbeddings checks face features in JSON documents: a text or
// product embedding is not one, an embedding next to a user id is.
func TestJSONEmbeddings(t *testing.T) {
	t.Parallel()
	vec := func(n int) string {
		s := "["
		for i := range n {
			if i > 0 {
				s += ","
			}
			s += strconv.FormatFloat(float64(i%97-48)/211, 'f', 6, 64)
		}
		return s + "]"
	}
	cases := map[string]struct {
		doc  string
		face int
	}{
		"text.json":    {`{"doc_id":"d1","text_embedding":` + vec(384) + `}`, 0},
		"product.json": {`{"product_id":"p1","embedding":` + vec(384) + `}`, 0},
		"user.json":    {`{"user_id":"u1","embedding":` + vec(512) + `}`, 1},
		"face.json":    {`{"id":"x","face_embedding":` + vec(128) + `}`, 1},
		"users.json":   {`[{"user_id":"u1","embedding":` + vec(64) + `},{"user_id":"u2","embedding":` + vec(64) + `}]`, 2},
		"docs.jsonl":   {`{"doc_id":"d1","embedding":` + vec(64) + "}\n" + `{"doc_id":"d2","embedding":` + vec(64) + "}\n", 0},
	}
	files := map[string][]byte{}
	for name, tc := range cases {
		files[name] = []byte(tc.doc)
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for name, tc := range cases {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		n := 0
		for _, l := range locs(r) {
			if l.Type == "face_feature" {
				n++
			}
		}
		assert.Equal(t, tc.face, n, name)
	}
}

// TestJSONKeyOrder checks the fields of JSON Lines records whose keys come
// in changing orders, as prefixes of one another, escaped, repeated and
// one level down: the parser matches a key against the members that came
// next before, and each value must still get its own key's path.
func TestJSONKeyOrder(t *testing.T) {
	t.Parallel()
	lines := []struct{ doc, fields string }{
		{`{"a":"13812348000","ab":"13812348001"}`, "$.a $.ab"},
		{`{"ab":"13812348002","a":"13812348003"}`, "$.ab $.a"},
		{`{"a\u0062":"13812348004","a\"":"13812348005"}`, `$.ab $.a"`},
		{`{"a":"x","a":"13812348006"}`, "$.a"},
		{`{"a":1,"abc":"13812348007"}`, "$.abc"},
		{`{"a":1,"ab":"13812348008"}`, "$.ab"},
		{`{"a":{"a":"13812348009","ab":"13812348010"},"ab":"13812348011"}`, "$.a.a $.a.ab $.ab"},
		{`{"ab" : "13812348012", "a":"13812348013"}`, "$.ab $.a"},
		{`{"a":"13812348014","ab":"13812348015"}`, "$.a $.ab"},
		// Keys that fill one word with their quote, two, and more than
		// two, alike but for their last byte, in both orders.
		{`{"abcdef1":"13812348016","abcdef2":"13812348017"}`, "$.abcdef1 $.abcdef2"},
		{`{"abcdef2":"13812348018","abcdef1":"13812348019"}`, "$.abcdef2 $.abcdef1"},
		{`{"abcdefghijklmn1":"13812348020","abcdefghijklmn2":"13812348021"}`, "$.abcdefghijklmn1 $.abcdefghijklmn2"},
		{`{"abcdefghijklmn2":"13812348022","abcdefghijklmn1":"13812348023"}`, "$.abcdefghijklmn2 $.abcdefghijklmn1"},
		{`{"abcdefghijklmno1":"13812348024","abcdefghijklmno2":"13812348025"}`, "$.abcdefghijklmno1 $.abcdefghijklmno2"},
		{`{"abcdefghijklmno2":"13812348026","abcdefghijklmno1":"13812348027"}`, "$.abcdefghijklmno2 $.abcdefghijklmno1"},
		{`{"abcdefghijklmn":"13812348028","abcdefghijklmn1":"13812348029"}`, "$.abcdefghijklmn $.abcdefghijklmn1"},
	}
	var doc strings.Builder
	var want []loc
	for i, l := range lines {
		base := doc.Len()
		doc.WriteString(l.doc + "\n")
		fields := strings.Fields(l.fields)
		for k, at := 0, 0; k < len(fields); k++ {
			j := strings.Index(l.doc[at:], `"138123480`) + at + 1
			want = append(want, loc{Type: "cn_mobile", Line: int64(i + 1), Col: int64(j + 1), Record: int64(i), Field: fields[k], Off: int64(base + j), Len: 11})
			at = j + 11
		}
	}
	sink := run(t, &scannertest.MemSource{Files: map[string][]byte{"k.jsonl": []byte(doc.String())}}, scanner.Config{Workers: 1})
	r := sink.ByName("k.jsonl")
	require.NotNil(t, r)
	assert.Equal(t, scanner.StatusComplete, r.Status)
	assert.Equal(t, want, locs(r))
}

// TestJSONRows checks the paths of the cells of JSON rows (the arrays
// that are records: elements of the records array, lines of JSON Lines):
// each cell is at its position, a run of numbers at its first number's,
// or at the row's own path when it is the whole row (a coordinate pair);
// arrays that are not records keep [*], as do cells past the
// MaxJSONRowColumns first.
func TestJSONRows(t *testing.T) {
	t.Parallel()
	const m = `"13812348000"`
	wide := func(at int) string {
		cells := make([]string, 300)
		for i := range cells {
			cells[i] = `"x"`
		}
		cells[at] = m
		return "[[" + strings.Join(cells, ",") + "]]"
	}
	cases := []struct {
		name, file, doc string
		want            []string // data type and field of each finding
	}{
		{"a cell", "a.json", `[["x",` + m + `]]`, []string{"cn_mobile $[*][1]"}},
		{"after a run of numbers", "b.json", `[[1,2,` + m + `]]`, []string{"cn_mobile $[*][2]"}},
		{"in an object in a row", "c.json", `[["x",{"tel":` + m + `}]]`, []string{"cn_mobile $[*][1].tel"}},
		{"in an array in a row", "d.json", `[["x",[` + m + `]]]`, []string{"cn_mobile $[*][1][*]"}},
		{"records after other members", "e.json", `{"n":1,"data":[[` + m + `]]}`, []string{"cn_mobile $.data[*][0]"}},
		{"a line of JSON Lines", "f.jsonl", `["a",` + m + "]\n" + `{"a":[` + m + "]}\n", []string{"cn_mobile $[1]", "cn_mobile $.a[*]"}},
		{"an array in a record is no row", "g.json", `[{"tags":[[` + m + `]]}]`, []string{"cn_mobile $[*].tags[*][*]"}},
		{"the last column named", "h.json", wide(255), []string{"cn_mobile $[*][255]"}},
		{"past the last column named", "i.json", wide(299), []string{"cn_mobile $[*][*]"}},
		{"rows of coordinate pairs", "j.json", `{"route":[[116.397128,39.916527],[121.473701,31.230416]]}`,
			[]string{"gps_coordinate $.route[*]", "gps_coordinate $.route[*]"}},
		{"a pair and a cell", "k.json", `[[116.397128,39.916527,` + m + `]]`, []string{"gps_coordinate $[*][0]", "cn_mobile $[*][2]"}},
		{"a header line of JSON Lines", "l.jsonl", "[\"name\",\"passport_no\"]\n[\"Alice Walker\",\"E12345678\"]\n[1]\n[\"name\",\"passport_no\"]\n[\"Bob Stone\",\"G23456789\"]\n",
			[]string{"person_name $[0]", "cn_passport $[1]", "person_name $[0]", "cn_passport $[1]"}},
		{"no header line after the first", "m.jsonl", "[1]\n[\"name\",\"passport_no\"]\n[\"Alice Walker\",\"E12345678\"]\n", nil},
	}
	files := map[string][]byte{}
	for _, tc := range cases {
		files[tc.file] = []byte(tc.doc)
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := sink.ByName(tc.file)
			require.NotNil(t, r)
			var got []string
			for _, l := range locs(r) {
				got = append(got, l.Type+" "+l.Field)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestJSONColumnLists: the column names a JSON table lists before its
// rows (pandas' orient "split", ClickHouse's JSONCompact "meta", SQL APIs'
// "columns" of objects) describe the rows' cells, which keep their paths:
// a Latin name in a "name" column and a passport number in a
// "passport_no" column, which no value alone gives away, are found. A list
// after the rows, or one of numbers, names nothing. So does a header row
// (a spreadsheet API's "values"): a first row of strings, one of them a
// label the rules know.
func TestJSONColumnLists(t *testing.T) {
	t.Parallel()
	const rows = `[["Alice Walker","E12345678","13812348000"],["Bob Stone","G23456789","13912345678"]]`
	named := []string{
		"person_name $.data[*][0] name_shape,companion", "cn_passport $.data[*][1] format,field:passport_no", "cn_mobile $.data[*][2] format,field:phone",
		"person_name $.data[*][0] name_shape,companion", "cn_passport $.data[*][1] format,field:passport_no", "cn_mobile $.data[*][2] format,field:phone",
	}
	unnamed := []string{"cn_mobile $.data[*][2] format", "cn_mobile $.data[*][2] format"}
	cases := []struct {
		name, doc string
		want      []string // data type, field and evidence of each finding
	}{
		{"pandas split", `{"columns":["name","passport_no","phone"],"index":[0,1],"data":` + rows + `}`, named},
		{"meta objects", `{"meta":[{"name":"name","type":"String"},{"type":"String","name":"passport_no"},{"name":"phone"}],"data":` + rows + `,"rows":2}`, named},
		{"escaped labels", `{"Columns":["na\u006de","passport_no","ph\u006fne"],"data":` + rows + `}`, named},
		{"a list after the rows", `{"data":` + rows + `,"columns":["name","passport_no","phone"]}`, unnamed},
		{"labels that are numbers", `{"columns":[0,1,"2"],"data":` + rows + `}`, unnamed},
		{"a list in a nested object", `{"a":{"columns":["name","passport_no","phone"]},"data":` + rows + `}`, unnamed},
		{"a header row", `{"range":"A1:C3","values":[["Name"," passport_no","phone"],` + rows[1:] + `}`, []string{
			"person_name $.values[*][0] name_shape,companion", "cn_passport $.values[*][1] format,field:passport_no", "cn_mobile $.values[*][2] format,field:phone",
			"person_name $.values[*][0] name_shape,companion", "cn_passport $.values[*][1] format,field:passport_no", "cn_mobile $.values[*][2] format,field:phone"}},
		{"a header row with a number", `{"values":[["name","passport_no",3],` + rows[1:] + `}`,
			[]string{"cn_mobile $.values[*][2] format", "cn_mobile $.values[*][2] format"}},
		{"a header row with a comment", `{"values":[["name","passport_no","phone" /* x */],` + rows[1:] + `}`,
			[]string{"cn_mobile $.values[*][2] format", "cn_mobile $.values[*][2] format"}},
		{"a first row without a known label", `{"values":[["Alice Walker","E12345678","x"],` + rows[1:] + `}`,
			[]string{"cn_mobile $.values[*][2] format", "cn_mobile $.values[*][2] format"}},
		{"a header row after a column list", `{"columns":["a","b","c"],"values":[["name","passport_no","phone"],` + rows[1:] + `}`,
			[]string{"cn_mobile $.values[*][2] format", "cn_mobile $.values[*][2] format"}},
	}
	files := map[string][]byte{}
	for i, tc := range cases {
		files[fmt.Sprintf("%d.json", i)] = []byte(tc.doc)
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := sink.ByName(fmt.Sprintf("%d.json", i))
			require.NotNil(t, r)
			var got []string
			for _, f := range r.Findings {
				if f.Field != nil && (strings.HasPrefix(*f.Field, "$.data") || strings.HasPrefix(*f.Field, "$.values")) {
					got = append(got, f.DataType+" "+*f.Field+" "+f.Evidence)
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
