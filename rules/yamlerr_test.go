package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadYAMLErrors: a YAML problem reads "rule pack FILE: line N: problem",
// once (not "yaml: yaml:"), with the line of the problem, not of the block
// around it.
func TestLoadYAMLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		line       int
		want       string
	}{
		{"indentation on line 4", "rules:\n  - id: employee_no\n    category: identity\n   level: S2\n    pattern: 'EMP-\\d{6}'\n", 4, "did not find expected '-' indicator"},
		{"indentation after a list", "version: x\nrules:\n  - id: r1\n    category: identity\n    level: S2\n    pattern: x\n  keywords: [a]\n", 7, "did not find expected '-' indicator"},
		{"unclosed flow list", "rules: [a,\n", 1, "did not find expected node content"},
		{"unclosed quote", "version: x\nrules:\n  - id: a\n    pattern: \"abc\n", 4, "found unexpected end of stream"},
		{"tab indentation", "rules:\n  - id: r1\n\tcategory: identity\n", 3, "found a tab character that violates indentation"},
		{"unknown key", "rules:\n  - id: r1\n    category: identity\n    level: S2\n    pattern: x\n    colour: red\n", 6, `unknown key "colour" in a rule`},
		// A typo is named with the key it likely means, and without the Go
		// type it was decoded into.
		{"misspelt rule key", "rules:\n  - id: r1\n    category: identity\n    levle: S2\n    pattern: x\n", 4, `unknown key "levle" in a rule (did you mean "level"?)`},
		{"misspelt pack key", "rule:\n  - id: r1\n", 1, `unknown key "rule" in the pack (did you mean "rules"?)`},
		{"misspelt mask key", "rules:\n  - id: r1\n    category: identity\n    level: S2\n    pattern: x\n    mask: {keep_frist: 2}\n", 6, `unknown key "keep_frist" in a rule's mask (did you mean "keep_first"?)`},
		// A value where a list is wanted is described, not quoted: an
		// allow list or an example may hold a real value.
		{"scalar allow list", "allow: 13912345678\n", 1, "found a number where a list of strings is wanted"},
		{"scalar example list", "rules:\n  - id: r1\n    category: identity\n    level: S2\n    pattern: x\n    examples:\n      match: zhang.san@example.com\n", 7, "found a string where a list of strings is wanted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(strings.NewReader(tt.yaml), "pack.yaml")
			require.Error(t, err)
			var le *LineError
			require.True(t, errors.As(err, &le), "want *rules.LineError, got %T: %v", err, err)
			assert.Equal(t, tt.line, le.Line)
			assert.Contains(t, le.Msg, tt.want)
			assert.NotContains(t, err.Error(), "yaml: yaml:")
			assert.NotContains(t, err.Error(), "rules.", "no Go type names")
			assert.NotContains(t, err.Error(), "1391234", "no value")
			assert.NotContains(t, err.Error(), "zhang.s", "no value")
			assert.True(t, strings.HasPrefix(err.Error(), "rule pack pack.yaml: line "), err.Error())
		})
	}
}
