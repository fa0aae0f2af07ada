package deid_test

// These tests check operator outputs with the real scanner and validators
// of package classifiers. They live in the external test package so that
// classifiers may import deid without an import cycle.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/rules"
)

type found struct{ DataType, Level string }

// collector keeps matches. The embedded interface keeps it compiling if
// the Emitter interface grows; the methods used by ScanText are defined.
type collector struct {
	classifiers.Emitter
	ms []found
}

func (c *collector) Match(m *classifiers.Match) error {
	c.ms = append(c.ms, found{m.DataType, m.Level})
	return nil
}
func (c *collector) EndRecord(int64, bool) error { return nil }
func (c *collector) Anchor(int) any              { return nil }

// scanner scans text, optionally as the value of a named field.
type scanner struct{ e *classifiers.Engine }

func newScanner(t testing.TB) scanner {
	t.Helper()
	b, err := rules.Builtin()
	require.NoError(t, err)
	rs, err := rules.Merge(b)
	require.NoError(t, err)
	e, err := classifiers.Compile(rs, classifiers.Options{
		HMACKey: []byte("test-key"),
		AsOf:    time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
	})
	require.NoError(t, err)
	return scanner{e}
}

func (s scanner) scan(t testing.TB, text, field string) []found {
	t.Helper()
	var f *classifiers.Field
	if field != "" {
		f = s.e.Field(field)
	}
	c := &collector{}
	require.NoError(t, s.e.NewScanner().ScanText(context.Background(), []byte(text), 0, len(text), f, c))
	return c.ms
}

// valid reports whether a value passes the named classifiers validator.
func valid(t testing.TB, validator, v string) bool {
	t.Helper()
	fn, ok := classifiers.Validators[validator]
	require.True(t, ok, validator)
	return fn([]byte(v))
}

// env is a fixed environment for keyed operators.
func env(vars map[string]string) deid.Env {
	return func(n string) (string, bool) { v, ok := vars[n]; return v, ok }
}

// manyValid makes n distinct valid values of a type by substituting a
// seed value under n keys.
func manyValid(t testing.TB, dataType, seed string, n int) []string {
	t.Helper()
	out := make([]string, 0, n)
	for i := range n {
		s, err := deid.NewSubstitute(deid.SubstituteConfig{}, fmt.Appendf(nil, "generator-key-%04d", i))
		require.NoError(t, err)
		v, err := s.Apply(deid.OpContext{DataType: dataType}, []byte(seed))
		require.NoError(t, err)
		out = append(out, string(v))
	}
	return out
}
