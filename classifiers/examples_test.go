package classifiers

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

// TestBuiltinExamples runs every built-in rule's examples: each match
// example is found by that rule, each no_match example is not. Examples
// are text, "(column NAME) VALUE" for one value in a named column, or
// "(csv) header|row|row" for a small table; {floats:N} and {base64:N}
// stand for N numbers of a vector and a blob of N bytes.
func TestBuiltinExamples(t *testing.T) {
	t.Parallel()
	b, err := rules.Builtin()
	require.NoError(t, err)
	e := builtinEngine(t)
	for _, r := range b.Rules {
		for _, ex := range r.Examples.Match {
			t.Run(r.ID+"/match/"+ex, func(t *testing.T) {
				assert.Contains(t, scanExample(t, e, ex).types(), r.ID)
			})
		}
		for _, ex := range r.Examples.NoMatch {
			t.Run(r.ID+"/no_match/"+ex, func(t *testing.T) {
				assert.NotContains(t, scanExample(t, e, ex).types(), r.ID)
			})
		}
	}
}

var placeholder = regexp.MustCompile(`\{(floats|base64):(\d+)\}`)

// expand replaces the placeholders with synthetic values.
func expand(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		p := placeholder.FindStringSubmatch(m)
		n, _ := strconv.Atoi(p[2])
		if p[1] == "floats" {
			parts := make([]string, n)
			for i := range parts {
				parts[i] = fmt.Sprintf("%.4f", float64((i*37)%200-100)/101)
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
		blob := make([]byte, n)
		for i := range blob {
			blob[i] = byte(i*131 + 7)
		}
		return base64.StdEncoding.EncodeToString(blob)
	})
}

// scanExample scans an example as text or as records.
func scanExample(t testing.TB, e *Engine, ex string) *collector {
	t.Helper()
	ex = expand(ex)
	switch {
	case strings.HasPrefix(ex, "(column "):
		name, value, _ := strings.Cut(strings.TrimPrefix(ex, "(column "), ") ")
		return scanTable(t, e, []string{name}, [][]string{{value}})
	case strings.HasPrefix(ex, "(csv) "):
		rows := strings.Split(strings.TrimPrefix(ex, "(csv) "), "|")
		var cells [][]string
		for _, r := range rows[1:] {
			cells = append(cells, strings.Split(r, ","))
		}
		return scanTable(t, e, strings.Split(rows[0], ","), cells)
	}
	return scanString(t, e, ex)
}

// scanTable scans rows of values under column names as records.
func scanTable(t testing.TB, e *Engine, header []string, rows [][]string) *collector {
	t.Helper()
	var buf []byte
	var spans []Span
	for r, row := range rows {
		for i, v := range row {
			spans = append(spans, Span{Start: len(buf), End: len(buf) + len(v), Field: e.Field(header[i]), Record: int64(r)})
			buf = append(append(buf, v...), '\n')
		}
	}
	c := &collector{}
	sc := e.NewScanner()
	require.NoError(t, sc.ScanRecords(context.Background(), buf, spans, false, c))
	require.NoError(t, sc.Finish(c))
	return c
}
