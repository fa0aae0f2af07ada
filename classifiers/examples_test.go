package classifiers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

// TestBuiltinExamples runs every built-in rule's examples: each match
// example is found by that rule, each no_match example is not.
func TestBuiltinExamples(t *testing.T) {
	t.Parallel()
	b, err := rules.Builtin()
	require.NoError(t, err)
	e := builtinEngine(t)
	for _, r := range b.Rules {
		for _, ex := range r.Examples.Match {
			t.Run(r.ID+"/match/"+ex, func(t *testing.T) {
				assert.Contains(t, scanString(t, e, ex).types(), r.ID)
			})
		}
		for _, ex := range r.Examples.NoMatch {
			t.Run(r.ID+"/no_match/"+ex, func(t *testing.T) {
				assert.NotContains(t, scanString(t, e, ex).types(), r.ID)
			})
		}
	}
}
