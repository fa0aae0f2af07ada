package scanner_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// A finding's byte_offset, length, line and column count the bytes of the
// stream, not those of the decoded value: escapes before a match in a JSON
// string ("\n", "\u4e2d") and a CSV field's doubled quotes shifted them
// (a JSON document of Node.js's API docs reported addresses 11 bytes and
// several lines away from where they are). Each finding must sit on raw
// bytes that decode to an address or an e-mail address, at the line and
// column those bytes are on, in values split across batches too.
func TestEscapedValueLocations(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 11))
	pieces := []string{`\n`, `\"`, `\\`, `\u4e2d`, `\ud83d\ude00`, `\t`, "plain ", "中文 ", `\/`}
	ip := func() string { return fmt.Sprintf("10.%d.%d.%d", 1+rng.IntN(200), rng.IntN(250), 1+rng.IntN(250)) }
	jsonValue := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		switch rng.IntN(3) {
		case 0:
			b.WriteString("ip " + ip())
		case 1:
			b.WriteString(`mail li` + fmt.Sprint(rng.IntN(1000)) + `\u0040example.com`)
		default:
			b.WriteString("note")
		}
		for range rng.IntN(3) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	var doc, lines strings.Builder
	doc.WriteString("{\"items\": [\n")
	for i := range 40000 { // ~2 MB: the one record is scanned in parts
		if i > 0 {
			doc.WriteString(",\n")
		}
		fmt.Fprintf(&doc, "  {\"k\": \"%s\", \"v\": \"%s\"}", jsonValue(), jsonValue())
		if i < 2000 {
			fmt.Fprintf(&lines, "{\"a\": \"%s\"}\n", jsonValue())
		}
	}
	doc.WriteString("\n]}\n")
	// One object of 80,000 members (~3 MB) is one record, scanned in parts:
	// a value open when a part is cut moves with its escapes.
	var one strings.Builder
	one.WriteString("{")
	for i := range 80000 {
		if i > 0 {
			one.WriteString(", ")
		}
		fmt.Fprintf(&one, "\"v\": \"%s\"", jsonValue())
	}
	one.WriteString("}\n")
	var csv strings.Builder
	csv.WriteString("id,note\n")
	for i := range 3000 {
		switch rng.IntN(4) {
		case 0:
			fmt.Fprintf(&csv, "%d,\"say \"\"hi\"\" to %s now\"\n", i, ip())
		case 1:
			fmt.Fprintf(&csv, "%d,\"ab\"c %s\n", i, ip())
		case 2:
			fmt.Fprintf(&csv, "%d,\"x\ny \"\"q\"\"\" %s\n", i, ip())
		default:
			fmt.Fprintf(&csv, "%d,%s\n", i, ip())
		}
	}
	// Values over 64 KiB are streamed through a chunker as text, their
	// escapes with them: one JSON string of ~250 KB, and one CSV field of
	// ~120 KB with doubled quotes and line breaks.
	var long strings.Builder
	long.WriteString("{\"id\": 1, \"body\": \"")
	for long.Len() < 250_000 {
		long.WriteString(jsonValue() + " ")
	}
	long.WriteString("\"}\n")
	var field strings.Builder
	field.WriteString("id,note\n1,\"")
	for field.Len() < 120_000 {
		switch rng.IntN(3) {
		case 0:
			fmt.Fprintf(&field, "say \"\"hi\"\" to %s now ", ip())
		case 1:
			fmt.Fprintf(&field, "x\ny \"\"q\"\" %s ", ip())
		default:
			fmt.Fprintf(&field, "%s, ", ip())
		}
	}
	field.WriteString("\"\n2,10.9.9.9\n")
	files := map[string][]byte{"a.json": []byte(doc.String()), "b.jsonl": []byte(lines.String()), "c.csv": []byte(csv.String()), "d.json": []byte(one.String()),
		"e.json": []byte(long.String()), "f.csv": []byte(field.String())}
	require.True(t, json.Valid(files["a.json"]))
	require.True(t, json.Valid(files["d.json"]))
	require.True(t, json.Valid(files["e.json"]))
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2})
	value := regexp.MustCompile(`^(10\.\d+\.\d+\.\d+|li\d+@example\.com)$`)
	for name, raw := range files {
		r := sink.ByName(name)
		require.Equal(t, scanner.StatusComplete, r.Status, name)
		starts := []int64{0}
		runes := make([]int32, len(raw)+1) // rune starts before each byte
		for i, c := range raw {
			if c == '\n' {
				starts = append(starts, int64(i+1))
			}
			runes[i+1] = runes[i]
			if utf8.RuneStart(c) {
				runes[i+1]++
			}
		}
		n := 0
		for _, f := range r.Findings {
			if f.DataType != "ipv4" && f.DataType != "email" {
				continue
			}
			n++
			seg := raw[f.ByteOffset : f.ByteOffset+int64(f.Length)]
			dec := string(seg)
			if strings.HasSuffix(name, "json") || strings.HasSuffix(name, "jsonl") {
				require.NoError(t, json.Unmarshal([]byte(`"`+dec+`"`), &dec), "%s at %d: %q", name, f.ByteOffset, seg)
			}
			require.Regexp(t, value, dec, "%s at %d", name, f.ByteOffset)
			require.NotNil(t, f.Line)
			k, _ := slices.BinarySearch(starts, f.ByteOffset+1) // lines starting at or before the offset
			line := int64(k)
			col := int64(1 + runes[f.ByteOffset] - runes[starts[k-1]])
			require.Equal(t, [2]int64{line, col}, [2]int64{*f.Line, *f.Column}, "%s at %d", name, f.ByteOffset)
		}
		assert.Greater(t, n, 500, name)
	}
}
