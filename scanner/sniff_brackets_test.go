package scanner_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestBracketedTextIsNotJSON: a text, log or extensionless file that starts
// with '[' or '{' is JSON only when its head parses as JSON. A log whose
// lines start "[2026-11-24 10:00:00]" or "[INFO]", and git's .git/config
// ("[core]"), were read as JSON documents: each was partial/malformed with
// a warning ('piiscan scan .' in a checkout warned about .git/config), its
// findings under format json. JSON in such files stays JSON.
func TestBracketedTextIsNotJSON(t *testing.T) {
	t.Parallel()
	const mobile = "13812348000"
	logText := "[2026-11-24 10:00:00] INFO login phone " + mobile + "\n[2026-11-24 10:00:01] WARN slow\n"
	files := map[string][]byte{
		"app.log":      []byte(logText),
		"messages":     []byte(logText),
		"catalina.out": []byte(logText),
		"build.txt":    []byte("[INFO] build ok " + mobile + "\n[INFO] done\n"),
		".git/config":  []byte("[core]\n\trepositoryformatversion = 0\n\tbare = false\n"),
		"sections":     []byte("[a]\n[b]\n"),
		"{notes}.txt":  []byte("{draft} call " + mobile + "\n"),
		"dump.txt":     []byte(`[{"phone": "` + mobile + `"}, {"n": 1}]`),
		"data":         []byte(`{"phone": "` + mobile + `", "tags": [1, 2]}`),
		"rows.log":     []byte(`{"phone": "` + mobile + `"}` + "\n" + `{"n": 2}` + "\n"),
		"nums.out":     []byte("[1, 2, 3]\n"),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	want := map[string]string{
		"app.log": "text", "messages": "text", "catalina.out": "text", "build.txt": "text",
		".git/config": "text", "sections": "text", "{notes}.txt": "text",
		"dump.txt": "json", "data": "json", "rows.log": "jsonl", "nums.out": "json",
	}
	for name, format := range want {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		assert.Equal(t, format, r.Format, name)
		assert.Equal(t, scanner.StatusComplete, r.Status, name)
	}
	for _, name := range []string{"app.log", "messages", "build.txt", "{notes}.txt", "dump.txt", "data", "rows.log"} {
		n := 0
		for _, f := range sink.ByName(name).Findings {
			if f.DataType == "cn_mobile" {
				n++
			}
		}
		assert.Equal(t, 1, n, "%s: the number, once", name)
	}
}
