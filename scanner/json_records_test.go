package scanner_test

import (
	"strconv"
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
