package classifiers

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/rules"
)

const userPack = `
version: "team-1"
rules:
  - id: employee_no
    category: identity
    level: S2
    pattern: 'EMP-\d{6}'
    keywords: [工号, employee]
    keywords_required: true
    mask: {keep_first: 4, keep_last: 2}
    allow_patterns: ['^EMP-9']
    examples:
      match: ["工号: EMP-123456"]
      no_match: ["EMP-12"]
  - id: loyalty_card
    category: financial_account
    level: S3
    pattern: '\b\d{16}\b'
    validator: luhn
    mask: {keep_first: 4, keep_last: 4}
  - id: badge_no
    category: identity
    level: S2
    pattern: 'BDG-\d{5}'
    keywords: [badge, 工牌]
  - id: slow_rule
    category: identity
    level: S1
    pattern: '(a+)+$'
allow: ["EMP-000000"]
levels: {email: S4}
`

func userEngine(t testing.TB) *Engine {
	t.Helper()
	p, err := rules.Load(strings.NewReader(userPack), "team.yaml")
	require.NoError(t, err)
	return builtinEngine(t, p)
}

func TestUserRules(t *testing.T) {
	t.Parallel()
	e := userEngine(t)
	tests := []struct {
		name, text string
		want       []string // "type masked"
	}{
		{"keyword present", "工号: EMP-123456", []string{"employee_no EMP-****56"}},
		{"keyword required", "ref EMP-123456", nil},
		{"keyword optional, none near", "ref BDG-12345", []string{"badge_no *********"}},
		{"keyword optional, one near", "badge BDG-12345", []string{"badge_no *********"}},
		{"allow list value", "工号 EMP-000000", nil},
		{"allow list pattern", "工号 EMP-912345", nil},
		{"validator passes", "loyalty 4111111111111111 ok", []string{"bank_card 411111******1111", "loyalty_card 4111********1111"}},
		{"validator fails", "loyalty 4111111111111112", nil},
		{"re-graded built-in", "mail a.b@example.com", []string{"email a***@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := scanString(t, e, tt.text)
			var got []string
			for _, m := range c.ms {
				got = append(got, m.DataType+" "+m.Masked)
				if m.DataType == "email" {
					assert.Equal(t, "S4", m.Level)
				}
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
	// An optional keyword raises confidence.
	near, far := scanString(t, e, "badge BDG-12345").ms, scanString(t, e, "ref BDG-12345").ms
	require.Len(t, near, 1)
	require.Len(t, far, 1)
	assert.Greater(t, near[0].Confidence, far[0].Confidence)
	assert.Contains(t, near[0].Evidence, "keyword:badge")
}

// TestUserRuleTimeout: a backtracking pattern on hostile input is stopped
// by the match timeout; the scan goes on and counts it.
func TestUserRuleTimeout(t *testing.T) {
	t.Parallel()
	e := userEngine(t)
	sc := e.NewScanner()
	text := strings.Repeat("a", 30_000) + "! 工号 EMP-123456"
	c := &collector{}
	require.NoError(t, sc.ScanText(context.Background(), []byte(text), 0, len(text), nil, c))
	assert.Contains(t, c.types(), "employee_no")
	assert.Positive(t, sc.Stats().Timeouts)
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, pack, want string }{
		{"unknown validator", "rules:\n  - {id: r1, category: identity, level: S2, pattern: x, validator: md5}\n", "unknown validator"},
		{"unknown detector", "rules:\n  - {id: r1, category: identity, level: S2, detector: teleport}\n", "unknown detector"},
		{"bad params", "rules:\n  - {id: r1, category: identity, level: S2, detector: field_value, params: {colour: [red]}}\n", "unknown params"},
		{"ascii subject end", "rules:\n  - {id: r1, category: identity, level: S2, detector: field_value, params: {subject_phrases: [他是], subject_value_ends: [s]}}\n", "subject_value_ends"},
		{"subject phrases alone", "rules:\n  - {id: r1, category: identity, level: S2, detector: field_value, params: {subject_phrases: [他是]}}\n", "go together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := rules.Load(strings.NewReader(tt.pack), "bad.yaml")
			require.NoError(t, err)
			rs, err := rules.Merge(p)
			require.NoError(t, err)
			_, err = Compile(rs, Options{})
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrRule)
			assert.Contains(t, err.Error(), "bad.yaml")
			assert.Contains(t, err.Error(), "r1")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
