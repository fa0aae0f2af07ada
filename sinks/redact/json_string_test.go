package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// escaped writes s as \uXXXX escapes, as a legacy-encoded document holds
// characters its encoding lacks.
func escaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, "\\u%04x", r)
	}
	return b.String()
}

// TestRedactLegacyJSONEscapes rewrites JSON in Latin-1 (and GB18030)
// whose strings hold \uXXXX escapes of characters the encoding lacks: the
// copy keeps those escapes as they were, writes replacements the encoding
// cannot hold as escapes, and stays valid JSON in its encoding.
func TestRedactLegacyJSONEscapes(t *testing.T) {
	t.Parallel()
	latin1 := func(b []byte) ([]byte, error) { return charmap.ISO8859_1.NewDecoder().Bytes(b) }
	gb := func(b []byte) ([]byte, error) { return simplifiedchinese.GB18030.NewDecoder().Bytes(b) }
	mobileEsc := escaped(rawMobile) // PII that is itself escaped
	tests := []struct {
		name, file, in, want, encoding string
		decode                         func([]byte) ([]byte, error)
	}{
		{name: "latin-1 json", file: "l.json", encoding: scanner.EncLatin1, decode: latin1,
			in: "{\"who\":\"Zo\xeb \xff\",\"note\":\"\\u5ba2\\u6237 tel " + rawMobile + " \\ud83d\\ude00\\t\xe9\"," +
				"\"name\":\"\\u5f20\\u4e09\",\"esc\":\"" + mobileEsc + "\",\"keep\":\"\\u5ba2\\/\"}\n",
			want: "{\"who\":\"Zo\xeb \xff\",\"note\":\"\\u5ba2\\u6237 tel 138****8000 \\ud83d\\ude00\\t\xe9\"," +
				"\"name\":\"\\u5f20*\",\"esc\":\"138****8000\",\"keep\":\"\\u5ba2\\/\"}\n"},
		{name: "latin-1 jsonl", file: "l.jsonl", encoding: scanner.EncLatin1, decode: latin1,
			in: "{\"who\":\"Ren\xe9\",\"note\":\"\\u624b\\u673a\\uff1a" + rawMobile + "\"}\n" +
				"{\"name\":\"\\u5f20\\u4e09\",\"tel\":\"" + rawMobile + "\"}\n" + "{\"esc\":\"x " + mobileEsc + " \\u00e9\",\"k\":\"\\ud83d\\ude00\"}\n",
			want: "{\"who\":\"Ren\xe9\",\"note\":\"\\u624b\\u673a\\uff1a138****8000\"}\n" +
				"{\"name\":\"\\u5f20*\",\"tel\":\"138****8000\"}\n" + "{\"esc\":\"x 138****8000 \\u00e9\",\"k\":\"\\ud83d\\ude00\"}\n"},
		{name: "gb18030 json keeps its escapes", file: "g.json", encoding: scanner.EncGB18030, decode: gb,
			in:   gbk(t, "{\"客户\":\"王五\",\"note\":\"\\u5ba2\\u6237 电话 "+rawMobile+"\",\"esc\":\""+mobileEsc+"\"}\n"),
			want: gbk(t, "{\"客户\":\"王*\",\"note\":\"\\u5ba2\\u6237 电话 138****8000\",\"esc\":\"138****8000\"}\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string][]byte{tt.file: []byte(tt.in)}
			var enc string
			dst, tally := redactFiles(t, Config{OnResult: func(r *Result) { enc = r.Encoding }}, files)
			out := readFile(t, dst, tt.file)
			assert.Equal(t, tt.want, string(out))
			assert.Equal(t, tt.encoding, enc)
			assert.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
			u, err := tt.decode(out)
			require.NoError(t, err)
			for _, doc := range jsonDocs(tt.file, u) {
				var v any
				require.NoError(t, json.Unmarshal(doc, &v), "copy is not valid JSON")
				flat, err := json.Marshal(v) // unescaped by the round trip
				require.NoError(t, err)
				assert.NotContains(t, string(flat), rawMobile)
			}
			assert.NotContains(t, string(out), "\x1a")
			one, _ := redactSource(t, Config{}, &scannertest.MemSource{Files: files, Reader: iotest.OneByteReader})
			assert.Equal(t, tt.want, string(readFile(t, one, tt.file)), "one byte reads")
		})
	}
}

// jsonDocs splits JSON Lines into documents.
func jsonDocs(name string, b []byte) [][]byte {
	if !strings.HasSuffix(name, ".jsonl") {
		return [][]byte{b}
	}
	return bytes.Split(bytes.TrimSpace(b), []byte("\n"))
}

func gbk(t testing.TB, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	require.NoError(t, err)
	return b
}
