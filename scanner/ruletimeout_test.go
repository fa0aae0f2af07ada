package scanner_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// evilEngine adds a user rule whose first branch backtracks exponentially
// on a run of word characters not followed by '$'.
func evilEngine(t testing.TB) *classifiers.Engine {
	t.Helper()
	const pack = "rules:\n  - {id: evil2, category: identity, level: S2, pattern: '(\\w+\\s?)+\\$|SECRET-\\d{4}'}\n"
	b, err := rules.Builtin()
	require.NoError(t, err)
	p, err := rules.Load(strings.NewReader(pack), "evil.yaml")
	require.NoError(t, err)
	rs, err := rules.Merge(b, p)
	require.NoError(t, err)
	e, err := classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("k"), AsOf: asOf})
	require.NoError(t, err)
	return e
}

// TestRunUserRuleTimeout: an object on which a user rule timed out is
// partial with reason timeout and an error naming the rule and a count
// (not the text), and the rule's later matches are still reported.
func TestRunUserRuleTimeout(t *testing.T) {
	t.Parallel()
	hostile := "SECRET-1234 " + strings.Repeat("a", 40) + "! SECRET-5678\n"
	src := &scannertest.MemSource{Files: map[string][]byte{
		"evil.txt":   []byte(hostile),
		"evil.jsonl": []byte(`{"note":"` + strings.TrimSpace(hostile) + `"}` + "\n"),
		"clean.txt":  []byte("SECRET-1234 aaaa! SECRET-5678\n"),
	}}
	sink := &scannertest.Sink{}
	_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "test", Workers: 1}, src, evilEngine(t), sink)
	require.NoError(t, err)
	require.Len(t, sink.Results, 3)

	evil2 := func(r *scanner.ObjectResult) int {
		n := 0
		for _, f := range r.Findings {
			if f.DataType == "evil2" {
				n++
			}
		}
		return n
	}
	for _, name := range []string{"evil.txt", "evil.jsonl"} {
		t.Run(name, func(t *testing.T) {
			r := sink.ByName(name)
			assert.Equal(t, scanner.StatusPartial, r.Status)
			assert.Equal(t, scanner.ReasonTimeout, r.Reason)
			require.Error(t, r.Err)
			assert.True(t, errors.Is(r.Err, scanner.ErrRuleTimeout))
			assert.Contains(t, r.Err.Error(), "rule evil2 ")
			assert.Regexp(t, `evil2 \d+ times`, r.Err.Error())
			assert.NotContains(t, r.Err.Error(), "SECRET")
			assert.NotContains(t, r.Err.Error(), "aaaa")
			assert.Equal(t, 2, evil2(r), "the match after the hostile run is found")
		})
	}
	clean := sink.ByName("clean.txt")
	assert.Equal(t, scanner.StatusComplete, clean.Status)
	assert.Equal(t, scanner.ReasonNone, clean.Reason)
	assert.NoError(t, clean.Err)
	assert.Equal(t, 2, evil2(clean))
}
