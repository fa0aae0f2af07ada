package redact

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// jsoncDoc is a tsconfig-like JSON document with comments and trailing
// commas that hold the test values in comments of every kind and place,
// and in values.
func jsoncDoc() string {
	return "// owner: " + rawEmail + ", " + rawMobile + "\r\n" +
		"/* maintainer\n   id " + rawID + " */\n" +
		"{\n" +
		"  \"compilerOptions\": {\n" +
		"    \"target\": \"es2020\", // on call " + rawMobile + "\n" +
		"    \"paths\" /* " + rawEmail + " */ : [\"src/*\", /* */ \"lib/*\",],\n" +
		"    \"contact\": \"" + rawMobile + "\",\n" +
		"    \"vec\": [1.5, 2.5 /* " + rawMobile + " */, 3.5],\n" +
		"  },\n" +
		"  \"users\": [ // " + rawEmail + "\n" +
		"    {\"phone\": \"" + rawMobile + "\"}, /* " + rawID + " */ {\"id\": \"" + rawID + "\"},\n" +
		"  ],\n" +
		"} // end " + rawMobile
}

// TestRedactJSONC: a JSON document with comments and trailing commas is
// rewritten as JSON (complete), not as text from its first comment on
// (partial): every byte but the values stays, comments and commas
// included, the values in comments are replaced as in text, the copy still
// parses as JSON with comments, and a rescan finds none of the originals.
func TestRedactJSONC(t *testing.T) {
	t.Parallel()
	src := jsoncDoc()
	sdir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(sdir, "tsconfig.json"), []byte(src), 0o600))
	reported := map[string]bool{}
	for _, f := range rescan(t, sdir) {
		reported[f.Fingerprint] = true
	}
	for _, raw := range []string{rawMobile, rawID, rawEmail} {
		require.True(t, reported[fingerprint(raw)], "the scan reports %s", raw[:3])
	}

	dst, tally := redactFiles(t, Config{}, map[string][]byte{"p/tsconfig.json": []byte(src)})
	assert.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	out := string(readFile(t, dst, "p/tsconfig.json"))

	// Everything but the values is kept byte for byte.
	raws := regexp.MustCompile(regexp.QuoteMeta(rawMobile) + "|" + regexp.QuoteMeta(rawEmail) + "|" + regexp.QuoteMeta(rawID))
	parts := raws.Split(src, -1)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	skeleton := regexp.MustCompile(`^` + strings.Join(parts, `([^\n/]+?)`) + `$`)
	m := skeleton.FindStringSubmatch(out)
	require.NotNil(t, m, "the copy keeps every byte but the values:\n%s", out)
	for _, v := range m[1:] {
		assert.NotContains(t, []string{rawMobile, rawEmail, rawID}, v)
	}

	// The copy parses as JSON with comments, and holds no original.
	assert.True(t, json.Valid(stripJSONC(out)), "%s", stripJSONC(out))
	sink := &scannertest.Sink{}
	_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "rescan", Workers: 1},
		&scannertest.MemSource{Files: map[string][]byte{"tsconfig.json": []byte(out)}}, engine(t), sink)
	require.NoError(t, err)
	require.Len(t, sink.Results, 1)
	assert.Equal(t, scanner.StatusComplete, sink.Results[0].Status, "%v", sink.Results[0].Err)
	for _, f := range sink.Results[0].Findings {
		assert.False(t, reported[f.Fingerprint], "an original %s value in the copy at %v", f.DataType, f.Field)
	}
}

// TestRedactJSONCommentStaysOne: a replacement that ends in the mask
// character before a '/' of a block comment's text, or one that would
// hold a line break, must not end the comment early: the copy still
// parses and keeps the rest of the comment in it.
func TestRedactJSONCommentStaysOne(t *testing.T) {
	t.Parallel()
	p := policy(t, "version: 1\ntypes:\n  cn_mobile: {operator: mask, keep_first: 3}\n")
	src := "{\"a\": 1 /* call " + rawMobile + "/ext 12 */, \"b\": 2}"
	dst, tally := redactFiles(t, Config{Policy: p}, map[string][]byte{"c.json": []byte(src)})
	assert.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	out := string(readFile(t, dst, "c.json"))
	assert.NotContains(t, out, rawMobile)
	assert.Equal(t, "{\"a\": 1 /* call 138******** /ext 12 */, \"b\": 2}", out)
	assert.True(t, json.Valid(stripJSONC(out)), out)

	assert.Equal(t, "x* /y* /", string(commentText(nil, []byte("x*/y*/"), slotBlockComment)))
	assert.Equal(t, "a b", string(commentText(nil, []byte("a\nb"), slotLineComment)))
}

// TestRedactJSONLinesStaysStrict: in JSON Lines a comment is no comment:
// such a line is rewritten as text, as the scanner reads it.
func TestRedactJSONLinesStaysStrict(t *testing.T) {
	t.Parallel()
	src := "{\"a\": \"" + rawMobile + "\"} // " + rawEmail + "\n{\"b\": 1}\n"
	dst, tally := redactFiles(t, Config{}, map[string][]byte{"e.jsonl": []byte(src)})
	assert.Equal(t, int64(1), tally.ByStatus[string(StatusPartial)], "%+v", tally.NotRewritten)
	out := string(readFile(t, dst, "e.jsonl"))
	assert.NotContains(t, out, rawMobile)
	assert.NotContains(t, out, rawEmail)
	assert.True(t, strings.HasSuffix(out, "\n{\"b\": 1}\n"), out)
}

// stripJSONC removes the comments and trailing commas of JSON with
// comments (a test's own reading, independent of the scanner's).
func stripJSONC(s string) []byte {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' {
					j++
				}
			}
			b = append(b, s[i:j+1]...)
			i = j
		case strings.HasPrefix(s[i:], "//"):
			for i < len(s) && s[i] != '\n' {
				i++
			}
			i--
		case strings.HasPrefix(s[i:], "/*"):
			i += 2 + strings.Index(s[i+2:], "*/") + 1
		case c == ',':
			rest := strings.TrimLeft(string(stripJSONC(s[i+1:])), " \t\r\n")
			if rest != "" && (rest[0] == '}' || rest[0] == ']') {
				continue
			}
			b = append(b, c)
		default:
			b = append(b, c)
		}
	}
	return b
}

// TestRedactJSONCommentInVector: a face embedding with a comment in it is
// not a whole array of numbers (which is replaced brackets included), so
// the comment's slot stays apart from the numbers' and is kept: the
// numbers become nulls, the comment loses its value only.
func TestRedactJSONCommentInVector(t *testing.T) {
	t.Parallel()
	nums := make([]string, 512)
	for i := range nums {
		nums[i] = strconv.FormatFloat(float64(i%97-48)/211, 'f', 6, 64)
	}
	src := `{"user_id":"u1","embedding":[ /* by ` + rawMobile + ` */ ` + strings.Join(nums, ",") + `]}`
	dst, tally := redactFiles(t, Config{}, map[string][]byte{"e.json": []byte(src)})
	assert.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	out := string(readFile(t, dst, "e.json"))
	assert.Equal(t, `{"user_id":"u1","embedding":[ /* by 138****8000 */ `+strings.TrimSuffix(strings.Repeat("null,", 512), ",")+`]}`, out)
}

// FuzzRedactJSONC: whatever the document, a copy of a JSON document the
// scanner reads whole (complete) is one the scanner reads whole too, and
// holds none of the values the scan of the original reports: comments,
// trailing commas and replaced values in comments keep it JSON with
// comments. `go test ./sinks/redact -fuzz FuzzRedactJSONC` explores it.
func FuzzRedactJSONC(f *testing.F) {
	for _, s := range []string{
		jsoncDoc(), "{\"a\": 1 /* call " + rawMobile + "/ext */}", "// " + rawEmail + "\n[1, /* */ 2,]",
		"{\"a\":[ /* " + rawMobile + " */ {\"b\":1}, ], }", "/* /* " + rawID + " */ {}", "{\"k\" // " + rawMobile + "\r\n:2}",
		"{\"columns\":[\"name\",\"passport\"],\"data\":[[\"Alice Walker\",\"E12345678\",\"" + rawMobile + "\"]]}",
		"{\"meta\":[{\"name\":\"na\\u006de\"},{\"name\":\"c1\"}],\"data\":[[\"Bob Stone\",\"张伟\"],[\"Al Ng\",\"" + rawMobile + "\"]]}",
		"{\"values\":[[\"name\",\"passport\" // c\n],[\"Bob Stone\",\"E12345678\"],[\"Al Ng\",\"" + rawMobile + "\"]]}",
		"[[\"Name\",\"Passport No\"],[\"Bob Stone\",\"E12345678\"]]",
	} {
		f.Add([]byte(s))
	}
	p := defaultPolicy(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		before := scanOne(t, data)
		if before.Status != scanner.StatusComplete || before.Format != "json" {
			return
		}
		dst, _ := redactFiles(t, Config{Policy: p, Workers: 1}, map[string][]byte{"f.json": data})
		out := readFile(t, dst, "f.json")
		after := scanOne(t, out)
		require.Equal(t, scanner.StatusComplete, after.Status, "%v\n%q\n%q", after.Err, data, out)
		orig := map[string]bool{}
		for _, fd := range before.Findings {
			orig[fd.Fingerprint] = true
		}
		for _, fd := range after.Findings {
			require.False(t, orig[fd.Fingerprint], "an original %s value in the copy\n%q\n%q", fd.DataType, data, out)
		}
	})
}

// scanOne scans one document named f.json.
func scanOne(t *testing.T, data []byte) *scanner.ObjectResult {
	t.Helper()
	sink := &scannertest.Sink{}
	_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "fuzz", Workers: 1},
		&scannertest.MemSource{Files: map[string][]byte{"f.json": data}}, engine(t), sink)
	require.NoError(t, err)
	require.Len(t, sink.Results, 1)
	return sink.Results[0]
}
