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

// TestJSONKeys: an object keyed by phone number, e-mail or ID number
// holds personal values in its keys; they are found at the path of the
// object that holds them, with the key's offsets. Field names (with or
// without digits) are not reported.
func TestJSONKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, doc string
		want            []loc
	}{
		{
			name: "nested object", file: "a.json",
			doc: `{"users":{"13812348000":{"name":"x"},"zhang.san@example.com":1,"11010519491231002X":{"a":1}}}`,
			want: []loc{
				{Type: "cn_mobile", Line: 1, Col: 12, Record: -1, Field: "$.users", Off: 11, Len: 11},
				{Type: "email", Line: 1, Col: 39, Record: -1, Field: "$.users", Off: 38, Len: 21},
				{Type: "cn_resident_id", Line: 1, Col: 65, Record: -1, Field: "$.users", Off: 64, Len: 18},
			},
		},
		{
			name: "full-width", file: "w.json",
			doc:  `{"users":{"１３８１２３４８０００":1,"（备注）":2}}`,
			want: []loc{{Type: "cn_mobile", Line: 1, Col: 12, Record: -1, Field: "$.users", Off: 11, Len: 33}},
		},
		{
			// A full-width key is data: the path of what is under it
			// must not spell it.
			name: "full-width key above a value", file: "w2.json",
			doc: `{"users":{"１３８１２３４８０００":{"email":"zhang.san@example.com"}}}`,
			want: []loc{
				{Type: "cn_mobile", Line: 1, Col: 12, Record: -1, Field: "$.users", Off: 11, Len: 33},
				{Type: "email", Line: 1, Col: 35, Record: -1, Field: "$.users.*.email", Off: 56, Len: 21},
			},
		},
		{
			name: "top level", file: "b.json",
			doc:  `{"13812348000":"x"}`,
			want: []loc{{Type: "cn_mobile", Line: 1, Col: 3, Record: -1, Field: "$", Off: 2, Len: 11}},
		},
		{
			name: "pretty printed", file: "c.json",
			doc:  "{\n  \"idx\": {\n    \"13812348000\": [1, 2]\n  }\n}\n",
			want: []loc{{Type: "cn_mobile", Line: 3, Col: 6, Record: -1, Field: "$.idx", Off: 18, Len: 11}},
		},
		{
			name: "records", file: "d.json",
			doc: `[{"m":{"13812348000":1}},{"m":{"a.b@example.com":2}}]`,
			want: []loc{
				{Type: "cn_mobile", Line: 1, Col: 9, Record: 0, Field: "$[*].m", Off: 8, Len: 11},
				{Type: "email", Line: 1, Col: 33, Record: 1, Field: "$[*].m", Off: 32, Len: 15},
			},
		},
		{
			name: "escaped", file: "e.json",
			doc: `{"\u0031\u0033812348000":1,"zhang.san\u0040example.com":2}`,
			want: []loc{
				// Offsets, lengths and columns count the escapes' bytes.
				{Type: "cn_mobile", Line: 1, Col: 3, Record: -1, Field: "$", Off: 2, Len: 21},
				{Type: "email", Line: 1, Col: 29, Record: -1, Field: "$", Off: 28, Len: 26},
			},
		},
		{
			name: "key and value", file: "f.json",
			doc: `{"13812348000":"13912345678"}`,
			want: []loc{
				{Type: "cn_mobile", Line: 1, Col: 3, Record: -1, Field: "$", Off: 2, Len: 11},
				{Type: "cn_mobile", Line: 1, Col: 17, Record: -1, Field: "$.*", Off: 16, Len: 11},
			},
		},
		{
			// A member name that is data is the member * of its object's
			// path (as array elements are [*]); other names stay.
			name: "data keys are *", file: "i.json",
			doc: `{"u":{"13812348000":{"tel":"13912345678"},"a@b.cn":{"tel":"13912345679"},"7":{"tel":"13912345670"}},"v2":{"tel":"13912345671"}}`,
			want: []loc{
				{Type: "cn_mobile", Line: 1, Col: 8, Record: -1, Field: "$.u", Off: 7, Len: 11},
				{Type: "cn_mobile", Line: 1, Col: 29, Record: -1, Field: "$.u.*.tel", Off: 28, Len: 11},
				{Type: "email", Line: 1, Col: 44, Record: -1, Field: "$.u", Off: 43, Len: 6},
				{Type: "cn_mobile", Line: 1, Col: 60, Record: -1, Field: "$.u.*.tel", Off: 59, Len: 11},
				{Type: "cn_mobile", Line: 1, Col: 86, Record: -1, Field: "$.u.*.tel", Off: 85, Len: 11},
				{Type: "cn_mobile", Line: 1, Col: 114, Record: -1, Field: "$.v2.tel", Off: 113, Len: 11},
			},
		},
		{
			name: "json lines", file: "g.jsonl",
			doc: "{\"13812348000\":{\"n\":1}}\n{\"a\":{\"11010519491231002X\":true}}\n",
			want: []loc{
				{Type: "cn_mobile", Line: 1, Col: 3, Record: 0, Field: "$", Off: 2, Len: 11},
				{Type: "cn_resident_id", Line: 2, Col: 8, Record: 1, Field: "$.a", Off: 31, Len: 18},
			},
		},
		{
			name: "field names", file: "h.json",
			doc: `{"phone":"x","2024":1,"id_1":2,"v2":{"k3":"y","2023-01-01":3},"email":null,"user@":1,` +
				`"diagnosis":{"icd10":null,"visit2":null},"ethnicity":{"han1":null},"name":{"first1":null}}`,
		},
	}
	files := map[string][]byte{}
	for _, tt := range tests {
		files[tt.file] = []byte(tt.doc)
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sink.ByName(tt.file)
			require.NotNil(t, r)
			assert.Equal(t, scanner.StatusComplete, r.Status)
			assert.Equal(t, tt.want, locs(r))
		})
	}
}

// TestJSONKeysAcrossWindow puts keys across the end of the parser's first
// window, at every split, plain and escaped, in JSON and JSON Lines, read
// whole and one byte at a time.
func TestJSONKeysAcrossWindow(t *testing.T) {
	t.Parallel()
	keys := []string{`13812348000`, `\u0031\u0033812348000`, `138123\u00348000`}
	files := map[string][]byte{}
	want := map[string]int64{} // file: offset of the phone number
	for k, key := range keys {
		for split := 0; split <= len(key)+2; split++ {
			for _, lines := range []bool{false, true} {
				at := scanner.WindowMin - split // the key's opening quote
				var b strings.Builder
				b.WriteString(`{"p":[`)
				if lines {
					b.Reset()
					for b.Len()+40 < at-2000 {
						b.WriteString("{\"v\":\"" + strings.Repeat("y", 30) + "\"}\n")
					}
					b.WriteString(`{"p":[`)
				}
				for b.Len()+1010 < at {
					b.WriteString(`"` + strings.Repeat("x", 1000) + `",`)
				}
				b.WriteString(`"` + strings.Repeat("x", at-b.Len()-4) + `"],`)
				require.Equal(t, at, b.Len())
				b.WriteString(`"` + key + `":1}` + "\n")
				name := fmt.Sprintf("k%d-s%d.json", k, split)
				if lines {
					name += "l"
				}
				files[name] = []byte(b.String())
				want[name] = int64(at + 1)
			}
		}
	}
	for rname, wrap := range readers() {
		t.Run(rname, func(t *testing.T) {
			t.Parallel()
			for name, data := range files {
				// One object per run: its window is the first, not a
				// grown one left by an earlier object.
				src := &scannertest.MemSource{Files: map[string][]byte{name: data}, Reader: wrap}
				r := run(t, src, scanner.Config{Workers: 1}).ByName(name)
				got := locs(r)
				if assert.Len(t, got, 1, name) {
					assert.Equal(t, "cn_mobile", got[0].Type, name)
					assert.Equal(t, want[name], got[0].Off, name)
					assert.Equal(t, "$", got[0].Field, name)
				}
			}
		})
	}
}
