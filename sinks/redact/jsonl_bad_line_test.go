package redact

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonEscaped writes every character of v as a \uXXXX escape.
func jsonEscaped(v string) string {
	var sb strings.Builder
	for _, r := range v {
		fmt.Fprintf(&sb, `\u%04x`, r)
	}
	return sb.String()
}

// TestRedactJSONLinesBadLineKeepsParsedValues: a line of JSON Lines that
// stops parsing is read by the scanner as JSON up to the error (the values
// before it at their paths) and as text after it. The copy must replace
// what the scan reports there: rewriting the whole line as text missed a
// number glued to a letter (13812348000x) and a value written with escapes,
// which the scan reports at $.mobile and $.id, and kept them raw.
func TestRedactJSONLinesBadLineKeepsParsedValues(t *testing.T) {
	t.Parallel()
	src := `{"ok":1}` + "\n" +
		`{"mobile":` + rawMobile + `x,"email":"` + rawEmail + `"}` + "\n" +
		`{"id":"` + jsonEscaped(rawID) + `","note":"a" "b"}` + "\n" +
		`{"email":"` + rawEmail + `"}` + "\n"
	files := map[string][]byte{"e/events.jsonl": []byte(src)}

	// The scan reports the values of both bad lines.
	sdir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(sdir, "events.jsonl"), []byte(src), 0o600))
	reported := map[string]bool{}
	for _, f := range rescan(t, sdir) {
		reported[f.Fingerprint] = true
	}
	for _, raw := range []string{rawMobile, rawID, rawEmail} {
		require.True(t, reported[fingerprint(raw)], "the scan reports %s", raw[:3])
	}

	dst, tally := redactFiles(t, Config{}, files)
	assert.Equal(t, int64(1), tally.ByStatus[string(StatusPartial)], "%+v", tally.NotRewritten)
	out := string(readFile(t, dst, "e/events.jsonl"))
	for _, raw := range []string{rawMobile, rawEmail, rawID, jsonEscaped(rawID), jsonEscaped(rawID)[:6*17]} {
		assert.NotContains(t, out, raw)
	}
	assert.Equal(t, strings.Count(src, "\n"), strings.Count(out, "\n"), "one line per line")
	assert.Contains(t, out, `{"ok":1}`+"\n")
	assert.Contains(t, out, `{"mobile":null`, "a number that cannot hold its mask becomes null, as in a line that parses")
	assert.Contains(t, out, `x,"email":"z****.***@example.com"}`, "the rest of the line is rewritten as text")
	for _, f := range rescan(t, dst) {
		assert.False(t, reported[f.Fingerprint], "an original %s value in the copy", f.DataType)
	}
}

// TestRedactJSONLinesLongBadLine: a bad line long enough to be flushed
// part way (over maxPending of values) keeps what was written and
// rewrites the rest of itself as text, once.
func TestRedactJSONLinesLongBadLine(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	sb.WriteString(`{"ok":1}` + "\n" + `{"mails":[`)
	n := 0
	for ; sb.Len() < maxPending+maxPending/2; n++ {
		sb.WriteString(`"` + rawEmail + `",`)
	}
	sb.WriteString(`"x"],"mobile":` + rawMobile + `x,"note":"手机 ` + rawMobile + `"}` + "\n" + `{"email":"` + rawEmail + `"}` + "\n")
	src := sb.String()
	dst, tally := redactFiles(t, Config{}, map[string][]byte{"e/long.jsonl": []byte(src)})
	assert.Equal(t, int64(1), tally.ByStatus[string(StatusPartial)], "%+v", tally.NotRewritten)
	out := string(readFile(t, dst, "e/long.jsonl"))
	assert.NotContains(t, out, rawMobile)
	assert.NotContains(t, out, rawEmail)
	assert.Equal(t, n+1, strings.Count(out, "z****.***@example.com"), "each e-mail written once")
	assert.Equal(t, 3, strings.Count(out, "\n"))
	assert.True(t, strings.HasPrefix(out, `{"ok":1}`+"\n"+`{"mails":["z****.***@example.com",`))
	assert.True(t, strings.HasSuffix(out, `"x"],"mobile":null`+`x,"note":"手机 138****8000"}`+"\n"+`{"email":"z****.***@example.com"}`+"\n"), out[len(out)-200:])
}

// TestRedactJSONOpenString: a string cut by the end of the input or by a
// bad escape is read by the scanner as a value, what was decoded of it at
// its path (scanner/json_value.go closeOpen). Rewritten as text, its
// escapes were not read and an identity number written with \u escapes
// stayed in the copy.
func TestRedactJSONOpenString(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{
		"cut.json":    []byte(`{"mobile":"` + rawMobile + `","id":"` + jsonEscaped(rawID)),
		"bad.json":    []byte(`{"id":"` + jsonEscaped(rawID) + `\q 手机 ` + rawMobile + `"}`),
		"lines.jsonl": []byte(`{"id":"` + jsonEscaped(rawID) + `\x"}` + "\n" + `{"email":"` + rawEmail + `","id":"` + jsonEscaped(rawID)),
	}
	sdir := t.TempDir()
	for name, b := range files {
		require.NoError(t, os.WriteFile(filepath.Join(sdir, name), b, 0o600))
	}
	reported := map[string]bool{}
	for _, f := range rescan(t, sdir) {
		reported[f.Fingerprint] = true
	}
	require.True(t, reported[fingerprint(rawID)], "the scan reports the escaped identity number")

	dst, tally := redactFiles(t, Config{}, files)
	assert.Equal(t, int64(3), tally.ByStatus[string(StatusPartial)], "%+v", tally.NotRewritten)
	for name := range files {
		out := string(readFile(t, dst, name))
		assert.NotContains(t, out, jsonEscaped(rawID)[:6*17], name)
		assert.NotContains(t, out, rawMobile, name)
		assert.NotContains(t, out, rawEmail, name)
	}
	assert.Regexp(t, `^\{"mobile":"138\*\*\*\*8000","id":"44\d{4}1951\d{7}[\dX]$`, string(readFile(t, dst, "cut.json")), "the open string is replaced and stays open")
	assert.Regexp(t, `^\{"id":"44\d{4}1951\d{7}[\dX]\\q 手机 138\*\*\*\*8000"\}$`, string(readFile(t, dst, "bad.json")), "the rest after the bad escape is text")
	for _, f := range rescan(t, dst) {
		assert.False(t, reported[f.Fingerprint], "an original %s value in the copy", f.DataType)
	}
}
