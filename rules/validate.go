package rules

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/dlclark/regexp2"
)

// idPattern is a rule id's form; its length (at most maxIDLen) is checked
// apart, since a bounded repetition compiles to one copy of the class per
// repeat, at every start.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

const maxIDLen = 64

// Validate checks one rule's schema: a well-formed id, a known category and
// level, exactly one of detector and pattern, a pattern that compiles, a mask
// that makes sense and bounded lengths. Names of detectors and validators are
// checked when the classifiers compile the ruleset, since they live there.
func (r Rule) Validate() error {
	if r.ID == "" {
		return errors.New("missing id")
	}
	if len(r.ID) > maxIDLen || !idPattern.MatchString(r.ID) {
		return fmt.Errorf("id %q: want lower-case letters, digits and _ (starting with a letter)", r.ID)
	}
	if !slices.Contains(Categories, r.Category) {
		return fmt.Errorf("category %q: want one of %v", r.Category, Categories)
	}
	if LevelRank(r.Level) == 0 {
		return fmt.Errorf("level %q: want one of S1, S2, S3, S4", r.Level)
	}
	switch {
	case r.Detector == "" && r.Pattern == "":
		return errors.New("needs a pattern or a detector")
	case r.Detector != "" && r.Pattern != "":
		return errors.New("has both a pattern and a detector: pick one")
	}
	if r.Pattern != "" {
		if err := checkPattern(r.Pattern); err != nil {
			return err
		}
	}
	for _, p := range r.AllowPatterns {
		if err := checkPattern(p); err != nil {
			return fmt.Errorf("allow_patterns: %w", err)
		}
	}
	if r.KeywordsRequired && len(r.Keywords) == 0 && len(r.FieldNames) == 0 {
		return errors.New("keywords_required without keywords or field_names")
	}
	if r.MaxLen < 0 || r.MaxLen > MaxLen {
		return fmt.Errorf("max_len %d: must be between 1 and %d (the scanner's look-ahead)", r.MaxLen, MaxLen)
	}
	if r.Window < 0 || r.Window > 256 {
		return fmt.Errorf("window %d: must be between 1 and 256 bytes", r.Window)
	}
	if r.Confidence < 0 || r.Confidence > 1 {
		return fmt.Errorf("confidence %v: must be between 0 and 1", r.Confidence)
	}
	for _, k := range append(append([]string{}, r.Keywords...), r.NegativeKeywords...) {
		if k == "" {
			return errors.New("empty keyword")
		}
	}
	return r.Mask.validate()
}

func (m Mask) validate() error {
	switch m.Style {
	case "", "keep", "email", "ipv4", "gps", "tag", "count", "full":
	default:
		return fmt.Errorf("mask style %q: want keep, email, ipv4, gps, tag, count or full", m.Style)
	}
	if m.KeepFirst < 0 || m.KeepLast < 0 || m.Fixed < 0 {
		return errors.New("mask keep_first, keep_last and fixed must not be negative")
	}
	if len([]rune(m.Char)) > 1 {
		return fmt.Errorf("mask char %q: want a single character", m.Char)
	}
	return nil
}

// PatternTimeout bounds one regexp2 match attempt. regexp2 backtracks, so a
// hostile pattern or input could otherwise run for ever.
const PatternTimeout = 100 * time.Millisecond

func checkPattern(p string) error {
	re, err := regexp2.Compile(p, regexp2.None)
	if err != nil {
		return fmt.Errorf("pattern: %w", err)
	}
	re.MatchTimeout = PatternTimeout
	// An empty match would report every position: reject it up front.
	if m, err := re.FindStringMatch(""); err == nil && m != nil {
		return errors.New("pattern matches the empty string")
	}
	return nil
}
