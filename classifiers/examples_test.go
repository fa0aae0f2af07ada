package classifiers

import (
	"context"
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
	sc := builtinEngine(t).NewScanner()
	for _, r := range b.Rules {
		for _, ex := range r.Examples.Match {
			t.Run(r.ID+"/match/"+ex, func(t *testing.T) {
				found, err := runExample(context.Background(), sc, ex)
				require.NoError(t, err)
				assert.Contains(t, found.list(), r.ID)
			})
		}
		for _, ex := range r.Examples.NoMatch {
			t.Run(r.ID+"/no_match/"+ex, func(t *testing.T) {
				found, err := runExample(context.Background(), sc, ex)
				require.NoError(t, err)
				assert.NotContains(t, found.list(), r.ID)
			})
		}
	}
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
