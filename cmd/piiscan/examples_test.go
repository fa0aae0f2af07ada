package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPackExamples: every command that loads user packs runs their rules'
// examples; one that fails is a bad pack: exit 2, naming the file, the rule
// and the example by its place, without quoting the example.
func TestPackExamples(t *testing.T) {
	const head = "rules:\n  - id: employee_no\n    category: identity\n    level: S2\n    pattern: 'EMP-\\d{6}'\n" +
		"    keywords: [工号]\n    keywords_required: true\n    examples:\n"
	tests := []struct {
		name, examples string
		want           string // "" for a good pack
	}{
		{"good", "      match: [\"工号: EMP-123456\"]\n      no_match: [\"EMP-12\"]\n", ""},
		{"match example not found", "      match: [\"工号: EMP-123456\", \"EMP-654321\"]\n",
			"team.yaml: rule employee_no: examples.match[1] (2nd match example) should match but does not"},
		{"no_match example found", "      no_match: [\"工号 EMP-654321\"]\n",
			"team.yaml: rule employee_no: examples.no_match[0] (1st no-match example) should not match but does"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pack := writePack(t, head+tt.examples)
			src := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(src, "hr.txt"), []byte("note\n"), 0o644))
			for _, args := range [][]string{
				{"rules", "list", "--rules", pack},
				{"rules", "show", "employee_no", "--rules", pack},
				{"rules", "test", "--rules", pack, "工号 EMP-123456"},
				{"scan", src, "--rules", pack, "--out", filepath.Join(t.TempDir(), "out")},
				{"redact", src, "--rules", pack, "--to", filepath.Join(t.TempDir(), "dst")},
			} {
				r := runCLI(t, "", args...)
				if tt.want == "" {
					assert.Equal(t, exitOK, r.code, "%v: %s", args[:2], r.stderr)
					continue
				}
				assert.Equal(t, exitUsage, r.code, "%v: %s", args[:2], r.stderr)
				assert.Contains(t, r.stderr, tt.want, args[:2])
				assert.NotContains(t, r.stderr, "654321", "%v: the example is not quoted", args[:2])
			}
		})
	}
}

// TestReadmeFixturesPack: the allow pack the README gives CI jobs loads,
// lets the fixtures' test values through and still reports others.
func TestReadmeFixturesPack(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	readme := string(b)
	const open = "```yaml\n# fixtures-allow.yaml"
	i := strings.Index(readme, open)
	require.GreaterOrEqual(t, i, 0, "the README holds the fixtures pack")
	block := readme[i+len("```yaml\n"):]
	block = block[:strings.Index(block, "```")]
	pack := writePack(t, block)

	r := runCLI(t, "", "rules", "test", "--rules", pack, "mail a@example.com b@x.example.org c@y.test card 4111-1111-1111-1111 ip 10.0.0.1")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "no findings")
	r = runCLI(t, "", "rules", "test", "--rules", pack, "mail zhang.san@mail.qq.com 手机 "+cliMobile)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "email")
	assert.Regexp(t, `cn_mobile\s+S3`, r.stdout, "levels re-grades")
}
