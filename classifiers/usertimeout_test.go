package classifiers

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

// evilPack has a rule whose first branch backtracks exponentially on a
// run of word characters not followed by '$'.
const evilPack = `
rules:
  - id: evil2
    category: identity
    level: S2
    pattern: '(\w+\s?)+\$|SECRET-\d{4}'
`

func evilEngine(t testing.TB) *Engine {
	t.Helper()
	p, err := rules.Load(strings.NewReader(evilPack), "evil.yaml")
	require.NoError(t, err)
	return builtinEngine(t, p)
}

// wholeScanner is a scanner that runs user rules over the whole chunk, as
// it does for a pattern without a literal prefilter. evil2 has one (its
// branches need "$" and "SECRET-"), which keeps regexp2 away from most
// hostile text (TestUserRulePrefilterSkipsHostileText), so the timeout
// tests turn it off.
func wholeScanner(e *Engine) *Scanner {
	sc := e.NewScanner()
	sc.userPreMode = userPreOff
	return sc
}

// scanEvil scans text and returns the values evil2 found, in order.
func scanEvil(t *testing.T, sc *Scanner, text string) []string {
	t.Helper()
	c := &collector{}
	require.NoError(t, sc.ScanText(context.Background(), []byte(text), 0, len(text), nil, c))
	var got []string
	for _, m := range c.ms {
		if m.DataType == "evil2" {
			got = append(got, text[m.Start:m.End])
		}
	}
	return got
}

// TestUserRuleTimeoutResumes: after a match attempt times out, the scan of
// the rule goes on past it, finds the later matches and says it gave up on
// a place (PII-free: the rule id and a count).
func TestUserRuleTimeoutResumes(t *testing.T) {
	t.Parallel()
	e := evilEngine(t)
	tests := []struct {
		name, text string
		want       []string
		timedOut   bool
	}{
		{"no hostile run", "SECRET-1234 aaaa! SECRET-5678", []string{"SECRET-1234", "SECRET-5678"}, false},
		{"hostile run", "SECRET-1234 " + strings.Repeat("a", 40) + "! SECRET-5678", []string{"SECRET-1234", "SECRET-5678"}, true},
		{"two hostile runs", "SECRET-1111 " + strings.Repeat("b", 21) + "! SECRET-2222 " + strings.Repeat("c", 21) + "? SECRET-3333",
			[]string{"SECRET-1111", "SECRET-2222", "SECRET-3333"}, true},
		{"hostile run first", strings.Repeat("a", 40) + "! SECRET-5678 x", []string{"SECRET-5678"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := wholeScanner(e)
			assert.Equal(t, tt.want, scanEvil(t, sc, tt.text))
			to := sc.UserTimeouts()
			if !tt.timedOut {
				assert.Empty(t, to)
				return
			}
			require.Len(t, to, 1)
			assert.Equal(t, "evil2", to[0].RuleID)
			assert.Positive(t, to[0].Timeouts)
			assert.LessOrEqual(t, to[0].Timeouts, maxUserTimeouts)
			assert.False(t, to[0].GaveUp)
			sc.Reset()
			assert.Empty(t, sc.UserTimeouts())
		})
	}
}

// TestUserRulePrefilterSkipsHostileText: with its literal prefilter, evil2
// runs only around "$" and "SECRET-", so a hostile run with neither near
// costs no timeout, and the matches are those of the whole-chunk scan.
func TestUserRulePrefilterSkipsHostileText(t *testing.T) {
	t.Parallel()
	e := evilEngine(t)
	filler := strings.Repeat("ok. ", 100) // the windows must not cover most of the text
	text := filler + strings.Repeat("a", 40) + "! SECRET-5678. " + strings.Repeat("b", 40) + "? SECRET-1234. " + filler
	sc := e.NewScanner()
	assert.Equal(t, []string{"SECRET-5678", "SECRET-1234"}, scanEvil(t, sc, text))
	assert.Empty(t, sc.UserTimeouts())
	assert.Zero(t, sc.Stats().Timeouts)
}

// TestUserRuleTimeoutBounded: hostile text everywhere costs a bounded
// number of timeouts per call (each a bounded time); the rest is given up
// and said so. Counted, not timed: timed tests fail on a busy machine.
func TestUserRuleTimeoutBounded(t *testing.T) {
	t.Parallel()
	e := evilEngine(t)
	var b strings.Builder
	for b.Len() < 256<<10 {
		b.WriteString(strings.Repeat("a", 60) + "! ")
	}
	b.WriteString("SECRET-9999")
	sc := wholeScanner(e)
	scanEvil(t, sc, b.String())
	to := sc.UserTimeouts()
	require.Len(t, to, 1)
	assert.Equal(t, "evil2", to[0].RuleID)
	assert.True(t, to[0].GaveUp)
	assert.LessOrEqual(t, sc.Stats().Timeouts, int64(2*maxUserTimeouts+2))
}
