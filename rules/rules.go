// Package rules holds piiscan's rule data: the schema, the built-in pack
// embedded from builtin.yaml, loading of user packs, merging and validation.
//
// It only describes what to look for. Matching lives in package classifiers,
// which compiles a Ruleset into an engine. This package imports nothing from
// the rest of the repository.
package rules

import (
	"fmt"
	"strings"
)

// Levels are the sensitivity grades of DESIGN.md, from least to most sensitive.
var Levels = []string{"S1", "S2", "S3", "S4"}

// Categories are the finding categories of DESIGN.md section 3. User rules
// must use one of them so that dashboards can group every finding.
var Categories = []string{
	"identity", "contact", "financial_account", "network", "whereabouts",
	"biometric", "medical_health", "religious_belief", "specific_identity",
	"organization",
}

// FieldKinds are the kinds of field that record rules use (Pack.Fields keys).
var FieldKinds = []string{"birth_date", "latitude", "longitude", "subject"}

// MaxLen is the largest match length a rule may declare. It must not exceed
// the scanner's look-ahead, or a match straddling two chunks could be lost.
const MaxLen = 4096

// DefaultWindow is the keyword proximity window in bytes on each side of a
// match when a rule does not set one.
const DefaultWindow = 64

// Rule is one data type: what it is, how to find it and how to show it.
//
// A rule is either backed by a named built-in detector (Detector, the fast
// path for the catalogue types) or by a regexp2 Pattern (user rules).
type Rule struct {
	// ID becomes the findings' data_type. Lower-case snake_case.
	ID          string `yaml:"id"`
	Category    string `yaml:"category"`
	Level       string `yaml:"level"`
	Description string `yaml:"description,omitempty"`

	// Detector names a built-in detector (see classifiers.Detectors).
	Detector string `yaml:"detector,omitempty"`
	// Pattern is a regexp2 (.NET-style) pattern, compiled with a match timeout.
	Pattern string `yaml:"pattern,omitempty"`
	// Validator names a check run on each pattern match (luhn, gb11643, ...).
	Validator string `yaml:"validator,omitempty"`

	// Keywords raise confidence when found within Window bytes of a match.
	// With KeywordsRequired a match needs one of them (or a field hint) nearby.
	Keywords         []string `yaml:"keywords,omitempty"`
	KeywordsRequired bool     `yaml:"keywords_required,omitempty"`
	// NegativeKeywords (order numbers, waybills, ...) label a value as
	// another kind of number: found just before it in its clause, or in its
	// field's name, they suppress the match unless a field hint or a keyword
	// nearer to the value than the label also fired.
	NegativeKeywords []string `yaml:"negative_keywords,omitempty"`
	Window           int      `yaml:"window,omitempty"`

	// FieldNames are tokens matched against normalized column names and JSON
	// keys (lower case, without _ - . and spaces): a hit is context, like a keyword.
	FieldNames []string `yaml:"field_names,omitempty"`

	// Allow lists values never reported. Entries are brought to the rule's
	// canonical form before comparing (upper-case IDs, lower-case e-mail,
	// digits of phones and cards; see classifiers), so they may be written
	// as people write them. AllowPatterns are regexp2 patterns matched
	// against the canonical value.
	Allow         []string `yaml:"allow,omitempty"`
	AllowPatterns []string `yaml:"allow_patterns,omitempty"`

	// Confidence is the base confidence of a validated match (0..1).
	Confidence float64 `yaml:"confidence,omitempty"`
	Mask       Mask    `yaml:"mask,omitempty"`
	// MaxLen bounds a pattern match in bytes; 0 means 256.
	MaxLen int `yaml:"max_len,omitempty"`
	// Disabled rules are loaded but not compiled.
	Disabled bool `yaml:"disabled,omitempty"`
	// Params carries detector-specific settings (value dictionaries, ...).
	Params map[string][]string `yaml:"params,omitempty"`

	// Source is the file the rule came from (not part of the YAML).
	Source string `yaml:"-"`

	Examples Examples `yaml:"examples,omitempty"`
}

// Mask says how a canonical value is shown in findings.
//
// Style "keep" (the default) keeps KeepFirst and KeepLast characters and
// replaces the rest with Char. The other styles are fixed shapes of the
// catalogue: "email" (a***@example.com), "ipv4" (10.20.*.*), "gps" (rounded to
// two decimals), "tag" (<redacted:category>) and "count" (<n> points).
type Mask struct {
	Style     string `yaml:"style,omitempty"`
	KeepFirst int    `yaml:"keep_first,omitempty"`
	KeepLast  int    `yaml:"keep_last,omitempty"`
	Char      string `yaml:"char,omitempty"`
	// Fixed, when set, is the number of mask characters shown instead of one
	// per hidden character (cn_mobile shows 138****8000 whatever the length).
	Fixed int `yaml:"fixed,omitempty"`
}

// Examples are strings a rule must find (Match) and must not find (NoMatch).
// Every built-in rule carries both lists; tests run them. A user rule's
// examples are run whenever its pack is loaded by a command
// (classifiers.Engine.CheckExamples), and a failing one is a bad pack.
type Examples struct {
	Match   []string `yaml:"match,omitempty"`
	NoMatch []string `yaml:"no_match,omitempty"`
}

// EffectiveWindow returns the proximity window in bytes.
func (r Rule) EffectiveWindow() int {
	if r.Window > 0 {
		return r.Window
	}
	return DefaultWindow
}

// EffectiveMaxLen returns the maximum match length in bytes.
func (r Rule) EffectiveMaxLen() int {
	if r.MaxLen > 0 {
		return r.MaxLen
	}
	return 256
}

// LevelRank returns 1..4 for S1..S4 (any case) and 0 for anything else.
// It runs for every finding, so the common spelling is checked first.
func LevelRank(level string) int {
	if len(level) == 2 && level[0]|0x20 == 's' && level[1] >= '1' && level[1] <= '4' {
		return int(level[1] - '0')
	}
	for i, l := range Levels {
		if strings.EqualFold(l, level) {
			return i + 1
		}
	}
	return 0
}

// LevelName is the level of rank 1..4 (S1..S4), "" for any other rank.
func LevelName(rank int) string {
	if rank < 1 || rank > len(Levels) {
		return ""
	}
	return Levels[rank-1]
}

// ParseLevel checks a level given on the command line (S1..S4, any case).
func ParseLevel(s string) (string, error) {
	if r := LevelRank(s); r > 0 {
		return Levels[r-1], nil
	}
	return "", fmt.Errorf("parse level %q: want one of S1, S2, S3, S4", s)
}

// NormalizeFieldName lowers ASCII letters and drops the separators people put
// in column names (_ - . space / brackets), so "ID_No", "id-no" and "idNo"
// compare equal. Non-ASCII text (Chinese headers) is kept as is.
func NormalizeFieldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case c == '_' || c == '-' || c == '.' || c == ' ' || c == '/' || c == '[' || c == ']' || c == '$' || c == '*' || c == '\t':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
