package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const goodPack = `
version: "team-1"
rules:
  - id: employee_no
    category: identity
    level: S2
    pattern: 'EMP-\d{6}'
    keywords: [工号, employee]
    mask: {keep_first: 4, keep_last: 2}
    examples:
      match: ["工号: EMP-123456"]
      no_match: ["EMP-12"]
allow: ["EMP-000000"]
`

func TestLoadGoodPack(t *testing.T) {
	t.Parallel()
	p, err := Load(strings.NewReader(goodPack), "team.yaml")
	require.NoError(t, err)
	require.Len(t, p.Rules, 1)
	assert.Equal(t, "employee_no", p.Rules[0].ID)
	assert.Equal(t, "team.yaml", p.Rules[0].Source)
	assert.Equal(t, []string{"EMP-000000"}, p.Allow)

	// The longest id allowed: 64 bytes.
	long := strings.Replace(goodPack, "employee_no", "e"+strings.Repeat("x", 63), 1)
	p, err = Load(strings.NewReader(long), "team.yaml")
	require.NoError(t, err)
	assert.Len(t, p.Rules[0].ID, 64)
}

// TestLoadErrors: a broken pack is an *Error naming the file, the rule and
// the problem.
func TestLoadErrors(t *testing.T) {
	t.Parallel()
	rule := func(body string) string {
		return "rules:\n  - id: r1\n    category: identity\n    level: S2\n" + body
	}
	tests := []struct {
		name, yaml, rule, want string
	}{
		{"empty file", "", "", "empty file"},
		{"not yaml", "rules: [", "", "yaml"},
		{"unknown key", rule("    pattern: 'x'\n    colour: red\n"), "", `unknown key "colour" in a rule`},
		{"unknown top key", "rulez: []\n", "", `unknown key "rulez" in the pack (did you mean "rules"?)`},
		{"missing id", "rules:\n  - category: identity\n    level: S2\n    pattern: x\n", "#1", "missing id"},
		{"bad id", "rules:\n  - id: Bad-Id\n    category: identity\n    level: S2\n    pattern: x\n", "Bad-Id", "lower-case"},
		{"long id", "rules:\n  - id: " + strings.Repeat("a", 65) + "\n    category: identity\n    level: S2\n    pattern: x\n", strings.Repeat("a", 65), "lower-case"},
		{"duplicate id", rule("    pattern: 'x'\n") + "  - id: r1\n    category: identity\n    level: S2\n    pattern: 'y'\n", "r1", "duplicate id"},
		{"bad category", "rules:\n  - id: r1\n    category: secrets\n    level: S2\n    pattern: x\n", "r1", "category"},
		{"bad level", "rules:\n  - id: r1\n    category: identity\n    level: S9\n    pattern: x\n", "r1", "level"},
		{"no pattern", rule(""), "r1", "needs a pattern or a detector"},
		{"both", rule("    pattern: 'x'\n    detector: email\n"), "r1", "both"},
		{"bad pattern", rule("    pattern: '(unclosed'\n"), "r1", "pattern"},
		{"empty match", rule("    pattern: 'a*'\n"), "r1", "empty string"},
		{"required without keywords", rule("    pattern: 'x'\n    keywords_required: true\n"), "r1", "keywords_required"},
		{"max_len", rule("    pattern: 'x'\n    max_len: 99999\n"), "r1", "max_len"},
		{"confidence", rule("    pattern: 'x'\n    confidence: 2\n"), "r1", "confidence"},
		{"mask style", rule("    pattern: 'x'\n    mask: {style: blur}\n"), "r1", "mask style"},
		{"bad allow pattern", rule("    pattern: 'x'\n    allow_patterns: ['(']\n"), "r1", "allow_patterns"},
		{"bad field kind", "fields: {shoe_size: [shoe]}\nrules: []\n", "", "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(strings.NewReader(tt.yaml), "pack.yaml")
			require.Error(t, err)
			var re *Error
			require.True(t, errors.As(err, &re), "want *rules.Error, got %T", err)
			assert.Equal(t, "pack.yaml", re.File)
			assert.Equal(t, tt.rule, re.Rule)
			assert.Contains(t, err.Error(), "pack.yaml")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestBuiltinIsValid(t *testing.T) {
	t.Parallel()
	p, err := Builtin()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(p.Rules), 10)
	for _, r := range p.Rules {
		assert.NotEmpty(t, r.Description, r.ID)
		assert.NotEmpty(t, r.Examples.Match, r.ID)
		assert.NotEmpty(t, r.Examples.NoMatch, r.ID)
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	b, err := Builtin()
	require.NoError(t, err)
	user, err := Load(strings.NewReader(goodPack+`disable: [ipv4]
fields:
  subject: [badge_no]
`), "team.yaml")
	require.NoError(t, err)
	regrade, err := Load(strings.NewReader(`rules:
  - id: cn_mobile
    category: contact
    level: S3
    detector: cn_mobile
levels: {email: S4}
`), "regrade.yaml")
	require.NoError(t, err)

	rs, err := Merge(b, user, regrade)
	require.NoError(t, err)
	ids := map[string]Rule{}
	for _, r := range rs.Rules {
		ids[r.ID] = r
	}
	assert.Contains(t, ids, "employee_no")
	assert.NotContains(t, ids, "ipv4", "disabled")
	assert.Equal(t, "S3", ids["cn_mobile"].Level, "a later pack re-grades a built-in type")
	assert.Equal(t, "S4", ids["email"].Level, "levels: re-grades without restating the rule")
	assert.Contains(t, rs.Fields["subject"], "badge_no")
	assert.Contains(t, rs.Fields["subject"], "device_id", "packs add to the built-in field lists")
	assert.Equal(t, "2026.11+team-1", rs.Version)
	assert.Len(t, rs.Hash, 64)

	base, err := Merge(b)
	require.NoError(t, err)
	again, err := Merge(b)
	require.NoError(t, err)
	assert.Equal(t, base.Hash, again.Hash, "the hash is stable")
	assert.NotEqual(t, base.Hash, rs.Hash, "any rule change changes the hash")

	_, err = Merge(b, &Pack{Source: "x.yaml", Levels: map[string]string{"email": "S9"}})
	assert.ErrorContains(t, err, "levels")
	_, err = Merge(b, &Pack{Source: "x.yaml", Disable: []string{"nope"}})
	assert.ErrorContains(t, err, "x.yaml")
	assert.ErrorContains(t, err, "nope")
}

func TestNormalizeFieldName(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "idno", NormalizeFieldName("ID_No"))
	assert.Equal(t, "身份证号", NormalizeFieldName("身份证号"))
	assert.Equal(t, "patientidno", NormalizeFieldName("$.patient.id-no"))
}

// FuzzLoad: any input gives a pack or an error, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add(goodPack)
	f.Add(string(BuiltinYAML()))
	f.Add("rules:\n  - id: x\n    pattern: '(?<=a)b'\n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Load(strings.NewReader(s), "fuzz.yaml")
		if err == nil && p == nil {
			t.Fatal("nil pack without error")
		}
	})
}
