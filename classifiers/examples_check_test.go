package classifiers

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/piiscan/piiscan/rules"
)

// TestCheckExamples: a user rule's examples run through the engine with
// every enabled rule; a match example without a finding of the rule's type,
// or a no_match example with one, is an error naming the file, the rule and
// the example by its place, without quoting it.
func TestCheckExamples(t *testing.T) {
	t.Parallel()
	rule := func(examples string) string {
		return "rules:\n  - id: employee_no\n    category: identity\n    level: S2\n    pattern: 'EMP-\\d{6}'\n" +
			"    keywords: [工号]\n    keywords_required: true\n    examples:\n" + examples
	}
	tests := []struct {
		name, pack string
		wantErr    string // "" for none
		list       string
		index      int
	}{
		{"good", rule("      match: [\"工号: EMP-123456\"]\n      no_match: [\"EMP-12\"]\n"), "", "", 0},
		{"match without finding", rule("      match: [\"EMP-123456\"]\n"),
			"rule pack team.yaml: rule employee_no: examples.match[0] (1st match example) should match but does not (found nothing)", "match", 0},
		{"second match example", rule("      match: [\"工号 EMP-123456\", \"工号 EMP-1234\"]\n"),
			"examples.match[1] (2nd match example) should match but does not", "match", 1},
		{"found as another type", rule("      match: [\"工号 13812348000\"]\n"),
			"should match but does not (found cn_mobile)", "match", 0},
		{"no_match with finding", rule("      no_match: [\"EMP-12\", \"工号 EMP-654321\"]\n"),
			"rule pack team.yaml: rule employee_no: examples.no_match[1] (2nd no-match example) should not match but does", "no_match", 1},
		{"allow list applies", rule("      match: [\"工号 EMP-000000\"]\n") + "allow: [EMP-000000]\n",
			"examples.match[0] (1st match example) should match but does not", "match", 0},
		{"disabled keyword rule is not checked", rule("      match: [\"nothing\"]\n") + "    disabled: true\n", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := rules.Load(strings.NewReader(tt.pack), "team.yaml")
			require.NoError(t, err)
			err = builtinEngine(t, p).CheckExamples(context.Background())
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), "EMP-", "examples are not quoted")
			assert.NotContains(t, err.Error(), "138123")
			var re *rules.Error
			require.True(t, errors.As(err, &re), "want *rules.Error, got %T", err)
			assert.Equal(t, "team.yaml", re.File)
			assert.Equal(t, "employee_no", re.Rule)
			var ee *ExampleError
			require.True(t, errors.As(err, &ee), "want *ExampleError, got %T", err)
			assert.Equal(t, tt.list, ee.List)
			assert.Equal(t, tt.index, ee.Index)
		})
	}
}

// TestCheckExamplesCopiedBuiltin: a built-in rule copied into a user pack
// keeps working, examples in columns and placeholders included.
func TestCheckExamplesCopiedBuiltin(t *testing.T) {
	t.Parallel()
	b, err := rules.Builtin()
	require.NoError(t, err)
	for _, r := range b.Rules {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			out, err := yaml.Marshal(rules.Pack{Rules: []rules.Rule{r}})
			require.NoError(t, err)
			p, err := rules.Load(strings.NewReader(string(out)), "copy.yaml")
			require.NoError(t, err)
			assert.NoError(t, builtinEngine(t, p).CheckExamples(context.Background()))
		})
	}
}
