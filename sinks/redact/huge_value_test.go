package redact

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/piiscan/piiscan/scanner"
)

// TestRedactHugeValue: a value the rewriters would hold whole beyond
// maxValue (a CSV whose unclosed quote makes the rest of the file one
// field, a JSON string of megabytes) makes the object an archive_limit
// failure that is not written, instead of memory growing with the file
// (an 85 MB CSV with a stray quote took 2 GB); values up to the bound are
// rewritten as before.
func TestRedactHugeValue(t *testing.T) {
	t.Parallel()
	var unclosed bytes.Buffer
	unclosed.WriteString("name,phone\n\"zhang," + rawMobile + "\n")
	for unclosed.Len() <= maxValue+1<<20 {
		unclosed.WriteString("li," + rawMobile + ",padding padding padding padding padding\n")
	}
	long := bytes.Repeat([]byte("z"), maxValue+1)
	var js bytes.Buffer
	js.WriteString(`{"note":"`)
	js.Write(long)
	js.WriteString(`","phone":"` + rawMobile + `"}`)
	fits := []byte("note,phone\n\"" + string(long[:1<<20]) + " " + rawMobile + "\"," + rawMobile + "\n")

	dst, tally := redactFiles(t, Config{}, map[string][]byte{"unclosed.csv": unclosed.Bytes(), "long.json": js.Bytes(), "fits.csv": fits})
	assert.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)])
	issues := map[string]Issue{}
	for _, is := range tally.NotRewritten {
		issues[filepath.Base(is.Object)] = is
	}
	for _, name := range []string{"unclosed.csv", "long.json"} {
		is, ok := issues[name]
		if assert.True(t, ok, name) {
			assert.Equal(t, string(scanner.ReasonArchiveLimit), is.Reason, name)
			assert.Contains(t, is.Error, "more than 16777216 bytes", name)
		}
		_, err := os.Stat(filepath.Join(dst, name))
		assert.ErrorIs(t, err, os.ErrNotExist, "%s is not written", name)
	}
	out := readFile(t, dst, "fits.csv")
	assert.NotContains(t, string(out), rawMobile)
	assert.Equal(t, len(fits), len(out), "a mask keeps the length")
}
