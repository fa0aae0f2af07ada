package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestRedactJSONKeys: keys holding personal values (objects keyed by
// phone number or e-mail) are replaced where the scan reports them, as
// strings with their other escapes kept; every other byte, field names
// with digits included, stays.
func TestRedactJSONKeys(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, file, in, want string }{
		{name: "nested", file: "a.json",
			in:   `{"users": {"` + rawMobile + `": {"name": "x"}, "` + rawEmail + `": 1}, "phone": "x", "2024": 1, "id_1": [2]}`,
			want: `{"users": {"138****8000": {"name": "x"}, "z****.***@example.com": 1}, "phone": "x", "2024": 1, "id_1": [2]}`},
		{name: "pretty records", file: "b.json",
			in:   "[\n  {\"m\": {\n    \"" + rawMobile + "\" : true\n  }},\n  {\"m\": {\"v2\": null}}\n]\n",
			want: "[\n  {\"m\": {\n    \"138****8000\" : true\n  }},\n  {\"m\": {\"v2\": null}}\n]\n"},
		{name: "escaped", file: "c.json",
			in:   `{"\u0031\u0033` + rawMobile[2:] + `": 1, "tel \"` + rawMobile + `\"": 2, "zhang.san\u0040example.com": 3}`,
			want: `{"138****8000": 1, "tel \"138****8000\"": 2, "z****.***@example.com": 3}`},
		{name: "key and value", file: "d.json",
			in:   `{"` + rawMobile + `": "` + rawMobile + `"}`,
			want: `{"138****8000": "138****8000"}`},
		{name: "json lines", file: "e.jsonl",
			in:   `{"` + rawMobile + `":{"n":1}}` + "\n" + `{"a":{"` + rawEmail + `":true},"k3":0}` + "\r\n",
			want: `{"138****8000":{"n":1}}` + "\n" + `{"a":{"z****.***@example.com":true},"k3":0}` + "\r\n"},
		// Two keys can become one after masking: JSON allows duplicate
		// keys, and the copy keeps both members (doc.go).
		{name: "keys that mask alike", file: "f.json",
			in:   `{"13812348000":1,"13898768000":2}`,
			want: `{"138****8000":1,"138****8000#2":2}`}, // kept distinct (keyed.go)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string][]byte{tt.file: []byte(tt.in)}
			dst, tally := redactFiles(t, Config{}, files)
			assert.Equal(t, tt.want, string(readFile(t, dst, tt.file)))
			assert.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
			one, _ := redactSource(t, Config{}, &scannertest.MemSource{Files: files, Reader: iotest.OneByteReader})
			assert.Equal(t, tt.want, string(readFile(t, one, tt.file)), "one byte reads")
		})
	}
}

// TestRedactJSONKeysCopy redacts generated documents keyed by phone, e-mail
// and ID numbers (plain and escaped, long enough to cross the read
// buffers): the copy holds no raw value, parses as JSON with the same
// tokens but the replaced ones, and a scan of it finds nothing at S3 or S4.
func TestRedactJSONKeysCopy(t *testing.T) {
	t.Parallel()
	raws := []string{rawMobile, rawEmail, rawID, "11010519491231002X"}
	escape := func(s string) string { // every digit as \u00XX
		var b strings.Builder
		for _, c := range s {
			if c >= '0' && c <= '9' {
				fmt.Fprintf(&b, `\u%04x`, c)
			} else {
				b.WriteRune(c)
			}
		}
		return b.String()
	}
	var doc, lines strings.Builder
	doc.WriteString("{\"index\": {\n")
	for i := range 3000 {
		k := raws[i%len(raws)]
		if i%3 == 1 {
			k = escape(k)
		}
		if i > 0 {
			doc.WriteString(",\n")
		}
		fmt.Fprintf(&doc, "  \"%s\": {\"seq_%d\": %d, \"pad\": \"%s\"}", k, i, i, strings.Repeat("p", i%50))
		fmt.Fprintf(&lines, "{\"n\":%d,\"by_key\":{\"%s\":{\"v1\":%d}}}\n", i, k, i)
	}
	doc.WriteString("\n}}\n")
	files := map[string][]byte{"keys.json": []byte(doc.String()), "keys.jsonl": []byte(lines.String())}
	dst, tally := redactFiles(t, Config{}, files)
	require.Equal(t, int64(len(files)), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	for name, in := range files {
		out := readFile(t, dst, name)
		for _, v := range raws {
			assert.NotContains(t, string(out), v, name)
		}
		docsIn, docsOut := jsonDocs(name, in), jsonDocs(name, out)
		require.Len(t, docsOut, len(docsIn), name)
		for i := range docsIn {
			require.True(t, json.Valid(docsOut[i]), "%s document %d", name, i)
			tin, tout := jsonTokens(t, docsIn[i]), jsonTokens(t, docsOut[i])
			require.Len(t, tout, len(tin), "%s document %d", name, i)
			for j := range tin {
				s, _ := tin[j].(string)
				if !strings.ContainsAny(s, "@0123456789") {
					assert.Equal(t, tin[j], tout[j], "%s document %d token %d", name, i, j)
				}
				if o, _ := tout[j].(string); containsAny(o, raws) {
					t.Errorf("%s document %d token %d keeps a raw value", name, i, j)
				}
			}
		}
	}
	for _, f := range rescan(t, dst) {
		assert.NotContains(t, []string{"S3", "S4"}, f.Sensitivity, "%s %s %s", f.Object, f.DataType, f.MaskedValue)
	}
}

// jsonTokens lists a document's tokens, keys included.
func jsonTokens(t *testing.T, b []byte) []json.Token {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out []json.Token
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, tok)
	}
}

func containsAny(s string, vs []string) bool {
	for _, v := range vs {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}

// TestRedactJSONKeysStayDistinct: keys masked alike (138****5678) stay
// distinct within their object, "#2", "#3" appended, so that a reader
// keeps every entry; keys of different objects are left alone, and so is
// an object larger than one batch of the rewriter.
func TestRedactJSONKeysStayDistinct(t *testing.T) {
	t.Parallel()
	small := `{"hosts":{"10.20.1.5":{"cpu":91},"10.20.7.9":{"cpu":12}},"by_phone":{"13812345678":"a","13899995678":"b"},"other":{"13800005678":"c"}}` + "\n"
	var big strings.Builder
	big.WriteString(`{"by_phone":{`)
	const n = 5000
	for i := range n {
		if i > 0 {
			big.WriteByte(',')
		}
		fmt.Fprintf(&big, `"138%04d5678":%d`, i, i) // all masked to 138****5678
	}
	big.WriteString("}}\n")
	lines := `{"13812345678":1}` + "\n" + `{"13899995678":2}` + "\n"
	dst, _ := redactFiles(t, Config{}, map[string][]byte{"s.json": []byte(small), "b.json": []byte(big.String()), "l.jsonl": []byte(lines)})

	assert.Equal(t, `{"hosts":{"10.20.*.*":{"cpu":91},"10.20.*.*#2":{"cpu":12}},"by_phone":{"138****5678":"a","138****5678#2":"b"},"other":{"138****5678":"c"}}`+"\n",
		string(readFile(t, dst, "s.json")))
	assert.Equal(t, `{"138****5678":1}`+"\n"+`{"138****5678":2}`+"\n", string(readFile(t, dst, "l.jsonl")), "one object per line")

	var doc struct {
		ByPhone map[string]int `json:"by_phone"`
	}
	require.NoError(t, json.Unmarshal(readFile(t, dst, "b.json"), &doc))
	assert.Len(t, doc.ByPhone, n, "every entry kept")
	seen := map[int]bool{}
	for _, v := range doc.ByPhone {
		seen[v] = true
	}
	assert.Len(t, seen, n)
}

// TestRedactJSONHugeObjectBounded: a document that is one object keyed by
// phone numbers (6 MB, one record) is classified in batches of about
// maxPending, not held whole, and every entry survives distinct. Not
// parallel: flushHook sees every rewriter of the package.
func TestRedactJSONHugeObjectBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	const n = 200_000
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"1380%07d":{"v":%d}`, i, i)
	}
	b.WriteString("}\n")
	var mu sync.Mutex
	maxValues, maxOut, flushes := 0, 0, 0
	flushHook = func(values, pending int) {
		mu.Lock()
		defer mu.Unlock()
		maxValues, maxOut, flushes = max(maxValues, values), max(maxOut, pending), flushes+1
	}
	t.Cleanup(func() { flushHook = nil })
	dst, _ := redactFiles(t, Config{}, map[string][]byte{"big.json": []byte(b.String())})
	assert.Greater(t, flushes, 4, "a %d MB object is classified in parts", b.Len()>>20)
	assert.LessOrEqual(t, maxValues, 2*maxPending, "values held at once")
	assert.LessOrEqual(t, maxOut, 2*maxPending, "output pending at once")

	var doc map[string]struct{ V int }
	require.NoError(t, json.Unmarshal(readFile(t, dst, "big.json"), &doc))
	seen := map[int]bool{}
	for k, v := range doc {
		assert.NotContains(t, k, "1380000", "key replaced")
		seen[v.V] = true
	}
	assert.Len(t, seen, n, "every entry kept under a distinct key")
}
