package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

const teamPack = `
version: "team-1"
rules:
  - id: employee_no
    category: identity
    level: S2
    pattern: 'EMP-\d{6}'
    keywords: [工号, employee]
    keywords_required: true
    mask: {keep_first: 4, keep_last: 2}
allow: ["EMP-000000"]
`

func writePack(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "team.yaml")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

func TestRulesList(t *testing.T) {
	r := runCLI(t, "", "rules", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	assert.GreaterOrEqual(t, len(lines)-1, 25, "at least 25 built-in data types")
	for _, id := range []string{"cn_resident_id", "face_feature", "religious_belief", "location_trace", "cn_uscc"} {
		assert.Contains(t, r.stdout, id)
	}
}

func TestRulesShowAndTest(t *testing.T) {
	r := runCLI(t, "", "rules", "show", "cn_passport")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "keywords_required: true")

	r = runCLI(t, "", "rules", "show", "nope")
	assert.Equal(t, exitUsage, r.code)

	pack := writePack(t, teamPack)
	r = runCLI(t, "", "rules", "test", "--rules", pack, "工号: EMP-123456，手机 13812348000，EMP-000000")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "employee_no")
	assert.Contains(t, r.stdout, "EMP-****56")
	assert.Contains(t, r.stdout, "138****8000")
	assert.NotContains(t, r.stdout, "EMP-123456", "rules test prints masked values only")
	assert.NotContains(t, r.stdout, "EMP-000000", "allow-listed values are not reported")

	r = runCLI(t, "客户 440104195101058590", "rules", "test", "-")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "cn_resident_id")
}

// TestBrokenPack: a bad user pack is exit 2 naming the file, rule and problem.
func TestBrokenPack(t *testing.T) {
	pack := writePack(t, "rules:\n  - id: bad_rule\n    category: identity\n    level: S2\n    pattern: '(unclosed'\n")
	for _, args := range [][]string{
		{"rules", "list", "--rules", pack},
		{"scan", t.TempDir(), "--rules", pack, "--out", t.TempDir()},
	} {
		r := runCLI(t, "", args...)
		assert.Equal(t, exitUsage, r.code)
		assert.Contains(t, r.stderr, "team.yaml")
		assert.Contains(t, r.stderr, "bad_rule")
		assert.Contains(t, r.stderr, "pattern")
	}
}

// TestScanWithUserPack: a custom rule and an allow list work in scan.
func TestScanWithUserPack(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hr.txt"), []byte("工号 EMP-123456\n工号 EMP-000000\n"), 0o644))
	res := scanDir(t, dir, "--rules", writePack(t, teamPack))
	require.Equal(t, exitOK, res.code, res.stderr)
	fs := readTable[scanner.Finding](t, res.out, "findings")
	require.Len(t, fs, 1)
	assert.Equal(t, "employee_no", fs[0].DataType)
	assert.Equal(t, "EMP-****56", fs[0].MaskedValue)
	assert.Contains(t, fs[0].Ruleset, "team-1")
}
