package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadNormalizesLevel: a level in any case is stored as the catalogue
// spells it (S1..S4), so findings and summaries show one grade, not two.
func TestLoadNormalizesLevel(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, level, want string }{
		{"lower case", "s2", "S2"},
		{"upper case", "S3", "S3"},
		{"quoted lower", `"s4"`, "S4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pack := "rules:\n  - id: r1\n    category: identity\n    level: " + tt.level + "\n    pattern: 'EMP-\\d{6}'\n"
			p, err := Load(strings.NewReader(pack), "team.yaml")
			require.NoError(t, err)
			require.Len(t, p.Rules, 1)
			assert.Equal(t, tt.want, p.Rules[0].Level)

			b, err := Builtin()
			require.NoError(t, err)
			rs, err := Merge(b, p)
			require.NoError(t, err)
			for _, r := range rs.Rules {
				if r.ID == "r1" {
					assert.Equal(t, tt.want, r.Level)
				}
			}
		})
	}
}

// TestLevelRank: ranks of the four levels in any case, 0 for the rest, and
// back.
func TestLevelRank(t *testing.T) {
	for level, want := range map[string]int{"S1": 1, "s2": 2, "S3": 3, "s4": 4, "S0": 0, "S5": 0, "": 0, "S": 0, "S12": 0, "T1": 0, "ſ1": 1} {
		assert.Equal(t, want, LevelRank(level), "%q", level)
	}
	for r, want := range map[int]string{0: "", 1: "S1", 4: "S4", 5: "", -1: ""} {
		assert.Equal(t, want, LevelName(r), "%d", r)
	}
}
