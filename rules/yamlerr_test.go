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
		{"unknown key", "rules:\n  - id: r1\n    category: identity\n    level: S2\n    pattern: x\n    colour: red\n", 6, "field colour not found"},
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
			assert.True(t, strings.HasPrefix(err.Error(), "rule pack pack.yaml: line "), err.Error())
		})
	}
}
