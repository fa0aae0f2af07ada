package classifiers

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

// testAsOf is the reference day of the tests.
var testAsOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// collector is an Emitter that keeps matches and record ends.
type collector struct {
	ms   []Match
	ends []int64
	mins []bool
}

func (c *collector) Match(m *Match) error { c.ms = append(c.ms, *m); return nil }
func (c *collector) EndRecord(r int64, minor bool) error {
	c.ends = append(c.ends, r)
	c.mins = append(c.mins, minor)
	return nil
}

func (c *collector) Anchor(int) any { return nil }

func (c *collector) types() []string {
	var out []string
	for _, m := range c.ms {
		out = append(out, m.DataType)
	}
	return out
}

func builtinEngine(t testing.TB, packs ...*rules.Pack) *Engine {
	t.Helper()
	b, err := rules.Builtin()
	require.NoError(t, err)
	rs, err := rules.Merge(append([]*rules.Pack{b}, packs...)...)
	require.NoError(t, err)
	e, err := Compile(rs, Options{HMACKey: []byte("test-key"), AsOf: testAsOf})
	require.NoError(t, err)
	return e
}

// scanString scans a whole string as text.
func scanString(t testing.TB, e *Engine, text string) *collector {
	t.Helper()
	c := &collector{}
	require.NoError(t, e.NewScanner().ScanText(context.Background(), []byte(text), 0, len(text), nil, c))
	return c
}
